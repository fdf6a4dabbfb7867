// Issue 13: after a restart, the first question is answered from the stored model (stored-model.ts, one more derived
// artefact stored by the analysis) loaded into its model thread, not from a model built from the stored content: the
// content is not even read. Every question kind answers byte for byte as before the restart; a computation that
// needs the content's objects (lint) completes the model from the content; a stored model of an older engine
// version, or of another model shape, is never used (the model is built from the content, the answers unchanged).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { gunzipSync, gzipSync } from 'node:zlib';
import { generateSyntheticCluster, SIZE_PRESETS } from '../../../libs/engine/bench/synthetic-cluster.js';
import { AnalysisService } from '../src/analysis/analysis.service.js';
import { ENGINE_VERSION } from '../src/analysis/engine-versions.js';
import { STORED_MODEL_KIND } from '../src/analysis/stored-model.js';
import { SnapshotsService } from '../src/snapshots/snapshots.service.js';
import { startApp, type TestApp } from './support/app.js';
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
    const res = await t.http.post('/api/v1/clusters/stored-model/snapshots').set('Content-Type', 'application/json').send(JSON.stringify(cluster.list));
    expect(res.status, res.text.slice(0, 300)).toBe(201);
    id = res.body.id;
    sha = res.body.contentSha256;
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
    // The fast path, as /metrics counts it: loaded into the model thread from the stored model, never built.
    expect(service.stats()['model-thread']).toMatchObject({ store: 1, computed: 0 });
    expect(service.stats().analysis).toEqual({ memory: 0, store: 1, computed: 0 });
    const metrics = await t.http.get('/metrics');
    expect(metrics.text).toMatch(/artefact="model-thread"[^\n]*source="store"[^\n]* 1\n/);
    // The lint reads the content's objects: the model is completed from the content, then answers stay the same.
    const lint = await t.http.get(`/api/v1/snapshots/${id}/lint?format=json`);
    expect(lint.status, lint.text.slice(0, 300)).toBe(200);
    expect(content).toHaveBeenCalled();
    expect(service.stats()['model-thread']!.computed).toBe(1);
    expect(await ask()).toEqual(before);
  }, 180_000);

  it('never uses a stored model of an older engine version or of another model shape', async () => {
    // An older engine version's row: not read (then pruned at start); the model is built from the content.
    await withClient(t.databaseUrl, (c) => c.query('UPDATE analysis_results SET engine_version = $2 WHERE content_sha256 = $1 AND kind = $3', [sha, ENGINE_VERSION - 1, STORED_MODEL_KIND]));
    await t.app.get(AnalysisService).clearMemory();
    const built = t.app.get(AnalysisService).stats()['model-thread']!;
    expect(await ask()).toEqual(before);
    expect(t.app.get(AnalysisService).stats()['model-thread']).toMatchObject({ store: built.store, computed: built.computed + 1 });
    // This version's row, but stored by code that shaped the model otherwise: refused, built from the content.
    await withClient(t.databaseUrl, async (c) => {
      const row = (await c.query<{ payload: Buffer }>('SELECT payload FROM analysis_results WHERE content_sha256 = $1 AND kind = $2', [sha, STORED_MODEL_KIND])).rows[0]!;
      const data = JSON.parse(gunzipSync(row.payload).toString('utf8')) as Record<string, unknown>;
      const payload = gzipSync(JSON.stringify({ ...data, signature: 'f'.repeat(64) }));
      await c.query('UPDATE analysis_results SET engine_version = $2, payload = $4, size_bytes = $5 WHERE content_sha256 = $1 AND kind = $3', [sha, ENGINE_VERSION, STORED_MODEL_KIND, payload, payload.length]);
    });
    await restart();
    const service = t.app.get(AnalysisService);
    expect(await ask()).toEqual(before);
    expect(service.storedModelsRefused).toBe(1);
    expect(service.stats()['model-thread']).toMatchObject({ store: 0, computed: 1 });
  }, 180_000);
});
