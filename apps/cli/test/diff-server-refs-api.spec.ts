// `netpol diff` with server refs (CLUSTER@latest, CLUSTER@<time>, snapshot ids) against the REAL server: the built
// API (apps/api/dist) on an embedded PostgreSQL, both child processes on loopback, driven by the built `netpol` bin.
// Snapshots are uploaded with `netpol push`; a diff read from the server must print exactly what the same diff of the
// manifest folders prints (np-guard's expected output), and what the server's own GET /api/v1/diff answers.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, AUTH, SERVER_AUTH_ENV } from './server-token.js';

const REPO = path.resolve(import.meta.dirname, '../../..');
const API_MAIN = path.join(REPO, 'apps/api/dist/apps/api/src/main.js');
const NETPOL = path.join(REPO, 'apps/cli/bin/netpol.mjs');
const DEMO_DIR = path.join(REPO, 'apps/api/data/demo');
const CORPUS = process.env.NETPOL_CONFORMANCE_DIR ?? path.resolve(REPO, '..', 'shared', 'conformance', 'np-guard');
const CASE_DIR = path.join(CORPUS, 'diff', 'onlineboutique_workloads__to__onlineboutique_workloads_changed_netpols');
const OLD_DIR = path.join(CASE_DIR, 'old');
const NEW_DIR = path.join(CASE_DIR, 'new');

const run = promisify(execFile);
const children: ChildProcess[] = [];
let server: string;
let oldId: string;
let newId: string;

/** Starts `node <args>` and resolves with the first stdout line matching `pattern` (output kept for the error). */
function startNode(args: string[], env: NodeJS.ProcessEnv, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${pattern} from ${args[0]} within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      for (const line of output.split('\n')) {
        const match = pattern.exec(line.trim());
        if (match) {
          clearTimeout(timer);
          child.stdout?.off('data', onData);
          resolve(match);
          return;
        }
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args[0]} exited (${code}):\n${output}`));
    });
  });
}

async function netpol(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return netpolWith(process.env, ...args);
}

async function netpolWith(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [NETPOL, ...args], { maxBuffer: 64 << 20, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

async function push(dir: string, cluster: string, capturedAt: string): Promise<string> {
  const result = await netpol('push', dir, '--cluster', cluster, '--server', server, '--captured-at', capturedAt);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { id: string }).id;
}

const npGuard = (format: 'txt' | 'csv' | 'md') => readFileSync(path.join(CASE_DIR, `expected.${format}`), 'utf8').replace(/\r\n/g, '\n');
/** What the CLI prints: np-guard's bytes, and md (which np-guard ends without a newline) with a final newline. */
const expected = (format: 'txt' | 'csv' | 'md') => (format === 'md' ? `${npGuard(format)}\n` : npGuard(format));

// The spawned CLI inherits NETPOL_TOKEN, as in a CI job.
process.env.NETPOL_TOKEN = ADMIN_TOKEN;

beforeAll(async () => {
  for (const file of [API_MAIN, path.join(REPO, 'apps/cli/dist/main.js')]) {
    if (!existsSync(file)) throw new Error(`${path.relative(REPO, file)} is missing: build first (npm run build)`);
  }
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const [, databaseUrl] = await startNode([path.join(REPO, 'tools/embedded-pg.mjs'), '--throwaway', '--stop-on-stdin-close'], env, /^PG (\S+) up$/, 90_000);
  // The demo cluster is loaded into the empty store at start; PORT=0 picks a free port, which the server prints.
  const [, port] = await startNode([API_MAIN], { ...env, DATABASE_URL: databaseUrl, PORT: '0', ...SERVER_AUTH_ENV }, /listening on http:\/\/localhost:(\d+)/, 90_000);
  server = `http://127.0.0.1:${port}`;
  oldId = await push(OLD_DIR, 'boutique', '2026-01-01T00:00:00Z');
  newId = await push(NEW_DIR, 'boutique', '2026-02-01T00:00:00Z');
}, 200_000);

