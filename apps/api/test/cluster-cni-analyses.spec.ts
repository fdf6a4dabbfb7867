// Issue 12: every analysis of a stored snapshot runs under its cluster's CNI profile and names it, against the real
// app (Postgres, GraphQL, REST). The content is cilium-cli's echo-ingress-knp case: a NetworkPolicy over Cilium's
// derived labels lets client2 reach echo-same-node only under the cilium profile, so each answer below could be
// stale or wrong if a profile change served a cached analysis. Also: the collector's detected CNI on REST ingest
// (`?cni=`), which never overrides a user's choice, and both changes audited.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { rowCounts } from './support/database.js';
import { gql } from './support/graphql.js';

const DIALECTS = process.env.NETPOL_DIALECTS_DIR ?? path.resolve(import.meta.dirname, '../../../../shared/conformance/dialects');
const caseInput = (name: string) => {
  const dir = path.join(DIALECTS, 'cilium-cli', name, 'input');
  return readdirSync(dir).sort().map((f) => readFileSync(path.join(dir, f), 'utf8')).join('\n---\n');
};
const KNP = caseInput('echo-ingress-knp');
/** The pair only the cilium profile allows, as np-guard's text format names it. */
const PAIR = /cilium-test\/client2\[Pod\] => cilium-test\/echo-same-node\[Pod\]/;

const ANALYSES = `query($id: ID!) {
  connectivity(snapshotId: $id, first: 100) { cniProfile totalCount }
  namespaceMatrix(snapshotId: $id) { cniProfile cells { allowedPairs } }
  exposure(snapshotId: $id) { cniProfile unprotected { workload { name } } selectorExposed { peer } }
  lint(snapshotId: $id) { cniProfile }
  snapshot(id: $id) { cniProfile policies(first: 10) { edges { node { name ruleConnections { subject peer ports } } } } }
}`;

