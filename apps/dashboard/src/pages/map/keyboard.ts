// Keyboard use of the service map: which nodes Tab and the arrow keys visit (in the graph's order: namespaces,
// their workloads, the outside world), and what a screen reader hears for each.
import type { MapGraph } from './graph.js';

/** Node ids in visiting order: every node but a namespace that contains workloads (its workloads are visited instead). */
export function keyboardOrder(graph: MapGraph): string[] {
  const parents = new Set(graph.nodes.map((node) => node.parent).filter(Boolean));
  const visited = graph.nodes.filter((node) => !parents.has(node.id));
  // The outside world last: the cluster's own nodes come first.
  return [...visited.filter((node) => node.kind !== 'outside'), ...visited.filter((node) => node.kind === 'outside')].map((node) => node.id);
}

/** The index after a key press (wrapping for arrows; Tab leaves the map at either end: undefined). */
export function nextIndex(key: string, shift: boolean, current: number, count: number): number | undefined {
  if (count === 0) return undefined;
  if (current < 0) return key === 'End' || (key === 'Tab' && shift) ? count - 1 : 0;
  switch (key) {
    case 'ArrowRight':
    case 'ArrowDown':
      return (current + 1) % count;
    case 'ArrowLeft':
    case 'ArrowUp':
      return (current - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    case 'Tab': {
      const next = current + (shift ? -1 : 1);
      return next < 0 || next >= count ? undefined : next;
    }
    default:
      return current;
  }
}

/** `production/frontend, workload: 2 connections in, 3 out; internet-exposed. Enter highlights its reach.` */
export function describeNode(graph: MapGraph, id: string): string {
  const node = graph.nodes.find((n) => n.id === id);
  if (!node) return '';
  const inbound = graph.edges.filter((e) => e.target === id).length;
  const outbound = graph.edges.filter((e) => e.source === id).length;
  const name = node.kind === 'workload' && node.parent ? `${node.parent.replace(/^ns:/, '')}/${node.label}` : node.label;
  const marks = [node.internetExposed ? 'internet-exposed' : '', node.unprotected ? 'unprotected' : ''].filter(Boolean);
  const action = node.kind === 'namespace' ? 'Enter expands it.' : node.kind === 'workload' ? 'Enter highlights its reach.' : '';
  const kind = node.kind === 'outside' ? 'outside the cluster' : node.kind;
  return `${name}, ${kind}: ${inbound} connection${inbound === 1 ? '' : 's'} in, ${outbound} out${marks.length ? `; ${marks.join(', ')}` : ''}. ${action}`.trim();
}
