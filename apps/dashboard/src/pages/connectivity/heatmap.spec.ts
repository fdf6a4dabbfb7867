import { describe, expect, it } from 'vitest';
import { heatAlpha, workloadMatrix } from './heatmap.js';
import { busiestNamespaces } from './NamespaceMatrixTable.js';

const w = (namespace: string, name: string) => ({ type: 'WORKLOAD' as const, namespace, name, kind: 'Deployment', ipRange: null });

describe('connectivity heatmap', () => {
  it('shades by share, clamped to [0, 1]', () => {
    expect(heatAlpha(0)).toBe(0.08);
    expect(heatAlpha(0.5)).toBe(0.33);
    expect(heatAlpha(1)).toBe(0.58);
    expect(heatAlpha(7)).toBe(0.58);
    expect(heatAlpha(-1)).toBe(0.08);
  });

  it('builds the drill-down workload matrix, leaving IP ranges out', () => {
    const matrix = workloadMatrix([
      { from: w('p', 'frontend'), to: w('p', 'backend'), portsText: 'TCP 8080' },
      { from: w('p', 'backend'), to: w('p', 'database'), portsText: 'TCP 5432' },
      { from: w('p', 'backend'), to: { type: 'IP_RANGE', namespace: null, name: null, kind: null, ipRange: '0.0.0.0-9.255.255.255' }, portsText: 'TCP 443' },
    ]);
    expect(matrix.sources).toEqual(['backend', 'frontend']);
    expect(matrix.targets).toEqual(['backend', 'database']);
    expect(matrix.cells.get('frontend\u0000backend')).toBe('TCP 8080');
    expect(matrix.cells.get('frontend\u0000database')).toBeUndefined();
  });

});

describe('big heatmaps', () => {
  it('keep the namespaces with the most allowed pairs, in name order', () => {
    const matrix = {
      cniProfile: 'np-guard',
      cniProfileNote: null,
      namespaces: ['a', 'b', 'c', 'd'].map((name) => ({ name, workloads: 1, reachableFromIpRanges: 0, reachingIpRanges: 0 })),
      cells: [
        { from: 'a', to: 'd', allowedPairs: 1, allPortsPairs: 0, possiblePairs: 1 },
        { from: 'c', to: 'c', allowedPairs: 7, allPortsPairs: 0, possiblePairs: 1 },
        { from: 'b', to: 'd', allowedPairs: 3, allPortsPairs: 0, possiblePairs: 1 },
      ],
    };
    expect(busiestNamespaces(matrix, 2)).toEqual(['c', 'd']);
    expect(busiestNamespaces(matrix, 10)).toEqual(['a', 'b', 'c', 'd']);
  });
});
