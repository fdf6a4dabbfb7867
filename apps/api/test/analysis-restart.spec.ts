// Issue 13 follow-up: the factorised analysis is computed in a worker thread and stored serialised
// (derived-artefacts.ts SERIALIZED_ANALYSIS); the model thread that answers the reachability queries
// (model-host.ts) loads it onto its model: the server's thread neither analyses nor builds the model. `analyze` as the
// API imports it is wrapped here, so a call on the server's thread (this process) would be counted; the worker
// threads load the built engine on their own. After a restart (a new app on the same database) the analysis comes
// from Postgres: no thread runs.
import { analyze, reachableFrom as engineReachableFrom } from '@netpol-atlas/engine';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateSyntheticCluster, SIZE_PRESETS } from '../../../libs/engine/bench/synthetic-cluster.js';
import { AnalysisPool } from '../src/analysis/analysis-pool.js';
import { AnalysisService } from '../src/analysis/analysis.service.js';
import { CNI_PROFILE, DERIVED_ARTEFACTS, EXPOSURE, SERIALIZED_ANALYSIS } from '../src/analysis/derived-artefacts.js';
import { STORED_MODEL_KIND } from '../src/analysis/stored-model.js';
import { modelFromContent } from '../src/analysis/snapshot-model.js';
import { startApp, uploadJsonList, type TestApp } from './support/app.js';
import { withClient } from './support/database.js';
import { gql, type Json } from './support/graphql.js';

vi.mock('@netpol-atlas/engine', async (importOriginal) => {
  const engine = await importOriginal<typeof import('@netpol-atlas/engine')>();
  return { ...engine, analyze: vi.fn(engine.analyze) };
});
const analyzeOnThisThread = vi.mocked(analyze);

const REACHABLE_FROM = `query($id: ID!, $from: PeerInput!) {
  reachableFrom(snapshotId: $id, from: $from) { peer { type namespace kind name ipRange } portsText } }`;
const WHO_CAN_REACH = `query($id: ID!, $to: PeerInput!) {
  whoCanReach(snapshotId: $id, to: $to, port: "8080") { peer { type namespace kind name ipRange } portsText } }`;

