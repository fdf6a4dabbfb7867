// Large uploads are parsed in a worker thread with a memory budget: the event loop keeps answering while one is
// parsed, and a body that needs more than the budget is refused (413) without harming the server.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { normaliseSnapshot } from '../src/snapshots/objects/snapshot-objects.js';
import { startApp, type TestApp } from './support/app.js';
import { rowCounts } from './support/database.js';

// Wrapped as the server's modules import it: a call on the server's thread (this process) is counted; the parse
// worker loads the built module on its own.
vi.mock('../src/snapshots/objects/snapshot-objects.js', async (importOriginal) => {
  const module = await importOriginal<typeof import('../src/snapshots/objects/snapshot-objects.js')>();
  return { ...module, normaliseSnapshot: vi.fn(module.normaliseSnapshot) };
});
const normaliseOnThisThread = vi.mocked(normaliseSnapshot);

/** `n` Namespaces with labels, as multi-document YAML (about 120 bytes each). */
const namespaces = (n: number) =>
  Array.from({ length: n }, (_, i) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns-${i}\n  labels: {team: t${i % 50}, tier: backend}\n`).join('---\n');

describe('upload parsing in a worker thread', () => {
  let t: TestApp;
  beforeAll(async () => {
    // A tight budget so that a few MiB of YAML exceed it.
    t = await startApp({ uploadParseBudgetMb: 96 });
  });
  afterAll(() => t?.close());

  it('parses a large body in the worker thread (all 12,000 objects stored), and /healthz answers while it runs', async () => {
    const body = namespaces(12_000);
    expect(body.length).toBeGreaterThan(1024 * 1024);
    normaliseOnThisThread.mockClear();
    const upload = t.http.post('/api/v1/clusters/big/snapshots').set('Content-Type', 'application/yaml').send(body).then((res) => res);
    // The probe is answered while the upload is being parsed (it would wait behind an inline parse).
    const probe = await t.http.get('/healthz');
    expect(probe.status).toBe(200);
    const res = await upload;
    expect(res.status, res.text.slice(0, 300)).toBe(201);
    expect(res.body.counts.namespaces).toBe(12_000);
    // The content and the normalised objects were derived in the worker too (issue 13), not on the event loop.
    expect(normaliseOnThisThread).not.toHaveBeenCalled();
    const small = await t.http.post('/api/v1/clusters/inline/snapshots').set('Content-Type', 'application/yaml').send(namespaces(2));
    expect(small.status).toBe(201);
    // …while a small body is parsed and prepared inline (the mock sees it: the assertion above could fail).
    expect(normaliseOnThisThread).toHaveBeenCalledTimes(1);
  }, 120_000);

  it('a re-upload of stored content is deduplicated without waiting for its rows (worker and inline), and its rows are not written twice', async () => {
    const body = namespaces(12_001);
    const first = await t.http.post('/api/v1/clusters/again/snapshots').set('Content-Type', 'application/yaml').send(body);
    expect(first.status, first.text.slice(0, 300)).toBe(201);
    const before = await rowCounts(t.databaseUrl);
    const second = await t.http.post('/api/v1/clusters/again/snapshots').set('Content-Type', 'application/yaml').send(body);
    expect(second.status, second.text.slice(0, 300)).toBe(201);
    expect(second.body).toMatchObject({ deduplicated: true, contentSha256: first.body.contentSha256, counts: first.body.counts });
    const after = await rowCounts(t.databaseUrl);
    expect(after.snapshot_namespaces).toBe(before.snapshot_namespaces);
    expect(after.snapshots).toBe(before.snapshots + 1);
    // Inline, the rows of a re-upload are never derived: one normalisation for two uploads of one content.
    normaliseOnThisThread.mockClear();
    for (let i = 0; i < 2; i++) expect((await t.http.post('/api/v1/clusters/again/snapshots').set('Content-Type', 'application/yaml').send(namespaces(5))).status).toBe(201);
    expect(normaliseOnThisThread).toHaveBeenCalledTimes(1);
  }, 120_000);

  it('a body that needs more than the budget is refused with 413, nothing is written, and the server goes on', async () => {
    const before = await rowCounts(t.databaseUrl);
    const res = await t.http.post('/api/v1/clusters/huge/snapshots').set('Content-Type', 'application/yaml').send(namespaces(120_000));
    expect(res.status).toBe(413);
    expect(res.body.message).toContain('memory budget of 96 MiB');
    expect(await rowCounts(t.databaseUrl)).toEqual(before);
    const after = await t.http.post('/api/v1/clusters/small/snapshots').set('Content-Type', 'application/yaml').send(namespaces(3));
    expect(after.status).toBe(201);
  }, 120_000);
});
