// Issue 13: analyses of new snapshots are jobs in PostgreSQL (analysis_jobs), run by worker processes. Two BUILT API
// processes and two worker processes (`npm run worker`'s file) share one database: 21 uploads (20 contents, one
// uploaded twice) arrive concurrently through both APIs; each content is analysed exactly once (one completion,
// one result row per artefact), and a worker killed in the middle of a job loses nothing: the job's transaction
// is rolled back by PostgreSQL and another worker completes it.
//
// "Mid-job" is made deterministic without a test hook in the code: the test holds a SHARE lock on
// analysis_results, so each worker, having claimed a job and analysed it, waits inside its job transaction at the
// INSERT of the results; one of them is then killed with SIGKILL.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../src/database/migrate.js';
import { appRoleUrl, startApp } from './support/app.js';
import { DERIVED_ARTEFACTS } from '../src/analysis/derived-artefacts.js';
import { BUILT_MAIN, ensureApiBuilt } from './support/build.js';
import { createDatabase, withClient } from './support/database.js';
import { API_ROOT, waitForLine } from './support/processes.js';

const WORKER_MAIN = path.join(API_ROOT, 'dist', 'apps', 'api', 'src', 'jobs', 'worker-main.js');
const ADMIN_TOKEN = `npat_${randomBytes(9).toString('base64url')}_${randomBytes(32).toString('base64url')}`;
const TOKEN_SECRET = randomBytes(32).toString('base64url');
const SNAPSHOTS = 20;

/** A small cluster whose content differs per `i`: two namespaces, workloads, a default deny and an allow. */
function cluster(i: number): string {
  return `apiVersion: v1
kind: Namespace
metadata: { name: shop-${i}, labels: { team: t${i} } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop-${i} }
spec:
  replicas: ${1 + (i % 3)}
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: nginx, ports: [{ containerPort: 8080 }] }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: db, namespace: shop-${i} }
spec:
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec: { containers: [{ name: db, image: postgres, ports: [{ containerPort: 5432 }] }] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny, namespace: shop-${i} }
spec: { podSelector: {}, policyTypes: [Ingress] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web-to-db, namespace: shop-${i} }
spec:
  podSelector: { matchLabels: { app: db } }
  ingress: [{ from: [{ podSelector: { matchLabels: { app: web } } }], ports: [{ port: ${5432 + i} }] }]
`;
}

