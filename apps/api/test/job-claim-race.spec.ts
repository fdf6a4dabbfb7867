// The job-claim race (fixed by CLAIM_GRACE_SECONDS in src/jobs/analysis-jobs.ts), made deterministic against the
// real PostgreSQL: a claim (committed at once) and the claimer's row lock are two statements, and here each claimer,
// between the two, lets the next one try its claim first. Without the grace each would re-claim the row and count an
// attempt, the fourth giving a healthy job up as failed; with it the job is run once, by its first claimer, with
// one attempt.
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalysisPool } from '../src/analysis/analysis-pool.js';
import { JobRunner, MAX_ATTEMPTS } from '../src/jobs/analysis-jobs.js';
import { startApp, type TestApp } from './support/app.js';
import { withClient } from './support/database.js';

const CONTENT = `apiVersion: v1
kind: Namespace
metadata: { name: race }
---
apiVersion: v1
kind: Pod
metadata: { name: web, namespace: race, labels: { app: web } }
spec: { containers: [{ name: web, image: nginx, ports: [{ containerPort: 8080 }] }] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny, namespace: race }
spec: { podSelector: {}, policyTypes: [Ingress] }
`;

interface JobState {
  state: string;
  attempts: number;
  completions: number;
  worker: string | null;
  error: string | null;
}

describe('analysis job claims interleaved between claim and lock', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t?.close());

  const job = (sha: string) =>
    withClient(t.databaseUrl, async (client) => (await client.query<JobState>('SELECT state, attempts, completions, worker, error FROM analysis_jobs WHERE content_sha256 = $1', [sha])).rows);

  it('the first claimer runs the job with one attempt; the others find nothing to claim', async () => {
    const upload = await t.http.post('/api/v1/clusters/claim-race/snapshots').set('Content-Type', 'application/yaml').send(CONTENT);
    expect(upload.status, JSON.stringify(upload.body)).toBe(201);
    const sha = (upload.body as { contentSha256: string }).contentSha256;
    expect(await job(sha)).toEqual([{ state: 'queued', attempts: 0, completions: 0, worker: null, error: null }]);

    const logs: string[] = [];
    const names = ['w1', 'w2', 'w3', 'w4'];
    expect(names.length).toBeGreaterThan(MAX_ATTEMPTS);
    const runners = names.map((name) => new JobRunner({ databaseUrl: t.appDatabaseUrl, pool: t.app.get(AnalysisPool), concurrency: 1, name, log: (line) => logs.push(line) }));
    // What each later claimer's runOne answered, in the order they were let in.
    const interleaved: { name: string; ran: boolean; jobBefore: JobState[] }[] = [];
    runners.forEach((runner, i) => {
      // runOne checks out a client for the job's lock right after its claim (`db.connect()` without a callback;
      // pg's own queries pass one): there, once, the next runner claims first.
      const db = (runner as unknown as { db: pg.Pool }).db;
      const connect = db.connect.bind(db) as (...args: unknown[]) => unknown;
      let letIn = false;
      (db as unknown as { connect: (...args: unknown[]) => unknown }).connect = (...args: unknown[]) => {
        const next = runners[i + 1];
        if (args.length > 0 || !next || letIn) return connect(...args);
        letIn = true;
        return (async () => {
          const jobBefore = await job(sha);
          interleaved.push({ name: names[i + 1], ran: await next.runOne(), jobBefore });
          return connect();
        })();
      };
    });
    try {
      expect(await runners[0].runOne()).toBe(true);
      // w2 tried while w1 held a fresh claim (one attempt, not yet locked), and found nothing to claim.
      expect(interleaved).toEqual([{ name: 'w2', ran: false, jobBefore: [{ state: 'queued', attempts: 1, completions: 0, worker: 'w1', error: null }] }]);
      expect(await job(sha)).toEqual([{ state: 'done', attempts: 1, completions: 1, worker: 'w1', error: null }]);
      // Done: nothing left for anyone.
      for (const runner of runners.slice(1)) expect(await runner.runOne()).toBe(false);
      expect(logs.filter((line) => /failed|gave up/.test(line))).toEqual([]);
      const results = await withClient(t.databaseUrl, async (client) => (await client.query<{ n: string }>('SELECT count(*) AS n FROM analysis_results WHERE content_sha256 = $1', [sha])).rows[0].n);
      expect(Number(results)).toBeGreaterThan(0);
    } finally {
      await Promise.all(runners.map((runner) => runner.stop()));
    }
  });
});
