import { describe, expect, it } from 'vitest';
import { heatAlpha, workloadMatrix } from './heatmap.js';
import { renderToStaticMarkup } from 'react-dom/server';
import { NamespaceMatrixTable } from './NamespaceMatrixTable.js';

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
  it('show the namespaces the server chose as the busiest, in its order, and say how many there are', () => {
    const matrix = {
      cniProfile: 'np-guard',
      cniProfileNote: null,
      namespaces: ['a', 'b', 'c', 'd'].map((name) => ({ name, workloads: 1, reachableFromIpRanges: 0, reachingIpRanges: 0 })),
      busiestNamespaces: ['c', 'd'],
      cells: [
        { from: 'c', to: 'c', allowedPairs: 7, allPortsPairs: 0, possiblePairs: 1 },
        { from: 'c', to: 'd', allowedPairs: 3, allPortsPairs: 0, possiblePairs: 1 },
      ],
    };
    const html = renderToStaticMarkup(<NamespaceMatrixTable id="s" matrix={matrix} />);
    expect(html).toContain('<th scope="col">c</th><th scope="col">d</th></tr>');
    expect(html).not.toContain('<th scope="col">a</th>');
    expect(html).toContain('The 2 namespaces with the most allowed pairs, of 4');
    expect(html).toContain('>7/1</a>');
    expect(html).toContain('>3/1</a>');
  });
});