describe('every analysis uses and names the cluster CNI profile', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t?.close());

  const upload = async (cluster: string, body: string, query = '') => {
    const res = await t.http.post(`/api/v1/clusters/${cluster}/snapshots${query}`).set('Content-Type', 'application/yaml').send(body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  const setCni = async (name: string, cni: string | null) => {
    const res = await gql(t, 'mutation($name: String!, $cni: String) { setClusterCni(name: $name, cni: $cni) { cni cniSource } }', { name, cni });
    expect(res.errors).toBeUndefined();
    return res.data!.setClusterCni;
  };
  const analyses = async (id: string) => {
    const res = await gql(t, ANALYSES, { id });
    expect(res.errors).toBeUndefined();
    return res.data! as any;
  };
  const restConnectivity = async (id: string) => {
    const res = await t.http.get(`/api/v1/snapshots/${id}/connectivity?format=txt`).buffer(true);
    expect(res.status).toBe(200);
    return { profile: res.headers['x-netpol-cni-profile'], text: res.text };
  };
  const cniAudit = async () => {
    const res = await t.http.get('/api/v1/audit');
    expect(res.status).toBe(200);
    return (res.body.entries as { entry: string }[])
      .map((e) => JSON.parse(e.entry) as { action: string; target: string; details: Record<string, unknown> })
      .filter((e) => e.action === 'cluster.cni');
  };
  const clusterCni = async (name: string) => (await gql(t, 'query($n: String!) { cluster(name: $n) { cni cniSource } }', { n: name })).data!.cluster;

  it('connectivity, matrix, exposure, lint, rule connections and REST follow a profile change at once', async () => {
    const id = await upload('knp', KNP);
    const before = await analyses(id);
    expect([before.connectivity.cniProfile, before.namespaceMatrix.cniProfile, before.exposure.cniProfile, before.lint.cniProfile]).toEqual([
      'np-guard',
      'np-guard',
      'np-guard',
      'np-guard',
    ]);
    const restBefore = await restConnectivity(id);
    expect(restBefore.profile).toBe('np-guard');
    expect(restBefore.text).not.toMatch(PAIR);

    expect(await setCni('knp', 'cilium')).toEqual({ cni: 'cilium', cniSource: 'user' });
    const cilium = await analyses(id);
    expect([cilium.connectivity.cniProfile, cilium.namespaceMatrix.cniProfile, cilium.exposure.cniProfile, cilium.lint.cniProfile]).toEqual([
      'cilium',
      'cilium',
      'cilium',
      'cilium',
    ]);
    expect(cilium.connectivity.totalCount).not.toBe(before.connectivity.totalCount);
    expect([before.snapshot.cniProfile, cilium.snapshot.cniProfile]).toEqual(['np-guard', 'cilium']);
    expect(cilium.snapshot.policies).not.toEqual(before.snapshot.policies);
    const restCilium = await restConnectivity(id);
    expect(restCilium.profile).toBe('cilium');
    expect(restCilium.text).toMatch(PAIR);
    const lintRest = await t.http.get(`/api/v1/snapshots/${id}/lint?format=json`);
    expect(lintRest.headers['x-netpol-cni-profile']).toBe('cilium');

    // flannel enforces nothing: every workload pair is allowed.
    await setCni('knp', 'flannel');
    const flannel = await analyses(id);
    expect(flannel.connectivity.cniProfile).toBe('flannel');
    expect(flannel.connectivity.totalCount).toBeGreaterThan(cilium.connectivity.totalCount);

    // Back to unknown: the first answers again, from the cache of that key, not the last profile's.
    await setCni('knp', null);
    expect(await analyses(id)).toEqual(before);
    expect((await restConnectivity(id)).text).toBe(restBefore.text);

    const audited = (await cniAudit()).filter((e) => e.target === 'knp').map((e) => e.details.cni);
    expect(audited).toEqual(['cilium', 'flannel', null]);
  });

  it('whoCanReachPeers and reachableFromPeers name their profile (an empty answer too); the plain lists stay as they were', async () => {
    const id = await upload('peers', KNP);
    const PEERS = `query($id: ID!, $to: PeerInput!, $from: PeerInput!, $lonely: PeerInput!) {
      who: whoCanReachPeers(snapshotId: $id, to: $to, port: 8080) { cniProfile peers { peer { namespace name ipRange } portsText } }
      from: reachableFromPeers(snapshotId: $id, from: $from) { cniProfile peers { peer { namespace name ipRange } portsText } }
      none: whoCanReachPeers(snapshotId: $id, to: $lonely, port: 1) { cniProfile peers { portsText } }
      plainWho: whoCanReach(snapshotId: $id, to: $to, port: 8080) { peer { namespace name ipRange } portsText }
      plainFrom: reachableFrom(snapshotId: $id, from: $from) { peer { namespace name ipRange } portsText }
    }`;
    const ask = async () => {
      const res = await gql(t, PEERS, { id, to: { ref: 'cilium-test/echo-same-node' }, from: { ref: 'cilium-test/client2' }, lonely: { ref: 'cilium-test/echo-same-node' } });
      expect(res.errors).toBeUndefined();
      return res.data! as any;
    };
    const names = (peers: { peer: { name: string | null } }[]) => peers.map((p) => p.peer.name);
    const npGuard = await ask();
    expect([npGuard.who.cniProfile, npGuard.from.cniProfile, npGuard.none.cniProfile]).toEqual(['np-guard', 'np-guard', 'np-guard']);
    expect(names(npGuard.who.peers)).not.toContain('client2');
    expect(names(npGuard.from.peers)).not.toContain('echo-same-node');
    expect(npGuard.none.peers).toEqual([]);
    expect(npGuard.who.peers).toEqual(npGuard.plainWho);
    expect(npGuard.from.peers).toEqual(npGuard.plainFrom);

    await setCni('peers', 'cilium');
    const cilium = await ask();
    expect([cilium.who.cniProfile, cilium.from.cniProfile, cilium.none.cniProfile]).toEqual(['cilium', 'cilium', 'cilium']);
    // Only the cilium profile gives client2 the derived cluster label the policy asks for.
    expect(names(cilium.who.peers)).toContain('client2');
    expect(names(cilium.from.peers)).toContain('echo-same-node');
    expect(cilium.who.peers).toEqual(cilium.plainWho);
    expect(cilium.from.peers).toEqual(cilium.plainFrom);
  });

  it('inventory, diff, what-if and compliance reports name the profile of each side', async () => {
    const plain = await upload('diff-plain', KNP);
    const onCilium = await upload('diff-cilium', KNP);
    await setCni('diff-cilium', 'cilium');

    const inventory = await gql(t, '{ inventory(first: 50) { edges { node { cluster { name } latest { analysis { cniProfile internetExposedWorkloads } } } } } }');
    expect(inventory.errors).toBeUndefined();
    const profileOf = (name: string) => inventory.data!.inventory.edges.find((e: any) => e.node.cluster.name === name).node.latest.analysis.cniProfile;
    expect([profileOf('diff-plain'), profileOf('diff-cilium')]).toEqual(['np-guard', 'cilium']);

    // Same content, two profiles: the diff is the profile's doing.
    const diff = await gql(t, 'query($a: ID!, $b: ID!) { diff(from: $a, to: $b) { fromCniProfile toCniProfile counts { added } } }', { a: plain, b: onCilium });
    expect(diff.errors).toBeUndefined();
    expect(diff.data!.diff.fromCniProfile).toBe('np-guard');
    expect(diff.data!.diff.toCniProfile).toBe('cilium');
    expect(diff.data!.diff.counts.added).toBeGreaterThan(0);
    const rest = await t.http.get(`/api/v1/diff?from=${plain}&to=${onCilium}&format=txt`).buffer(true);
    expect(rest.status).toBe(200);
    expect(rest.headers['x-netpol-cni-profiles']).toBe('np-guard cilium');
    expect(rest.text).toMatch(/client2/);

    const whatIf = await gql(t, 'query($id: ID!) { whatIf(snapshotId: $id, manifests: "") { fromCniProfile toCniProfile counts { added removed } } }', { id: onCilium });
    expect(whatIf.errors).toBeUndefined();
    expect(whatIf.data!.whatIf).toEqual({ fromCniProfile: 'cilium', toCniProfile: 'cilium', counts: { added: 0, removed: 0 } });

    const report = await gql(t, 'mutation($id: ID!) { generateReport(snapshotId: $id, framework: "cis") { id cniProfile evidenceUrl } }', { id: onCilium });
    expect(report.errors).toBeUndefined();
    expect(report.data!.generateReport.cniProfile).toBe('cilium');
    // The report keeps the profile it was generated under (signed), whatever the cluster says later; its evidence
    // pack is rebuilt under that same profile.
    await setCni('diff-cilium', 'calico');
    const stored = await gql(t, 'query($id: ID!) { report(id: $id) { cniProfile } }', { id: report.data!.generateReport.id });
    expect(stored.data!.report.cniProfile).toBe('cilium');
    const pack = await t.http.get(report.data!.generateReport.evidenceUrl).buffer(true);
    expect(pack.status).toBe(200);
    // Without a chosen CNI the report records none (as `netpol report` on the same content) and names the one its
    // content implies.
    const plainReport = await gql(t, 'mutation($id: ID!) { generateReport(snapshotId: $id, framework: "cis") { cniProfile } }', { id: plain });
    expect(plainReport.errors).toBeUndefined();
    expect(plainReport.data!.generateReport.cniProfile).toBe('np-guard');
  });

  it('the collector-detected CNI (?cni=) sets an unset cluster CNI, never a user choice, audited', async () => {
    await upload('detected', KNP, '?cni=cilium');
    expect(await clusterCni('detected')).toEqual({ cni: 'cilium', cniSource: 'collector' });
    // The same detection again changes nothing and audits nothing; another detection replaces it.
    await upload('detected', KNP, '?cni=cilium');
    await upload('detected', KNP, '?cni=calico');
    expect(await clusterCni('detected')).toEqual({ cni: 'calico', cniSource: 'collector' });
    // An ordinary upload leaves the CNI as it is.
    await upload('detected', KNP);
    expect(await clusterCni('detected')).toEqual({ cni: 'calico', cniSource: 'collector' });
    // A user's choice wins over later detections.
    await setCni('detected', 'antrea');
    await upload('detected', KNP, '?cni=cilium');
    expect(await clusterCni('detected')).toEqual({ cni: 'antrea', cniSource: 'user' });
    const audited = (await cniAudit()).filter((e) => e.target === 'detected').map((e) => e.details);
    expect(audited).toEqual([
      { cni: 'cilium', previous: null, source: 'collector' },
      { cni: 'calico', previous: 'cilium', source: 'collector' },
      { cni: 'antrea' },
    ]);
    // Verdicts follow the detected profile like a chosen one.
    const id = await upload('detected-2', KNP, '?cni=cilium');
    expect((await analyses(id)).connectivity.cniProfile).toBe('cilium');
  });

  const ingestGql = (cluster: string, cni: string | null | undefined) =>
    gql(t, 'mutation($c: String!, $m: String!, $cni: String) { ingestSnapshot(cluster: $c, manifests: $m, cni: $cni) { snapshot { id } } }', {
      c: cluster,
      m: KNP,
      ...(cni === undefined ? {} : { cni }),
    });

  it('GraphQL ingestSnapshot(cni:) sets an unset cluster CNI like ?cni=, never a user choice, audited', async () => {
    expect((await ingestGql('gql-detected', 'cilium')).errors).toBeUndefined();
    expect(await clusterCni('gql-detected')).toEqual({ cni: 'cilium', cniSource: 'collector' });
    // null and an absent argument are an ordinary upload: the CNI stays.
    expect((await ingestGql('gql-detected', null)).errors).toBeUndefined();
    expect((await ingestGql('gql-detected', undefined)).errors).toBeUndefined();
    expect(await clusterCni('gql-detected')).toEqual({ cni: 'cilium', cniSource: 'collector' });
    await setCni('gql-detected', 'antrea');
    const last = await ingestGql('gql-detected', 'calico');
    expect(last.errors).toBeUndefined();
    expect(await clusterCni('gql-detected')).toEqual({ cni: 'antrea', cniSource: 'user' });
    expect((await cniAudit()).filter((e) => e.target === 'gql-detected').map((e) => e.details)).toEqual([
      { cni: 'cilium', previous: null, source: 'collector' },
      { cni: 'antrea' },
    ]);
    const id = (last.data as any).ingestSnapshot.snapshot.id as string;
    expect((await analyses(id)).connectivity.cniProfile).toBe('antrea');
  });

  it.each([
    ['an unknown CNI', 'weave', 'weave'],
    ['an empty CNI', '', '""'],
    ['a CNI in another case', 'Calico', 'Calico'],
    ['a long CNI', 'a'.repeat(4000), '…'],
  ])('GraphQL ingestSnapshot refuses %s: BAD_USER_INPUT naming the argument, nothing written', async (_name, cni, says) => {
    const before = await rowCounts(t.databaseUrl);
    const res = await ingestGql('gql-hostile', cni);
    expect(res.data ?? null).toBeNull();
    const error = res.errors![0] as any;
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
    expect(error.extensions.argument).toBe('cni');
    expect(error.message).toMatch(/^cni must be one CNI profile name/);
    expect(error.message).toContain(says);
    expect(error.message.length).toBeLessThan(300);
    expect(await rowCounts(t.databaseUrl)).toEqual(before);
  });

  it.each([
    ['an unknown CNI', '?cni=weave', 'weave'],
    ['an empty CNI', '?cni=', '""'],
    ['two CNIs', '?cni=calico&cni=cilium', 'calico'],
    ['a CNI in another case', '?cni=Calico', 'Calico'],
    ['a long CNI', `?cni=${'a'.repeat(4000)}`, '…'],
    ['a CNI with control characters', `?cni=${encodeURIComponent('calico\n\u0000')}`, 'calico'],
  ])('refuses %s: 400 naming the argument, nothing written', async (_name, query, says) => {
    const before = await rowCounts(t.databaseUrl);
    const res = await t.http.post(`/api/v1/clusters/hostile/snapshots${query}`).set('Content-Type', 'application/yaml').send(KNP);
    expect(res.status).toBe(400);
    expect(res.body.argument).toBe('cni');
    expect(res.body.message).toMatch(/^cni must be one CNI profile name/);
    expect(res.body.message).toContain(says);
    expect(res.body.message.length).toBeLessThan(300);
    expect(await rowCounts(t.databaseUrl)).toEqual(before);
  });
});
