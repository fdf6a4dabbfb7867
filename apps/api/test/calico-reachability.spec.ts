// Calico through the API: an upload with a Tier and GlobalNetworkPolicies (telepathy's
// calico-tier-security-deny-overrides-default-allow) is stored, and GraphQL `reachability` decides with the tiers
// and names the deciding rule (tier, order, action, rule path) in `explanation.*.decision`.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { gql } from './support/graphql.js';
import { CLIENT_SERVER_PODS_YAML, calicoServerIn } from '../../../tools/testing/client-server.js';

const CASE = path.resolve(import.meta.dirname, '../../../../shared/conformance/dialects/telepathy/calico-tier-security-deny-overrides-default-allow/input');

describe('Calico policies through GraphQL reachability', () => {
  let t: TestApp;
  let id: string;

  beforeAll(async () => {
    t = await startApp();
    const body = readdirSync(CASE)
      .sort()
      .map((f) => readFileSync(path.join(CASE, f), 'utf8'))
      .join('\n---\n');
    const res = await t.http.post('/api/v1/clusters/calico-e2e/snapshots').set('Content-Type', 'application/yaml').send(body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    id = (res.body as { id: string }).id;
  });
  afterAll(() => t?.close());

  const ask = (from: string, to: string) =>
    gql(
      t,
      `query($id: ID!, $from: PeerInput!, $to: PeerInput!) { reachability(snapshotId: $id, from: $from, to: $to, port: 8080) {
        allowed caveats { code } explanation { summary ingress { allowed decision { by tier action policy namespace rule order passedBy } } } } }`,
      { id, from: { ref: from }, to: { ref: to } },
    );

  it('a Deny in the security tier wins over the default tier, and the verdict names it', async () => {
    const res = await ask('prod/database', 'prod/frontend');
    expect(res.errors).toBeUndefined();
    const r = res.data!.reachability;
    expect(r.allowed).toBe(false);
    expect(r.caveats).toEqual([]);
    expect(r.explanation.ingress.decision).toEqual({
      by: 'rule',
      tier: 'security',
      action: 'deny',
      policy: 'security-block-database-into-prod',
      namespace: '',
      rule: 'spec.ingress[0]',
      order: null,
      passedBy: null,
    });
    expect(r.explanation.summary).toContain('(Deny, tier security, order unset)');
  });

  it('with no CNI declared the verdict says np-guard evaluated the Calico policies (cniProfileNote); declared, it does not', async () => {
    const profile = `query($id: ID!, $from: PeerInput!, $to: PeerInput!) {
      reachability(snapshotId: $id, from: $from, to: $to, port: 8080) { cniProfile cniProfileNote }
      icmpReachability(snapshotId: $id, from: $from, to: $to) { cniProfile cniProfileNote } }`;
    const peers = { id, from: { ref: 'prod/database' }, to: { ref: 'prod/frontend' } };
    const undeclared = await gql(t, profile, peers);
    expect(undeclared.errors).toBeUndefined();
    const note =
      "no CNI was declared: np-guard's reading (the default) evaluated every modelled policy dialect present (calico), calico included, " +
      "with ipBlocks and nets matching external IPs only; not calico's own semantics (declare the cluster's CNI, e.g. calico, for them)";
    expect(undeclared.data).toEqual({ reachability: { cniProfile: 'np-guard', cniProfileNote: note }, icmpReachability: { cniProfile: 'np-guard', cniProfileNote: note } });
    const set = (cni: string | null) => gql(t, 'mutation($name: String!, $cni: String) { setClusterCni(name: $name, cni: $cni) { cni } }', { name: 'calico-e2e', cni });
    expect((await set('calico')).errors).toBeUndefined();
    try {
      const declared = await gql(t, profile, peers);
      expect(declared.data).toEqual({ reachability: { cniProfile: 'calico', cniProfileNote: null }, icmpReachability: { cniProfile: 'calico', cniProfileNote: null } });
    } finally {
      expect((await set(null)).errors).toBeUndefined();
    }
  });

  it('icmpReachability: ping (echo request) and explicit ICMP types, decided by the same tiers', async () => {
    const ping = (from: string, to: string, extra = '') =>
      gql(t, `query($id: ID!, $from: PeerInput!, $to: PeerInput!) { icmpReachability(snapshotId: $id, from: $from, to: $to${extra}) { allowed explanation { summary } } }`, {
        id,
        from: { ref: from },
        to: { ref: to },
      });
    const denied = await ping('prod/database', 'prod/frontend');
    expect(denied.errors).toBeUndefined();
    expect(denied.data!.icmpReachability.allowed).toBe(false);
    expect(denied.data!.icmpReachability.explanation.summary).toContain('ICMP echo request (type 8)');
    const allowed = await ping('dev/frontend', 'prod/backend', ', icmpType: 3, icmpCode: 1');
    expect(allowed.data!.icmpReachability.allowed).toBe(true);
    expect(allowed.data!.icmpReachability.explanation.summary).toContain('ICMP type 3 code 1');
    const bad = await ping('dev/frontend', 'prod/backend', ', icmpType: 300');
    expect(bad.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('what the security tier passes, the default tier allows by its rule', async () => {
    const res = await ask('dev/frontend', 'prod/backend');
    const r = res.data!.reachability;
    expect(r.allowed).toBe(true);
    expect(r.explanation.ingress.decision).toMatchObject({ by: 'rule', tier: 'default', action: 'allow', policy: 'default-allow-prod-from-dev', rule: 'spec.ingress[0]' });
  });

  it('connectivity texts name ICMP allowed next to TCP 80 (GraphQL portsText and the REST connlist)', async () => {
    const policy = calicoServerIn(`    - action: Allow
      protocol: TCP
      source: { selector: app == 'client' }
      destination: { ports: [80] }
    - action: Allow
      protocol: ICMP
      source: { selector: app == 'client' }
`);
    const upload = await t.http
      .post('/api/v1/clusters/calico-icmp/snapshots')
      .set('Content-Type', 'application/yaml')
      .send([CLIENT_SERVER_PODS_YAML, policy].join('---\n'));
    expect(upload.status, JSON.stringify(upload.body)).toBe(201);
    const snapshotId = (upload.body as { id: string }).id;
    const res = await gql(
      t,
      `query($id: ID!) { connectivity(snapshotId: $id, first: 100) { edges { node { from { name ipRange } to { name ipRange } portsText } } } }`,
      { id: snapshotId },
    );
    expect(res.errors).toBeUndefined();
    const rows = (res.data!.connectivity.edges as { node: { from: { name: string | null }; to: { name: string | null }; portsText: string } }[]).map((e) => e.node);
    expect(rows.find((r) => r.from.name === 'client' && r.to.name === 'server')?.portsText).toBe('ICMP,TCP 80');
    const txt = await t.http.get(`/api/v1/snapshots/${snapshotId}/connectivity?format=txt`);
    expect(txt.status).toBe(200);
    expect(txt.text).toContain('a/client[Pod] => a/server[Pod] : ICMP,TCP 80\n');
  });

  it('allowedBy and denials name the ICMP a Calico rule allows (icmp), as `netpol eval --explain` does', async () => {
    const policy = calicoServerIn(`    - { action: Allow, protocol: TCP, source: { selector: app == 'client' }, destination: { ports: [80] } }
    - { action: Allow, protocol: ICMP, source: { selector: app == 'client' }, icmp: { type: 8 } }
`);
    const upload = await t.http
      .post('/api/v1/clusters/calico-icmp-rules/snapshots')
      .set('Content-Type', 'application/yaml')
      .send([CLIENT_SERVER_PODS_YAML, policy].join('---\n'));
    expect(upload.status, JSON.stringify(upload.body)).toBe(201);
    const snapshotId = (upload.body as { id: string }).id;
    const peers = { id: snapshotId, from: { ref: 'a/client' }, to: { ref: 'a/server' } };
    const side = 'ingress { allowed allowedBy { policy rule ports { protocol from to } icmp } denials { policy rule reason icmp } }';
    const ping = await gql(t, `query($id: ID!, $from: PeerInput!, $to: PeerInput!) { icmpReachability(snapshotId: $id, from: $from, to: $to) { allowed explanation { ${side} } } }`, peers);
    expect(ping.errors).toBeUndefined();
    expect(ping.data!.icmpReachability.explanation.ingress).toEqual({
      allowed: true,
      allowedBy: [{ policy: 'server-in', rule: 'spec.ingress[1]', ports: [], icmp: 'ICMP type 8' }],
      denials: [],
    });
    const tcp = await gql(t, `query($id: ID!, $from: PeerInput!, $to: PeerInput!) { reachability(snapshotId: $id, from: $from, to: $to, port: 80) { allowed explanation { ${side} } } }`, peers);
    expect(tcp.errors).toBeUndefined();
    expect(tcp.data!.reachability.explanation.ingress.allowedBy).toEqual([{ policy: 'server-in', rule: 'spec.ingress[0]', ports: [{ protocol: 'TCP', from: 80, to: 80 }], icmp: null }]);
    // A port neither rule lists: each rule's denial names what it does allow, the ICMP rule its ICMP.
    const other = await gql(t, `query($id: ID!, $from: PeerInput!, $to: PeerInput!) { reachability(snapshotId: $id, from: $from, to: $to, port: 8080) { allowed explanation { ${side} } } }`, peers);
    expect(other.errors).toBeUndefined();
    expect(other.data!.reachability.explanation.ingress.denials).toEqual([
      { policy: 'server-in', rule: 'spec.ingress[0]', reason: 'port-not-listed', icmp: null },
      { policy: 'server-in', rule: 'spec.ingress[1]', reason: 'port-not-listed', icmp: 'ICMP type 8' },
    ]);
  });

  it('exposure summary names ICMP allowed from the internet and the whole cluster next to TCP 80 (GraphQL exposure)', async () => {
    const policy = calicoServerIn(`    - { action: Allow, protocol: TCP, source: { nets: [0.0.0.0/0] }, destination: { ports: [80] } }
    - { action: Allow, protocol: ICMP, source: { nets: [0.0.0.0/0] } }
    - { action: Allow, protocol: TCP, source: { namespaceSelector: all(), selector: all() }, destination: { ports: [80] } }
    - { action: Allow, protocol: ICMP, source: { namespaceSelector: all(), selector: all() }, icmp: { type: 8 } }
`);
    const upload = await t.http
      .post('/api/v1/clusters/calico-icmp-exposure/snapshots')
      .set('Content-Type', 'application/yaml')
      .send([CLIENT_SERVER_PODS_YAML, policy].join('---\n'));
    expect(upload.status, JSON.stringify(upload.body)).toBe(201);
    const snapshotId = (upload.body as { id: string }).id;
    const res = await gql(
      t,
      `query($id: ID!) { exposure(snapshotId: $id) { internetExposed { workload { name } portsText } clusterWideExposed { workload { name } portsText } } }`,
      { id: snapshotId },
    );
    expect(res.errors).toBeUndefined();
    type Row = { workload: { name: string }; portsText: string };
    const exposure = res.data!.exposure as { internetExposed: Row[]; clusterWideExposed: Row[] };
    expect(exposure.internetExposed.find((r) => r.workload.name === 'server')?.portsText).toBe('ICMP,TCP 80');
    expect(exposure.clusterWideExposed.find((r) => r.workload.name === 'server')?.portsText).toBe('ICMP type 8,TCP 80');
  });
});
