// `netpol collect --push` into the REAL server: the built API (apps/api/dist) on an embedded PostgreSQL, both
// child processes on loopback. What lands in the store must be exactly what the collector read.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCollect } from '../src/collect/run.js';
import { type FakeApiServer, startFakeApiServer } from './collect-fake-apiserver.js';
import { DEFAULTS, NOW, TOKEN, type TempDir, bufferIo, identities, tempDir, writeKubeconfig } from './collect-helpers.js';
import { runNetpol } from './run-netpol.js';
import { ADMIN_TOKEN, AUTH, SERVER_AUTH_ENV } from './server-token.js';

const REPO = path.resolve(import.meta.dirname, '../../..');
const API_MAIN = path.join(REPO, 'apps/api/dist/apps/api/src/main.js');

const running: ChildProcess[] = [];
let api: FakeApiServer;
let tmp: TempDir;
let kubeconfig: string;
let server: string;

/** Starts a child process and resolves with the first stdout match of `pattern` (its output is kept for errors). */
async function startChild(args: string[], env: NodeJS.ProcessEnv, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  const child = spawn(process.execPath, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  running.push(child);
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    let pending = '';
    const timer = setTimeout(() => reject(new Error(`${args[0]}: no ${pattern} within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const match = pattern.exec(line.trim());
        if (match) {
          clearTimeout(timer);
          resolve(match);
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args[0]} exited (${code}) before ${pattern}:\n${output}`));
    });
  });
}

