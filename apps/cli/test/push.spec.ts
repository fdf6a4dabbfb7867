// `netpol push` against the real server: the built API (apps/api/dist) on an embedded PostgreSQL, both child processes.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runPush } from '../src/commands/push.js';
import { ADMIN_TOKEN, AUTH, SERVER_AUTH_ENV } from './server-token.js';

const REPO = path.resolve(import.meta.dirname, '..', '..', '..');
const DEMO_DIR = path.join(REPO, 'apps', 'api', 'data', 'demo');
const API_MAIN = path.join(REPO, 'apps', 'api', 'dist', 'apps', 'api', 'src', 'main.js');

function firstLine(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const match = pattern.exec(line);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`${child.spawnargs.join(' ')} exited (${code})`)));
  });
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

function captureIo() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { writeStdout: async (text: string) => void (out.stdout += text), writeStderr: (text: string) => void (out.stderr += text) } };
}

// runPush reads NETPOL_TOKEN from process.env, as the command does.
process.env.NETPOL_TOKEN = ADMIN_TOKEN;

describe('netpol push', () => {
  let pg: ChildProcess | undefined;
  let api: ChildProcess | undefined;
  let server: string;
  let work: string;

  beforeAll(async () => {
    // The server under test is the built API (`npm test` builds every project first).
    expect(existsSync(API_MAIN), `${API_MAIN} is missing: run npm run build`).toBe(true);
    pg = spawn(process.execPath, [path.join(REPO, 'tools/embedded-pg.mjs'), '--throwaway', '--stop-on-stdin-close'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const databaseUrl = await firstLine(pg, /^PG (\S+) up$/);
    api = spawn(process.execPath, [API_MAIN], {
      env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', NETPOL_DEMO_DATA: 'off', ...SERVER_AUTH_ENV },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    server = await firstLine(api, /listening on (http:\/\/\S+)/);
    work = mkdtempSync(path.join(os.tmpdir(), 'netpol-push-'));
  }, 120_000);

  afterAll(async () => {
    await stop(api);
    await stop(pg);
    if (work) rmSync(work, { recursive: true, force: true });
    // The server finishes its running analysis job before it exits (jobs/analysis-jobs.ts): slow on a loaded machine.
  }, 60_000);

  it('uploads a directory of manifests and prints the new snapshot; the same content again is deduplicated', async () => {
    const first = captureIo();
    expect(await runPush([DEMO_DIR], { cluster: 'pushed', server }, first.io)).toBe(0);
    const result = JSON.parse(first.out.stdout);
    expect(result).toMatchObject({ cluster: 'pushed', deduplicated: false, counts: { namespaces: 4, pods: 12, workloads: 8, policies: 8 } });
    expect(first.out.stderr).toBe('');

    // The stored bytes hash to what push computed and printed: the projection is the same on both sides.
    const content = Buffer.from(await (await fetch(`${server}/api/v1/snapshots/${result.id}/content`, { headers: AUTH })).arrayBuffer());
    expect(createHash('sha256').update(content).digest('hex')).toBe(result.contentSha256);

    const same = captureIo();
    expect(await runPush([DEMO_DIR], { cluster: 'pushed', server, capturedAt: '2026-11-27T10:00:00Z' }, same.io)).toBe(0);
    expect(JSON.parse(same.out.stdout)).toMatchObject({ deduplicated: true, contentSha256: result.contentSha256, capturedAt: '2026-11-27T10:00:00.000Z' });
  });

  it('keeps only the fields analysis needs and gzips a big input, and says so on stderr', async () => {
    const pods = Array.from({ length: 3000 }, (_, i) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `web-${i}`, namespace: 'big', labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': 'x'.repeat(300) } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27', env: [{ name: 'A', value: 'y'.repeat(200) }], ports: [{ containerPort: 80 }] }] },
      status: { phase: 'Running', podIP: `10.1.${i >> 8}.${i & 255}`, conditions: [{ type: 'Ready', status: 'True' }] },
    }));
    const file = path.join(work, 'big.json');
    writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'big' } }, ...pods] }));
    const push = captureIo();
    expect(await runPush([file], { cluster: 'big', server }, push.io)).toBe(0);
    expect(push.out.stderr).toMatch(/^netpol push: 3001 objects, [\d.]+ MiB of manifests; kept the fields analysis needs \([\d.]+ KiB\) and gzipped them to [\d.]+ KiB\n$/);
    expect(JSON.parse(push.out.stdout).counts).toEqual({ namespaces: 1, pods: 3000, workloads: 3000, policies: 0 });
  });

  it('exit 2 with located issues for invalid manifests, and nothing is uploaded', async () => {
    const file = path.join(work, 'bad.yaml');
    writeFileSync(file, 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: x}\nspec:\n  podSelector: {}\n  ingress:\n    - from:\n        - ipBlock: {cidr: 10.0.0.0/8, except: [11.0.0.0/16]}\n');
    const push = captureIo();
    expect(await runPush([file], { cluster: 'refused', server }, push.io)).toBe(2);
    expect(push.out.stderr).toContain(`error: ${file}:8 spec.ingress[0].from[0].ipBlock.except[0]:`);
    expect(push.out.stderr).toContain('[INVALID_VALUE]');
    const clusters = (await (await fetch(`${server}/api/v1/clusters`, { headers: AUTH })).json()) as { clusters: { name: string }[] };
    expect(clusters.clusters.map((c) => c.name)).not.toContain('refused');
  });

  it('exit 2 with the server message on a 4xx answer; exit 1 when the server cannot be reached', async () => {
    const refused = captureIo();
    expect(await runPush([DEMO_DIR], { cluster: 'Not_A_Name', server }, refused.io)).toBe(2);
    expect(refused.out.stderr).toMatch(/answered HTTP 400: cluster name "Not_A_Name" is not a DNS-1123 label/);
    const offline = captureIo();
    expect(await runPush([DEMO_DIR], { cluster: 'x', server: 'http://127.0.0.1:9' }, offline.io)).toBe(1);
    expect(offline.out.stderr).toMatch(/cannot reach the Netpol Atlas server http:\/\/127\.0\.0\.1:9/);
  });

  it('is a `netpol` command that reads NETPOL_SERVER (the built CLI)', () => {
    const run = spawnSync(process.execPath, [path.join(REPO, 'apps/cli/bin/netpol.mjs'), 'push', DEMO_DIR, '--cluster', 'from-bin'], {
      env: { ...process.env, NETPOL_SERVER: server },
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ cluster: 'from-bin', counts: { workloads: 8 } });
    const usage = spawnSync(process.execPath, [path.join(REPO, 'apps/cli/bin/netpol.mjs'), 'push', DEMO_DIR], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain("required option '--cluster <name>' not specified");
  });
});
