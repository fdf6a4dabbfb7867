import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Core, ElementDefinition } from 'cytoscape';
import { OUTSIDE_ID, type MapGraph } from './graph.js';
import { describeNode, keyboardOrder, nextIndex } from './keyboard.js';

/** The `data-theme` of <html> (set by the header's toggle), as state. */
function useTheme(): string {
  const [theme, setTheme] = useState(() => document.documentElement.dataset.theme ?? '');
  useEffect(() => {
    const observer = new MutationObserver(() => setTheme(document.documentElement.dataset.theme ?? ''));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => observer.disconnect();
  }, []);
  return theme;
}

/** Above this many edges, port labels appear on hover or highlight only. */
const MAX_LABELLED_EDGES = 14;

/** CSS custom properties of the current theme, for Cytoscape's own (non-CSS) styles. */
function themeColours() {
  const style = getComputedStyle(document.documentElement);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    fg: read('--fg', '#1b1f24'),
    muted: read('--muted', '#57606a'),
    card: read('--card', '#ffffff'),
    bg: read('--bg', '#f6f8fa'),
    border: read('--border', '#d0d7de'),
    accent: read('--accent', '#0a58ca'),
    danger: read('--error-fg', '#a4161a'),
    added: read('--added', '#1a7f37'),
    removed: read('--removed', '#cf222e'),
    changed: read('--changed', '#9a6700'),
  };
}

function elements(graph: MapGraph): ElementDefinition[] {
  return [
    ...graph.nodes.map((node) => ({
      group: 'nodes' as const,
      data: { id: node.id, label: node.label, ...(node.parent ? { parent: node.parent } : {}) },
      classes: [node.kind, node.internetExposed ? 'exposed' : '', node.unprotected ? 'unprotected' : ''].filter(Boolean).join(' '),
    })),
    ...graph.edges.map((edge) => ({
      group: 'edges' as const,
      data: { id: edge.id, source: edge.source, target: edge.target, label: edge.label, detail: edge.detail },
      classes: edge.change ?? '',
    })),
  ];
}

/**
 * Draws the graph with Cytoscape.js and the fCoSE layout (both loaded on first use, so other pages do not pay for
 * them). The container reports the drawn model's size in data attributes; clicking a node calls `onSelect`.
 */
