// Issue 13: analyses run in the worker-thread pool (apps/api/src/analysis/analysis-pool.ts), never on the event
// loop, and concurrent requests for one snapshot share one computation. The engine model is never built on the
// server's thread for connectivity or exposure; what comes back is the stored artefacts.
import { analyze } from '@netpol-atlas/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSyntheticCluster, SIZE_PRESETS } from '../../../libs/engine/bench/synthetic-cluster.js';
import { AnalysisPool } from '../src/analysis/analysis-pool.js';
import { AnalysisService } from '../src/analysis/analysis.service.js';
import { DERIVED_ARTEFACTS } from '../src/analysis/derived-artefacts.js';
import { modelFromContent } from '../src/analysis/snapshot-model.js';
import { startApp, uploadJsonList, type TestApp } from './support/app.js';
import { withClient } from './support/database.js';
import { gql } from './support/graphql.js';

describe('analysis in worker threads', () => {
  let t: TestApp;
  let id: string;
  let sha: string;
  beforeAll(async () => {
    t = await startApp();
    const cluster = generateSyntheticCluster(SIZE_PRESETS.S, 7);
    ({ id, contentSha256: sha } = await uploadJsonList(t, 'threads', cluster.list));
  }, 120_000);
  afterAll(() => t?.close());

  it('six concurrent cold queries (connectivity and exposure, REST and GraphQL) start ONE analysis, in a thread', async () => {
    const pool = t.app.get(AnalysisPool);
    const service = t.app.get(AnalysisService);
    const startedBefore = pool.started;
    const exposure = () => gql(t, 'query($id: ID!) { exposure(snapshotId: $id) { internetExposed { workload { namespace name } } } }', { id });
    const download = () => t.http.get(`/api/v1/snapshots/${id}/connectivity?format=csv`);
    const answers = await Promise.all([download(), exposure(), download(), exposure(), download(), exposure()]);
    expect(pool.started - startedBefore).toBe(1);
    const [csv, , csv2] = answers as unknown as [{ status: number; text: string }, unknown, { text: string }];
    expect(csv.status).toBe(200);
    expect(csv.text.split('\n').length).toBeGreaterThan(100);
    expect(csv2.text).toBe(csv.text);
    const exposures = answers.filter((_, i) => i % 2 === 1).map((answer) => JSON.stringify(answer));
    expect(new Set(exposures).size).toBe(1);
    // The engine model was never built on the server's thread: the thread returned the encoded artefacts.
    expect(service.stats().model.computed).toBe(0);
    // Both artefacts were stored by the one analysis.
    const kinds = await withClient(t.databaseUrl, (c) =>
      c.query<{ kind: string }>('SELECT kind FROM analysis_results WHERE content_sha256 = $1 ORDER BY kind', [sha]),
    );
    expect(kinds.rows.map((row) => row.kind)).toEqual(['analysis-v1', 'cni-profile-v2', 'connectivity', 'connectivity-rows', 'connectivity-rows-merged-ip', 'exposure-v2', 'model-v3', 'namespace-matrix']);
  }, 120_000);

  it('the thread stores what the server thread would compute: the same connectivity table and exposure', async () => {
    const rows = await withClient(t.databaseUrl, async (c) => ({
      content: (await c.query<{ content: Buffer }>('SELECT content FROM snapshot_contents WHERE sha256 = $1', [sha])).rows[0].content,
      stored: (await c.query<{ kind: string; payload: Buffer }>('SELECT kind, payload FROM analysis_results WHERE content_sha256 = $1', [sha])).rows,
    }));
    const model = modelFromContent(rows.content, {});
    const analysis = analyze(model.snapshot);
    for (const artefact of DERIVED_ARTEFACTS) {
      const stored = rows.stored.find((row) => row.kind === artefact.kind);
      expect(stored, artefact.kind).toBeDefined();
      expect(artefact.decode(stored!.payload)).toEqual(artefact.compute(analysis, model));
    }
  }, 120_000);
});
