// `netpol collect --push URL --cluster NAME`: the snapshot is POSTed gzipped to URL/api/v1/clusters/NAME/snapshots.
// This file checks the request against a recording HTTP stub on 127.0.0.1.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCollect } from '../src/collect/run.js';
import { type FakeApiServer, startFakeApiServer } from './collect-fake-apiserver.js';
import { DEFAULTS, NOW, TOKEN, type TempDir, bufferIo, closedLoopbackPort, tempDir, writeKubeconfig } from './collect-helpers.js';

interface RecordedUpload {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

let api: FakeApiServer;
let tmp: TempDir;
let kubeconfig: string;
let stub: Server;
let stubUrl: string;
const uploads: RecordedUpload[] = [];
let stubAnswer: { status: number; body: unknown } = { status: 201, body: {} };

beforeAll(async () => {
  api = await startFakeApiServer({ token: TOKEN, forbidden: ['/apis/batch/v1/cronjobs'] });
  tmp = tempDir();
  kubeconfig = writeKubeconfig(tmp, api.url);
  stub = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      uploads.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(stubAnswer.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(stubAnswer.body));
    });
  });
  await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
  stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await api?.close();
  await new Promise<void>((resolve) => (stub ? stub.close(() => resolve()) : resolve()));
  tmp?.remove();
});

describe('netpol collect --push (recording stub)', () => {
  it('POSTs the gzipped snapshot, byte-identical to --out, with capturedAt = the read time', async () => {
    const written = bufferIo();
    expect(await runCollect({ ...DEFAULTS, kubeconfig, allNamespaces: true, out: '-' }, written)).toBe(0);

    stubAnswer = { status: 201, body: { id: '0b7c4a5e-1f2d-4c3b-9a8e-7d6c5b4a3f21', deduplicated: false, counts: { pods: 9 } } };
    const before = uploads.length;
    const io = bufferIo();
    const code = await runCollect({ ...DEFAULTS, kubeconfig, allNamespaces: true, push: `${stubUrl}/`, cluster: 'shop prod' }, io);
    expect(code, io.stderr).toBe(0);
    expect(uploads.length).toBe(before + 1);
    const upload = uploads[before];
    expect(upload.method).toBe('POST');
    // The detected CNI rides along as ?cni= (the fixture cluster runs the cilium DaemonSet).
    expect(upload.url).toBe(`/api/v1/clusters/shop%20prod/snapshots?capturedAt=${encodeURIComponent(NOW.toISOString())}&cni=cilium`);
    expect(upload.headers['content-encoding']).toBe('gzip');
    expect(upload.headers['content-type']).toBe('application/json');
    expect(upload.body.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(gunzipSync(upload.body).toString('utf8')).toBe(written.stdout);
    // The server's answer goes to stdout for scripts; progress and the 403 warning to stderr.
    expect(JSON.parse(io.stdout)).toEqual(stubAnswer.body);
    expect(io.stderr).toContain('warning: cronjobs.batch NOT collected');
    expect(io.stderr).toMatch(/uploaded [\d.]+ KiB gzipped: HTTP 201; snapshot INCOMPLETE/);
    // The stub's answer has no contentSha256, so the local one (the engine's canonical text) cannot match.
    expect(io.stderr).toMatch(/warning: the server's content hash undefined differs from the local one [0-9a-f]{64}\n/);
  });

  it('a refused upload exits 2 and shows the server answer', async () => {
    stubAnswer = { status: 422, body: { issues: [{ code: 'MISSING_FIELD', message: 'metadata.name is required', document: 0, path: 'items[3].metadata.name' }] } };
    const io = bufferIo();
    expect(await runCollect({ ...DEFAULTS, kubeconfig, namespace: ['shop'], push: stubUrl, cluster: 'shop' }, io)).toBe(2);
    expect(io.stderr).toContain(`error: upload to ${stubUrl} failed: HTTP 422: {"issues":[{"code":"MISSING_FIELD"`);
    expect(io.stdout).toBe('');
  });

  it('a server failure (5xx) exits 1, as netpol push does', async () => {
    stubAnswer = { status: 503, body: { message: 'database unavailable' } };
    const io = bufferIo();
    expect(await runCollect({ ...DEFAULTS, kubeconfig, namespace: ['shop'], push: stubUrl, cluster: 'shop' }, io)).toBe(1);
    expect(io.stderr).toContain(`error: upload to ${stubUrl} failed: HTTP 503: {"message":"database unavailable"}`);
  });

  it('an unreachable server exits 1, as netpol push does', async () => {
    const port = await closedLoopbackPort();
    const io = bufferIo();
    expect(await runCollect({ ...DEFAULTS, kubeconfig, namespace: ['shop'], push: `http://127.0.0.1:${port}`, cluster: 'shop' }, io)).toBe(1);
    expect(io.stderr).toContain(`error: cannot reach the Netpol Atlas server http://127.0.0.1:${port}: `);
    expect(io.stderr).toContain('ECONNREFUSED');
  });
});
