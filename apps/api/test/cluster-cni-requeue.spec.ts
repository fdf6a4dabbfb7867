// Issue 12 leftover: changing a cluster's CNI (setClusterCni, or a collector detection the server adopts) queues the
// analyses of the cluster's snapshots under the new profile in the PostgreSQL job queue (analysis_jobs), in the
// same transaction, idempotently as a new snapshot's: a content queued or done under those options is not queued
// again. The server here runs no jobs (jobs: 'off'), so the queue holds exactly what was enqueued; a job runner then
// drains it and the first question under the new profile reads the stored analysis instead of computing it.
import type { CniProfileName } from '@netpol-atlas/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analysisKey } from '../src/analysis/analysis-key.js';
import { AnalysisPool } from '../src/analysis/analysis-pool.js';
import { AnalysisService } from '../src/analysis/analysis.service.js';
import { JobRunner } from '../src/jobs/analysis-jobs.js';
import { startApp, type TestApp } from './support/app.js';
import { withClient } from './support/database.js';
import { gql } from './support/graphql.js';

const namespace = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${name} }\n`;
const pod = (ns: string, name: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata: { name: ${name}, namespace: ${ns}, labels: { app: ${name} } }\nspec: { containers: [{ name: c }] }\nstatus: { phase: Running, podIP: 10.0.0.${name.length} }\n`;
/** Two different contents (so two analyses per profile). */
const CONTENT_A = [namespace('a'), pod('a', 'web')].join('---\n');
const CONTENT_B = [namespace('b'), pod('b', 'api')].join('---\n');

interface JobRow {
  content_sha256: string;
  options_key: string;
  state: string;
  enqueued_at: Date;
}

describe('a CNI change queues the re-analysis of the cluster’s snapshots', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ jobs: 'off' });
  });
  afterAll(() => t?.close());

  const upload = async (cluster: string, body: string, query = '') => {
    const res = await t.http.post(`/api/v1/clusters/${cluster}/snapshots${query}`).set('Content-Type', 'application/yaml').send(body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; contentSha256: string };
  };
  const setCni = async (name: string, cni: string | null) => {
    const res = await gql(t, 'mutation($name: String!, $cni: String) { setClusterCni(name: $name, cni: $cni) { cni } }', { name, cni });
    expect(res.errors).toBeUndefined();
  };
  const jobs = (shas: readonly string[]) =>
    withClient(t.databaseUrl, async (c) =>
      (await c.query<JobRow>('SELECT content_sha256, options_key, state, enqueued_at FROM analysis_jobs WHERE content_sha256 = ANY($1) ORDER BY content_sha256, options_key', [shas])).rows,
    );
  const expectedJobs = (shas: readonly string[], ...cnis: (CniProfileName | null)[]) =>
    shas
      .flatMap((sha) => cnis.map((cni) => ({ content_sha256: sha, options_key: analysisKey(sha, cni ? { cni } : {}).optionsKey })))
      .sort((a, b) => (a.content_sha256 + a.options_key < b.content_sha256 + b.options_key ? -1 : 1));
  const keysOf = (rows: readonly JobRow[]) => rows.map(({ content_sha256, options_key }) => ({ content_sha256, options_key }));

  it('setClusterCni queues every content of the cluster under the new profile, once; other clusters untouched', async () => {
    const a = await upload('requeue', CONTENT_A);
    const b = await upload('requeue', CONTENT_B);
    await upload('requeue', CONTENT_A); // a second snapshot of one content: one job
    const other = await upload('requeue-other', `${CONTENT_B}---\n${namespace('c')}`);
    const shas = [a.contentSha256, b.contentSha256];
    // Uploads queued each content under the profile it implies (no CNI chosen).
    expect(keysOf(await jobs(shas))).toEqual(expectedJobs(shas, null));

    await setCni('requeue', 'calico');
    const queued = await jobs(shas);
    expect(keysOf(queued)).toEqual(expectedJobs(shas, null, 'calico'));
    expect(queued.every((row) => row.state === 'queued')).toBe(true);
    // The same choice again, and back to unset: nothing new (already queued under those options), nothing re-queued.
    await setCni('requeue', 'calico');
    await setCni('requeue', null);
    expect(await jobs(shas)).toEqual(queued);
    expect(keysOf(await jobs([other.contentSha256]))).toEqual(expectedJobs([other.contentSha256], null));
  });

  it('a collector detection the server adopts queues the cluster’s earlier snapshots too; an ignored one does not', async () => {
    const first = await upload('requeue-detected', CONTENT_A);
    const second = await upload('requeue-detected', CONTENT_B, '?cni=cilium');
    expect(keysOf(await jobs([first.contentSha256]))).toEqual(expectedJobs([first.contentSha256], null, 'calico', 'cilium'));
    expect(keysOf(await jobs([second.contentSha256]))).toEqual(expectedJobs([second.contentSha256], null, 'calico', 'cilium'));
    // A user's choice wins: a later detection changes no CNI and queues nothing.
    await setCni('requeue-detected', 'antrea');
    const before = await jobs([first.contentSha256, second.contentSha256]);
    await upload('requeue-detected', CONTENT_A, '?cni=ovn-kubernetes');
    expect(await jobs([first.contentSha256, second.contentSha256])).toEqual(before);
  });

  it('drained by a worker, the first question under the new profile reads the stored analysis', async () => {
    const { id, contentSha256 } = await upload('requeue-drained', CONTENT_A);
    await setCni('requeue-drained', 'cilium');
    const runner = new JobRunner({ databaseUrl: t.appDatabaseUrl, pool: t.app.get(AnalysisPool), concurrency: 1, log: () => undefined });
    try {
      while (await runner.runOne()) {
        // every queued job, the new profile's included
      }
    } finally {
      await runner.stop();
    }
    const states = await jobs([contentSha256]);
    expect(states.find((row) => row.options_key === analysisKey(contentSha256, { cni: 'cilium' }).optionsKey)?.state).toBe('done');
    const service = t.app.get(AnalysisService);
    await service.clearMemory();
    // GraphQL `connectivity` reads its stored rows (connectivity-rows.ts), stored by the job with the other artefacts.
    const before = service.stats()['connectivity-rows'] ?? { memory: 0, store: 0, computed: 0 };
    const res = await gql(t, 'query($id: ID!) { connectivity(snapshotId: $id, first: 10) { cniProfile } }', { id });
    expect(res.errors).toBeUndefined();
    expect(res.data!.connectivity.cniProfile).toBe('cilium');
    const after = service.stats()['connectivity-rows']!;
    expect({ store: after.store - before.store, computed: after.computed - before.computed }).toEqual({ store: 1, computed: 0 });
  });
});
