// The connections each rule of a policy allows: peers and ports per rule path, the other side's denials apart,
// IP ranges merged, the pair bound checked before any work.
import { describe, expect, it } from 'vitest';
import { analyze } from '../analysis/analyze.js';
import { loadSnapshot } from '../model/load.js';
import { policyRuleConnections } from './rule-connections.js';

const NS = `apiVersion: v1
kind: Namespace
metadata:
  name: demo
`;

function deployment(name: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: demo
spec:
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: c
        image: x
`;
}

const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: b-rules
  namespace: demo
spec:
  podSelector:
    matchLabels:
      app: b
  policyTypes: [Ingress, Egress]
  ingress:
  - from:
    - podSelector:
        matchLabels:
          app: a
    ports:
    - port: 8080
  - from:
    - ipBlock:
        cidr: 10.0.0.0/8
  egress:
  - to:
    - podSelector:
        matchLabels:
          app: c
    ports:
    - port: 5432
`;

// c isolates its ingress and admits nothing: b's egress rule is dead.
const DENY_C = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: c-deny
  namespace: demo
spec:
  podSelector:
    matchLabels:
      app: c
  policyTypes: [Ingress]
`;

function analysis() {
  const text = [NS, deployment('a'), deployment('b'), deployment('c'), POLICY, DENY_C].join('---\n');
  const { snapshot, issues } = loadSnapshot([{ path: 'cluster.yaml', text }]);
  expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
  return analyze(snapshot);
}

describe('policyRuleConnections', () => {
  it('lists per rule the selected workload, the peers and the ports, the IP rule as one merged CIDR', () => {
    const result = policyRuleConnections(analysis(), { namespace: 'demo', name: 'b-rules' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.connections).toEqual([
      { rule: 'spec.egress[0]', direction: 'egress', subject: 'demo/b[Deployment]', peer: 'demo/c[Deployment]', ports: '', deniedByOtherSide: 'TCP:[5432]' },
      { rule: 'spec.ingress[0]', direction: 'ingress', subject: 'demo/b[Deployment]', peer: 'demo/a[Deployment]', ports: 'TCP:[8080]', deniedByOtherSide: '' },
      { rule: 'spec.ingress[1]', direction: 'ingress', subject: 'demo/b[Deployment]', peer: '10.0.0.0/8', ports: 'TCP, UDP, SCTP', deniedByOtherSide: '' },
    ]);
  });

  it('answers NOT_FOUND for an unknown policy and refuses above the pair bound before explaining', () => {
    const a = analysis();
    expect(policyRuleConnections(a, { namespace: 'demo', name: 'nope' })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(policyRuleConnections(a, { namespace: 'demo', name: 'b-rules' }, { maxPairs: 3 })).toMatchObject({ ok: false, code: 'TOO_MANY_PAIRS' });
  });
});
