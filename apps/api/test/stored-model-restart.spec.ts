// Issue 13: after a restart, the first question is answered from the stored model (stored-model.ts, one more derived
// artefact stored by the analysis) loaded into its model thread, not from a model built from the stored content: the
// content is not even read. Every question kind answers byte for byte as before the restart; a computation that
// needs the content's objects (lint) completes the model from the content; a stored model of an older engine
// version, or of another model shape, is never used (the model is built from the content, the answers unchanged).
// A snapshot analysed before models were stored (its analysis stored, no stored model) gets its stored model when a
// model thread builds its model from the content, so the restart after that loads it.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { gunzipSync, gzipSync } from 'node:zlib';
import { generateSyntheticCluster, SIZE_PRESETS } from '../../../libs/engine/bench/synthetic-cluster.js';
import { analysisKey } from '../src/analysis/analysis-key.js';
import { AnalysisStore } from '../src/analysis/analysis-store.js';
import { AnalysisService } from '../src/analysis/analysis.service.js';
import { ENGINE_VERSION } from '../src/analysis/engine-versions.js';
import { STORED_MODEL_KIND } from '../src/analysis/stored-model.js';
import { SnapshotsService } from '../src/snapshots/snapshots.service.js';
import { startApp, uploadJsonList, type TestApp } from './support/app.js';
import { withClient } from './support/database.js';
import { gql, type Json } from './support/graphql.js';

const PEER_FIELDS = 'peer { type namespace kind name ipRange } portsText';
const SIDE = 'isolated policies steps { tier kind namespace name priority rule ruleName action text } allowedBy { policy namespace rule ports { protocol from to name } }';
const QUESTIONS = `query($id: ID!, $from: PeerInput!, $to: PeerInput!, $port: Port!) {
  reachability(snapshotId: $id, from: $from, to: $to, port: $port) { allowed explanation { summary ingress { ${SIDE} } egress { ${SIDE} } } }
  udp: reachability(snapshotId: $id, from: $from, to: $to, port: $port, protocol: UDP) { allowed explanation { summary ingress { ${SIDE} } egress { ${SIDE} } } }
  icmpReachability(snapshotId: $id, from: $from, to: $to, icmpType: 8) { allowed explanation { summary ingress { ${SIDE} } egress { ${SIDE} } } }
  whoCanReach(snapshotId: $id, to: $to, port: $port) { ${PEER_FIELDS} }
  reachableFrom(snapshotId: $id, from: $from) { ${PEER_FIELDS} } }`;

