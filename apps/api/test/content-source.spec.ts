// The analysis and model threads read stored contents themselves (content-source.ts), so that contents never pass
// through the event loop: the same bytes as the repository's read, a replica first (a content only there is found),
// the primary when the replica misses (just ingested), null when neither has it; and the threads answer "missing"
// rather than failing. The "replica" is a second real database with the same migrations, not replicated (as in
// read-replicas.spec.ts): a row written to one shows where a read went. Stored reports (tens of MB at 50k pods) are
// read by the render and model threads the same way.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateSyntheticCluster, SIZE_PRESETS } from '../../../libs/engine/bench/synthetic-cluster.js';
import { analysisKey, keyText } from '../src/analysis/analysis-key.js';
import { AnalysisPool } from '../src/analysis/analysis-pool.js';
import { AnalysisService } from '../src/analysis/analysis.service.js';
import { ModelHost } from '../src/analysis/model-host.js';
import { closeContentSources, readContentFrom, readReportFrom } from '../src/snapshots/content-source.js';
import { SnapshotsRepository } from '../src/snapshots/snapshots.repository.js';
import { appRoleUrl, startApp, uploadJsonList, type TestApp } from './support/app.js';
import { copyReport, createDatabase, withClient } from './support/database.js';
import { gql, type Json } from './support/graphql.js';

const onlyOnReplica = Buffer.from(
  JSON.stringify([
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'replica-only' } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'replica-only', labels: { app: 'a' } }, status: { phase: 'Running', podIP: '10.9.0.1' } },
  ]),
);
const replicaSha = createHash('sha256').update(onlyOnReplica).digest('hex');
const unknownSha = 'f'.repeat(64);

