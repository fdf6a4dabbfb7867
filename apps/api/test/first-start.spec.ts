// First start: the BUILT server (node apps/api/dist/…/main.js) against an empty database applies the migrations,
// loads the demo cluster, and is ready; then `npm start`'s script does the same with its own embedded PostgreSQL.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../../migrations/index.js';
import { createDatabase, rowCounts, withClient } from './support/database.js';
import { BUILT_MAIN, ensureApiBuilt } from './support/build.js';
import { REPO_ROOT, waitForLine } from './support/processes.js';

const MAIN = BUILT_MAIN;
const DEMO_QUERY = '{ clusters(first: 5) { totalCount edges { node { name snapshots(first: 1) { edges { node { counts { namespaces pods workloads policies } } } } } } } }';

/** SIGTERM, then how it ended: `0` for a clean exit or a re-raised SIGTERM (Nest's shutdown hooks do that). */
async function stop(child: ChildProcess): Promise<number | string> {
  const outcome = () => (child.signalCode === 'SIGTERM' ? 0 : (child.exitCode ?? child.signalCode ?? 'unknown'));
  if (child.exitCode !== null || child.signalCode !== null) return outcome();
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  return outcome();
}

/** Collects a child's stdout; `adminToken()` finds the first-start token line in it. */
function stdoutOf(child: ChildProcess) {
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return {
    text: () => text,
    adminToken: () => /first start: admin token (npat_\S+)/.exec(text)?.[1],
  };
}

async function expectDemoServed(url: string, token: string) {
  const ready = await fetch(`${url}/readyz`);
  expect(ready.status).toBe(200);
  // The demo's analysis job may still be queued or running in the server (NETPOL_JOBS=in-server).
  expect(await ready.json()).toMatchObject({ ready: true, database: 'reachable', migrations: 'applied', queue: { state: 'readable', failed: 0 } });
  const anonymous = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: DEMO_QUERY }) });
  expect(((await anonymous.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: DEMO_QUERY }),
  });
  const body = (await res.json()) as { data: { clusters: { totalCount: number; edges: { node: unknown }[] } } };
  expect(body.data.clusters.totalCount).toBe(1);
  expect(body.data.clusters.edges[0].node).toEqual({
    name: 'demo',
    snapshots: { edges: [{ node: { counts: { namespaces: 4, pods: 12, workloads: 8, policies: 8 } } }] },
  });
}

