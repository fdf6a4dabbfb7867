// ingestSnapshot (the REST upload as a mutation, same semantics and limit) and inventory (per cluster: latest
// snapshot age, counts, isolation and internet exposure from the analysis, trend) against the real app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { rowCounts } from './support/database.js';
import { DEMO_COUNTS, demoYaml } from './support/demo.js';
import { errorCodes, gql, type Json } from './support/graphql.js';

const INGEST = `mutation($cluster: String!, $manifests: String!, $format: ManifestFormat, $capturedAt: String) {
  ingestSnapshot(cluster: $cluster, manifests: $manifests, format: $format, capturedAt: $capturedAt) {
    deduplicated
    warnings { code severity path }
    snapshot { id source capturedAt contentSha256 cluster { name } counts { namespaces pods workloads policies } }
  }
}`;

/** Two pods in one namespace: `web` open to the internet on 443 (ipBlock 0.0.0.0/0), `db` isolated both ways. */
const EXPOSED = `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: w, image: w, ports: [{containerPort: 443}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: db}}
spec: {containers: [{name: d, image: d}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-internet, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{from: [{ipBlock: {cidr: 0.0.0.0/0}}], ports: [{port: 443}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-closed, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  policyTypes: [Ingress, Egress]
`;

describe('GraphQL ingestSnapshot and inventory', () => {
  let t: TestApp;
  const BODY_LIMIT = 64 * 1024;

  beforeAll(async () => {
    t = await startApp({ bodyLimit: BODY_LIMIT });
  });
  afterAll(() => t?.close());

  it('ingestSnapshot stores a new snapshot like REST does (same content hash), then deduplicates', async () => {
    const res = await gql(t, INGEST, { cluster: 'via-graphql', manifests: demoYaml(), capturedAt: '2026-05-01T12:00:00+02:00' });
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    const result = res.data!.ingestSnapshot;
    expect(result.deduplicated).toBe(false);
    expect(result.snapshot).toMatchObject({ source: 'graphql', capturedAt: '2026-05-01T10:00:00.000Z', cluster: { name: 'via-graphql' }, counts: DEMO_COUNTS });
    const rest = await t.http.post('/api/v1/clusters/via-rest/snapshots').set('Content-Type', 'application/yaml').send(demoYaml());
    expect(rest.status).toBe(201);
    expect(rest.body.contentSha256).toBe(result.snapshot.contentSha256);
    expect(rest.body.deduplicated).toBe(true);
    const fetched = await t.http.get(`/api/v1/snapshots/${result.snapshot.id}`);
    expect(fetched.body).toMatchObject({ id: result.snapshot.id, source: 'graphql', cluster: 'via-graphql' });

    const json = await gql(t, INGEST, { cluster: 'via-graphql', format: 'JSON', manifests: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'solo' } }) });
    expect(json.errors).toBeUndefined();
    expect(json.data!.ingestSnapshot.snapshot.counts.namespaces).toBe(1);
    const warned = await gql(t, INGEST, { cluster: 'via-graphql', manifests: `${demoYaml()}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n` });
    expect(warned.data!.ingestSnapshot).toMatchObject({ deduplicated: true, warnings: [{ code: 'UNKNOWN_KIND', severity: 'warning' }] });
  });

  it('ingestSnapshot errors: BAD_USER_INPUT with status and located issues (400 / 422), PAYLOAD_TOO_LARGE; nothing written', async () => {
    const before = await rowCounts(t.databaseUrl);
    const unparseable = await gql(t, INGEST, { cluster: 'refused', manifests: 'kind: [unclosed' });
    expect(errorCodes(unparseable)).toEqual(['BAD_USER_INPUT']);
    expect(unparseable.errors![0].extensions).toMatchObject({ status: 400, argument: 'manifests', issues: [{ code: 'SYNTAX', file: 'manifests', document: 0 }] });

    const invalid = await gql(t, INGEST, {
      cluster: 'refused',
      format: 'YAML',
      manifests: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: x}\nspec:\n  podSelector: {}\n  ingress:\n    - from:\n        - ipBlock: {cidr: 10.0.0.0/8, except: [11.0.0.0/16]}\n',
    });
    expect(errorCodes(invalid)).toEqual(['BAD_USER_INPUT']);
    expect(invalid.errors![0].extensions).toMatchObject({
      status: 422,
      issues: [{ code: 'INVALID_VALUE', file: 'manifests.yaml', path: 'spec.ingress[0].from[0].ipBlock.except[0]', line: 8 }],
    });

    const wrongFormat = await gql(t, INGEST, { cluster: 'refused', format: 'JSON', manifests: 'kind: Namespace\n' });
    expect(wrongFormat.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', status: 400 });
    expect(errorCodes(await gql(t, INGEST, { cluster: 'Bad_Name', manifests: demoYaml() }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(t, INGEST, { cluster: 'ok', manifests: demoYaml(), capturedAt: 'soon' }))).toEqual(['BAD_USER_INPUT']);

    // Over the limit (after decompression): refused with the limit named, as REST answers 413.
    const tooLarge = await gql(t, INGEST, { cluster: 'refused', manifests: `# ${'x'.repeat(BODY_LIMIT)}\n${demoYaml()}` });
    expect(errorCodes(tooLarge)).toEqual(['PAYLOAD_TOO_LARGE']);
    expect(tooLarge.errors![0].message).toContain(`NETPOL_BODY_LIMIT = 64 KiB (${BODY_LIMIT} bytes)`);
    expect(await rowCounts(t.databaseUrl)).toEqual(before);
  });

  it('inventory: per cluster the latest snapshot age and counts, isolation %, internet-exposed workloads, and the trend', async () => {
    const upload = async (cluster: string, body: string, capturedAt: string) => {
      const res = await t.http.post(`/api/v1/clusters/${cluster}/snapshots?capturedAt=${encodeURIComponent(capturedAt)}`).set('Content-Type', 'application/yaml').send(body);
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const older = await upload('shop', demoYaml(), '2026-01-01T00:00:00Z');
    const capturedAt = new Date(Date.now() - 3_600_000).toISOString();
    const latest = await upload('shop', EXPOSED, capturedAt);

    const res = await gql(t, `{
      inventory(first: 10, filter: { nameContains: "shop" }) {
        totalCount
        edges { node {
          cluster { name }
          latestSnapshotAgeSeconds
          latest { snapshot { id } pods workloads policies namespaces
            analysis { podsIngressIsolated podsEgressIsolated ingressIsolatedPercent egressIsolatedPercent internetExposedWorkloads } }
          trend(last: 5) { snapshot { id } capturedAt pods analysis { ingressIsolatedPercent egressIsolatedPercent internetExposedWorkloads } }
        } }
      }
    }`);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    expect(res.data!.inventory.totalCount).toBe(1);
    const shop = res.data!.inventory.edges[0].node;
    expect(shop.cluster.name).toBe('shop');
    expect(shop.latestSnapshotAgeSeconds).toBeGreaterThanOrEqual(3600);
    expect(shop.latestSnapshotAgeSeconds).toBeLessThan(3700);
    expect(shop.latest).toEqual({
      snapshot: { id: latest },
      pods: 2,
      workloads: 2,
      policies: 2,
      namespaces: 1,
      // Both pods are selected for ingress; only db for egress. web accepts 443 from the internet.
      analysis: { podsIngressIsolated: 2, podsEgressIsolated: 1, ingressIsolatedPercent: 100, egressIsolatedPercent: 50, internetExposedWorkloads: 1 },
    });
    expect(shop.trend.map((p: Json) => p.snapshot.id)).toEqual([latest, older]);
    expect(shop.trend[1].pods).toBe(DEMO_COUNTS.pods);
    // The demo: every production pod is behind default-deny-all; the other namespaces are open.
    expect(shop.trend[1].analysis).toEqual({ ingressIsolatedPercent: 66.67, egressIsolatedPercent: 66.67, internetExposedWorkloads: expect.any(Number) });

    const all = await gql(t, '{ inventory(first: 100) { totalCount edges { node { cluster { name } latest { pods } } } } }');
    const names = all.data!.inventory.edges.map((e: Json) => e.node.cluster.name);
    expect(names).toEqual([...names].sort());
    expect(errorCodes(await gql(t, '{ inventory(first: 1) { edges { node { trend(last: 31) { pods } } } } }'))).toEqual(['BAD_USER_INPUT']);
  });
});
