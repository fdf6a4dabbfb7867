// The small, additive API fields the dashboard needs (issue 14): workload/policy search, a policy's YAML, np-guard
// merged IP rows, truly public source ranges, potential exposure by selector; and no CDN landing page at /graphql.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { publicRanges, rangeText } from '@netpol-atlas/engine';
import { startApp, type TestApp } from './support/app.js';
import { errorCodes, gql, type Json } from './support/graphql.js';

describe('truly public ranges (unit)', () => {
  it('removes the non-public blocks and writes CIDR blocks in CIDR notation', () => {
    expect(publicRanges(['0.0.0.0-255.255.255.255'])).toEqual([
      '1.0.0.0-9.255.255.255',
      '11.0.0.0-100.63.255.255',
      '100.128.0.0-126.255.255.255',
      '128.0.0.0-169.253.255.255',
      '169.255.0.0-172.15.255.255',
      '172.32.0.0-192.167.255.255',
      '192.169.0.0-223.255.255.255',
    ]);
    expect(publicRanges(['8.8.8.0-8.8.8.255', '8.8.9.0-8.8.9.255'])).toEqual(['8.8.8.0/23']);
    expect(publicRanges(['10.0.0.0-10.255.255.255'])).toEqual([]);
    expect(publicRanges(['::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'])).toEqual([
      '::2-fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
      'fe00::/9',
      'fec0::/10',
    ]);
  });

  it('rangeText: CIDR only for an aligned power-of-two block', () => {
    expect(rangeText(4, 0n, 2n ** 32n - 1n)).toBe('0.0.0.0/0');
    expect(rangeText(4, 167772160n, 184549375n)).toBe('10.0.0.0/8');
    expect(rangeText(4, 167772161n, 167772161n)).toBe('10.0.0.1/32');
    expect(rangeText(4, 167772161n, 167772162n)).toBe('10.0.0.1-10.0.0.2');
  });
});

