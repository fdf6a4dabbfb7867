import { describe, expect, it } from 'vitest';
import { pairsAsMapRows, parseCause } from './diff-view.js';

describe('diff view helpers', () => {
  it('reads a cause id back into the object and its rule', () => {
    expect(parseCause('NetworkPolicy/shop/api-ingress#spec.ingress[0].ports')).toEqual({
      kind: 'NetworkPolicy',
      namespace: 'shop',
      name: 'api-ingress',
      path: 'spec.ingress[0].ports',
      rule: 'spec.ingress[0]',
    });
    expect(parseCause('Namespace/ops#metadata.labels.team')).toEqual({ kind: 'Namespace', namespace: '', name: 'ops', path: 'metadata.labels.team', rule: '' });
    expect(parseCause('NetworkPolicy/shop/deny')).toMatchObject({ name: 'deny', path: '', rule: '' });
    expect(parseCause('garbage')).toBeUndefined();
  });

  it('turns diff pairs into coloured map rows', () => {
    const w = (name: string) => ({ type: 'WORKLOAD' as const, namespace: 'a', kind: 'Deployment', name, ipRange: null });
    const rows = pairsAsMapRows([
      { type: 'ADDED', from: w('x'), to: w('y'), oldText: 'No Connections', newText: 'TCP 80' },
      { type: 'REMOVED', from: w('y'), to: w('x'), oldText: 'TCP 5432', newText: 'No Connections' },
      { type: 'CHANGED', from: w('x'), to: w('z'), oldText: 'TCP 80', newText: 'TCP 80,443' },
    ]);
    expect(rows.map((r) => [r.change, r.portsText])).toEqual([
      ['added', '+ TCP 80'],
      ['removed', '− TCP 5432'],
      ['changed', 'TCP 80 → TCP 80,443'],
    ]);
  });
});
