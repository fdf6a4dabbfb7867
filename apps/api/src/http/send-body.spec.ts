// sendBody: the same bytes and headers as res.end(body), written a piece per turn of the event loop, and no hang
// when the client leaves midway. Real sockets (node:http), no stubs.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BODY_CHUNK_BYTES, sendBody } from './send-body.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

function serve(handler: (res: ServerResponse) => Promise<void>): Promise<number> {
  server = createServer((_req, res) => void handler(res));
  return new Promise((resolve) => server!.listen(0, '127.0.0.1', () => resolve((server!.address() as AddressInfo).port)));
}

function get(port: number): Promise<{ res: IncomingMessage; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ res, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

describe('sendBody', () => {
  it('sends the exact bytes with a Content-Length, in pieces with turns of the event loop between them', async () => {
    const body = Buffer.alloc(5 * BODY_CHUNK_BYTES + 123);
    for (let i = 0; i < body.length; i++) body[i] = (i * 31 + 7) & 0xff;
    let writes = 0;
    let turns = 0;
    const port = await serve(async (res) => {
      const write = res.write.bind(res) as (chunk: Uint8Array) => boolean;
      res.write = ((chunk: Uint8Array) => {
        writes++;
        return write(chunk);
      }) as typeof res.write;
      let ticking = true;
      const tick = () => {
        turns++;
        if (ticking) setImmediate(tick);
      };
      setImmediate(tick);
      await sendBody(res, body);
      ticking = false;
    });
    const { res, body: received } = await get(port);
    expect(received.equals(body)).toBe(true);
    expect(res.headers['content-length']).toBe(String(body.length));
    expect(res.headers['transfer-encoding']).toBeUndefined();
    // Five pieces written, the sixth with end(); the event loop turned between them.
    expect(writes).toBe(5);
    expect(turns).toBeGreaterThanOrEqual(5);
  });

  it('a string is sent as UTF-8; a small body in one piece', async () => {
    const text = 'zone “cde” → é\n';
    const port = await serve((res) => sendBody(res, text));
    const { res, body } = await get(port);
    expect(body.toString('utf8')).toBe(text);
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(text)));
  });

  it('stops when the client leaves midway, without waiting forever for a drain', async () => {
    let finished: Promise<void> | undefined;
    const port = await serve(async (res) => {
      finished = sendBody(res, Buffer.alloc(64 * BODY_CHUNK_BYTES));
      await finished;
    });
    await new Promise<void>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/' }, (res) => {
        // Read one piece, then leave.
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.end();
    });
    await expect(Promise.race([finished!.then(() => 'done'), new Promise((resolve) => setTimeout(() => resolve('hung'), 5_000))])).resolves.toBe('done');
  });
});