async function stopAll(): Promise<void> {
  // The API first (it holds database connections), then PostgreSQL.
  for (const child of running.splice(0).reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

// collect --push reads NETPOL_TOKEN from process.env, as the command does.
process.env.NETPOL_TOKEN = ADMIN_TOKEN;

/**
 * Every request of this test process (its own and the in-process collect --push uploads) on a fresh connection.
 * Node's fetch pools keep-alive connections; the server closes one after 5 s idle (Node's keepAliveTimeout) while
 * Node 20's undici keeps reusing it up to ~4–5 s (keep-alive hint minus 1 s, on 0.5 s-grained timers): on a loaded
 * machine a request sent as the server closes that connection failed with "fetch failed: other side closed" (seen
 * at the GraphQL query after a spawned `netpol push`). A fresh connection has no such race. `pipelining: 0` turns
 * keep-alive off; Node's fetch finds its dispatcher under undici's interop symbol, set once fetch has loaded undici.
 */
async function freshConnectionPerRequest(): Promise<void> {
  await fetch('data:,');
  const key = Symbol.for('undici.globalDispatcher.1');
  interface Dispatcher {
    constructor: new (options: { pipelining: number }) => Dispatcher;
  }
  const slots = globalThis as unknown as Record<symbol, Dispatcher>;
  slots[key] = new slots[key].constructor({ pipelining: 0 });
}

beforeAll(async () => {
  await freshConnectionPerRequest();
  api = await startFakeApiServer({ token: TOKEN, forbidden: ['/apis/batch/v1/cronjobs'] });
  tmp = tempDir();
  kubeconfig = writeKubeconfig(tmp, api.url);
  const [, databaseUrl] = await startChild([path.join(REPO, 'tools/embedded-pg.mjs'), '--throwaway', '--stop-on-stdin-close'], process.env, /^PG (\S+) up$/, 90_000);
  // The API is the one `npm test` builds first (tools/test.mjs); PORT=0 picks a free port, which it prints.
  const [, port] = await startChild([API_MAIN], { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', ...SERVER_AUTH_ENV }, /listening on http:\/\/localhost:(\d+)/, 90_000);
  server = `http://127.0.0.1:${port}`;
}, 200_000);

afterAll(async () => {
  await stopAll();
  await api?.close();
  tmp?.remove();
}, 60_000);

describe('netpol collect --push into the real API server', () => {
  it('stores exactly the collected snapshot, with capturedAt = the read time and the same content hash', async () => {
    const written = bufferIo();
    expect(await runCollect({ ...DEFAULTS, kubeconfig, allNamespaces: true, out: '-' }, written)).toBe(0);
    const collected = JSON.parse(written.stdout);

    const io = bufferIo();
    const code = await runCollect({ ...DEFAULTS, kubeconfig, allNamespaces: true, chunkSize: 2, push: server, cluster: 'shop-prod' }, io);
    expect(code, io.stderr).toBe(0);
    expect(io.stderr).not.toContain('content hash');
    const answer = JSON.parse(io.stdout);
    expect(answer).toMatchObject({ cluster: 'shop-prod', capturedAt: NOW.toISOString(), deduplicated: false });
    expect(answer.counts).toMatchObject({ namespaces: 4, pods: 9 });

    const snapshot = await fetch(`${server}/api/v1/snapshots/${answer.id}`, { headers: AUTH });
    expect(snapshot.status).toBe(200);
    expect(await snapshot.json()).toMatchObject({ id: answer.id, cluster: 'shop-prod', capturedAt: NOW.toISOString(), contentSha256: answer.contentSha256 });

    const content = await fetch(`${server}/api/v1/snapshots/${answer.id}/content`, { headers: AUTH });
    expect(content.status).toBe(200);
    const bytes = Buffer.from(await content.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(answer.contentSha256);
    // Every collected object, as the collector projected it, and in the same order.
    const stored = JSON.parse(bytes.toString('utf8'));
    expect(identities({ items: stored })).toEqual(identities(collected));
    expect(stored).toEqual(collected.items);
    // The detected CNI (the fixture's kube-system/cilium DaemonSet) became the new cluster's CNI, marked as detected.
    const cluster = await fetch(`${server}/graphql`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ cluster(name: "shop-prod") { cni cniSource } }' }),
    });
    expect(((await cluster.json()) as { data: { cluster: unknown } }).data.cluster).toEqual({ cni: 'cilium', cniSource: 'collector' });
  });

  it('a second identical collection is a new snapshot pointing at the same content', async () => {
    const first = bufferIo();
    expect(await runCollect({ ...DEFAULTS, kubeconfig, namespace: ['shop'], push: server, cluster: 'shop-dedup' }, first)).toBe(0);
    const second = bufferIo();
    expect(await runCollect({ ...DEFAULTS, kubeconfig, namespace: ['shop'], push: server, cluster: 'shop-dedup' }, second)).toBe(0);
    const [a, b] = [JSON.parse(first.stdout), JSON.parse(second.stdout)];
    expect(b.id).not.toBe(a.id);
    expect(b.contentSha256).toBe(a.contentSha256);
    expect([a.deduplicated, b.deduplicated]).toEqual([false, true]);
  });

  const clusterCni = async (name: string) => {
    const res = await fetch(`${server}/graphql`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query($n: String!) { cluster(name: $n) { cni cniSource } }', variables: { n: name } }),
    });
    return ((await res.json()) as { data: { cluster: unknown } }).data.cluster;
  };
  /** The built CLI, as a user runs it; awaited, not spawnSync (which froze this process and its connection pool's timers). */
  const netpolPush = (file: string, cluster: string) => runNetpol(['push', file, '--cluster', cluster, '--server', server]);

  it('`netpol push FILE` of a collected file sends its detected CNI (?cni=) like collect --push, never over a user choice', async () => {
    const written = bufferIo();
    expect(await runCollect({ ...DEFAULTS, kubeconfig, allNamespaces: true, out: '-' }, written)).toBe(0);
    expect(JSON.parse(written.stdout).metadata.annotations['netpol-atlas.io/cni']).toBe('cilium');
    const file = tmp.write('collected.json', written.stdout);

    const first = await netpolPush(file, 'pushed-file');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain(`sending the CNI netpol collect detected in ${file}: cilium`);
    expect(await clusterCni('pushed-file')).toEqual({ cni: 'cilium', cniSource: 'collector' });

    // A user's choice stays, whatever later pushes detect.
    const set = await fetch(`${server}/graphql`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { setClusterCni(name: "pushed-file", cni: "calico") { cni } }' }),
    });
    expect(((await set.json()) as { data: { setClusterCni: unknown } }).data.setClusterCni).toEqual({ cni: 'calico' });
    expect((await netpolPush(file, 'pushed-file')).code).toBe(0);
    expect(await clusterCni('pushed-file')).toEqual({ cni: 'calico', cniSource: 'user' });

    // A value that is no profile is said and not sent: the upload still succeeds, the CNI stays unset.
    const edited = tmp.write('edited.json', written.stdout.replace('"netpol-atlas.io/cni": "cilium"', '"netpol-atlas.io/cni": "weave"'));
    const weave = await netpolPush(edited, 'pushed-weave');
    expect(weave.code, weave.stderr).toBe(0);
    expect(weave.stderr).toContain('warning: not sending the collected CNI');
    expect(weave.stderr).toContain('"weave" is no CNI profile name');
    expect(await clusterCni('pushed-weave')).toEqual({ cni: null, cniSource: null });

    // Manifests without the annotation send none.
    const plain = tmp.write('plain.json', JSON.stringify({ ...JSON.parse(written.stdout), metadata: {} }));
    const plainRun = await netpolPush(plain, 'pushed-plain');
    expect(plainRun.code, plainRun.stderr).toBe(0);
    expect(plainRun.stderr).not.toContain('CNI');
    expect(await clusterCni('pushed-plain')).toEqual({ cni: null, cniSource: null });
  });

  it('the cluster name is checked by the server: a refused upload exits 2 with its message', async () => {
    const io = bufferIo();
    expect(await runCollect({ ...DEFAULTS, kubeconfig, namespace: ['shop'], push: server, cluster: 'Not A Name' }, io)).toBe(2);
    expect(io.stderr).toContain(`error: upload to ${server} failed: HTTP 400`);
  });
});
