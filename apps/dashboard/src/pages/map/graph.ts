// The service map's graph as plain data (what Cytoscape draws and the accessible table lists): workloads grouped by
// namespace, or namespaces alone on big snapshots; the outside world (every IP range) as one node; edges are
// allowed connections labelled with their ports, optionally coloured by a diff (added / removed / changed).

export const OUTSIDE_ID = 'outside';

export interface MapPeer {
  type: 'WORKLOAD' | 'IP_RANGE';
  namespace: string | null;
  kind: string | null;
  name: string | null;
  ipRange: string | null;
}

export type EdgeChange = 'added' | 'removed' | 'changed';

export interface MapRow {
  from: MapPeer;
  to: MapPeer;
  /** np-guard connection text (`TCP 8080`), or for a diff the change in words. */
  portsText: string;
  change?: EdgeChange;
}

export interface MapNode {
  id: string;
  label: string;
  kind: 'namespace' | 'workload' | 'outside';
  /** The namespace (compound parent) of a workload. */
  parent?: string;
  internetExposed?: boolean;
  unprotected?: boolean;
  /** A namespace node of the aggregated view: how many workloads it stands for. */
  workloads?: number;
}

/** The ports of an edge that are the same for some of its peers (the IP ranges the outside node stands for). */
export interface EdgePortGroup {
  ports: string;
  /** IP ranges that get these ports; empty between two workloads. */
  ipRanges: string[];
}

export interface MapEdge {
  id: string;
  source: string;
  target: string;
  /** On the canvas: the ports when every merged peer gets the same, else `N connections` (one per port set). */
  label: string;
  /** On hover or highlight: one line per port set (`TCP 53,UDP 53 — 3 IP ranges`). */
  detail: string;
  /** Each port set and its IP ranges, in first-seen order (the table lists them). */
  groups: EdgePortGroup[];
  change?: EdgeChange;
}

export interface MapGraph {
  nodes: MapNode[];
  edges: MapEdge[];
  /** Edges left out to keep the map readable (the busiest are kept). */
  omittedEdges?: number;
  /** Namespaces left out (a big snapshot's namespace view draws only those on a drawn edge). */
  omittedNodes?: number;
  /** Namespaces reachable from / reaching outside IPs whose edge to the outside node is left out (the busiest are kept). */
  omittedOutsideEdges?: number;
}

/** The namespace view keeps at most this many namespace pairs (the busiest): more is unreadable and slow to lay out. */
export const MAX_NAMESPACE_EDGES = 300;

/** Above this many namespaces, the namespace view draws only those on a drawn edge (2,003 namespaces at 50k pods took
 *  seconds to lay out, most of them unconnected dots); the others are in the namespace list. */
export const MAX_NAMESPACE_NODES = 200;

/** ...and links at most this many namespaces each way to the outside node (those with the most such workloads). */
export const MAX_OUTSIDE_EDGES = 50;

export const workloadNodeId = (w: { namespace: string | null; kind: string | null; name: string | null }) =>
  `w:${w.namespace}/${w.kind}/${w.name}`;
export const namespaceNodeId = (namespace: string) => `ns:${namespace}`;

const peerNodeId = (peer: MapPeer) => (peer.type === 'IP_RANGE' ? OUTSIDE_ID : workloadNodeId(peer));

export interface Marks {
  internetExposed: ReadonlySet<string>;
  unprotected: ReadonlySet<string>;
}

/**
 * Workload-level graph: one node per workload seen in the rows (inside its namespace), one outside node for all IP
 * ranges; rows between the same two nodes (e.g. several IP ranges) become one edge whose label joins their ports.
 */