export function ServiceMapCanvas({
  graph,
  focus,
  onSelect,
  label,
}: {
  graph: MapGraph;
  focus: string | undefined;
  onSelect: (nodeId: string) => void;
  label: string;
}) {
  const theme = useTheme();
  const container = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const [ready, setReady] = useState(false);
  const onSelectRef = useRef(onSelect);
  onSelectRef.current = onSelect;

  useEffect(() => {
    let cancelled = false;
    let cy: Core | null = null;
    void (async () => {
      const [{ default: cytoscape }, { default: fcose }] = await Promise.all([import('cytoscape'), import('cytoscape-fcose')]);
      if (cancelled || !container.current) return;
      cytoscape.use(fcose);
      const c = themeColours();
      cy = cytoscape({
        container: container.current,
        elements: elements(graph),
        minZoom: 0.2,
        // A small graph is not blown up to fill the canvas.
        maxZoom: 1.4,
        style: [
          {
            selector: 'node',
            style: {
              label: 'data(label)',
              'font-size': 12,
              color: c.fg,
              'text-background-color': c.card,
              'text-background-opacity': 0.7,
              'text-background-padding': '1px',
              'text-valign': 'bottom',
              'text-margin-y': 4,
              'background-color': c.accent,
              width: 22,
              height: 22,
              'border-width': 2,
              'border-color': c.card,
            },
          },
          {
            selector: 'node.namespace',
            style: {
              'background-color': c.bg,
              'background-opacity': 0.6,
              'border-color': c.border,
              'border-width': 1,
              shape: 'round-rectangle',
              'text-valign': 'top',
              'font-weight': 'bold',
              color: c.muted,
              padding: '14px',
            },
          },
          { selector: 'node.namespace:childless', style: { width: 46, height: 30, 'text-valign': 'center', color: c.fg } },
          { selector: `node#${OUTSIDE_ID}`, style: { shape: 'diamond', 'background-color': c.muted, width: 30, height: 30 } },
          { selector: 'node.exposed', style: { 'border-color': c.danger, 'border-width': 4 } },
          { selector: 'node.unprotected', style: { 'border-style': 'dashed', 'border-color': c.danger, 'border-width': 3 } },
          {
            selector: 'edge',
            style: {
              width: 1.5,
              'line-color': c.muted,
              'target-arrow-color': c.muted,
              'target-arrow-shape': 'triangle',
              'curve-style': 'bezier',
              // Busy maps show an edge's ports on hover or when its workload is highlighted (the table lists all).
              label: graph.edges.length <= MAX_LABELLED_EDGES ? 'data(label)' : '',
              'font-size': 9,
              color: c.muted,
              'text-rotation': 'autorotate',
              'text-outline-color': c.card,
              'text-outline-width': 2,
            },
          },
          { selector: 'edge.added', style: { 'line-color': c.added, 'target-arrow-color': c.added, width: 3, color: c.added } },
          { selector: 'edge.removed', style: { 'line-color': c.removed, 'target-arrow-color': c.removed, width: 3, 'line-style': 'dashed', color: c.removed } },
          { selector: 'edge.changed', style: { 'line-color': c.changed, 'target-arrow-color': c.changed, width: 3, color: c.changed } },
          { selector: '.faded', style: { opacity: 0.15 } },
          { selector: 'edge.reach-in', style: { 'line-color': c.accent, 'target-arrow-color': c.accent, width: 3 } },
          { selector: 'edge.reach-out', style: { 'line-color': c.danger, 'target-arrow-color': c.danger, width: 3 } },
          { selector: 'node.focus', style: { 'border-color': c.fg, 'border-width': 4 } },
          // The keyboard's current node: a ring drawn around it (overlay), visible in both themes.
          { selector: 'node.kbd', style: { 'overlay-color': c.accent, 'overlay-opacity': 0.35, 'overlay-padding': 8, 'overlay-shape': 'ellipse' } as never },
          // Hovered or highlighted, an edge shows every port set, one per line, level for reading.
          {
            selector: 'edge.reach-in, edge.reach-out, edge.hover',
            style: { label: 'data(detail)', color: c.fg, 'z-index': 10, 'text-wrap': 'wrap', 'text-rotation': 'none', 'text-background-color': c.card, 'text-background-opacity': 0.9 } as never,
          },
        ],
        // Deterministic layout (greedy sampling, no random start), spread enough for labels to stay readable.
        layout: {
          name: 'fcose',
          animate: false,
          randomize: true,
          samplingType: false,
          // Big graphs (namespaces of a large cluster) get the faster draft-quality layout.
          quality: graph.nodes.length > 120 ? 'draft' : 'proof',
          nodeSeparation: 120,
          idealEdgeLength: 170,
          nodeRepulsion: 12000,
          nestingFactor: 0.15,
          gravity: 0.2,
          numIter: 2500,
          tile: true,
          tilingPaddingVertical: 30,
          tilingPaddingHorizontal: 30,
          packComponents: true,
          padding: 30,
        } as never,
      });
      cy.on('mouseover', 'edge', (event) => event.target.addClass('hover'));
      cy.on('mouseout', 'edge', (event) => event.target.removeClass('hover'));
      cy.on('tap', 'node', (event) => onSelectRef.current(event.target.id() as string));
      cyRef.current = cy;
      container.current.dataset.nodeCount = String(cy.nodes().length);
      container.current.dataset.edgeCount = String(cy.edges().length);
      container.current.dataset.theme = theme;
      setReady(true);
    })();
    return () => {
      cancelled = true;
      cy?.destroy();
      cyRef.current = null;
      setReady(false);
    };
    // Redrawn when the theme changes: Cytoscape's colours are not CSS.
  }, [graph, theme]);

  // Highlight the focused node's reach: inbound edges in the accent colour, outbound in red, the rest faded.
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy || !ready) return;
    cy.elements().removeClass('faded reach-in reach-out focus');
    if (!focus) return;
    const node = cy.getElementById(focus);
    if (node.empty()) return;
    const inbound = node.incomers('edge');
    const outbound = node.outgoers('edge');
    const keep = node.union(inbound).union(outbound).union(inbound.sources()).union(outbound.targets());
    cy.elements().not(keep).not('node.namespace').addClass('faded');
    inbound.addClass('reach-in');
    outbound.addClass('reach-out');
    node.addClass('focus');
  }, [focus, ready]);

  // Keyboard: the map is one tab stop; Tab / arrows move between nodes, Enter acts like a click, Escape leaves.
  const order = useMemo(() => keyboardOrder(graph), [graph]);
  const [current, setCurrent] = useState(-1);
  const currentId = current >= 0 ? order[current] : undefined;
  useEffect(() => setCurrent(-1), [order]);
  useEffect(() => {
    const cy = cyRef.current;
    if (!cy || !ready) return;
    cy.nodes().removeClass('kbd');
    if (!currentId) return;
    const node = cy.getElementById(currentId);
    node.addClass('kbd');
    // Keep it in view: pan to it when its box leaves the canvas.
    const box = node.renderedBoundingBox();
    if (box.x1 < 0 || box.y1 < 0 || box.x2 > cy.width() || box.y2 > cy.height()) cy.center(node);
  }, [currentId, ready]);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === 'Enter' || event.key === ' ') {
      if (!currentId) return;
      event.preventDefault();
      onSelectRef.current(currentId);
      return;
    }
    if (event.key === 'Escape') {
      setCurrent(-1);
      return;
    }
    if (!['Tab', 'ArrowRight', 'ArrowDown', 'ArrowLeft', 'ArrowUp', 'Home', 'End'].includes(event.key)) return;
    const next = nextIndex(event.key, event.shiftKey, current, order.length);
    if (next === undefined) {
      // Tab past the last (or Shift+Tab before the first) node: leave the map as usual.
      setCurrent(-1);
      return;
    }
    event.preventDefault();
    setCurrent(next);
  };
  const instructionsId = useMemo(() => `map-keys-${Math.random().toString(36).slice(2)}`, []);

  return (
    <>
      <div
        ref={container}
        className="map-canvas"
        role="application"
        aria-roledescription="service map"
        aria-label={label}
        aria-describedby={instructionsId}
        tabIndex={0}
        onKeyDown={onKeyDown}
        onBlur={(event) => {
          if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setCurrent(-1);
        }}
        data-ready={ready ? 'true' : 'false'}
        data-keyboard-node={currentId ?? ''}
      />
      <p id={instructionsId} className="visually-hidden">
        Tab or the arrow keys move between the nodes, Enter highlights a workload’s reach or expands a namespace, Escape leaves the nodes. The
        table below lists the same edges.
      </p>
      <p className="visually-hidden" role="status" aria-live="polite" data-testid="map-announcement">
        {currentId ? describeNode(graph, currentId) : ''}
      </p>
    </>
  );
}
