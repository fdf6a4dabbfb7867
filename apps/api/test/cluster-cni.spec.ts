// A cluster's CNI over GraphQL against the real app: setClusterCni (admin, profile names only, audited), and the
// profile every reachability verdict of its snapshots uses and names (`cniProfile`): a NetworkPolicy over Cilium's
// derived labels (cilium-cli's echo-ingress-knp case) holds only when the cluster says Cilium.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { errorCodes, gql } from './support/graphql.js';

const DIALECTS = process.env.NETPOL_DIALECTS_DIR ?? path.resolve(import.meta.dirname, '../../../../shared/conformance/dialects');
const caseInput = (name: string) => {
  const dir = path.join(DIALECTS, 'cilium-cli', name, 'input');
  return readdirSync(dir).sort().map((f) => readFileSync(path.join(dir, f), 'utf8')).join('\n---\n');
};

const REACHABILITY = `query($id: ID!) {
  reachability(snapshotId: $id, from: {namespace: "cilium-test", pod: "client2"}, to: {namespace: "cilium-test", pod: "echo-same-node"}, port: 8080) {
    allowed cniProfile caveats { code } } }`;

describe('cluster CNI profiles', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t?.close());

  const upload = async (cluster: string, body: string) => {
    const res = await t.http.post(`/api/v1/clusters/${cluster}/snapshots`).set('Content-Type', 'application/yaml').send(body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };
  const setCni = (name: string, cni: string | null, token?: string) =>
    gql(token ? { server: t.server, adminToken: token } : t, 'mutation($name: String!, $cni: String) { setClusterCni(name: $name, cni: $cni) { name cni } }', { name, cni });

  it('verdicts follow the cluster CNI and name it', async () => {
    const id = await upload('knp-on-cilium', caseInput('echo-ingress-knp'));
    const before = await gql(t, REACHABILITY, { id });
    expect(before.errors).toBeUndefined();
    // No CNI known and no Cilium policy in the content: np-guard's reading, where the derived labels do not exist.
    expect(before.data!.reachability).toEqual({ allowed: false, cniProfile: 'np-guard', caveats: [] });

    const set = await setCni('knp-on-cilium', 'cilium');
    expect(set.errors).toBeUndefined();
    expect(set.data!.setClusterCni).toEqual({ name: 'knp-on-cilium', cni: 'cilium' });
    expect((await gql(t, REACHABILITY, { id })).data!.reachability).toEqual({ allowed: true, cniProfile: 'cilium', caveats: [] });
    const who = await gql(t, `query($id: ID!) { whoCanReach(snapshotId: $id, to: {namespace: "cilium-test", pod: "echo-same-node"}, port: 8080) { peer { namespace name } } }`, { id });
    expect(who.errors).toBeUndefined();
    expect(who.data!.whoCanReach).toEqual([{ peer: { namespace: 'cilium-test', name: 'client2' } }]);

    // flannel enforces nothing: allowed, and the verdict says why.
    await setCni('knp-on-cilium', 'flannel');
    expect((await gql(t, REACHABILITY, { id })).data!.reachability).toEqual({
      allowed: true,
      cniProfile: 'flannel',
      caveats: [{ code: 'CNI_NOT_ENFORCING' }, { code: 'NOT_ENFORCED' }],
    });
    await setCni('knp-on-cilium', null);
    expect((await gql(t, REACHABILITY, { id })).data!.reachability).toMatchObject({ allowed: false, cniProfile: 'np-guard' });
  });

  it('Cilium policies in the content imply the cilium profile', async () => {
    const id = await upload('cnp', caseInput('echo-ingress'));
    expect((await gql(t, REACHABILITY, { id })).data!.reachability).toEqual({ allowed: true, cniProfile: 'cilium', caveats: [] });
  });

  it('refuses unknown profiles, unknown clusters and non-admins', async () => {
    await upload('other', caseInput('echo-ingress'));
    const unknown = await setCni('other', 'weave');
    expect(errorCodes(unknown)).toEqual(['BAD_USER_INPUT']);
    expect(unknown.errors![0].message).toContain('antrea, calico, cilium, flannel, kubenet, np-guard, ovn-kubernetes');
    expect(errorCodes(await setCni('nope', 'cilium'))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await setCni('other', 'cilium', await t.tokenFor('viewer')))).toEqual(['FORBIDDEN']);
  });
});