export function workloadGraph(
  rows: readonly MapRow[],
  marks: Marks = { internetExposed: new Set(), unprotected: new Set() },
  /** Workloads to draw even without any allowed connection (isolated ones matter most). */
  workloads: readonly { namespace: string; kind: string; name: string }[] = [],
): MapGraph {
  const nodes = new Map<string, MapNode>();
  const edges = new Map<string, { source: string; target: string; groups: EdgePortGroup[]; change?: EdgeChange }>();
  const addPeer = (peer: MapPeer) => {
    if (peer.type === 'IP_RANGE') {
      nodes.set(OUTSIDE_ID, { id: OUTSIDE_ID, label: 'Outside the cluster (IP ranges)', kind: 'outside' });
      return;
    }
    const namespace = peer.namespace ?? '';
    const parent = namespaceNodeId(namespace);
    if (!nodes.has(parent)) nodes.set(parent, { id: parent, label: namespace, kind: 'namespace' });
    const id = workloadNodeId(peer);
    if (!nodes.has(id)) {
      nodes.set(id, {
        id,
        label: peer.name ?? '',
        kind: 'workload',
        parent,
        internetExposed: marks.internetExposed.has(id),
        unprotected: marks.unprotected.has(id),
      });
    }
  };
  for (const workload of workloads) addPeer({ type: 'WORKLOAD', ...workload, ipRange: null });
  for (const row of rows) {
    addPeer(row.from);
    addPeer(row.to);
    const source = peerNodeId(row.from);
    const target = peerNodeId(row.to);
    const key = `${source}>${target}`;
    const edge = edges.get(key) ?? { source, target, groups: [], change: row.change };
    let group = edge.groups.find((g) => g.ports === row.portsText);
    if (!group) {
      group = { ports: row.portsText, ipRanges: [] };
      edge.groups.push(group);
    }
    const range = row.from.type === 'IP_RANGE' ? row.from.ipRange : row.to.type === 'IP_RANGE' ? row.to.ipRange : null;
    if (range && !group.ipRanges.includes(range)) group.ipRanges.push(range);
    edge.change = mergeChange(edge.change, row.change);
    edges.set(key, edge);
  }
  return {
    nodes: [...nodes.values()].sort(byId),
    edges: [...edges.entries()]
      .map(([key, edge]) => ({
        id: `e:${key}`,
        source: edge.source,
        target: edge.target,
        ...edgeTexts(edge.groups),
        groups: edge.groups,
        ...(edge.change ? { change: edge.change } : {}),
      }))
      .sort(byId),
  };
}

/**
 * An edge's texts. Rows to or from the outside node are one per IP range, and ranges often get different ports
 * (private ranges DNS only, public ones DNS and 443): joining them all on the canvas was unreadable. One port set
 * reads as itself; several read as `N connections` on the canvas, one line per port set on hover.
 */
export function edgeTexts(groups: readonly EdgePortGroup[]): { label: string; detail: string } {
  const lines = groups.map((g) => (g.ipRanges.length > 0 ? `${g.ports} — ${g.ipRanges.length} IP ${g.ipRanges.length === 1 ? 'range' : 'ranges'}` : g.ports));
  return { label: groups.length === 1 ? (groups[0]?.ports ?? '') : `${groups.length} connections`, detail: lines.join('\n') };
}

/** A namespace-level edge: one label, no port sets. */
const plainEdge = (label: string) => ({ label, detail: label, groups: [] });

function mergeChange(a: EdgeChange | undefined, b: EdgeChange | undefined): EdgeChange | undefined {
  if (a === undefined) return b;
  if (b === undefined || a === b) return a;
  return 'changed';
}

export interface NamespaceMatrixData {
  namespaces: readonly { name: string; workloads: number; reachableFromIpRanges: number; reachingIpRanges: number }[];
  /** Every cell, or the busiest the server selected (`cells(crossNamespace: true, busiest: N)`). */
  cells: readonly { from: string; to: string; allowedPairs: number }[];
  /** How many cells between two namespaces there are when `cells` is a selection (`cellCount(crossNamespace: true)`). */
  crossNamespaceCells?: number;
}

/**
 * Namespace-level graph for big snapshots: a node per namespace, an edge per namespace pair with allowed pairs
 * (the `maxEdges` busiest pairs between two different namespaces; the rest are counted in `omittedEdges`).
 */
