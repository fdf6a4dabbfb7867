import { describe, expect, it } from 'vitest';
import { lintEvidence } from './evidence-view.js';

describe('lintEvidence', () => {
  it('reads a warning row: the real severity, the rule, the object and its place in the snapshot counted from 1', () => {
    expect(
      lintEvidence({
        kind: 'finding',
        status: 'info',
        subject: 'Namespace ingress-nginx [16]',
        detail: '[namespace-without-default-deny-egress] namespace ingress-nginx has no default-deny egress policy. Fix: Add one.',
      }),
    ).toEqual({
      severity: 'warning',
      rule: 'namespace-without-default-deny-egress',
      text: 'namespace ingress-nginx has no default-deny egress policy. Fix: Add one.',
      kind: 'Namespace',
      namespace: '',
      name: 'ingress-nginx',
      objectNumber: 17,
      fieldPath: '',
    });
  });

  it('reads an error row with a field path, and leaves other rows alone', () => {
    expect(lintEvidence({ kind: 'finding', status: 'fail', subject: 'NetworkPolicy prod/web [3].spec.ingress[0].from[1]', detail: '[empty-peer] x. Fix: y' })).toMatchObject({
      severity: 'error',
      kind: 'NetworkPolicy',
      namespace: 'prod',
      name: 'web',
      objectNumber: 4,
      fieldPath: 'spec.ingress[0].from[1]',
    });
    expect(lintEvidence({ kind: 'connection', status: 'pass', subject: 'a/b[Deployment]', detail: 'intended' })).toBeUndefined();
    // An expired exception is a finding too, but not a lint one.
    expect(lintEvidence({ kind: 'finding', status: 'fail', subject: 'exceptions[0]', detail: 'exception a -> b expired' })).toBeUndefined();
  });
});
