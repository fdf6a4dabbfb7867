// Issue 11, API side: `SideExplanation.steps`, the tiered decision of the asked port per side (AdminNetworkPolicy
// pass/deny, NetworkPolicy, BaselineAdminNetworkPolicy, the system default), over real HTTP on an uploaded snapshot.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { gql } from './support/graphql.js';

const FIXTURE = readFileSync(new URL('./fixtures/tiered-explanation.yaml', import.meta.url), 'utf8');
const STEP_FIELDS = 'tier kind namespace name priority rule ruleName action text';
const QUERY = `query($id: ID!, $from: PeerInput!, $to: PeerInput!, $port: Port!) {
  reachability(snapshotId: $id, from: $from, to: $to, port: $port) {
    allowed
    explanation {
      egress { allowed checked steps { ${STEP_FIELDS} } }
      ingress { allowed checked steps { ${STEP_FIELDS} } }
    }
  }
}`;
const DEFAULT_STEP = { tier: 'system-default', kind: null, namespace: null, name: null, priority: null, rule: null, ruleName: null, action: 'DEFAULT_ALLOW', text: 'the system default (Allow all)' };

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
        tier: 'admin', kind: 'AdminNetworkPolicy', namespace: null, name: 'admin', priority: 10, rule: 'spec.ingress[0]', ruleName: 'pass-web', action: 'PASS',
        text: "AdminNetworkPolicy 'admin' (priority 10) passes connections by spec.ingress[0] (pass-web)",
      },
      {
        tier: 'namespaced', kind: 'NetworkPolicy', namespace: 'b', name: 'web-from-a', priority: null, rule: 'spec.ingress[0]', ruleName: null, action: 'ALLOW',
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
        tier: 'admin', kind: 'AdminNetworkPolicy', namespace: null, name: 'admin', priority: 10, rule: 'spec.ingress[1]', ruleName: 'deny-db', action: 'DENY',
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

  it('an IP end is not checked and has no steps', async () => {
    const verdict = await ask('203.0.113.9', 443);
    expect(verdict.explanation.ingress).toEqual({ allowed: true, checked: false, steps: [] });
  });
});