export function namespaceGraph(matrix: NamespaceMatrixData, maxEdges = MAX_NAMESPACE_EDGES, maxNodes = MAX_NAMESPACE_NODES, maxOutside = MAX_OUTSIDE_EDGES): MapGraph {
  const big = matrix.namespaces.length > maxNodes;
  const between = matrix.cells.filter((cell) => cell.from !== cell.to);
  const busiest = [...between]
    .sort((a, b) => b.allowedPairs - a.allowedPairs || (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0))
    .slice(0, maxEdges);
  const edges: MapEdge[] = busiest.map((cell) => ({
    id: `e:${namespaceNodeId(cell.from)}>${namespaceNodeId(cell.to)}`,
    source: namespaceNodeId(cell.from),
    target: namespaceNodeId(cell.to),
    ...plainEdge(`${cell.allowedPairs} ${cell.allowedPairs === 1 ? 'pair' : 'pairs'}`),
  }));
  // On a big snapshot, the namespaces with the most workloads reached from (reaching) outside IPs, ties by name.
  const outsideOf = (count: (ns: NamespaceMatrixData['namespaces'][number]) => number) => {
    const all = matrix.namespaces.filter((ns) => count(ns) > 0);
    return big ? [...all].sort((a, b) => count(b) - count(a) || (a.name < b.name ? -1 : 1)).slice(0, maxOutside) : all;
  };
  const inbound = outsideOf((ns) => ns.reachableFromIpRanges);
  const outbound = outsideOf((ns) => ns.reachingIpRanges);
  for (const ns of inbound) {
    edges.push({ id: `e:${OUTSIDE_ID}>${namespaceNodeId(ns.name)}`, source: OUTSIDE_ID, target: namespaceNodeId(ns.name), ...plainEdge(`${ns.reachableFromIpRanges} reachable`) });
  }
  for (const ns of outbound) {
    edges.push({ id: `e:${namespaceNodeId(ns.name)}>${OUTSIDE_ID}`, source: namespaceNodeId(ns.name), target: OUTSIDE_ID, ...plainEdge(`${ns.reachingIpRanges} reaching`) });
  }
  const onEdge = new Set(edges.flatMap((edge) => [edge.source, edge.target]));
  const drawn = big ? matrix.namespaces.filter((ns) => onEdge.has(namespaceNodeId(ns.name))) : matrix.namespaces;
  const nodes: MapNode[] = drawn.map((ns) => ({
    id: namespaceNodeId(ns.name),
    label: `${ns.name} (${ns.workloads})`,
    kind: 'namespace',
    workloads: ns.workloads,
    internetExposed: ns.reachableFromIpRanges > 0,
  }));
  if (inbound.length > 0 || outbound.length > 0) nodes.push({ id: OUTSIDE_ID, label: 'Outside the cluster (IP ranges)', kind: 'outside' });
  const outsideTotal = matrix.namespaces.filter((ns) => ns.reachableFromIpRanges > 0).length + matrix.namespaces.filter((ns) => ns.reachingIpRanges > 0).length;
  return {
    nodes: nodes.sort(byId),
    edges: edges.sort(byId),
    omittedEdges: (matrix.crossNamespaceCells ?? between.length) - busiest.length,
    omittedNodes: matrix.namespaces.length - drawn.length,
    omittedOutsideEdges: outsideTotal - inbound.length - outbound.length,
  };
}

/** Edges into and out of `focus` (a node id), for highlighting a workload's reach. */
export function reachOf(graph: MapGraph, focus: string): { inbound: MapEdge[]; outbound: MapEdge[] } {
  return {
    inbound: graph.edges.filter((edge) => edge.target === focus && edge.source !== focus),
    outbound: graph.edges.filter((edge) => edge.source === focus && edge.target !== focus),
  };
}

/** Workload-level when the snapshot is small enough to draw every workload; else namespaces first. */
export const MAX_WORKLOAD_NODES = 60;

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
