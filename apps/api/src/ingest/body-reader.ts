// Reads an upload body (into memory, or chunk by chunk to a parser), never more than `limit` bytes AFTER
// decompression: the gzip stream is inflated chunk by chunk and abandoned as soon as the running total passes the
// limit, so a gzip bomb costs at most `limit` plus one inflate chunk of memory.
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { describeByteSize } from '../config/app-config.js';

export class BodyTooLargeError extends Error {
  /** `compressed`: the body was gzip, so the limit was passed while inflating it. */
  constructor(
    readonly limit: number,
    readonly compressed: boolean,
  ) {
    super(`request body exceeds the limit of ${limit} bytes`);
  }

  /** The 413 message: "after decompression" only when there was something to decompress. */
  get publicMessage(): string {
    return `the body exceeds NETPOL_BODY_LIMIT = ${describeByteSize(this.limit)}${this.compressed ? ' after decompression' : ''}`;
  }
}

export class UnsupportedEncodingError extends Error {
  constructor(readonly encoding: string) {
    super(`unsupported Content-Encoding ${JSON.stringify(encoding)} (use gzip or none)`);
  }
}

export class CorruptGzipError extends Error {}

export interface BodyReadOptions {
  /** The Content-Encoding header; gzip (or x-gzip) and identity are accepted. */
  readonly contentEncoding?: string;
  /** The Content-Length header, when known: a raw body over the limit is refused before reading. */
  readonly contentLength?: number;
  /** Max bytes after decompression. */
  readonly limit: number;
}

export async function readBody(source: Readable, options: BodyReadOptions): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  await streamBody(source, options, (chunk) => {
    chunks.push(chunk);
    size += chunk.length;
  });
  return Buffer.concat(chunks, size);
}

/**
 * Hands each (inflated) chunk of the body to `onChunk` as it arrives, under the same limit and errors as readBody,
 * so a caller that parses as it goes never holds the whole body.
 */
export async function streamBody(source: Readable, options: BodyReadOptions, onChunk: (chunk: Buffer) => void): Promise<void> {
  const encoding = (options.contentEncoding ?? '').trim().toLowerCase() || 'identity';
  if (!['identity', 'gzip', 'x-gzip'].includes(encoding)) throw new UnsupportedEncodingError(encoding);
  const gzipped = encoding !== 'identity';
  if (!gzipped && options.contentLength !== undefined && options.contentLength > options.limit) {
    throw new BodyTooLargeError(options.limit, false);
  }
  const gunzip = gzipped ? createGunzip() : undefined;
  const stream: Readable = gunzip ? source.pipe(gunzip) : source;
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > options.limit) throw new BodyTooLargeError(options.limit, gzipped);
      onChunk(chunk);
    }
  } catch (error) {
    if (gunzip) {
      source.unpipe(gunzip);
      gunzip.destroy();
    }
    if (error instanceof BodyTooLargeError) throw error;
    if (gzipped && (error as NodeJS.ErrnoException).code?.startsWith('Z_')) {
      throw new CorruptGzipError(`the body is not valid gzip: ${(error as Error).message}`);
    }
    throw error;
  }
}
