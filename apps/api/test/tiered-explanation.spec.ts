// Issue 11, API side: `SideExplanation.steps`, the tiered decision of the asked port per side (AdminNetworkPolicy
// pass/deny, NetworkPolicy, BaselineAdminNetworkPolicy, the system default), over real HTTP on an uploaded snapshot.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { gql } from './support/graphql.js';

const FIXTURE = readFileSync(new URL('./fixtures/tiered-explanation.yaml', import.meta.url), 'utf8');
const STEP_FIELDS = 'tier kind apiVersion namespace name priority rule ruleName action text';
const QUERY = `query($id: ID!, $from: PeerInput!, $to: PeerInput!, $port: Port!) {
  reachability(snapshotId: $id, from: $from, to: $to, port: $port) {
    allowed
    explanation {
      egress { allowed checked steps { ${STEP_FIELDS} } }
      ingress { allowed checked steps { ${STEP_FIELDS} } }
    }
  }
}`;
const DEFAULT_STEP = { tier: 'system-default', kind: null, apiVersion: null, namespace: null, name: null, priority: null, rule: null, ruleName: null, action: 'DEFAULT_ALLOW', text: 'the system default (Allow all)' };

describe('GraphQL reachability: tiered decision steps', () => {
  let t: TestApp;
  let id: string;

  beforeAll(async () => {
    t = await startApp();
    const res = await t.http.post('/api/v1/clusters/tiers/snapshots').set('Content-Type', 'application/yaml').send(FIXTURE);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    id = (res.body as { id: string }).id;
  });
  afterAll(() => t?.close());

  const ask = async (to: string, port: number | string) => {
    const res = await gql(t, QUERY, { id, from: { ref: 'a/client' }, to: { ref: to }, port });
    expect(res.errors).toBeUndefined();
    return res.data!.reachability as {
      allowed: boolean;
      explanation: Record<'egress' | 'ingress', { allowed: boolean; checked: boolean; steps: Record<string, unknown>[] }>;
    };
  };

  it('a port the admin tier passes and a NetworkPolicy allows: PASS then ALLOW, in eval --explain words', async () => {
    const verdict = await ask('b/web', 8080);
    expect(verdict.allowed).toBe(true);
    expect(verdict.explanation.egress.steps).toEqual([DEFAULT_STEP]);
    expect(verdict.explanation.ingress.steps).toEqual([
      {
        tier: 'admin', kind: 'AdminNetworkPolicy', apiVersion: 'policy.networking.k8s.io/v1alpha1', namespace: null, name: 'admin', priority: 10, rule: 'spec.ingress[0]', ruleName: 'pass-web', action: 'PASS',
        text: "AdminNetworkPolicy 'admin' (priority 10) passes connections by spec.ingress[0] (pass-web)",
      },
      {
        tier: 'namespaced', kind: 'NetworkPolicy', apiVersion: 'networking.k8s.io/v1', namespace: 'b', name: 'web-from-a', priority: null, rule: 'spec.ingress[0]', ruleName: null, action: 'ALLOW',
        text: "NetworkPolicy 'b/web-from-a' allows connections by spec.ingress[0]",
      },
    ]);
  });

  it('a port the admin tier denies: one DENY step, and the side denies', async () => {
    const verdict = await ask('b/web', 'db');
    expect(verdict.allowed).toBe(false);
    expect(verdict.explanation.ingress.allowed).toBe(false);
    expect(verdict.explanation.ingress.steps).toEqual([
      {
        tier: 'admin', kind: 'AdminNetworkPolicy', apiVersion: 'policy.networking.k8s.io/v1alpha1', namespace: null, name: 'admin', priority: 10, rule: 'spec.ingress[1]', ruleName: 'deny-db', action: 'DENY',
        text: "AdminNetworkPolicy 'admin' (priority 10) denies connections by spec.ingress[1] (deny-db)",
      },
    ]);
  });

  it('NetworkPolicy isolation without a matching rule is ISOLATE; a pass where no NetworkPolicy isolates reaches the baseline', async () => {
    const isolated = await ask('b/web', 9090);
    expect(isolated.explanation.ingress.steps.map((s) => [s.tier, s.name, s.rule, s.action])).toEqual([['namespaced', 'web-from-a', 'spec.ingress[0]', 'ISOLATE']]);
    const baseline = await ask('c/cache', 8080);
    expect(baseline.allowed).toBe(false);
    expect(baseline.explanation.ingress.steps.map((s) => [s.tier, s.kind, s.name, s.priority, s.ruleName, s.action])).toEqual([
      ['admin', 'AdminNetworkPolicy', 'admin', 10, 'pass-web', 'PASS'],
      ['baseline', 'BaselineAdminNetworkPolicy', 'default', null, 'deny-a', 'DENY'],
    ]);
  });

  it('icmpReachability has the steps too: a ping no admin rule matches, isolated by the NetworkPolicy', async () => {
    const res = await gql(
      t,
      `query($id: ID!) { icmpReachability(snapshotId: $id, from: { ref: "a/client" }, to: { ref: "b/web" }) {
        allowed explanation { ingress { steps { tier name rule action } } } } }`,
      { id },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.icmpReachability).toEqual({
      allowed: false,
      explanation: { ingress: { steps: [{ tier: 'namespaced', name: 'web-from-a', rule: 'spec.ingress[0]', action: 'ISOLATE' }] } },
    });
  });

  it('a Calico and a Kubernetes NetworkPolicy of one namespace and name: the apiVersion (and the text) tell the steps apart', async () => {
    const pod = (name: string, ip: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: b, labels: {app: ${name}}}\nspec: {containers: [{name: c}]}\nstatus: {podIP: ${ip}}\n`;
    const manifests = [
      'apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n',
      pod('client', '10.0.0.1'),
      pod('server', '10.0.0.2'),
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web, namespace: b}\nspec:\n  podSelector: {matchLabels: {app: server}}\n  ingress:\n  - ports: [{port: 8080}, {port: 9090}]\n',
      "apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: web, namespace: b}\nspec:\n  selector: app == 'server'\n  order: 100\n  types: [Ingress]\n  ingress:\n  - {action: Deny, protocol: TCP, destination: {ports: [9090]}}\n",
    ].join('---\n');
    const upload = await t.http.post('/api/v1/clusters/same-name/snapshots').set('Content-Type', 'application/yaml').send(manifests);
    expect(upload.status, JSON.stringify(upload.body)).toBe(201);
    const stepsAt = async (port: number) => {
      const res = await gql(t, QUERY, { id: (upload.body as { id: string }).id, from: { ref: 'b/client' }, to: { ref: 'b/server' }, port });
      expect(res.errors).toBeUndefined();
      const steps = (res.data!.reachability as { explanation: { ingress: { steps: Record<string, unknown>[] } } }).explanation.ingress.steps;
      return steps.map((s) => [s.kind, s.apiVersion, s.namespace, s.name, s.action, s.text]);
    };
    expect(await stepsAt(9090)).toEqual([['NetworkPolicy', 'projectcalico.org/v3', 'b', 'web', 'DENY', "NetworkPolicy.projectcalico.org 'b/web' denies connections by spec.ingress[0]"]]);
    expect(await stepsAt(8080)).toEqual([['NetworkPolicy', 'networking.k8s.io/v1', 'b', 'web', 'ALLOW', "NetworkPolicy 'b/web' allows connections by spec.ingress[0]"]]);
  });

  it('an IP end is not checked and has no steps', async () => {
    const verdict = await ask('203.0.113.9', 443);
    expect(verdict.explanation.ingress).toEqual({ allowed: true, checked: false, steps: [] });
  });
});
