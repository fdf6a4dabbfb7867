import { describe, expect, it } from 'vitest';
import { changeText, pairsAsMapRows, parseCause } from './diff-view.js';

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

  it('leaves out of a change summary the object and field its row already names', () => {
    const subject = 'NetworkPolicy production/backend-ingress';
    expect(changeText(`${subject}: spec.ingress[0].ports changed from 8080 to 8080, 9000`, subject, 'spec.ingress[0].ports')).toBe('changed from 8080 to 8080, 9000');
    expect(changeText(`${subject}: spec.ingress[0].ports changed from 8080 to 8080, 9000`, subject)).toBe('spec.ingress[0].ports changed from 8080 to 8080, 9000');
    expect(changeText(`${subject} removed`, subject)).toBe('removed');
    expect(changeText('AdminNetworkPolicy guard: spec.priority changed from 10 to 20', 'AdminNetworkPolicy guard', 'spec.priority')).toBe('changed from 10 to 20');
    expect(changeText('something else entirely', subject, 'spec')).toBe('something else entirely');
    expect(changeText('NetworkPolicy production/backend-ingress-2 added', subject)).toBe('NetworkPolicy production/backend-ingress-2 added');
  });
});
