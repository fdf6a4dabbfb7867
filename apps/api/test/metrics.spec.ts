// Issue 13: GET /metrics in Prometheus text format (prom-client), behind an API token of any role; HTTP latency by
// route pattern (never a raw path), GraphQL latency by operation (bounded names), ingest bytes and durations,
// analysis durations by size class, cache lookups, the queue depth read from PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_OPERATION_NAMES } from '../src/metrics/metrics.service.js';
import { startApp, type TestApp } from './support/app.js';
import { gql } from './support/graphql.js';

const NETPOL = `apiVersion: v1
kind: Namespace
metadata: { name: shop }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx, ports: [{ containerPort: 8080 }] }] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny, namespace: shop }
spec: { podSelector: {}, policyTypes: [Ingress] }
`;

/** The value of the sample `name{labels}` (labels in prom-client's order), or undefined. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('GET /metrics', () => {
  let t: TestApp;
  let viewer: string;
  beforeAll(async () => {
    t = await startApp();
    viewer = await t.tokenFor('viewer');
  });
  afterAll(() => t?.close());

  it('needs a token (401 without), any role may scrape', async () => {
    expect((await t.as(undefined).get('/metrics')).status).toBe(401);
    const res = await t.as(viewer).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.text).toContain('# TYPE netpol_http_request_duration_seconds histogram');
    expect(res.text).toContain('netpol_process_resident_memory_bytes');
  });

  it('counts an ingest, its job in the queue, GraphQL operations by name and the analysis with its cache lookups', async () => {
    const upload = await t.http.post('/api/v1/clusters/metrics/snapshots').set('Content-Type', 'application/yaml').send(NETPOL);
    expect(upload.status).toBe(201);
    const id: string = upload.body.id;
    const named = await t.http.post('/graphql').set('Content-Type', 'application/json').send({ query: 'query ProbeClusters { clusters(first: 1) { totalCount } }', operationName: 'ProbeClusters' });
    expect(named.status).toBe(200);
    expect((await t.http.get(`/api/v1/snapshots/${id}/connectivity?format=txt`)).status).toBe(200);
    expect((await t.http.get(`/api/v1/snapshots/${id}/connectivity?format=txt`)).status).toBe(200);

    const text = (await t.as(viewer).get('/metrics')).text;
    expect(sample(text, 'netpol_http_request_duration_seconds_count', 'method="POST",route="/api/v1/clusters/:cluster/snapshots",status="201"')).toBe(1);
    expect(sample(text, 'netpol_http_request_duration_seconds_count', 'method="GET",route="/api/v1/snapshots/:id/connectivity",status="200"')).toBe(2);
    // Routes by pattern: no snapshot id in any label.
    expect(text).not.toContain(id);
    expect(sample(text, 'netpol_graphql_operation_duration_seconds_count', 'operation="ProbeClusters",type="query"')).toBe(1);
    expect(sample(text, 'netpol_ingest_content_bytes_count', 'source="rest"')).toBe(1);
    expect(sample(text, 'netpol_ingest_content_bytes_sum', 'source="rest"')).toBeGreaterThan(100);
    expect(sample(text, 'netpol_ingest_duration_seconds_count', 'source="rest"')).toBe(1);
    // NETPOL_JOBS is off in the tests: the upload's analysis job waits in the queue.
    expect(sample(text, 'netpol_analysis_jobs', 'state="queued"')).toBe(1);
    expect(sample(text, 'netpol_analysis_jobs', 'state="failed"')).toBe(0);
    expect(sample(text, 'netpol_analysis_duration_seconds_count', 'size="lt100",outcome="ok"')).toBe(1);
    expect(sample(text, 'netpol_analysis_cache_lookups', 'artefact="connectivity",source="computed"')).toBe(1);
    expect(sample(text, 'netpol_analysis_cache_lookups', 'artefact="connectivity",source="memory"')).toBe(1);
  });

  it(`GraphQL operation names are bounded: past ${MAX_OPERATION_NAMES} distinct names, the rest count as "other"`, async () => {
    for (let i = 0; i < MAX_OPERATION_NAMES + 5; i++) {
      const name = `Op${i}`;
      const res = await gql(t, `query ${name} { viewer { auth } }`);
      expect(res.errors).toBeUndefined();
    }
    const text = (await t.as(viewer).get('/metrics')).text;
    const names = new Set([...text.matchAll(/^netpol_graphql_operation_duration_seconds_count\{operation="([^"]+)"/gm)].map((m) => m[1]));
    expect(names.size).toBeLessThanOrEqual(MAX_OPERATION_NAMES + 1);
    expect(names.has('other')).toBe(true);
    expect(sample(text, 'netpol_graphql_operation_duration_seconds_count', 'operation="other",type="query"')).toBeGreaterThanOrEqual(5);
  }, 60_000);
});