afterAll(async () => {
  // The API first (it holds database connections), then PostgreSQL.
  for (const child of children.splice(0).reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}, 60_000);

describe('NETPOL_TOKEN and the audit log', () => {
  const withoutToken = () => {
    const env = { ...process.env };
    delete env.NETPOL_TOKEN;
    return env;
  };

  it('server refs without NETPOL_TOKEN: exit 2, and the message says what to set', async () => {
    const result = await netpolWith(withoutToken(), 'diff', 'boutique@latest', OLD_DIR, '--server', server);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('authentication required');
    expect(result.stderr).toContain('(set NETPOL_TOKEN to an API token)');
  });

  it('netpol audit verify: the chain of the server\'s writes and downloads is intact; without a token, exit 2', async () => {
    const result = await netpol('audit', 'verify', '--server', server);
    expect(result.code, result.stderr).toBe(0);
    const count = Number(/audit log intact: (\d+) entries, head [0-9a-f]{64}/.exec(result.stdout)?.[1]);
    // The demo upload at start and the two pushes at least.
    expect(count).toBeGreaterThanOrEqual(3);
    const refused = await netpolWith(withoutToken(), 'audit', 'verify', '--server', server);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('HTTP 401');
  });
});

describe('netpol diff with server refs, against the real API', () => {
  it('CLUSTER@<time> and CLUSTER@latest resolve to the pushed snapshots: np-guard’s expected txt, csv and md', async () => {
    for (const format of ['txt', 'csv', 'md'] as const) {
      const result = await netpol('diff', 'boutique@2026-01-15T00:00:00Z', 'boutique@latest', '--server', server, '-o', format);
      expect({ format, code: result.code, stderr: result.stderr }).toEqual({ format, code: 0, stderr: '' });
      expect(result.stdout).toBe(expected(format));
    }
  });

  it('a snapshot id on either side; the same bytes as the folders and as GET /api/v1/diff', async () => {
    const byId = await netpol('diff', oldId, 'boutique@latest', '--server', server);
    const byTime = await netpol('diff', `boutique@2026-01-01T00:00:00Z`, newId, '--server', server);
    const byPath = await netpol('diff', OLD_DIR, NEW_DIR);
    expect(byPath.code).toBe(0);
    expect(byPath.stdout).toBe(expected('txt'));
    expect(byId).toEqual(byPath);
    expect(byTime).toEqual(byPath);
    const rest = await fetch(`${server}/api/v1/diff?from=${oldId}&to=${newId}&format=txt`, { headers: AUTH });
    expect(rest.status).toBe(200);
    expect(await rest.text()).toBe(byPath.stdout);
    const restMd = await fetch(`${server}/api/v1/diff?from=${oldId}&to=${newId}&format=md`, { headers: AUTH });
    expect(await restMd.text()).toBe(npGuard('md')); // the download keeps np-guard's bytes
  });

  it('demo@latest (loaded at start) against a pushed snapshot id, also with --explain and -o json', async () => {
    for (const extra of [[], ['--explain'], ['-o', 'json']]) {
      const fromServer = await netpol('diff', 'demo@latest', newId, '--server', server, ...extra);
      const fromFiles = await netpol('diff', DEMO_DIR, NEW_DIR, ...extra);
      expect(fromServer.code, fromServer.stderr).toBe(0);
      expect(fromServer.stdout.length).toBeGreaterThan(100);
      expect(fromServer).toEqual(fromFiles);
    }
  });

  it('mixes a server ref with a folder', async () => {
    const result = await netpol('diff', OLD_DIR, 'boutique@latest', '--server', server, '-o', 'md');
    expect(result).toEqual({ code: 0, stdout: expected('md'), stderr: '' });
  });

  it('exit 2 with a message: no snapshot at that time, unknown cluster, unknown id', async () => {
    const early = await netpol('diff', 'boutique@2025-12-31T23:59:59Z', 'boutique@latest', '--server', server);
    expect(early.code).toBe(2);
    expect(early.stderr).toContain('cluster boutique has no snapshot at or before 2025-12-31T23:59:59Z');
    const unknownCluster = await netpol('diff', 'nosuch@latest', 'boutique@latest', '--server', server);
    expect(unknownCluster.code).toBe(2);
    expect(unknownCluster.stderr).toContain('cluster nosuch not found; known clusters: boutique, demo');
    const unknownId = await netpol('diff', '00000000-0000-4000-8000-000000000000', 'boutique@latest', '--server', server);
    expect(unknownId.code).toBe(2);
    expect(unknownId.stderr).toContain('no snapshot 00000000-0000-4000-8000-000000000000 (HTTP 404); the latest snapshots: boutique@latest = ');
  });

  it('suggests the cluster a typo meant, and the earliest capture time when a time is too early', async () => {
    const typo = await netpol('diff', 'botique@latest', 'boutique@latest', '--server', server);
    expect(typo).toEqual({ code: 2, stdout: '', stderr: `error: ${server}: cluster botique not found; did you mean boutique?\n` });
    const early = await netpol('diff', 'boutique@2025-12-31T23:59:59Z', 'boutique@latest', '--server', server);
    expect(early.stderr).toBe(
      'error: cluster boutique has no snapshot at or before 2025-12-31T23:59:59Z; its earliest snapshot was captured at 2026-01-01T00:00:00.000Z\n',
    );
  });

  it('a folder against its own upload diffs to nothing: no connectivity change, no object change (diff and check -o md)', async () => {
    const plain = await netpol('diff', 'boutique@latest', NEW_DIR, '--server', server);
    expect(plain).toEqual({ code: 0, stdout: '', stderr: '' });
    const explained = await netpol('diff', 'boutique@latest', NEW_DIR, '--server', server, '--explain');
    expect(explained).toEqual({ code: 0, stdout: 'Connectivity diff: no changes\n\nObject changes: none\n', stderr: '' });
    const demo = await netpol('diff', DEMO_DIR, 'demo@latest', '--server', server, '--explain');
    expect(demo).toEqual(explained);
    const check = await netpol('check', NEW_DIR, '--against', 'boutique@latest', '--server', server, '-o', 'md');
    expect(check.code).toBe(0);
    expect(check.stdout).toContain('### Netpol Atlas connectivity check: PASS');
    expect(check.stdout).toContain('| 0 | 0 | 0 | 0 | 0 |');
    expect(check.stdout).not.toMatch(/Object changes|changed from|added$/m);
  });
});
