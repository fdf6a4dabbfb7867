import { describe, expect, it } from 'vitest';
import type { MapGraph } from './graph.js';
import { describeNode, keyboardOrder, nextIndex } from './keyboard.js';

const graph = {
  nodes: [
    { id: 'outside', label: 'outside', kind: 'outside' },
    { id: 'ns:prod', label: 'prod', kind: 'namespace' },
    { id: 'w:a', label: 'a', kind: 'workload', parent: 'ns:prod', internetExposed: true },
    { id: 'w:b', label: 'b', kind: 'workload', parent: 'ns:prod' },
    { id: 'ns:empty', label: 'empty', kind: 'namespace' },
  ],
  edges: [
    { id: 'e1', source: 'w:a', target: 'w:b', label: 'TCP 80' },
    { id: 'e2', source: 'outside', target: 'w:a', label: 'TCP 443' },
  ],
} as unknown as MapGraph;

describe('service map keyboard', () => {
  it('visits workloads, childless namespaces, then the outside, not a namespace box with workloads', () => {
    expect(keyboardOrder(graph)).toEqual(['w:a', 'w:b', 'ns:empty', 'outside']);
  });

  it('moves with arrows (wrapping), Home/End, and leaves on Tab past either end', () => {
    expect(nextIndex('ArrowRight', false, -1, 4)).toBe(0);
    expect(nextIndex('ArrowRight', false, 3, 4)).toBe(0);
    expect(nextIndex('ArrowLeft', false, 0, 4)).toBe(3);
    expect(nextIndex('End', false, 1, 4)).toBe(3);
    expect(nextIndex('Tab', false, 1, 4)).toBe(2);
    expect(nextIndex('Tab', false, 3, 4)).toBeUndefined();
    expect(nextIndex('Tab', true, 0, 4)).toBeUndefined();
    expect(nextIndex('Tab', true, -1, 4)).toBe(3);
  });

  it('describes a node for screen readers', () => {
    expect(describeNode(graph, 'w:a')).toBe('prod/a, workload: 1 connection in, 1 out; internet-exposed. Enter highlights its reach.');
    expect(describeNode(graph, 'outside')).toBe('outside, outside the cluster: 0 connections in, 1 out.');
  });
});
