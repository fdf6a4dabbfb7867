// POST /api/v1/clusters/{cluster}/snapshots and the REST reads, over HTTP against the real app and PostgreSQL.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { canonicalSnapshotText, parseManifests, projectObject } from '@netpol-atlas/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { rowCounts } from './support/database.js';
import { DEMO_COUNTS, demoYaml } from './support/demo.js';
import { startApp, type TestApp } from './support/app.js';

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The demo as `kubectl get … -o json` would print it: a List, other item order, with fields the projection drops. */
function demoAsKubectlJson(): string {
  const items = parseAllDocuments(demoYaml())
    .map((doc) => doc.toJS())
    .reverse()
    .map((item) => ({ ...item, metadata: { ...item.metadata, annotations: { note: 'dropped' }, resourceVersion: '42' }, status: {} }));
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2);
}

const BAD_POLICY = `apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {}
  ingress:
    - from:
        - podSelector: {}
        - ipBlock:
            cidr: 10.0.0.0/8
            except: [192.168.0.0/16]
`;

describe('snapshot ingest', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t?.close());

  const post = (cluster: string, query = '') => t.http.post(`/api/v1/clusters/${cluster}/snapshots${query}`).set('Content-Type', 'application/yaml');

  let first: { id: string; contentSha256: string; capturedAt: string };

  it('stores a multi-document YAML upload: 201 with id, capturedAt, contentSha256, deduplicated, counts', async () => {
    const before = Date.now();
    const res = await post('shop').set('Content-Type', 'application/yaml').send(demoYaml());
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ cluster: 'shop', deduplicated: false, counts: DEMO_COUNTS, warnings: [] });
    expect(res.body.id).toMatch(UUID);
    expect(res.body.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    const captured = Date.parse(res.body.capturedAt);
    expect(captured).toBeGreaterThanOrEqual(before - 1);
    expect(captured).toBeLessThanOrEqual(Date.now());
    first = res.body;
    expect(await rowCounts(t.databaseUrl)).toMatchObject({ clusters: 1, snapshots: 1, snapshot_contents: 1 });
  });

  it('serves exactly the hashed bytes: the engine canonical text of the projected objects', async () => {
    const res = await t.http.get(`/api/v1/snapshots/${first.id}/content`).buffer(true).parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const bytes = res.body as Buffer;
    expect(sha256(bytes)).toBe(first.contentSha256);
    expect(res.headers.etag).toBe(`"${first.contentSha256}"`);
    const parsed = parseManifests([{ path: 'demo', text: demoYaml() }]);
    expect(bytes.toString('utf8')).toBe(canonicalSnapshotText(parsed.objects.map((o) => projectObject(o.object))));
    const objects = JSON.parse(bytes.toString('utf8')) as { kind: string }[];
    expect(objects).toHaveLength(parsed.objects.length);
  });

  it('makes every upload a new snapshot row and stores equal content once (deduplicated), whatever the format', async () => {
    const json = await post('shop').set('Content-Type', 'application/json').send(demoAsKubectlJson());
    expect(json.status, JSON.stringify(json.body)).toBe(201);
    expect(json.body).toMatchObject({ contentSha256: first.contentSha256, deduplicated: true, counts: DEMO_COUNTS });
    expect(json.body.id).not.toBe(first.id);

    const gz = await post('shop').set('Content-Type', 'application/yaml').set('Content-Encoding', 'gzip').send(gzipSync(demoYaml()));
    expect(gz.status, JSON.stringify(gz.body)).toBe(201);
    expect(gz.body).toMatchObject({ contentSha256: first.contentSha256, deduplicated: true });

    expect(await rowCounts(t.databaseUrl)).toMatchObject({ clusters: 1, snapshots: 3, snapshot_contents: 1 });
  });

  it('stores new content once when two uploads of it race (one of them is deduplicated)', async () => {
    const body = BAD_POLICY.replace('except: [192.168.0.0/16]', 'except: [10.9.0.0/16]');
    const results = await Promise.all([post('race').send(body), post('race').send(body), post('race').send(body)]);
    expect(results.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(results.map((r) => r.body.deduplicated).sort()).toEqual([false, true, true]);
    expect(new Set(results.map((r) => r.body.contentSha256)).size).toBe(1);
    const counts = await rowCounts(t.databaseUrl);
    expect(counts).toMatchObject({ clusters: 2, snapshot_contents: 2 });
  });

  it('takes capturedAt from the query (RFC 3339) and refuses a malformed one', async () => {
    const ok = await post('shop', `?capturedAt=${encodeURIComponent('2026-11-27T11:30:00.250+01:00')}`).send(demoYaml());
    expect(ok.status).toBe(201);
    expect(ok.body.capturedAt).toBe('2026-11-27T10:30:00.250Z');
    // An unencoded '+' arrives as a space; the offset is still understood.
    const plus = await post('shop', '?capturedAt=2026-11-27T11:30:00.250+01:00').send(demoYaml());
    expect(plus.body.capturedAt).toBe('2026-11-27T10:30:00.250Z');
    const before = await rowCounts(t.databaseUrl);
    for (const bad of ['2026-02-30T00:00:00Z', '2026-11-27', 'yesterday', '2026-11-27T25:00:00Z']) {
      const res = await post('shop', `?capturedAt=${encodeURIComponent(bad)}`).send(demoYaml());
      expect(res.status, bad).toBe(400);
      expect(res.body.message).toContain('RFC 3339');
    }
    expect(await rowCounts(t.databaseUrl)).toEqual(before);
  });

  it('400: a body that cannot be parsed, with located issues, and nothing written', async () => {
    const before = await rowCounts(t.databaseUrl);
    const res = await post('fresh').set('Content-Type', 'application/yaml').send('apiVersion: v1\nkind: Namespace\nmetadata: {name: [x\n');
    expect(res.status).toBe(400);
    expect(res.body.issues.length).toBeGreaterThanOrEqual(1);
    expect(res.body.issues.every((i: { code: string }) => i.code === 'SYNTAX')).toBe(true);
    expect(res.body.issues[0]).toMatchObject({ code: 'SYNTAX', severity: 'error', file: 'request-body', document: 0, path: '' });
    expect(res.body.issues[0].line).toBeGreaterThanOrEqual(3);
    const dup = await post('fresh').send('apiVersion: v1\nkind: Namespace\nkind: Pod\nmetadata: {name: x}\n');
    expect(dup.status).toBe(400);
    expect(dup.body.issues.map((i: { code: string }) => i.code)).toEqual(['DUPLICATE_KEY']);
    expect(await rowCounts(t.databaseUrl)).toEqual(before);
  });

  it('422: a body that parses but is invalid, with the field path, and nothing written (not even the cluster)', async () => {
    const before = await rowCounts(t.databaseUrl);
    const res = await post('fresh').set('Content-Type', 'application/yaml').send(BAD_POLICY);
    expect(res.status).toBe(422);
    expect(res.body.issues).toEqual([
      {
        code: 'INVALID_VALUE',
        severity: 'error',
        message: expect.stringContaining('strict subset'),
        file: 'request-body',
        document: 1,
        path: 'spec.ingress[0].from[1].ipBlock.except[0]',
        line: 15,
      },
    ]);
    expect(await rowCounts(t.databaseUrl)).toEqual(before);
    const empty = await post('fresh').send('# nothing here\n');
    expect(empty.status).toBe(422);
    expect(empty.body.issues.at(-1)).toMatchObject({ code: 'INVALID_VALUE', document: 0, path: '' });
    expect(await rowCounts(t.databaseUrl)).toEqual(before);
  });

  it('refuses a bad cluster name (400), an unknown Content-Encoding (415) and corrupt gzip (400)', async () => {
    const before = await rowCounts(t.databaseUrl);
    const name = await post('Bad_Name').send(demoYaml());
    expect(name.status).toBe(400);
    expect(name.body.message).toContain('DNS-1123');
    const br = await post('shop').set('Content-Encoding', 'br').send(demoYaml());
    expect(br.status).toBe(415);
    const corrupt = await post('shop').set('Content-Encoding', 'gzip').send(Buffer.from('not gzip at all'));
    expect(corrupt.status).toBe(400);
    expect(corrupt.body.issues[0]).toMatchObject({ code: 'SYNTAX', document: 0, path: '' });
    expect(await rowCounts(t.databaseUrl)).toEqual(before);
  });

  it('GET /api/v1/snapshots/{id}: the snapshot; 404 unknown, 400 not a UUID', async () => {
    const res = await t.http.get(`/api/v1/snapshots/${first.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: first.id, cluster: 'shop', source: 'rest', contentSha256: first.contentSha256, deduplicated: false, counts: DEMO_COUNTS });
    expect(res.body.capturedAt).toBe(first.capturedAt);
    // Uploaded without capturedAt: captured at its upload instant, never after it.
    expect(res.body.capturedAt).toBe(res.body.uploadedAt);
    expect((await t.http.get('/api/v1/snapshots/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await t.http.get('/api/v1/snapshots/00000000-0000-4000-8000-000000000000/content')).status).toBe(404);
    expect((await t.http.get('/api/v1/snapshots/nope')).status).toBe(400);
  });

  it('GET /api/v1/clusters: every cluster by name with its snapshot count and latest snapshot', async () => {
    await post('alpha').send(BAD_POLICY.replace('except: [192.168.0.0/16]', 'except: [10.1.0.0/16]'));
    const res = await t.http.get('/api/v1/clusters');
    expect(res.status).toBe(200);
    expect(res.body.clusters.map((c: { name: string }) => c.name)).toEqual(['alpha', 'race', 'shop']);
    const shop = res.body.clusters[2];
    expect(shop.snapshotCount).toBe(5);
    // Newest capture first: the upload captured "now" beats the one captured on 2026-11-27.
    expect(Date.parse(shop.latestSnapshot.capturedAt)).toBeGreaterThan(Date.parse('2026-11-27T10:30:00Z'));
    expect(res.body.clusters[0]).toMatchObject({ snapshotCount: 1, latestSnapshot: { counts: { namespaces: 1, pods: 0, workloads: 0, policies: 1 } } });
  });

  it('a Deployment of 2^31-1 replicas costs what one of 2 costs: counted, never a row per replica', async () => {
    const huge = `apiVersion: apps/v1
kind: Deployment
metadata: {name: huge, namespace: big}
spec:
  replicas: 2147483647
  selector: {matchLabels: {app: huge}}
  template: {metadata: {labels: {app: huge}}, spec: {containers: [{name: c}]}}
`;
    const before = await rowCounts(t.databaseUrl);
    const res = await post('big').set('Content-Type', 'application/yaml').send(huge);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.counts).toMatchObject({ pods: 2147483647, workloads: 1 });
    const after = await rowCounts(t.databaseUrl);
    const grown = Object.entries(after).filter(([table, n]) => n - (before[table] ?? 0) > 2);
    expect(grown).toEqual([]); // no table gained more than two rows
  });

  it('reads stored content back byte for byte, multi-byte UTF-8 included (content is read as text, not hex)', async () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: cafe}\nspec: {nodeName: "n\u0153ud-\u{1f600}", containers: [{name: c}]}\n';
    const upload = await post('utf8-content').send(text);
    expect(upload.status).toBe(201);
    const res = await t.http.get(`/api/v1/snapshots/${upload.body.id}/content`).buffer(true).parse((r, done) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    const bytes = res.body as Buffer;
    expect(sha256(bytes)).toBe(upload.body.contentSha256);
    expect(bytes.toString('utf8')).toContain('"nodeName":"n\u0153ud-\u{1f600}"');
  });
});
