import { describe, expect, it } from 'vitest';
import { namespaceGraph, OUTSIDE_ID, reachOf, workloadGraph, type MapPeer, type MapRow } from './graph.js';

const w = (namespace: string, name: string, kind = 'Deployment'): MapPeer => ({ type: 'WORKLOAD', namespace, name, kind, ipRange: null });
const ip = (ipRange: string): MapPeer => ({ type: 'IP_RANGE', namespace: null, name: null, kind: null, ipRange });

describe('service map graph', () => {
  const rows: MapRow[] = [
    { from: w('production', 'frontend'), to: w('production', 'backend'), portsText: 'TCP 8080' },
    { from: w('production', 'backend'), to: ip('0.0.0.0-9.255.255.255'), portsText: 'TCP 53,443,UDP 53' },
    { from: w('production', 'backend'), to: ip('10.0.0.0-10.255.255.255'), portsText: 'TCP 53,UDP 53' },
    { from: w('production', 'backend'), to: ip('11.0.0.0-172.15.255.255'), portsText: 'TCP 53,443,UDP 53' },
    { from: w('kube-system', 'coredns'), to: w('monitoring', 'prometheus'), portsText: 'All Connections' },
  ];

  it('groups workloads in namespace parents, one outside node, one edge per node pair with joined ports', () => {
    const graph = workloadGraph(rows, { internetExposed: new Set(['w:kube-system/Deployment/coredns']), unprotected: new Set() });
    expect(graph.nodes.map((n) => [n.id, n.kind, n.parent ?? ''])).toEqual([
      ['ns:kube-system', 'namespace', ''],
      ['ns:monitoring', 'namespace', ''],
      ['ns:production', 'namespace', ''],
      [OUTSIDE_ID, 'outside', ''],
      ['w:kube-system/Deployment/coredns', 'workload', 'ns:kube-system'],
      ['w:monitoring/Deployment/prometheus', 'workload', 'ns:monitoring'],
      ['w:production/Deployment/backend', 'workload', 'ns:production'],
      ['w:production/Deployment/frontend', 'workload', 'ns:production'],
    ]);
    expect(graph.nodes.find((n) => n.label === 'coredns')?.internetExposed).toBe(true);
    expect(graph.edges).toHaveLength(3);
    // The outside edge merges three IP ranges with two port sets: "2 connections", one line per port set on hover.
    const outside = graph.edges.find((e) => e.target === OUTSIDE_ID);
    expect(outside?.label).toBe('2 connections');
    expect(outside?.detail).toBe('TCP 53,443,UDP 53 — 2 IP ranges\nTCP 53,UDP 53 — 1 IP range');
    expect(outside?.groups).toEqual([
      { ports: 'TCP 53,443,UDP 53', ipRanges: ['0.0.0.0-9.255.255.255', '11.0.0.0-172.15.255.255'] },
      { ports: 'TCP 53,UDP 53', ipRanges: ['10.0.0.0-10.255.255.255'] },
    ]);
    // A single port set reads as itself.
    expect(graph.edges.find((e) => e.source === 'w:production/Deployment/frontend')?.label).toBe('TCP 8080');
  });

  it('draws workloads without any allowed connection too', () => {
    const graph = workloadGraph(rows.slice(0, 1), undefined, [{ namespace: 'production', kind: 'Deployment', name: 'redis' }]);
    expect(graph.nodes.map((n) => n.id)).toContain('w:production/Deployment/redis');
    expect(graph.edges).toHaveLength(1);
  });

  it('keeps diff colours, and an edge both added and removed is changed', () => {
    const graph = workloadGraph([
      { from: w('a', 'x'), to: w('a', 'y'), portsText: 'TCP 1', change: 'added' },
      { from: w('a', 'x'), to: ip('1.0.0.0-1.255.255.255'), portsText: 'TCP 2', change: 'added' },
      { from: w('a', 'x'), to: ip('2.0.0.0-2.255.255.255'), portsText: 'TCP 3', change: 'removed' },
    ]);
    expect(graph.edges.map((e) => [e.target, e.change])).toEqual([
      [OUTSIDE_ID, 'changed'],
      ['w:a/Deployment/y', 'added'],
    ]);
  });

  it('aggregates to namespaces with the outside world', () => {
    const graph = namespaceGraph({
      namespaces: [
        { name: 'a', workloads: 3, reachableFromIpRanges: 1, reachingIpRanges: 0 },
        { name: 'b', workloads: 2, reachableFromIpRanges: 0, reachingIpRanges: 2 },
      ],
      cells: [
        { from: 'a', to: 'b', allowedPairs: 4 },
        { from: 'b', to: 'b', allowedPairs: 1 },
      ],
    });
    expect(graph.nodes.map((n) => n.label)).toEqual(['a (3)', 'b (2)', 'Outside the cluster (IP ranges)']);
    expect(graph.edges.map((e) => `${e.source}>${e.target} ${e.label}`)).toEqual([
      'ns:a>ns:b 4 pairs',
      'ns:b>outside 2 reaching',
      'outside>ns:a 1 reachable',
    ]);
    expect(graph.omittedEdges).toBe(0);
  });

  it('keeps only the busiest namespace pairs on a big snapshot', () => {
    const names = ['a', 'b', 'c', 'd'];
    const graph = namespaceGraph(
      {
        namespaces: names.map((name) => ({ name, workloads: 1, reachableFromIpRanges: 0, reachingIpRanges: 0 })),
        cells: [
          { from: 'a', to: 'b', allowedPairs: 1 },
          { from: 'a', to: 'c', allowedPairs: 9 },
          { from: 'b', to: 'd', allowedPairs: 5 },
          { from: 'c', to: 'c', allowedPairs: 50 },
        ],
      },
      2,
    );
    expect(graph.nodes).toHaveLength(4);
    expect(graph.edges.map((e) => e.id)).toEqual(['e:ns:a>ns:c', 'e:ns:b>ns:d']);
    expect(graph.omittedEdges).toBe(1);
  });

  it('counts the pairs the server left out of its selection of the busiest', () => {
    const graph = namespaceGraph({
      namespaces: ['a', 'b', 'c'].map((name) => ({ name, workloads: 1, reachableFromIpRanges: 0, reachingIpRanges: 0 })),
      cells: [{ from: 'a', to: 'c', allowedPairs: 9 }],
      crossNamespaceCells: 3,
    });
    expect(graph.edges.map((e) => e.id)).toEqual(['e:ns:a>ns:c']);
    expect(graph.omittedEdges).toBe(2);
  });

  it('draws only the namespaces on a drawn edge of a big snapshot, and the busiest links to the outside', () => {
    const namespaces = ['a', 'b', 'c', 'd', 'e', 'f'].map((name, i) => ({ name, workloads: 1, reachableFromIpRanges: name === 'f' ? 2 : name === 'e' ? 1 : 0, reachingIpRanges: i < 3 ? i + 1 : 0 }));
    const cells = [
      { from: 'a', to: 'b', allowedPairs: 5 },
      { from: 'b', to: 'c', allowedPairs: 1 },
      { from: 'c', to: 'd', allowedPairs: 3 },
    ];
    // Big (more than 4 namespaces): 2 pairs, 1 outside link each way.
    const big = namespaceGraph({ namespaces, cells }, 2, 4, 1);
    expect(big.edges.map((e) => e.id)).toEqual(['e:ns:a>ns:b', 'e:ns:c>ns:d', 'e:ns:c>outside', 'e:outside>ns:f']);
    expect(big.nodes.map((n) => n.id)).toEqual(['ns:a', 'ns:b', 'ns:c', 'ns:d', 'ns:f', OUTSIDE_ID]);
    expect([big.omittedEdges, big.omittedNodes, big.omittedOutsideEdges]).toEqual([1, 1, 3]);
    // Small: every namespace and every outside link.
    const small = namespaceGraph({ namespaces, cells }, 2, 10, 1);
    expect(small.nodes).toHaveLength(7);
    expect(small.edges.filter((e) => e.source === OUTSIDE_ID || e.target === OUTSIDE_ID)).toHaveLength(5);
    expect([small.omittedNodes, small.omittedOutsideEdges]).toEqual([0, 0]);
  });

  it('finds the reach of a focused node in both directions', () => {
    const graph = workloadGraph(rows);
    const reach = reachOf(graph, 'w:production/Deployment/backend');
    expect(reach.inbound.map((e) => e.source)).toEqual(['w:production/Deployment/frontend']);
    expect(reach.outbound.map((e) => e.target)).toEqual([OUTSIDE_ID]);
  });
});
