// Startup says each thing once and only what concerns the user: `npm start` prints the real data folder once
// (embedded-pg leaves the note to it), and pruning old cached analyses is silent when only the demo's went.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalysisStore } from '../src/analysis/analysis-store.js';
import { ENGINE_VERSION } from '../src/analysis/engine-versions.js';
import { demoDocuments } from '../src/demo/demo-data.service.js';
import { startApp, type TestApp } from './support/app.js';
import { withClient } from './support/database.js';
import { REPO_ROOT, waitForLine } from './support/processes.js';

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

function collect(child: ChildProcess): () => string {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return () => output;
}

describe('npm start messages', () => {
  it('names the data folder once, where it really is, and says nothing about pruning on a new store', async () => {
    const dataDir = path.join(os.tmpdir(), `netpol-ux-start-${process.pid}-${Date.now()}`);
    // Its own secrets folder too: the default (.data/secrets) is the developer's, whose admin-token file a first
    // start on a new store would overwrite.
    const secrets = path.join(os.tmpdir(), `netpol-ux-secrets-${process.pid}-${Date.now()}`);
    const env: NodeJS.ProcessEnv = { ...process.env, NETPOL_DATA_DIR: dataDir, PORT: '0', NETPOL_SECRETS_DIR: secrets };
    delete env.DATABASE_URL;
    const start = spawn(process.execPath, [path.join(REPO_ROOT, 'tools', 'start.mjs'), '--no-build'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = collect(start);
    try {
      await waitForLine(start, /^Netpol Atlas is ready: /, 150_000);
      const lines = output().split('\n');
      expect(lines.filter((line) => line.includes(dataDir) || line.includes('data in'))).toEqual([
        `npm start: embedded PostgreSQL ready, data in ${dataDir}`,
      ]);
      expect(output()).not.toMatch(/keeping the data|pruned/);
      expect(output()).toContain(`(also written to ${path.join(secrets, 'admin-token')}, mode 0600)`);
      // GET /graphql in a browser is refused (Apollo's CSRF check; its landing page is off): the line names the IDE.
      expect(lines.find((line) => line.startsWith('Netpol Atlas is ready: '))).toMatch(/GraphQL: (http:\/\/localhost:\d+)\/graphql, in a browser \1\/graphiql ;/);
    } finally {
      await stop(start);
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(secrets, { recursive: true, force: true });
    }
  }, 200_000);

  it('a taken PORT is named at once, before the build and PostgreSQL, with how to choose another', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, resolve));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const start = spawn(process.execPath, [path.join(REPO_ROOT, 'tools', 'start.mjs')], { cwd: REPO_ROOT, env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
      const output = collect(start);
      const code = await new Promise((resolve) => start.once('exit', resolve));
      expect({ code, output: output() }).toEqual({ code: 1, output: `npm start: port ${port} is in use by another process; set PORT to another one (PORT=3001 npm start)\n` });
    } finally {
      holder.close();
    }
  }, 30_000);

  it('embedded-pg --report-data-dir reports the folder it really uses (and why another) on stdout, not stderr', async () => {
    // A folder the postgres user cannot reach (0700 parent): as root, embedded-pg keeps the data elsewhere.
    const parent = path.join(os.tmpdir(), `netpol-ux-0700-${process.pid}-${Date.now()}`);
    mkdirSync(parent, { mode: 0o700 });
    const wanted = path.join(parent, 'pg');
    const pg = spawn(process.execPath, [path.join(REPO_ROOT, 'tools', 'embedded-pg.mjs'), '--stop-on-stdin-close', '--report-data-dir'], {
      cwd: REPO_ROOT,
      env: { ...process.env, NETPOL_DATA_DIR: wanted },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const output = collect(pg);
    let used: string | undefined;
    try {
      // The data line comes just before the `up` line, often in the same chunk: wait for `up`, then read both.
      await waitForLine(pg, /^PG \S+ up$/, 150_000);
      const location = /^PG (data in .+)$/m.exec(output())?.[1] ?? '';
      used = /^data in (\S+)/.exec(location)?.[1];
      if (process.getuid?.() === 0) {
        expect(location).toMatch(new RegExp(`^data in \\S+/data-[0-9a-f]{16} \\(${wanted} is not reachable by the postgres user: a parent folder is not world-traversable\\)$`));
      } else {
        expect(location).toBe(`data in ${wanted}`);
      }
      expect(output()).not.toContain('embedded-pg:'); // no second, stderr note
    } finally {
      pg.stdin?.end();
      await new Promise((resolve) => (pg.exitCode !== null ? resolve(null) : pg.once('exit', resolve)));
      rmSync(parent, { recursive: true, force: true });
      if (used && used !== wanted) rmSync(used, { recursive: true, force: true });
    }
  }, 200_000);
});

describe('pruning cached analyses of older engine versions', () => {
  let t: TestApp;
  let demoSha: string;
  let uploadedSha: string;

  beforeAll(async () => {
    t = await startApp({ loadDemoData: true });
    const demo = await t.http.get('/api/v1/clusters').expect(200);
    expect(JSON.stringify(demo.body)).toContain('demo');
    const body = (await demoDocuments()).map((d) => d.text).join('\n---\n');
    const uploaded = await t.http
      .post('/api/v1/clusters/prod/snapshots')
      .set('Content-Type', 'application/yaml')
      .send(`${body}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: extra}\n`);
    expect(uploaded.status).toBe(201);
    uploadedSha = uploaded.body.contentSha256;
    demoSha = await withClient(t.databaseUrl, async (client) => (await client.query("SELECT content_sha256 FROM snapshots WHERE source = 'demo'")).rows[0].content_sha256);
  });
  afterAll(() => t?.close());

  const insertOld = (sha: string, version: number) =>
    withClient(t.databaseUrl, (client) =>
      client.query(
        `INSERT INTO analysis_results (content_sha256, engine_version, options_key, kind, payload, size_bytes) VALUES ($1, $2, 'default', 'connectivity', '\\x00', 1)`,
        [sha, version],
      ),
    );

  it('results of the demo snapshot only: pruned silently', async () => {
    await insertOld(demoSha, ENGINE_VERSION - 1);
    expect(await t.app.get(AnalysisStore).pruneOlderVersions()).toBeUndefined();
    const left = await withClient(t.databaseUrl, (client) => client.query('SELECT 1 FROM analysis_results WHERE engine_version < $1', [ENGINE_VERSION]));
    expect(left.rowCount).toBe(0);
  });

  it('results of uploaded snapshots: says how many, from which versions, and why', async () => {
    await insertOld(demoSha, ENGINE_VERSION - 1);
    await insertOld(uploadedSha, ENGINE_VERSION - 1);
    await insertOld(uploadedSha, ENGINE_VERSION - 2);
    expect(await t.app.get(AnalysisStore).pruneOlderVersions()).toBe(
      `pruned 2 cached analysis result(s) of uploaded snapshots, computed by engine version ${ENGINE_VERSION - 2}, ${ENGINE_VERSION - 1}; ` +
        `this is engine version ${ENGINE_VERSION}, whose results may differ, so they are recomputed on first use`,
    );
  });
});
