import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gzipBomb } from '../../test/support/gzip-bomb.js';
import { BodyTooLargeError, CorruptGzipError, readBody, UnsupportedEncodingError } from './body-reader.js';

const MiB = 1024 * 1024;

/** A source that counts how many bytes the reader pulled from it. */
function countingSource(bytes: Buffer, chunkSize = 16 * 1024) {
  const state = { pulled: 0 };
  let offset = 0;
  const stream = new Readable({
    read() {
      if (offset >= bytes.length) return this.push(null);
      const chunk = bytes.subarray(offset, offset + chunkSize);
      offset += chunk.length;
      state.pulled += chunk.length;
      this.push(chunk);
    },
  });
  return { stream, state };
}

describe('readBody', () => {
  it('returns a raw body and an inflated gzip body', async () => {
    expect((await readBody(Readable.from([Buffer.from('ab'), Buffer.from('c')]), { limit: 3 })).toString()).toBe('abc');
    const gz = gzipSync('hello');
    expect((await readBody(Readable.from([gz]), { limit: 5, contentEncoding: 'gzip' })).toString()).toBe('hello');
  });

  it('refuses a raw body one byte over the limit, and early by Content-Length', async () => {
    await expect(readBody(Readable.from([Buffer.alloc(4)]), { limit: 3 })).rejects.toBeInstanceOf(BodyTooLargeError);
    const { stream, state } = countingSource(Buffer.alloc(100));
    await expect(readBody(stream, { limit: 3, contentLength: 100 })).rejects.toBeInstanceOf(BodyTooLargeError);
    expect(state.pulled).toBe(0);
  });

  it('stops inflating a gzip bomb at the limit: it reads only a small part of the compressed stream', async () => {
    const bomb = await gzipBomb(256 * MiB);
    expect(bomb.length).toBeLessThan(MiB);
    const { stream, state } = countingSource(bomb);
    const error = await readBody(stream, { limit: MiB, contentEncoding: 'gzip' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BodyTooLargeError);
    expect((error as BodyTooLargeError).limit).toBe(MiB);
    // 1 MiB of output needs ~1 KiB of input; the reader pulled a few chunks, not the 256 MiB payload.
    expect(state.pulled).toBeLessThan(bomb.length / 4);
  });

  it('refuses other encodings and corrupt gzip', async () => {
    await expect(readBody(Readable.from([Buffer.from('x')]), { limit: 9, contentEncoding: 'br' })).rejects.toBeInstanceOf(UnsupportedEncodingError);
    await expect(readBody(Readable.from([Buffer.from('not gzip')]), { limit: 99, contentEncoding: 'gzip' })).rejects.toBeInstanceOf(CorruptGzipError);
  });
});
