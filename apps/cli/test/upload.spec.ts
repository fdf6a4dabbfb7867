// The shared upload (push and collect --push) against a local HTTP server that records what arrives.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROGRESS_THRESHOLD, snapshotsUrl, uploadSnapshot, UploadUnreachableError } from '../src/upload.js';

interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

let server: Server;
let base: string;
const received: Received[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      const delay = Number(/^\/delay-(\d+)\//.exec(req.url ?? '')?.[1] ?? 0);
      setTimeout(() => res.writeHead(201, { 'Content-Type': 'application/json' }).end(JSON.stringify({ id: 'x', contentSha256: 'y' })), delay);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Incompressible JSON, so the gzipped body stays over the progress threshold. */
const bigJson = () => Buffer.from(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [], noise: randomBytes(PROGRESS_THRESHOLD * 2).toString('base64') }));

describe('uploadSnapshot', () => {
  it('POSTs the JSON (gzipped when asked) to the cluster snapshots URL with capturedAt; no progress for small bodies', async () => {
    const lines: string[] = [];
    const json = Buffer.from('{"apiVersion":"v1","items":[],"kind":"List"}');
    const answer = await uploadSnapshot({ server: `${base}/`, cluster: 'a b', json, gzip: true, capturedAt: '2026-11-27T10:00:00Z', progress: { prefix: 'p: ', write: (t) => lines.push(t), tty: false } });
    expect(answer).toMatchObject({ status: 201, json: { id: 'x', contentSha256: 'y' }, sentBytes: received.at(-1)!.body.length });
    const last = received.at(-1)!;
    expect(last.url).toBe('/api/v1/clusters/a%20b/snapshots?capturedAt=2026-11-27T10%3A00%3A00Z');
    expect(last.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(last.body)).toEqual(json);
    expect(lines).toEqual([]);
    await uploadSnapshot({ server: base, cluster: 'c', json, gzip: false });
    expect(received.at(-1)!.body).toEqual(json);
    expect(received.at(-1)!.headers['content-encoding']).toBeUndefined();
    expect(received.at(-1)!.url).toBe('/api/v1/clusters/c/snapshots');
  });

  it('streams a big body and reports progress: a line per quarter off a terminal, then that the server is working', async () => {
    const lines: string[] = [];
    const json = bigJson();
    const answer = await uploadSnapshot({ server: base, cluster: 'big', json, gzip: true, progress: { prefix: 'netpol push: ', write: (t) => lines.push(t), tty: false } });
    expect(answer.status).toBe(201);
    // Buffer.equals: toEqual on megabytes compares byte by byte, slowly.
    expect(gunzipSync(received.at(-1)!.body).equals(json)).toBe(true);
    // Streamed: no Content-Length, chunked transfer.
    expect(received.at(-1)!.headers['transfer-encoding']).toBe('chunked');
    // One line in each quarter (the first chunk past 25%, 50%, 75%), the last at 100%, then the server's turn.
    expect(lines).toHaveLength(5);
    const percents = lines.slice(0, 4).map((line) => Number(/^netpol push: uploading [\d.]+ (?:KiB|MiB) of ([\d.]+ MiB) \((\d+)%\)\n$/.exec(line)![2]));
    expect(percents.map((p) => Math.floor(p / 25))).toEqual([1, 2, 3, 4]);
    expect(lines[4]).toBe('netpol push: sent; the server is parsing and storing the snapshot\n');
  });

  it('says the server is still working while it has not answered', async () => {
    const lines: string[] = [];
    // The stub delays its answer when the server URL has a /delay-<ms> path.
    const answer = await uploadSnapshot({
      server: `${base}/delay-400`,
      cluster: 'slow',
      json: bigJson(),
      gzip: true,
      progress: { prefix: 'p: ', write: (t) => lines.push(t), tty: false, waitingTickMs: 100 },
    });
    expect(answer.status).toBe(201);
    const waiting = lines.filter((line) => /^p: still waiting for the server \(\d+ s\)\n$/.test(line));
    expect(waiting.length).toBeGreaterThanOrEqual(2);
    expect(lines.indexOf(waiting[0])).toBeGreaterThan(lines.findIndex((line) => line.startsWith('p: sent;')));
  });

  it('on a terminal redraws one progress line', async () => {
    let output = '';
    await uploadSnapshot({ server: base, cluster: 'tty', json: bigJson(), gzip: true, progress: { prefix: 'p: ', write: (t) => (output += t), tty: true } });
    const frames = output.split('\r').filter(Boolean);
    expect(frames.length).toBeGreaterThan(4);
    for (const frame of frames.slice(0, -1)) expect(frame).toMatch(/^p: uploading [\d.]+ (KiB|MiB) of [\d.]+ MiB \(\d+%\)$/);
    // The last frame ends the line, then the server's turn is announced.
    expect(frames.at(-1)).toMatch(/^p: uploading ([\d.]+ MiB) of \1 \(100%\)\np: sent; the server is parsing and storing the snapshot\n$/);
  });

  it('an unreachable server is an UploadUnreachableError naming the origin and the cause', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await uploadSnapshot({ server: `http://127.0.0.1:${port}`, cluster: 'x', json: Buffer.from('{}'), gzip: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UploadUnreachableError);
    expect((error as Error).message).toMatch(new RegExp(`^cannot reach the Netpol Atlas server http://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
  });

  it('builds the URL from a server with or without a trailing slash', () => {
    expect(snapshotsUrl('https://atlas.example/', 'prod').href).toBe('https://atlas.example/api/v1/clusters/prod/snapshots');
    expect(() => snapshotsUrl('not a url', 'prod')).toThrow(TypeError);
  });
});
