// What each rule of a policy does with what it matches: peers and ports per rule path and action (allow, deny, pass),
// an allow rule's ports split by the final verdict, IP ranges merged, the pair bound checked before any work; the
// policy found by kind (and API group) where names collide.
import { describe, expect, it } from 'vitest';
import { analyze } from '../analysis/analyze.js';
import { evaluate } from '../analysis/evaluate.js';
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
      { rule: 'spec.egress[0]', direction: 'egress', action: 'allow', subject: 'demo/b[Deployment]', peer: 'demo/c[Deployment]', ports: '', deniedByOtherSide: 'TCP:[5432]' },
      { rule: 'spec.ingress[0]', direction: 'ingress', action: 'allow', subject: 'demo/b[Deployment]', peer: 'demo/a[Deployment]', ports: 'TCP:[8080]', deniedByOtherSide: '' },
      { rule: 'spec.ingress[1]', direction: 'ingress', action: 'allow', subject: 'demo/b[Deployment]', peer: '10.0.0.0/8', ports: 'TCP, UDP, SCTP', deniedByOtherSide: '' },
    ]);
  });

  it('answers NOT_FOUND for an unknown policy and refuses above the pair bound before explaining', () => {
    const a = analysis();
    expect(policyRuleConnections(a, { namespace: 'demo', name: 'nope' })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
    expect(policyRuleConnections(a, { namespace: 'demo', name: 'b-rules' }, { maxPairs: 3 })).toMatchObject({ ok: false, code: 'TOO_MANY_PAIRS' });
  });

  it('says what Deny and Pass rules do, and claims allowed only what the final verdict allows (tiers, Calico order)', () => {
    const a = tieredAnalysis();
    const rows = (ref: Parameters<typeof policyRuleConnections>[1]) => {
      const result = policyRuleConnections(a, ref);
      if (!result.ok) throw new Error(result.message);
      return result.connections.filter((c) => c.peer === 'a/client[Pod]').map(({ rule, action, subject, ports, deniedByOtherSide }) => ({ rule, action, subject, ports, deniedByOtherSide }));
    };
    // ANP `default`: Pass 8080 (the namespaced tier decides), Deny 5432, for both pods of namespace b.
    expect(rows({ namespace: '', name: 'default', kind: 'AdminNetworkPolicy' })).toEqual([
      { rule: 'spec.ingress[0]', action: 'pass', subject: 'b/other[Pod]', ports: 'TCP:[8080]', deniedByOtherSide: '' },
      { rule: 'spec.ingress[0]', action: 'pass', subject: 'b/server[Pod]', ports: 'TCP:[8080]', deniedByOtherSide: '' },
      { rule: 'spec.ingress[1]', action: 'deny', subject: 'b/other[Pod]', ports: 'TCP:[5432]', deniedByOtherSide: '' },
      { rule: 'spec.ingress[1]', action: 'deny', subject: 'b/server[Pod]', ports: 'TCP:[5432]', deniedByOtherSide: '' },
    ]);
    // BANP `default` (same name, another kind): it decides only for b/other (no namespaced policy selects it): what
    // the ANP passed or left, every port but 5432.
    expect(rows({ namespace: '', name: 'default', kind: 'BaselineAdminNetworkPolicy' })).toEqual([
      { rule: 'spec.ingress[0]', action: 'deny', subject: 'b/other[Pod]', ports: 'TCP:[1-5431,5433-65535], UDP, SCTP, ICMP, ICMPv6', deniedByOtherSide: '' },
    ]);
    // The Kubernetes NetworkPolicy b/web allows 8080 and 9090, but Calico's b/web (order 100, before the Kubernetes
    // policy's 1000) denies 9090 first: the Kubernetes rule for 9090 claims nothing.
    expect(rows({ namespace: 'b', name: 'web', apiVersion: 'networking.k8s.io/v1' })).toEqual([
      { rule: 'spec.ingress[0]', action: 'allow', subject: 'b/server[Pod]', ports: 'TCP:[8080]', deniedByOtherSide: '' },
    ]);
    expect(rows({ namespace: 'b', name: 'web', kind: 'NetworkPolicy', apiVersion: 'projectcalico.org/v3' })).toEqual([
      { rule: 'spec.ingress[0]', action: 'deny', subject: 'b/server[Pod]', ports: 'TCP:[9090]', deniedByOtherSide: '' },
    ]);
    // The rows agree with the verdicts.
    const verdict = (pod: string, port: number) => (evaluate(a.snapshot, { namespace: 'a', pod: 'client' }, { namespace: 'b', pod }, port, 'TCP').allowed ? 'allowed' : 'denied');
    expect([verdict('server', 8080), verdict('server', 9090), verdict('server', 5432), verdict('other', 8080), verdict('other', 80)]).toEqual(['allowed', 'denied', 'denied', 'denied', 'denied']);
  });

  it('an ambiguous name is an error naming the candidates; the kind (and API group) picks one', () => {
    const a = tieredAnalysis();
    const anp = policyRuleConnections(a, { namespace: '', name: 'default' });
    expect(anp).toMatchObject({ ok: false, code: 'AMBIGUOUS' });
    if (!anp.ok) expect(anp.message).toContain('policy.networking.k8s.io/v1alpha1 AdminNetworkPolicy default, policy.networking.k8s.io/v1alpha1 BaselineAdminNetworkPolicy default');
    const web = policyRuleConnections(a, { namespace: 'b', name: 'web', kind: 'NetworkPolicy' });
    expect(web).toMatchObject({ ok: false, code: 'AMBIGUOUS' });
    if (!web.ok) expect(web.message).toContain('networking.k8s.io/v1 NetworkPolicy b/web, projectcalico.org/v3 NetworkPolicy b/web');
    expect(policyRuleConnections(a, { namespace: 'b', name: 'web', kind: 'GlobalNetworkPolicy' })).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });
});

const pod = (ns: string, name: string, ip: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${ns}, labels: {app: ${name}}}\nspec: {containers: [{name: c}]}\nstatus: {podIP: ${ip}}\n`;
const nsSelector = (ns: string) => `{namespaces: {matchLabels: {kubernetes.io/metadata.name: ${ns}}}}`;
const TIERED = [
  `apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n`,
  `apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n`,
  pod('a', 'client', '10.0.0.1'),
  pod('b', 'server', '10.0.0.2'),
  pod('b', 'other', '10.0.0.3'),
  `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: default}\nspec:\n  priority: 10\n  subject: ${nsSelector('b')}\n  ingress:\n  - {name: pass-web, action: Pass, from: [${nsSelector('a')}], ports: [{portNumber: {protocol: TCP, port: 8080}}]}\n  - {name: deny-db, action: Deny, from: [${nsSelector('a')}], ports: [{portNumber: {protocol: TCP, port: 5432}}]}\n`,
  `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: default}\nspec:\n  subject: ${nsSelector('b')}\n  ingress:\n  - {name: deny-a, action: Deny, from: [${nsSelector('a')}]}\n`,
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web, namespace: b}\nspec:\n  podSelector: {matchLabels: {app: server}}\n  ingress:\n  - ports: [{port: 8080}]\n  - ports: [{port: 9090}]\n`,
  `apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: web, namespace: b}\nspec:\n  selector: app == 'server'\n  order: 100\n  types: [Ingress]\n  ingress:\n  - {action: Deny, protocol: TCP, destination: {ports: [9090]}}\n`,
];

function tieredAnalysis() {
  const { snapshot, issues } = loadSnapshot([{ path: 'tiered.yaml', text: TIERED.join('---\n') }]);
  expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
  return analyze(snapshot);
}
