// GraphQL over HTTP against the real app: Relay connections, the snapshot inventory, typed errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { DEMO_COUNTS } from './support/demo.js';
import { errorCodes, gql, type Json } from './support/graphql.js';

const SMALL = (ns: string) => `apiVersion: v1
kind: Namespace
metadata: {name: ${ns}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: a, image: a}]}
`;

describe('GraphQL API', () => {
  let t: TestApp;
  let demoSnapshotId: string;

  beforeAll(async () => {
    t = await startApp({ loadDemoData: true });
  });
  afterAll(() => t?.close());

  const upload = async (cluster: string, body: string, capturedAt?: string) => {
    const query = capturedAt ? `?capturedAt=${encodeURIComponent(capturedAt)}` : '';
    const res = await t.http.post(`/api/v1/clusters/${cluster}/snapshots${query}`).set('Content-Type', 'application/yaml').send(body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string };
  };

  it('lists the demo cluster loaded into the empty store, with its snapshot and counts', async () => {
    const res = await gql(t, `{
      clusters(first: 10) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { cursor node { name snapshots(first: 5) { totalCount edges { node { id source capturedAt uploadedAt contentSha256 counts { namespaces pods workloads policies } } } } } }
      }
    }`);
    expect(res.errors).toBeUndefined();
    const clusters = res.data!.clusters;
    expect(clusters.totalCount).toBe(1);
    expect(clusters.pageInfo).toEqual({ hasNextPage: false, endCursor: clusters.edges[0].cursor });
    const demo = clusters.edges[0].node;
    expect(demo.name).toBe('demo');
    expect(demo.snapshots.totalCount).toBe(1);
    const snapshot = demo.snapshots.edges[0].node;
    expect(snapshot).toMatchObject({ source: 'demo', counts: DEMO_COUNTS });
    expect(snapshot.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    // No capture time was given: the upload's own instant, not a clock reading taken after it.
    expect(snapshot.capturedAt).toBe(snapshot.uploadedAt);
    demoSnapshotId = snapshot.id;
  });

  it('snapshot(id): namespaces, workloads and policies derived from the stored content', async () => {
    const res = await gql(t, `query($id: ID!) {
      snapshot(id: $id) {
        id cluster { name }
        namespaces(first: 100) { totalCount edges { node { name labels { key value } } } }
        workloads(first: 100) { totalCount edges { node { namespace kind name replicas labels { key value } } } }
        policies(first: 100) { totalCount edges { node { namespace kind name policyTypes } } }
      }
    }`, { id: demoSnapshotId });
    expect(res.errors).toBeUndefined();
    const s = res.data!.snapshot;
    expect(s.cluster.name).toBe('demo');
    expect(s.namespaces.edges.map((e: Json) => e.node.name)).toEqual(['ingress-nginx', 'kube-system', 'monitoring', 'production']);
    expect(s.namespaces.edges[3].node.labels).toEqual([
      { key: 'environment', value: 'production' },
      { key: 'pci', value: 'cde' },
    ]);
    expect(s.workloads.edges.map((e: Json) => `${e.node.namespace}/${e.node.kind}/${e.node.name}:${e.node.replicas}`)).toEqual([
      'ingress-nginx/Deployment/ingress-nginx-controller:1',
      'kube-system/Deployment/coredns:2',
      'monitoring/Deployment/prometheus:1',
      'production/CronJob/db-backup:null',
      'production/Deployment/backend:2',
      'production/Deployment/frontend:2',
      'production/Deployment/redis:1',
      'production/StatefulSet/database:2',
    ]);
    expect(s.workloads.edges[4].node.labels).toEqual([
      { key: 'app', value: 'backend' },
      { key: 'monitoring/scrape', value: 'true' },
      { key: 'tier', value: 'application' },
    ]);
    expect(s.policies.totalCount).toBe(8);
    expect(s.policies.edges.map((e: Json) => [e.node.name, e.node.policyTypes.join('+')])).toEqual([
      ['cde-ingress-guardrail', 'Ingress'],
      ['default', 'Ingress'],
      ['allow-prometheus-scrape', 'Ingress'],
      ['backend-egress', 'Egress'],
      ['backend-ingress', 'Ingress'],
      ['database-allow-backend-only', 'Ingress+Egress'],
      ['default-deny-all', 'Ingress+Egress'],
      ['frontend-egress-restrict', 'Egress'],
    ]);
  });

  it('pages in-memory lists with cursors and filters by namespace', async () => {
    const page = (after?: string) =>
      gql(t, `query($id: ID!, $after: String) { snapshot(id: $id) { workloads(first: 3, after: $after, namespace: "production") {
        totalCount pageInfo { hasNextPage endCursor } edges { cursor node { name } } } } }`, { id: demoSnapshotId, after });
    const one = (await page()).data!.snapshot.workloads;
    expect(one.totalCount).toBe(5);
    expect(one.edges.map((e: Json) => e.node.name)).toEqual(['db-backup', 'backend', 'frontend']);
    expect(one.pageInfo.hasNextPage).toBe(true);
    const two = (await page(one.pageInfo.endCursor)).data!.snapshot.workloads;
    expect(two.edges.map((e: Json) => e.node.name)).toEqual(['redis', 'database']);
    expect(two.pageInfo).toEqual({ hasNextPage: false, endCursor: two.edges[1].cursor });
  });

  it('pages clusters by name and snapshots newest first (ties: the later upload first)', async () => {
    await upload('zeta', SMALL('z'));
    await upload('alpha', SMALL('a'));
    const a1 = await upload('beta', SMALL('b1'), '2026-01-01T00:00:00Z');
    const a2 = await upload('beta', SMALL('b2'), '2026-03-01T00:00:00Z');
    const a3 = await upload('beta', SMALL('b3'), '2026-01-01T00:00:00Z');
    const first = await gql(t, '{ clusters(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { name } } } }');
    expect(first.data!.clusters.totalCount).toBe(4);
    expect(first.data!.clusters.edges.map((e: Json) => e.node.name)).toEqual(['alpha', 'beta']);
    expect(first.data!.clusters.pageInfo.hasNextPage).toBe(true);
    const second = await gql(t, 'query($after: String) { clusters(first: 2, after: $after) { pageInfo { hasNextPage } edges { node { name } } } }', {
      after: first.data!.clusters.pageInfo.endCursor,
    });
    expect(second.data!.clusters.edges.map((e: Json) => e.node.name)).toEqual(['demo', 'zeta']);
    expect(second.data!.clusters.pageInfo.hasNextPage).toBe(false);

    const snaps = (after?: string) =>
      gql(t, `query($after: String) { cluster(name: "beta") { latestSnapshot { id } snapshots(first: 2, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { id counts { pods workloads } } } } } }`, { after });
    const p1 = (await snaps()).data!.cluster;
    expect(p1.latestSnapshot.id).toBe(a2.id);
    expect(p1.snapshots.totalCount).toBe(3);
    expect(p1.snapshots.edges.map((e: Json) => e.node.id)).toEqual([a2.id, a3.id]);
    // A DaemonSet counts one pod in a manifest-only snapshot.
    expect(p1.snapshots.edges[0].node.counts).toEqual({ pods: 1, workloads: 1 });
    const p2 = (await snaps(p1.snapshots.pageInfo.endCursor)).data!.cluster.snapshots;
    expect(p2.edges.map((e: Json) => e.node.id)).toEqual([a1.id]);
    expect(p2.pageInfo.hasNextPage).toBe(false);
  });

  it('caps the page size in the args type and reports typed errors', async () => {
    for (const first of [0, 101, -1]) {
      const res = await gql(t, `{ clusters(first: ${first}) { totalCount } }`);
      expect(errorCodes(res), `first: ${first}`).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0].message).toMatch(/first must not be (greater than 100|less than 1)/);
    }
    const inner = await gql(t, 'query($id: ID!) { snapshot(id: $id) { policies(first: 500) { totalCount } } }', { id: demoSnapshotId });
    expect(errorCodes(inner)).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(t, '{ clusters(first: 1, after: "bm90LWEtY3Vyc29y") { totalCount } }'))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(t, '{ snapshot(id: "not-a-uuid") { id } }'))).toEqual(['BAD_USER_INPUT']);
    const missing = await gql(t, '{ snapshot(id: "00000000-0000-4000-8000-000000000000") { id } }');
    expect(errorCodes(missing)).toEqual(['NOT_FOUND']);
    expect(missing.data).toEqual({ snapshot: null });
    expect(errorCodes(await gql(t, '{ cluster(name: "nope") { name } }'))).toEqual(['NOT_FOUND']);
  });
});