describe('dashboard API additions on the demo cluster', () => {
  let t: TestApp;
  let id: string;

  beforeAll(async () => {
    t = await startApp({ loadDemoData: true });
    const res = await gql(t, '{ cluster(name: "demo") { latestSnapshot { id } } }');
    id = res.data!.cluster.latestSnapshot.id;
  });
  afterAll(() => t?.close());

  it('workloads(search) and policies(search): case-insensitive `namespace/name` contains, paged counts', async () => {
    const res = await gql(
      t,
      `query($id: ID!) { snapshot(id: $id) {
        a: workloads(search: "END", first: 10) { totalCount edges { node { namespace name } } }
        b: workloads(search: "system/core") { totalCount edges { node { name } } }
        c: workloads(search: "nothing-like-this") { totalCount }
        d: policies(search: "backend") { totalCount edges { node { name } } }
      } }`,
      { id },
    );
    expect(res.errors).toBeUndefined();
    const s = res.data!.snapshot;
    expect(s.a.edges.map((e: Json) => `${e.node.namespace}/${e.node.name}`)).toEqual(['production/backend', 'production/frontend']);
    expect(s.a.totalCount).toBe(2);
    expect(s.b.edges.map((e: Json) => e.node.name)).toEqual(['coredns']);
    expect(s.c.totalCount).toBe(0);
    expect(s.d.edges.map((e: Json) => e.node.name)).toEqual(['backend-egress', 'backend-ingress', 'database-allow-backend-only']);
  });

  it('Policy.manifest: the stored policy as YAML, rules at their paths', async () => {
    const res = await gql(t, `query($id: ID!) { snapshot(id: $id) { policies(search: "backend-egress") { edges { node { name manifest } } } } }`, { id });
    expect(res.errors).toBeUndefined();
    const manifest = res.data!.snapshot.policies.edges[0].node.manifest as string;
    const object = parseYaml(manifest) as Json;
    expect(object.kind).toBe('NetworkPolicy');
    expect(object.metadata).toMatchObject({ name: 'backend-egress', namespace: 'production' });
    expect(object.spec.egress).toHaveLength(4);
    expect(object.spec.egress[3].to[0].ipBlock).toEqual({ cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] });
  });

  it('connectivity(mergeIpRanges): one row per merged IP range, as np-guard lists them', async () => {
    const query = `query($id: ID!, $merge: Boolean!) { connectivity(snapshotId: $id, first: 100, mergeIpRanges: $merge) {
      totalCount edges { node { from { type namespace name ipRange } to { type namespace name ipRange } portsText } } } }`;
    const split = await gql(t, query, { id, merge: false });
    const merged = await gql(t, query, { id, merge: true });
    expect(split.errors).toBeUndefined();
    expect(merged.errors).toBeUndefined();
    expect(split.data!.connectivity.totalCount).toBe(47);
    const rows = merged.data!.connectivity.edges.map(
      (e: Json) => `${e.node.from.ipRange ?? `${e.node.from.namespace}/${e.node.from.name}`} => ${e.node.to.ipRange ?? `${e.node.to.namespace}/${e.node.to.name}`} : ${e.node.portsText}`,
    );
    expect(rows.filter((r: string) => r.startsWith('monitoring/prometheus =>'))).toEqual([
      'monitoring/prometheus => ingress-nginx/ingress-nginx-controller : All Connections',
      'monitoring/prometheus => kube-system/coredns : All Connections',
      'monitoring/prometheus => production/backend : TCP 8080,9090',
      'monitoring/prometheus => production/database : TCP 9187',
      'monitoring/prometheus => 0.0.0.0-255.255.255.255 : All Connections',
    ]);
    // backend's egress: the private ranges it may reach only on DNS stay apart from the public ones with 443.
    expect(rows.filter((r: string) => r.startsWith('production/backend =>') && /\d+\.\d+/.test(r.split('=>')[1]))).toEqual([
      'production/backend => 0.0.0.0-9.255.255.255 : TCP 53,443,UDP 53',
      'production/backend => 10.0.0.0-10.255.255.255 : TCP 53,UDP 53',
      'production/backend => 11.0.0.0-172.15.255.255 : TCP 53,443,UDP 53',
      'production/backend => 172.16.0.0-172.31.255.255 : TCP 53,UDP 53',
      'production/backend => 172.32.0.0-192.167.255.255 : TCP 53,443,UDP 53',
      'production/backend => 192.168.0.0-192.168.255.255 : TCP 53,UDP 53',
      'production/backend => 192.169.0.0-255.255.255.255 : TCP 53,443,UDP 53',
    ]);
    expect(merged.data!.connectivity.totalCount).toBe(47 - 3 * 6);
  });

  it('exposure: publicRanges are truly public; selectorExposed lists the potential peers by selector', async () => {
    const res = await gql(t, `query($id: ID!) { exposure(snapshotId: $id) {
      internetExposed { workload { name } ipRanges publicRanges }
      selectorExposed { workload { namespace kind name } direction peer namespaces pods portsText } } }`, { id });
    expect(res.errors).toBeUndefined();
    const e = res.data!.exposure;
    expect(e.internetExposed[0].ipRanges).toEqual(['0.0.0.0-255.255.255.255']);
    expect(e.internetExposed[0].publicRanges).toContain('172.32.0.0-192.167.255.255');
    expect(e.internetExposed[0].publicRanges).not.toContain('0.0.0.0-255.255.255.255');
    expect(e.selectorExposed).toEqual([
      {
        workload: { namespace: 'production', kind: 'Deployment', name: 'backend' },
        direction: 'INGRESS',
        peer: 'ingress-nginx/[all pods]',
        namespaces: 'namespaces with kubernetes.io/metadata.name=ingress-nginx',
        pods: 'all pods',
        portsText: 'TCP 8080',
      },
      {
        workload: { namespace: 'production', kind: 'StatefulSet', name: 'database' },
        direction: 'EGRESS',
        peer: 'kube-system/[all pods]',
        namespaces: 'namespaces with kubernetes.io/metadata.name=kube-system',
        pods: 'all pods',
        portsText: 'TCP 53,UDP 53',
      },
    ]);

    // The same rows paged (one per page here), and the distinct workloads among them.
    const PAGE = `query($id: ID!, $after: String, $workload: String) { exposure(snapshotId: $id, workload: $workload) { selectorExposedWorkloads
      selectorExposedPage(first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { workload { name } peer } } } } }`;
    const first = (await gql(t, PAGE, { id })).data!.exposure;
    expect(first.selectorExposedWorkloads).toBe(2);
    expect(first.selectorExposedPage.totalCount).toBe(2);
    expect(first.selectorExposedPage.pageInfo.hasNextPage).toBe(true);
    expect(first.selectorExposedPage.edges).toEqual([{ node: { workload: { name: 'backend' }, peer: 'ingress-nginx/[all pods]' } }]);
    const second = (await gql(t, PAGE, { id, after: first.selectorExposedPage.pageInfo.endCursor })).data!.exposure.selectorExposedPage;
    expect(second.edges).toEqual([{ node: { workload: { name: 'database' }, peer: 'kube-system/[all pods]' } }]);
    expect(second.pageInfo.hasNextPage).toBe(false);
    const one = (await gql(t, PAGE, { id, workload: 'production/database' })).data!.exposure;
    expect([one.selectorExposedWorkloads, one.selectorExposedPage.totalCount]).toEqual([1, 1]);
    expect(errorCodes(await gql(t, PAGE, { id, after: 'bm90LWEtY3Vyc29y' }))).toEqual(['BAD_USER_INPUT']);
  });

  it('exposure(workload): only that workload in every list (the workload page)', async () => {
    const res = await gql(t, `query($id: ID!) { exposure(snapshotId: $id, workload: "production/backend") {
      internetExposed { workload { name } } clusterWideExposed { workload { name } } unprotected { workload { name } }
      selectorExposed { workload { name } peer } } }`, { id });
    expect(res.errors).toBeUndefined();
    const e = res.data!.exposure;
    expect([e.internetExposed, e.clusterWideExposed, e.unprotected]).toEqual([[], [], []]);
    expect(e.selectorExposed).toEqual([{ workload: { name: 'backend' }, peer: 'ingress-nginx/[all pods]' }]);
    const coredns = await gql(t, `query($id: ID!) { exposure(snapshotId: $id, workload: "kube-system/coredns") { internetExposed { workload { name } } unprotected { workload { name } } } }`, { id });
    expect(coredns.data!.exposure.internetExposed).toEqual([{ workload: { name: 'coredns' } }]);
    expect(coredns.data!.exposure.unprotected).toEqual([{ workload: { name: 'coredns' } }]);
  });

  it('GET /graphql in a browser: no landing page that loads scripts from a CDN', async () => {
    const res = await t.http.get('/graphql').set('Accept', 'text/html');
    expect(res.text).not.toMatch(/<script[^>]+src="https?:\/\//);
    expect(res.text).not.toMatch(/cdn|unpkg|jsdelivr|embeddable-sandbox/i);
  });
});
