// Writing a large response body a piece per turn of the event loop. `res.end(body)` hands the whole body to the
// socket at once: the kernel copy of a download of tens of MB (a lint, diff or report of 50k pods) ran as one block
// of the event loop of 200+ ms here, during which no other request was served (issue 13). Pieces of
// BODY_CHUNK_BYTES, each after the socket took the one before, keep every block short; the bytes and headers are
// the same (Content-Length is set, so the body is not chunk-encoded).
import type { ServerResponse } from 'node:http';

export const BODY_CHUNK_BYTES = 256 * 1024;

/** Resolves when the response can take more, or is gone (a client that left never drains). */
export function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Sends `body` (UTF-8 for a string) and ends the response; stops early when the client has gone. */
export async function sendBody(res: ServerResponse, body: Uint8Array | string, chunkBytes = BODY_CHUNK_BYTES): Promise<void> {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.setHeader('Content-Length', bytes.byteLength);
  if (bytes.byteLength <= chunkBytes) {
    res.end(bytes);
    return;
  }
  for (let at = 0; at < bytes.byteLength; at += chunkBytes) {
    const last = at + chunkBytes >= bytes.byteLength;
    const piece = bytes.subarray(at, at + chunkBytes);
    if (last) {
      res.end(piece);
      return;
    }
    if (!res.write(piece)) await drainOrClose(res);
    // A turn of the event loop after every piece: on a fast socket the drain comes in a nextTick, not a turn.
    await yieldToEventLoop();
    if (res.destroyed) return;
  }
}
