// Models that do not stay held together in their model thread's memory budget (a diff of two 50k-pod snapshots
// under the default 1 GiB) are answered 503 with what to change, not 500: here a budget smaller than any model.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { NEW_CLUSTER, OLD_CLUSTER } from './support/diff-fixture.js';

describe('models over the model threads\' memory budget', () => {
  let t: TestApp;
  let oldId: string;
  let newId: string;
  const upload = async (body: string, capturedAt: string) => {
    const res = await t.http.post(`/api/v1/clusters/budget/snapshots?capturedAt=${capturedAt}`).set('Content-Type', 'application/yaml').send(body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return (res.body as { id: string }).id;
  };
  beforeAll(async () => {
    t = await startApp({ analysisCache: { entries: 8, bytes: 1 }, modelThreads: 1 });
    oldId = await upload(OLD_CLUSTER, '2026-11-01T10:00:00Z');
    newId = await upload(NEW_CLUSTER, '2026-11-02T10:00:00Z');
  }, 120_000);
  afterAll(() => t?.close());

  it('a diff with causes gets 503 naming NETPOL_ANALYSIS_CACHE_MB; a lint of one model still answers', async () => {
    const diff = await t.http.get('/api/v1/diff').query({ from: oldId, to: newId, format: 'txt', explain: 'true' });
    expect(diff.status, JSON.stringify(diff.body)).toBe(503);
    expect((diff.body as { message: string }).message).toMatch(/engine models of \w{12} and \w{12} do not stay held in the model thread's memory budget .*raise NETPOL_ANALYSIS_CACHE_MB/);
    // One model alone is held even over the budget (the thread keeps its newest entry): a lint still answers.
    const lint = await t.http.get(`/api/v1/snapshots/${newId}/lint`).query({ format: 'json' });
    expect(lint.status, JSON.stringify(lint.body)).toBe(200);
  }, 120_000);
});