describe('the analysis is loaded, never analysed on the server thread, and read back after a restart', () => {
  const cluster = generateSyntheticCluster(SIZE_PRESETS.S, 11);
  const workload = (cluster.list.items as Json[]).find((o: Json) => o.kind === 'Deployment') as Json;
  const peer = { namespace: workload.metadata.namespace, name: workload.metadata.name, kind: 'Deployment' };
  let t: TestApp;
  let id: string;
  let sha: string;
  let first: { reachableFrom: Json; whoCanReach: Json };
  beforeAll(async () => {
    t = await startApp();
    ({ id, contentSha256: sha } = await uploadJsonList(t, 'restart', cluster.list));
  }, 120_000);
  afterAll(() => t?.close());

  it('cold whoCanReach and reachableFrom at once: one analysis, in a thread, stored serialised; analyze not called here', async () => {
    const pool = t.app.get(AnalysisPool);
    const service = t.app.get(AnalysisService);
    analyzeOnThisThread.mockClear();
    const [from, to] = await Promise.all([gql(t, REACHABLE_FROM, { id, from: peer }), gql(t, WHO_CAN_REACH, { id, to: peer })]);
    expect(from.errors).toBeUndefined();
    expect(to.errors).toBeUndefined();
    first = { reachableFrom: from.data!.reachableFrom, whoCanReach: to.data!.whoCanReach };
    expect(first.reachableFrom.length).toBeGreaterThan(0);
    expect(analyzeOnThisThread).not.toHaveBeenCalled();
    expect(pool.started).toBe(1);
    // One load into the model thread (the second query joined it or found it held there).
    expect(service.stats().analysis).toEqual({ memory: 0, store: 0, computed: 1 });
    expect(service.stats()['model-thread']!.computed).toBe(1);
    expect(service.stats().model.computed).toBe(0);
    const kinds = await withClient(t.databaseUrl, (c) =>
      c.query<{ kind: string }>('SELECT kind FROM analysis_results WHERE content_sha256 = $1 ORDER BY kind', [sha]),
    );
    // Every registered artefact (the table, the API's rows and matrix, exposure, analysis, model, profile), once.
    expect(kinds.rows.map((row) => row.kind)).toEqual(DERIVED_ARTEFACTS.map((artefact) => artefact.kind).sort());
    expect(kinds.rows.map((row) => row.kind)).toEqual(expect.arrayContaining([SERIALIZED_ANALYSIS.kind, CNI_PROFILE.kind, 'connectivity', EXPOSURE.kind, STORED_MODEL_KIND]));
  }, 120_000);

  it('the loaded analysis answers as `analyze` does', async () => {
    const content = await withClient(t.databaseUrl, async (c) =>
      (await c.query<{ content: Buffer }>('SELECT content FROM snapshot_contents WHERE sha256 = $1', [sha])).rows[0].content,
    );
    const expected = engineReachableFrom(analyze(modelFromContent(content, {}).snapshot), peer);
    expect(first.reachableFrom.map((row: Json) => row.portsText)).toEqual(expected.map((row) => row.portsText));
    expect(first.reachableFrom.map((row: Json) => row.peer.name ?? row.peer.ipRange)).toEqual(expected.map((row) => row.peer.name ?? row.peer.ipRange));
  }, 120_000);

  it('after a restart on the same database: the same answers from the stored analysis, no thread, no analyze', async () => {
    await t.close();
    t = await startApp({ databaseUrl: t.databaseUrl });
    const pool = t.app.get(AnalysisPool);
    const service = t.app.get(AnalysisService);
    analyzeOnThisThread.mockClear();
    const from = await gql(t, REACHABLE_FROM, { id, from: peer });
    const to = await gql(t, WHO_CAN_REACH, { id, to: peer });
    expect(from.data!.reachableFrom).toEqual(first.reachableFrom);
    expect(to.data!.whoCanReach).toEqual(first.whoCanReach);
    expect(analyzeOnThisThread).not.toHaveBeenCalled();
    expect(pool.started).toBe(0);
    expect(service.stats().analysis).toEqual({ memory: 0, store: 1, computed: 0 });
    // The model was loaded in the model thread from its stored model (stored-model.ts), never built on the server's thread.
    expect(service.stats()['model-thread']).toMatchObject({ store: 1, computed: 0 });
    expect(service.stats().model.computed).toBe(0);
  }, 120_000);

  it('a stored analysis that does not load onto the model (another shape) is recomputed in a thread, not here', async () => {
    await withClient(t.databaseUrl, async (c) => {
      const row = (await c.query<{ payload: Buffer }>('SELECT payload FROM analysis_results WHERE content_sha256 = $1 AND kind = $2', [sha, SERIALIZED_ANALYSIS.kind])).rows[0];
      const data = SERIALIZED_ANALYSIS.decode(row.payload);
      const payload = gzipSync(JSON.stringify({ ...data, shape: { ...data.shape, workloads: data.shape.workloads + 1 } }));
      await c.query('UPDATE analysis_results SET payload = $3, size_bytes = $4 WHERE content_sha256 = $1 AND kind = $2', [sha, SERIALIZED_ANALYSIS.kind, payload, payload.length]);
    });
    const pool = t.app.get(AnalysisPool);
    const service = t.app.get(AnalysisService);
    await service.clearMemory();
    analyzeOnThisThread.mockClear();
    const before = service.stats().analysis;
    const from = await gql(t, REACHABLE_FROM, { id, from: peer });
    expect(from.data!.reachableFrom).toEqual(first.reachableFrom);
    expect(analyzeOnThisThread).not.toHaveBeenCalled();
    expect(pool.started).toBe(1);
    expect(service.stats().analysis).toEqual({ ...before, store: before.store + 1, computed: before.computed + 1 });
  }, 120_000);
});