async function stop(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs: number, state?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${state ? `: ${state()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('analysis jobs: 2 API processes, 2 worker processes, one PostgreSQL', () => {
  let ownerUrl: string;
  let appUrl: string;
  let secretsDir: string;
  const children: ChildProcess[] = [];
  const apis: string[] = [];
  const workers: ChildProcess[] = [];

  const env = () => {
    const base: NodeJS.ProcessEnv = { ...process.env };
    delete base.DATABASE_OWNER_URL;
    return { ...base, DATABASE_URL: appUrl, NETPOL_MIGRATIONS: 'skip', NETPOL_SECRETS_DIR: secretsDir };
  };

  async function startApi(): Promise<string> {
    const child = spawn(process.execPath, [BUILT_MAIN], {
      env: {
        ...env(),
        PORT: '0',
        NETPOL_JOBS: 'off',
        NETPOL_DEMO_DATA: 'off',
        NETPOL_TOKEN_SECRET: TOKEN_SECRET,
        NETPOL_BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN,
        NETPOL_RATE_LIMIT: '1000000',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    const [, port] = await waitForLine(child, /^Netpol Atlas listening on http:\/\/localhost:(\d+)$/, 90_000);
    return `http://127.0.0.1:${port}`;
  }

  async function startWorker(): Promise<ChildProcess> {
    const child = spawn(process.execPath, [WORKER_MAIN], {
      env: { ...env(), NETPOL_ANALYSIS_THREADS: '1', NETPOL_JOB_POLL_MS: '100' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    await waitForLine(child, /^Netpol Atlas worker \S+ running analysis jobs$/, 60_000);
    return child;
  }

  beforeAll(async () => {
    ensureApiBuilt();
    secretsDir = mkdtempSync(path.join(os.tmpdir(), 'netpol-jobs-'));
    ownerUrl = await createDatabase('jobs');
    appUrl = appRoleUrl(ownerUrl);
    await runMigrations(ownerUrl);
    // One after the other: the first creates the bootstrap admin token, the second finds it.
    apis.push(await startApi());
    apis.push(await startApi());
    workers.push(await startWorker(), await startWorker());
  }, 240_000);

  afterAll(async () => {
    await Promise.all(children.map((child) => stop(child)));
    rmSync(secretsDir, { recursive: true, force: true });
  });

  it('each of 20 contents is analysed exactly once, and the job of a worker killed mid-job is completed by another', async () => {
    const lock = new pg.Client({ connectionString: ownerUrl });
    await lock.connect();
    let locked = true;
    try {
      await lock.query('BEGIN');
      await lock.query('LOCK TABLE analysis_results IN SHARE MODE');

      const upload = (api: string, body: string) =>
        fetch(`${api}/api/v1/clusters/jobs/snapshots`, {
          method: 'POST',
          headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/yaml' },
          body,
        }).then(async (res) => ({ status: res.status, body: (await res.json()) as { id: string; contentSha256: string; deduplicated: boolean } }));
      const results = await Promise.all([
        ...Array.from({ length: SNAPSHOTS }, (_, i) => upload(apis[i % 2], cluster(i))),
        // The same content as snapshot 0, through the other API: a snapshot, not another job.
        upload(apis[1], cluster(0)),
      ]);
      expect(results.map((r) => r.status)).toEqual(Array(SNAPSHOTS + 1).fill(201));
      const contents = new Set(results.map((r) => r.body.contentSha256));
      expect(contents.size).toBe(SNAPSHOTS);

      // Both workers have claimed a job, analysed it, and wait in their job transaction to write the results.
      await until(
        'both workers to wait at the results INSERT',
        async () => {
          const rows = await withClient(ownerUrl, (c) =>
            c.query(`SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO analysis_results%'`),
          );
          return rows.rowCount === 2;
        },
        60_000,
      );
      const [victim] = workers;
      const victimName = `${os.hostname()}:${victim.pid}`;
      const held = await withClient(ownerUrl, (c) =>
        c.query<{ content_sha256: string }>(`SELECT content_sha256 FROM analysis_jobs WHERE worker = $1 AND state = 'queued'`, [victimName]),
      );
      expect(held.rows).toHaveLength(1);
      const killedJob = held.rows[0].content_sha256;
      await stop(victim, 'SIGKILL');
      await lock.query('COMMIT');
      locked = false;
      // A replacement, as a Deployment would start one.
      workers.push(await startWorker());

      let lastJobs: { state: string }[] = [];
      const jobs = await until(
        'every job to be done',
        async () => {
          const rows = await withClient(ownerUrl, (c) =>
            c.query<{ content_sha256: string; state: string; attempts: number; completions: number; worker: string }>(
              'SELECT content_sha256, state, attempts, completions, worker FROM analysis_jobs ORDER BY content_sha256',
            ),
          );
          lastJobs = rows.rows;
          return rows.rows.every((row) => row.state === 'done') && rows.rows;
        },
        180_000,
        () => JSON.stringify(lastJobs.filter((job) => job.state !== 'done')),
      );
      expect(jobs.map((job) => job.content_sha256)).toEqual([...contents].sort());
      expect(jobs.map((job) => job.completions)).toEqual(Array(SNAPSHOTS).fill(1));
      const killed = jobs.find((job) => job.content_sha256 === killedJob)!;
      expect(killed.attempts).toBeGreaterThanOrEqual(2);
      expect(killed.worker).not.toBe(victimName);
      // Nothing of the killed transaction survived; every content has exactly its artefacts, once each.
      const artefacts = await withClient(ownerUrl, (c) =>
        c.query<{ content_sha256: string; kinds: string }>(
          `SELECT content_sha256, string_agg(kind, ',' ORDER BY kind) AS kinds FROM analysis_results GROUP BY content_sha256 ORDER BY content_sha256`,
        ),
      );
      expect(artefacts.rows).toEqual([...contents].sort().map((sha) => ({ content_sha256: sha, kinds: DERIVED_ARTEFACTS.map((artefact) => artefact.kind).sort().join(',') })));

      // The APIs answer from the workers' results (Postgres), without analysing.
      const snapshot = results[SNAPSHOTS - 1].body.id;
      for (const api of apis) {
        const res = await fetch(`${api}/api/v1/snapshots/${snapshot}/connectivity?format=txt`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
        expect(res.status).toBe(200);
        expect(res.headers.get('x-netpol-analysis-cache')).toBe('store');
        expect(await res.text()).toContain(`shop-${SNAPSHOTS - 1}/web[Deployment] => shop-${SNAPSHOTS - 1}/db[Deployment] : TCP ${5432 + SNAPSHOTS - 1}`);
      }
    } finally {
      if (locked) await lock.query('ROLLBACK').catch(() => undefined);
      await lock.end();
    }
  }, 300_000);
});

describe('analysis jobs in the server (NETPOL_JOBS=in-server, one machine)', () => {
  it('a new snapshot is analysed in the background; /readyz shows the queue drained', async () => {
    const t = await startApp({ jobs: 'in-server' });
    try {
      const res = await t.http.post('/api/v1/clusters/solo/snapshots').set('Content-Type', 'application/yaml').send(cluster(1));
      expect(res.status).toBe(201);
      const sha: string = res.body.contentSha256;
      await until(
        'the in-server job',
        async () =>
          (await withClient(t.databaseUrl, (c) => c.query(`SELECT 1 FROM analysis_jobs WHERE content_sha256 = $1 AND state = 'done' AND completions = 1`, [sha]))).rowCount === 1,
        60_000,
      );
      const ready = await t.http.get('/readyz');
      expect(ready.body).toEqual({ ready: true, database: 'reachable', migrations: 'applied', queue: { state: 'readable', queued: 0, failed: 0 } });
      const download = await t.http.get(`/api/v1/snapshots/${res.body.id}/connectivity?format=txt`);
      expect(download.headers['x-netpol-analysis-cache']).toBe('store');
    } finally {
      await t.close();
    }
  }, 120_000);

  it('a content the engine cannot analyse is a failed job, counted by the queue, not retried', async () => {
    const t = await startApp({ jobs: 'in-server' });
    try {
      // Pods of one owner with labels a selector tells apart: the engine refuses the model (INCONSISTENT_LABELS).
      const pods = [0, 1]
        .map(
          (i) => `apiVersion: v1
kind: Pod
metadata:
  name: web-${i}
  namespace: shop
  labels: { app: web, variant: v${i} }
  ownerReferences: [{ apiVersion: apps/v1, kind: ReplicaSet, name: web-rs, uid: u1, controller: true }]
spec: { containers: [{ name: c, image: nginx }] }
status: { phase: Running, podIP: 10.0.0.${i + 1} }`,
        )
        .join('\n---\n');
      const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: only-v0, namespace: shop }
spec: { podSelector: { matchLabels: { variant: v0 } }, policyTypes: [Ingress] }`;
      const res = await t.http.post('/api/v1/clusters/bad/snapshots').set('Content-Type', 'application/yaml').send(`${pods}\n---\n${policy}\n`);
      expect(res.status, res.text).toBe(201);
      const sha: string = res.body.contentSha256;
      const job = await until(
        'the failed job',
        async () =>
          (await withClient(t.databaseUrl, (c) => c.query<{ state: string; attempts: number; error: string }>(`SELECT state, attempts, error FROM analysis_jobs WHERE content_sha256 = $1 AND state <> 'queued'`, [sha]))).rows[0],
        60_000,
      );
      expect(job).toMatchObject({ state: 'failed', attempts: 1 });
      expect(job.error).toMatch(/INCONSISTENT/);
      const ready = await t.http.get('/readyz');
      expect(ready.body.queue).toEqual({ state: 'readable', queued: 0, failed: 1 });
    } finally {
      await t.close();
    }
  }, 120_000);
});