describe('the first answer after a restart comes from the stored model', () => {
  const cluster = generateSyntheticCluster(SIZE_PRESETS.S, 21);
  const deployments = (cluster.list.items as Json[]).filter((o) => o.kind === 'Deployment');
  const peer = (o: Json) => ({ namespace: o.metadata.namespace, name: o.metadata.name, kind: 'Deployment' });
  const questions = deployments.slice(0, 8).map((from, i) => ({ from: peer(from), to: peer(deployments[(i * 5 + 3) % deployments.length]!), port: ['8080', '80', '53', '5432'][i % 4]! }));
  let t: TestApp;
  let id: string;
  let sha: string;
  let before: string[];

  const ask = async () => {
    const answers: string[] = [];
    for (const question of questions) {
      const answer = await gql(t, QUESTIONS, { id, ...question });
      answers.push(JSON.stringify(answer));
    }
    expect(answers.filter((answer) => answer.includes('"errors"'))).toEqual([]);
    return answers;
  };
  const restart = async () => {
    await t.close();
    t = await startApp({ databaseUrl: t.databaseUrl });
  };

  beforeAll(async () => {
    t = await startApp();
    ({ id, contentSha256: sha } = await uploadJsonList(t, 'stored-model', cluster.list));
    // Built from the content; the analysis (computed in a thread) stores the model with the other artefacts.
    before = await ask();
    const kinds = await withClient(t.databaseUrl, (c) => c.query<{ kind: string }>('SELECT kind FROM analysis_results WHERE content_sha256 = $1', [sha]));
    expect(kinds.rows.map((row) => row.kind)).toContain(STORED_MODEL_KIND);
  }, 180_000);
  afterAll(() => t?.close());

  it('answers every question kind as before, from the stored model, without reading the content', async () => {
    await restart();
    const service = t.app.get(AnalysisService);
    const content = vi.spyOn(t.app.get(SnapshotsService), 'content');
    expect(await ask()).toEqual(before);
    expect(content).not.toHaveBeenCalled();
    expect(service.contentReads).toBe(0);
    // The fast path, as /metrics counts it: loaded into the model thread from the stored model, never built.
    expect(service.stats()['model-thread']).toMatchObject({ store: 1, computed: 0 });
    expect(service.stats().analysis).toEqual({ memory: 0, store: 1, computed: 0 });
    const metrics = await t.http.get('/metrics');
    expect(metrics.text).toMatch(/artefact="model-thread"[^\n]*source="store"[^\n]* 1\n/);
    // The lint reads the content's objects: the model is completed from the content, then answers stay the same.
    const lint = await t.http.get(`/api/v1/snapshots/${id}/lint?format=json`);
    expect(lint.status, lint.text.slice(0, 300)).toBe(200);
    // Read by the model thread itself (content-source.ts), never on this thread.
    expect(service.contentReads).toBe(1);
    expect(content).not.toHaveBeenCalled();
    expect(service.stats()['model-thread']!.computed).toBe(1);
    expect(await ask()).toEqual(before);
  }, 180_000);

  const storedModels = () =>
    withClient(t.databaseUrl, async (c) => (await c.query<{ engine_version: number; payload: Buffer }>('SELECT engine_version, payload FROM analysis_results WHERE content_sha256 = $1 AND kind = $2 ORDER BY engine_version', [sha, STORED_MODEL_KIND])).rows);

  it('stores the model of a snapshot analysed before models were stored, so the next restart loads it', async () => {
    // As after an upgrade: the analysis and the other artefacts stored, no stored model.
    const [original] = await storedModels();
    expect(original?.engine_version).toBe(ENGINE_VERSION);
    await withClient(t.databaseUrl, (c) => c.query('DELETE FROM analysis_results WHERE content_sha256 = $1 AND kind = $2', [sha, STORED_MODEL_KIND]));
    await restart();
    let service = t.app.get(AnalysisService);
    let content = vi.spyOn(t.app.get(SnapshotsService), 'content');
    expect(await ask()).toEqual(before);
    // Built from the content (the analysis loaded from the store, not computed again), and its model stored.
    expect(service.contentReads).toBe(1);
    expect(content).not.toHaveBeenCalled();
    expect(service.stats()['model-thread']).toMatchObject({ store: 0, computed: 1 });
    expect(service.stats().analysis).toMatchObject({ store: 1, computed: 0 });
    expect(service.storedModelsBackfilled).toBe(1);
    const backfilled = await storedModels();
    expect(backfilled.map((row) => row.engine_version)).toEqual([ENGINE_VERSION]);
    // The same model the analysis stores (the encoding is deterministic).
    expect(backfilled[0]!.payload.equals(original!.payload)).toBe(true);
    // A second writer of the same row (another replica that built the model meanwhile): no failure, no duplicate.
    await t.app.get(AnalysisStore).save(analysisKey(sha), STORED_MODEL_KIND, backfilled[0]!.payload);
    expect(await storedModels()).toHaveLength(1);

    await restart();
    service = t.app.get(AnalysisService);
    content = vi.spyOn(t.app.get(SnapshotsService), 'content');
    expect(await ask()).toEqual(before);
    expect(content).not.toHaveBeenCalled();
    expect(service.contentReads).toBe(0);
    expect(service.stats()['model-thread']).toMatchObject({ store: 1, computed: 0 });
    expect(service.storedModelsBackfilled).toBe(0);
    const metrics = await t.http.get('/metrics');
    expect(metrics.text).toMatch(/artefact="model-thread"[^\n]*source="store"[^\n]* 1\n/);
  }, 180_000);

  it('after an upgrade of the stored form, a model stored in the format before is a miss: built, stored anew', async () => {
    // As stored by the code before (same engine version, kind `model-v1`): never read, never an error.
    expect(STORED_MODEL_KIND).not.toBe('model-v1');
    await withClient(t.databaseUrl, (c) => c.query('UPDATE analysis_results SET kind = $3 WHERE content_sha256 = $1 AND kind = $2', [sha, STORED_MODEL_KIND, 'model-v1']));
    await restart();
    const service = t.app.get(AnalysisService);
    expect(await ask()).toEqual(before);
    expect(service.stats()['model-thread']).toMatchObject({ store: 0, computed: 1 });
    expect(service.storedModelsRefused).toBe(0);
    expect(service.storedModelsBackfilled).toBe(1);
    const kinds = await withClient(t.databaseUrl, (c) => c.query<{ kind: string }>("SELECT kind FROM analysis_results WHERE content_sha256 = $1 AND kind LIKE 'model-%' ORDER BY kind", [sha]));
    expect(kinds.rows.map((row) => row.kind)).toEqual(['model-v1', STORED_MODEL_KIND].sort());
    // The next restart loads the new one.
    await restart();
    expect(await ask()).toEqual(before);
    expect(t.app.get(AnalysisService).stats()['model-thread']).toMatchObject({ store: 1, computed: 0 });
    await withClient(t.databaseUrl, (c) => c.query("DELETE FROM analysis_results WHERE content_sha256 = $1 AND kind = 'model-v1'", [sha]));
  }, 180_000);

  it('never uses a stored model of an older engine version or of another model shape', async () => {
    // An older engine version's row: not read (then pruned at start); the model is built from the content, and
    // stored under this version (the store has this version's analysis but not its model).
    await withClient(t.databaseUrl, (c) => c.query('UPDATE analysis_results SET engine_version = $2 WHERE content_sha256 = $1 AND kind = $3', [sha, ENGINE_VERSION - 1, STORED_MODEL_KIND]));
    await t.app.get(AnalysisService).clearMemory();
    const built = t.app.get(AnalysisService).stats()['model-thread']!;
    expect(await ask()).toEqual(before);
    expect(t.app.get(AnalysisService).stats()['model-thread']).toMatchObject({ store: built.store, computed: built.computed + 1 });
    expect((await storedModels()).map((row) => row.engine_version)).toEqual([ENGINE_VERSION - 1, ENGINE_VERSION]);
    // This version's row, but stored by code that shaped the model otherwise: refused, built from the content (and
    // not replaced: a refused row is another code's, which the next engine version prunes).
    await withClient(t.databaseUrl, async (c) => {
      const row = (await c.query<{ payload: Buffer }>('SELECT payload FROM analysis_results WHERE content_sha256 = $1 AND kind = $2 AND engine_version = $3', [sha, STORED_MODEL_KIND, ENGINE_VERSION])).rows[0]!;
      const data = JSON.parse(gunzipSync(row.payload).toString('utf8')) as Record<string, unknown>;
      const payload = gzipSync(JSON.stringify({ ...data, signature: 'f'.repeat(64) }));
      await c.query('UPDATE analysis_results SET payload = $4, size_bytes = $5 WHERE content_sha256 = $1 AND kind = $3 AND engine_version = $2', [sha, ENGINE_VERSION, STORED_MODEL_KIND, payload, payload.length]);
    });
    await restart();
    const service = t.app.get(AnalysisService);
    expect(await ask()).toEqual(before);
    expect(service.storedModelsRefused).toBe(1);
    expect(service.storedModelsBackfilled).toBe(0);
    expect(service.stats()['model-thread']).toMatchObject({ store: 0, computed: 1 });
  }, 180_000);
});
