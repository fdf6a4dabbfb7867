// Regression: a policy object is identified by API group + kind. A Calico projectcalico.org/v3 NetworkPolicy
// with a Deny rule was once analysed as a Kubernetes NetworkPolicy ("allowed by …spec.ingress[0]").
import { describe, expect, it } from 'vitest';
import { connectivity, evaluate, loadSnapshot, registeredKind } from '../../src/index.js';

const PODS = `
apiVersion: v1
kind: Pod
metadata: { name: web, namespace: shop, labels: { app: web } }
spec: { containers: [{ name: c, ports: [{ containerPort: 80 }] }] }
status: { podIP: 10.0.0.1 }
---
apiVersion: v1
kind: Pod
metadata: { name: client, namespace: shop, labels: { app: client } }
spec: { containers: [{ name: c }] }
status: { podIP: 10.0.0.2 }
`;

const CALICO_DENY = `
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: { name: deny-web, namespace: shop }
spec:
  selector: app == 'web'
  types: [Ingress]
  ingress:
    - action: Deny
      source: { selector: app == 'client' }
`;

describe('policy identity by API group + kind', () => {
  it('reads a Calico NetworkPolicy as Calico: its Deny rule denies (never a Kubernetes allow)', () => {
    const { snapshot, issues } = loadSnapshot([{ path: 'in.yaml', text: `${PODS}---${CALICO_DENY}` }]);
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(snapshot.policies.map((p) => `${p.dialect} ${p.kind} ${p.fullName}`)).toEqual(['calico NetworkPolicy shop/deny-web']);
    const verdict = evaluate(snapshot, { namespace: 'shop', name: 'client' }, { namespace: 'shop', name: 'web' }, 80);
    expect(verdict.allowed).toBe(false);
    expect(verdict.explanation.ingress.allowedBy).toEqual([]);
    expect(verdict.caveats).toEqual([]);
  });

  it('names a staged Calico policy (not enforced) as a caveat on the verdict', () => {
    const staged = CALICO_DENY.replace('kind: NetworkPolicy', 'kind: StagedNetworkPolicy');
    const { snapshot, issues } = loadSnapshot([{ path: 'in.yaml', text: `${PODS}---${staged}` }]);
    expect(issues.find((i) => i.code === 'NOT_MODELLED')?.message).toMatch(/caveats/);
    expect(snapshot.policies).toEqual([]);
    expect(snapshot.unmodelled.map((p) => `${p.dialect} ${p.kind} ${p.namespace}/${p.name}`)).toEqual(['calico-staged StagedNetworkPolicy shop/deny-web']);
    const verdict = evaluate(snapshot, { namespace: 'shop', name: 'client' }, { namespace: 'shop', name: 'web' }, 80);
    expect(verdict.allowed).toBe(true);
    expect(verdict.caveats.map((c) => `${c.code} ${c.kind} ${c.namespace}/${c.name}`)).toEqual(['UNMODELLED_POLICY StagedNetworkPolicy shop/deny-web']);
    expect(verdict.caveats[0].message).toMatch(/staged, not enforced/);
    expect(verdict.explanation.summary).toMatch(/uncertain: StagedNetworkPolicy shop\/deny-web not modelled/);
  });

  it('gives a verdict without caveats when no unmodelled policy can select either end', () => {
    const other = CALICO_DENY.replace('namespace: shop', 'namespace: elsewhere');
    const { snapshot } = loadSnapshot([{ path: 'in.yaml', text: `${PODS}---${other}` }]);
    const verdict = evaluate(snapshot, { namespace: 'shop', name: 'client' }, { namespace: 'shop', name: 'web' }, 80);
    expect(verdict.caveats).toEqual([]);
    expect(connectivity(snapshot).length).toBeGreaterThan(0);
  });

  it('registers each kind once, by group: the Kubernetes and Calico NetworkPolicy are different kinds', () => {
    expect(registeredKind('networking.k8s.io/v1', 'NetworkPolicy')?.dialect.id).toBe('networking-v1');
    expect(registeredKind('projectcalico.org/v3', 'NetworkPolicy')?.dialect.id).toBe('calico');
    expect(registeredKind('crd.projectcalico.org/v1', 'NetworkPolicy')?.dialect.id).toBe('calico');
    expect(registeredKind('cilium.io/v2', 'CiliumNetworkPolicy')?.dialect.id).toBe('cilium');
    expect(registeredKind('v1', 'NetworkPolicy')).toBeUndefined();
  });
});