describe('first start', () => {
  const running: ChildProcess[] = [];
  beforeAll(() => ensureApiBuilt());
  afterEach(async () => {
    for (const child of running.splice(0)) await stop(child);
  });

  it('the built server against an empty database: migrations, demo data, /readyz 200, demo through GraphQL', async () => {
    const databaseUrl = await createDatabase('firststart');
    expect(await rowCounts(databaseUrl)).toEqual({});
    const secrets = mkdtempSync(path.join(os.tmpdir(), 'netpol-secrets-'));
    const server = spawn(process.execPath, [MAIN], {
      cwd: os.tmpdir(), // paths must not depend on the working directory
      env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', NETPOL_SECRETS_DIR: secrets },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.push(server);
    const out = stdoutOf(server);
    const [, url] = await waitForLine(server, /listening on (http:\/\/\S+)/, 60_000);
    // The admin token: printed once, and kept in the secrets folder readable by the owner only.
    const token = out.adminToken()!;
    expect(token).toMatch(/^npat_/);
    const tokenFile = path.join(secrets, 'admin-token');
    expect(readFileSync(tokenFile, 'utf8').trim()).toBe(token);
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(secrets, 'token-secret')).mode & 0o777).toBe(0o600);
    await expectDemoServed(url, token);
    // The server runs analysis jobs itself (NETPOL_JOBS defaults to in-server): the demo's is done in the background.
    for (let waited = 0; ; waited += 200) {
      const state = await withClient(databaseUrl, (c) => c.query<{ state: string }>('SELECT state FROM analysis_jobs'));
      if (state.rows[0]?.state === 'done') break;
      if (waited > 60_000) throw new Error(`the demo's analysis job is not done: ${JSON.stringify(state.rows)}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(await rowCounts(databaseUrl)).toEqual({
      analysis_jobs: 1,
      // Its connectivity (the table, and the API's rows in both IP-range views), namespace matrix, exposure, serialised
      // analysis, stored model and the CNI profile they were computed under, stored by the job.
      analysis_results: 8,
      api_tokens: 1,
      // The token's creation and the demo upload.
      audit_log: 2,
      clusters: 1,
      // The demo's compliance (issue 10): its intents, a PCI profile, the PCI report, the installation key.
      compliance_profiles: 1,
      migrations: migrations.length,
      // The report's rows in pages of 50 (what a page of evidence reads) and its view (what the reports list reads),
      // stored with it.
      report_row_pages: 5,
      report_views: 1,
      reports: 1,
      segmentation_intents: 1,
      signing_keys: 1,
      snapshot_contents: 1,
      // The demo's normalised objects (DEMO_COUNTS), stored with its snapshot.
      snapshot_namespaces: 4,
      snapshot_object_sets: 1,
      snapshot_pods: 12,
      snapshot_policies: 8,
      snapshot_workloads: 8,
      snapshots: 1,
    });
    expect(await stop(server)).toBe(0);
    // A second start creates no token and prints none.
    const again = spawn(process.execPath, [MAIN], { cwd: os.tmpdir(), env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', NETPOL_SECRETS_DIR: secrets }, stdio: ['ignore', 'pipe', 'pipe'] });
    running.push(again);
    const againOut = stdoutOf(again);
    await waitForLine(again, /listening on (http:\/\/\S+)/, 60_000);
    expect(againOut.adminToken()).toBeUndefined();
    expect((await rowCounts(databaseUrl)).api_tokens).toBe(1);
    rmSync(secrets, { recursive: true, force: true });
  });

  it('the built server refuses to start without DATABASE_URL and says why', () => {
    const env = { ...process.env };
    delete env.DATABASE_URL;
    const run = spawnSync(process.execPath, [MAIN], { env, encoding: 'utf8', timeout: 30_000 });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('DATABASE_URL is not set');
  });

  it('tools/start.mjs without DATABASE_URL: embedded PostgreSQL in NETPOL_DATA_DIR, the demo, the URL; SIGTERM stops both', async () => {
    // Directly under /tmp: the postgres user must reach it (a mkdtemp folder is 0700).
    const dataDir = path.join(os.tmpdir(), `netpol-start-${process.pid}-${Date.now()}`);
    const secrets = `${dataDir}-secrets`;
    const env: NodeJS.ProcessEnv = { ...process.env, NETPOL_DATA_DIR: dataDir, PORT: '0', NETPOL_SECRETS_DIR: secrets };
    delete env.DATABASE_URL;
    const start = spawn(process.execPath, [path.join(REPO_ROOT, 'tools', 'start.mjs'), '--no-build'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    running.push(start);
    const out = stdoutOf(start);
    try {
      const [, url] = await waitForLine(start, /^Netpol Atlas is ready: (http:\/\/localhost:\d+)/, 90_000);
      const token = out.adminToken()!;
      expect(readFileSync(path.join(secrets, 'admin-token'), 'utf8').trim()).toBe(token);
      await expectDemoServed(url, token);
      // Generated role passwords, kept in the data folder for the owner only; none of them is `password`.
      const roles = JSON.parse(readFileSync(path.join(dataDir, 'netpol-roles.json'), 'utf8'));
      expect(Object.keys(roles).sort()).toEqual(['app', 'owner', 'superuser']);
      expect(Object.values(roles)).not.toContain('password');
      expect(statSync(path.join(dataDir, 'netpol-roles.json')).mode & 0o777).toBe(0o600);
      const pid = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      expect(await stop(start)).toBe(0);
      // PostgreSQL stopped too, and its data stays for the next start.
      expect(existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(false);
      expect(() => process.kill(pid, 0)).toThrow();
      expect(existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);
    } finally {
      await stop(start);
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(secrets, { recursive: true, force: true });
    }
  });

  it('tools/start.mjs restarts a killed PostgreSQL (the API answers again), and exits non-zero when the API dies', async () => {
    const dataDir = path.join(os.tmpdir(), `netpol-start-${process.pid}-${Date.now()}`);
    const secrets = `${dataDir}-secrets`;
    const env: NodeJS.ProcessEnv = { ...process.env, NETPOL_DATA_DIR: dataDir, PORT: '0', NETPOL_SECRETS_DIR: secrets, NETPOL_DEMO_DATA: 'off' };
    delete env.DATABASE_URL;
    const start = spawn(process.execPath, [path.join(REPO_ROOT, 'tools', 'start.mjs'), '--no-build'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    running.push(start);
    let stderr = '';
    start.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const [, url] = await waitForLine(start, /^Netpol Atlas is ready: (http:\/\/localhost:\d+)/, 90_000);
      const postmaster = () => Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
      const first = postmaster();
      process.kill(first, 'SIGKILL');
      // Bounded wait for the supervisor: a new postmaster, and /readyz 200 again.
      let ready = false;
      for (let i = 0; i < 120 && !ready; i++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        ready = existsSync(path.join(dataDir, 'postmaster.pid')) && postmaster() !== first && (await fetch(`${url}/readyz`).then((r) => r.ok, () => false));
      }
      expect(ready, stderr).toBe(true);
      expect(stderr).toContain('restarting it (1/3)');
      // Now the API dies: npm start says so and exits non-zero (PostgreSQL stopped with it).
      const apiPid = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(start.pid)], { encoding: 'utf8' })
        .stdout.split('\n')
        .find((line) => line.includes('main.js'))!
        .trim()
        .split(/\s+/)[0];
      const exited = new Promise<number | null>((resolve) => start.once('exit', (code) => resolve(code)));
      process.kill(Number(apiPid), 'SIGKILL');
      expect(await exited).not.toBe(0);
      expect(stderr).toContain('the API stopped');
    } finally {
      await stop(start);
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(secrets, { recursive: true, force: true });
    }
  });
});
