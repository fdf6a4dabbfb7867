// Writes (issue 9): only the media types an upload is read as (YAML, JSON, gzip), never text/plain or forms, which
// a page of another site can post without a CORS preflight; no CORS at all; a capture time in the future beyond
// the allowed clock skew is refused (it would stay `latest` for good); every write and evidence download lands in
// the hash-chained audit log.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { firstAuditBreak, type AuditRecord } from '@netpol-atlas/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CLOCK_SKEW_MS } from '../src/ingest/captured-at.js';
import { startApp, type TestApp } from './support/app.js';
import { rowCounts, withClient } from './support/database.js';
import { demoYaml } from './support/demo.js';
import { errorCodes, gql } from './support/graphql.js';

const BODY = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n';
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('write hardening', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ auth: 'off' });
  });
  afterAll(() => t?.close());

  const post = (cluster: string, query = '') => t.http.post(`/api/v1/clusters/${cluster}/snapshots${query}`);

  it('refuses text/plain, forms, multipart and a missing Content-Type with 415 and writes nothing (even with NETPOL_AUTH=off)', async () => {
    const before = await rowCounts(t.databaseUrl);
    for (const type of ['text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await post('csrf').set('Content-Type', type).set('Origin', 'https://evil.example').send(BODY);
      expect({ type, status: res.status }).toEqual({ type, status: 415 });
      expect(res.body.message).toContain('is not accepted for uploads');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
    const none = await post('csrf').send(Buffer.from(BODY));
    expect(none.status).toBe(415);
    expect(await rowCounts(t.databaseUrl)).toEqual(before);
  });

  it('accepts YAML, JSON and gzip (by Content-Type or Content-Encoding)', async () => {
    for (const type of ['application/yaml', 'application/x-yaml', 'text/yaml', 'application/json']) {
      const res = await post('types').set('Content-Type', type).send(type === 'application/json' ? JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }) : BODY);
      expect({ type, status: res.status }).toEqual({ type, status: 201 });
    }
    const gz = await post('types').set('Content-Type', 'application/gzip').send(gzipSync(BODY));
    expect(gz.status).toBe(201);
    const encoded = await post('types').set('Content-Type', 'application/yaml').set('Content-Encoding', 'gzip').send(gzipSync(BODY));
    expect(encoded.status).toBe(201);
  });

  it('answers no CORS preflight: a browser on another origin may not send a write', async () => {
    const preflight = await t.http
      .options('/api/v1/clusters/csrf/snapshots')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-methods']).toBeUndefined();
    // GraphQL: a simple (preflight-free) cross-site POST is refused by Apollo's CSRF prevention.
    const simple = await t.http.post('/graphql').set('Content-Type', 'text/plain').set('Origin', 'https://evil.example').send(JSON.stringify({ query: 'mutation { createCluster(input: { name: "csrf", labels: [] }) { name } }' }));
    expect(simple.status).toBe(400);
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
    expect((await rowCounts(t.databaseUrl)).clusters).toBe(1);
  });

  it('refuses a capturedAt beyond the clock skew (9999-12-31 would stay `latest` for good), REST and GraphQL; allows a small skew', async () => {
    const first = await post('gate').set('Content-Type', 'application/yaml').send(demoYaml());
    expect(first.status).toBe(201);
    const before = await rowCounts(t.databaseUrl);
    const far = await post('gate', '?capturedAt=9999-12-31T00:00:00Z').set('Content-Type', 'application/yaml').send(BODY);
    expect(far.status).toBe(422);
    expect(far.body.message).toContain('is in the future');
    const soon = new Date(Date.now() + MAX_CLOCK_SKEW_MS + 60_000).toISOString();
    expect((await post('gate', `?capturedAt=${soon}`).set('Content-Type', 'application/yaml').send(BODY)).status).toBe(422);
    const viaGraphql = await gql(t, 'mutation($m: String!) { ingestSnapshot(cluster: "gate", manifests: $m, capturedAt: "9999-12-31T00:00:00Z") { deduplicated } }', { m: BODY });
    expect(errorCodes(viaGraphql)).toEqual(['BAD_USER_INPUT']);
    expect(await rowCounts(t.databaseUrl)).toEqual(before);
    // `latest` is still the real snapshot.
    const latest = await gql(t, '{ cluster(name: "gate") { latestSnapshot { id } } }');
    expect(latest.data!.cluster.latestSnapshot.id).toBe(first.body.id);
    // Within the skew (a collector whose clock is a minute ahead) is fine.
    const skewed = new Date(Date.now() + 60_000).toISOString();
    expect((await post('gate', `?capturedAt=${encodeURIComponent(skewed)}`).set('Content-Type', 'application/yaml').send(BODY)).status).toBe(201);
  });

  it('every write and evidence download is in the audit log, hash-chained, with who, what and the object hashes', async () => {
    const up = await post('audited').set('Content-Type', 'application/yaml').send(BODY);
    expect(up.status).toBe(201);
    expect((await t.http.get(`/api/v1/snapshots/${up.body.id}/content`)).status).toBe(200);
    const page = await t.http.get('/api/v1/audit');
    expect(page.status).toBe(200);
    const entries = page.body.entries as AuditRecord[];
    expect(firstAuditBreak(entries, sha256)).toBeUndefined();
    const parsed = entries.map((e) => JSON.parse(e.entry));
    const upload = parsed.find((e) => e.action === 'snapshot.upload' && e.target === up.body.id);
    expect(upload).toMatchObject({ details: { cluster: 'audited', contentSha256: up.body.contentSha256, deduplicated: up.body.deduplicated }, actor: { kind: 'open' } });
    expect(upload.remote).toMatch(/127\.0\.0\.1|::1/);
    expect(parsed.find((e) => e.action === 'snapshot.content.download' && e.target === up.body.id)).toMatchObject({ details: { contentSha256: up.body.contentSha256 } });
    // An entry changed after the fact (only a superuser could: the grants stop the app, the triggers the owner) breaks the chain there.
    const tampered = entries.map((e, i) => (i === 0 ? { ...e, entry: e.entry.replace('"action":"', '"action":"x') } : e));
    expect(firstAuditBreak(tampered, sha256)).toEqual({ seq: 1, reason: 'the hash does not match the entry' });
    const stored = await withClient(t.databaseUrl, (c) => c.query('SELECT count(*)::int AS n FROM audit_log'));
    expect(stored.rows[0].n).toBe(entries.length);
  });
});