describe('contents read by the threads that use them', () => {
  let t: TestApp;
  let replica: string;
  let primarySha: string;
  let snapshotId: string;
  const cluster = generateSyntheticCluster(SIZE_PRESETS.S, 3);
  beforeAll(async () => {
    replica = await createDatabase('replica');
    await (await startApp({ databaseUrl: replica })).close();
    await withClient(replica, (c) => c.query('INSERT INTO snapshot_contents (sha256, content, size_bytes) VALUES ($1, $2, $3)', [replicaSha, onlyOnReplica, onlyOnReplica.length]));
    t = await startApp();
    ({ id: snapshotId, contentSha256: primarySha } = await uploadJsonList(t, 'source', cluster.list));
  }, 120_000);
  afterAll(async () => {
    await closeContentSources();
    await t?.close();
  });

  it('gives the repository\'s bytes; a replica first, the primary when it misses, null when neither has it', async () => {
    const primaryUrl = appRoleUrl(t.databaseUrl);
    const viaRepository = (await t.app.get(SnapshotsRepository).content(primarySha))!;
    const read = (await readContentFrom({ sha256: primarySha, primaryUrl }))!;
    expect(read.equals(viaRepository)).toBe(true);
    // Owns its memory: it moves to a thread without a copy.
    expect(read.byteOffset).toBe(0);
    expect(read.buffer.byteLength).toBe(read.length);
    const withReplica = { primaryUrl, replicaUrls: [appRoleUrl(replica)] };
    expect((await readContentFrom({ ...withReplica, sha256: replicaSha }))!.equals(onlyOnReplica)).toBe(true);
    expect(await readContentFrom({ sha256: replicaSha, primaryUrl })).toBeNull();
    expect((await readContentFrom({ ...withReplica, sha256: primarySha }))!.equals(viaRepository)).toBe(true);
    expect(await readContentFrom({ ...withReplica, sha256: unknownSha })).toBeNull();
    await expect(readContentFrom({ sha256: "x' OR true --", primaryUrl })).rejects.toThrow(/not a content hash/);
  });

  it('the analysis and model threads read it themselves, and say when the store has no such content', async () => {
    const primaryUrl = appRoleUrl(t.databaseUrl);
    const pool = new AnalysisPool({ threads: 1 });
    const host = new ModelHost({ threads: 1 });
    try {
      const analysed = await pool.analyse(analysisKey(primarySha), { sha256: primarySha, primaryUrl });
      expect(analysed.errors).toEqual([]);
      expect(analysed.contentBytes).toBe((await t.app.get(SnapshotsRepository).content(primarySha))!.length);
      expect(Object.keys(analysed.artefacts).length).toBeGreaterThan(0);
      const missing = await pool.analyse(analysisKey(unknownSha), { sha256: unknownSha, primaryUrl });
      expect(missing).toMatchObject({ contentBytes: null, artefacts: {} });

      const loaded = await host.run({ op: 'load', key: keyText(analysisKey(primarySha)), contentFrom: { sha256: primarySha, primaryUrl }, options: {} });
      expect(loaded).toMatchObject({ loaded: true, from: 'built', errors: [] });
      const again = await host.run({ op: 'load', key: keyText(analysisKey(primarySha)), contentFrom: { sha256: unknownSha, primaryUrl }, options: {} });
      expect(again).toMatchObject({ loaded: true, from: 'held' }); // held: no read at all
      expect(await host.run({ op: 'load', key: keyText(analysisKey(unknownSha)), contentFrom: { sha256: unknownSha, primaryUrl }, options: {} })).toEqual({ contentMissing: true });
    } finally {
      await Promise.all([pool.close(), host.close()]);
    }
  }, 120_000);

  it('through the API, a cold analysis and a cold model never read the content on the event loop; a missing one is an error', async () => {
    const repository = t.app.get(SnapshotsRepository);
    const readHere = vi.spyOn(repository, 'content');
    const workload = (cluster.list.items as Json[]).find((o: Json) => o.kind === 'Deployment') as Json;
    const peer = { namespace: workload.metadata.namespace, name: workload.metadata.name, kind: 'Deployment' };
    const [who, reach] = await Promise.all([
      gql(t, `query($id: ID!, $to: PeerInput!) { whoCanReach(snapshotId: $id, to: $to, port: "8080") { peer { name } } }`, { id: snapshotId, to: peer }),
      gql(t, `query($id: ID!, $from: PeerInput!, $to: PeerInput!) { reachability(snapshotId: $id, from: $from, to: $to, port: 8080) { allowed } }`, { id: snapshotId, from: peer, to: peer }),
    ]);
    expect(who.errors).toBeUndefined();
    expect(reach.errors).toBeUndefined();
    expect(Array.isArray(who.data!.whoCanReach)).toBe(true);
    const service = t.app.get(AnalysisService);
    expect(service.stats().analysis!.computed).toBe(1);
    expect(service.stats()['model-thread']!.computed).toBeGreaterThanOrEqual(1);
    expect(readHere).not.toHaveBeenCalled();
    await expect(service.exposure(unknownSha)).rejects.toThrow(/missing from the store/);
    readHere.mockRestore();
  }, 120_000);

  it('a stored report is read the same way: its canonical JSON as stored (non-ASCII too), null for an unknown id, a quoted id refused', async () => {
    const primaryUrl = appRoleUrl(t.databaseUrl);
    const res = await gql(t, 'mutation($id: ID!) { generateReport(snapshotId: $id, framework: "soc2") { id } }', { id: snapshotId });
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    const reportId = res.data!.generateReport.id as string;
    const stored = await withClient(t.databaseUrl, async (c) => (await c.query<{ report_jcs: string }>('SELECT report_jcs FROM reports WHERE id = $1', [reportId])).rows[0]!.report_jcs);
    expect(await readReportFrom({ reportId, primaryUrl })).toBe(stored);
    // A text beyond ASCII (an intents name, a namespace's label) comes back as the same characters.
    const text = JSON.stringify({ note: 'zone “cde” → é, 漢字, 🙂' });
    const copyId = '00000000-0000-4000-8000-0000000000e1';
    await copyReport(t.databaseUrl, reportId, copyId, text);
    expect(await readReportFrom({ reportId: copyId, primaryUrl })).toBe(text);
    expect(await readReportFrom({ reportId: '00000000-0000-4000-8000-00000000ffff', primaryUrl })).toBeNull();
    await expect(readReportFrom({ reportId: "x' OR true --", primaryUrl })).rejects.toThrow(/not a report id/);
  }, 120_000);
});
