// Uploads one snapshot to a Netpol Atlas server: POST {server}/api/v1/clusters/{cluster}/snapshots[?capturedAt=…],
// a JSON body, gzipped when asked. Shared by `netpol push` and `netpol collect --push`. A big body is streamed in
// chunks so the upload can report progress; each command turns the answer into its own messages and exit codes.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { authHeaders } from './server-auth.js';

/** Bodies (as sent) from this size on report progress while uploading. */
export const PROGRESS_THRESHOLD = 1024 * 1024;
/** Chunk handed to the HTTP client at a time: progress granularity. */
const CHUNK = 256 * 1024;
/** While the server works on a big upload (50k pods: ~20 s), say so this often. */
export const WAITING_TICK_MS = 5000;

/** Where progress goes: stderr, with a prefix naming the command. */
export interface ProgressSink {
  readonly prefix: string;
  write(text: string): void;
  /** On a terminal one line is redrawn; otherwise a line per quarter. */
  readonly tty: boolean;
  /** How often to say the server is still working (default WAITING_TICK_MS). */
  readonly waitingTickMs?: number;
}

export interface UploadRequest {
  readonly server: string;
  readonly cluster: string;
  /** The JSON body (a `kind: List`). */
  readonly json: Buffer;
  readonly gzip: boolean;
  /** RFC 3339; the server's `capturedAt` (default there: the upload time). */
  readonly capturedAt?: string;
  /** The CNI `netpol collect` detected (`?cni=`): the cluster's CNI unless a user chose one. */
  readonly cni?: string;
  readonly progress?: ProgressSink;
  /** Called with the size of the body as it will be sent (after gzip), before sending it. */
  readonly onBody?: (bytes: number) => void;
  /** Where NETPOL_TOKEN is read (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
}

export interface UploadAnswer {
  readonly url: URL;
  readonly status: number;
  /** The response body as text, and parsed when it is JSON. */
  readonly text: string;
  readonly json: Record<string, unknown> | undefined;
  /** Bytes of the body as sent (gzipped or not). */
  readonly sentBytes: number;
}

/** The server cannot be reached (DNS, refused connection, reset, …). */
export class UploadUnreachableError extends Error {
  constructor(
    readonly url: URL,
    readonly reason: string,
  ) {
    super(`cannot reach the Netpol Atlas server ${url.origin}: ${reason}`);
    this.name = 'UploadUnreachableError';
  }
}

/** `1.5 MiB`, `12.0 KiB`, `512 B`. */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${bytes} B`;
}

/** The upload URL; throws TypeError when `server` is not a URL. */
export function snapshotsUrl(server: string, cluster: string, capturedAt?: string, cni?: string): URL {
  const url = new URL(`${server.replace(/\/+$/, '')}/api/v1/clusters/${encodeURIComponent(cluster)}/snapshots`);
  if (capturedAt !== undefined) url.searchParams.set('capturedAt', capturedAt);
  if (cni !== undefined) url.searchParams.set('cni', cni);
  return url;
}

/** The server's `contentSha256` for a canonical snapshot text (README "Content hash"). */
export function contentSha256(canonicalText: string): string {
  return createHash('sha256').update(canonicalText, 'utf8').digest('hex');
}

/** What failed underneath fetch's "fetch failed": e.g. `connect ECONNREFUSED 127.0.0.1:9`. */
/** Why fetch failed: undici's own message is only "fetch failed"; the cause names it (ECONNREFUSED, ENOTFOUND, …). */
export function networkReason(error: unknown): string {
  const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code && !cause.message.includes(code) ? `${cause.message} (${code})` : cause.message;
  }
  return String(cause);
}

/** Reports how much of the body the HTTP client has taken: a redrawn line on a terminal, quarters otherwise. */
function progressReporter(sink: ProgressSink, total: number): (sent: number) => void {
  let lastQuarter = 0;
  return (sent) => {
    const percent = Math.floor((100 * sent) / total);
    const line = `${sink.prefix}uploading ${formatBytes(sent)} of ${formatBytes(total)} (${percent}%)`;
    if (sink.tty) {
      sink.write(`\r${line}${sent === total ? '\n' : ''}`);
    } else if (Math.floor((4 * sent) / total) > lastQuarter) {
      lastQuarter = Math.floor((4 * sent) / total);
      sink.write(`${line}\n`);
    }
  };
}

/** The body as a stream of chunks, calling `onSent` as the HTTP client pulls them. */
function chunkedBody(body: Buffer, onSent: (sent: number) => void): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= body.length) {
        controller.close();
        return;
      }
      const chunk = body.subarray(offset, offset + CHUNK);
      offset += chunk.length;
      controller.enqueue(chunk);
      onSent(offset);
    },
  });
}

export async function uploadSnapshot(request: UploadRequest): Promise<UploadAnswer> {
  const url = snapshotsUrl(request.server, request.cluster, request.capturedAt, request.cni);
  const body = request.gzip ? gzipSync(request.json) : request.json;
  request.onBody?.(body.length);
  const showProgress = request.progress !== undefined && body.length >= PROGRESS_THRESHOLD;
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json', ...authHeaders(request.env) };
  if (request.gzip) headers['Content-Encoding'] = 'gzip';
  let response: Response;
  let waiting: NodeJS.Timeout | undefined;
  try {
    if (showProgress) {
      const sink = request.progress!;
      const report = progressReporter(sink, body.length);
      let sentAt = 0;
      const stream = chunkedBody(body, (sent) => {
        report(sent);
        if (sent < body.length) return;
        sink.write(`${sink.prefix}sent; the server is parsing and storing the snapshot\n`);
        sentAt = Date.now();
        waiting = setInterval(() => sink.write(`${sink.prefix}still waiting for the server (${Math.round((Date.now() - sentAt) / 1000)} s)\n`), sink.waitingTickMs ?? WAITING_TICK_MS);
      });
      response = await fetch(url, { method: 'POST', headers, body: stream, duplex: 'half' } as RequestInit);
    } else {
      response = await fetch(url, { method: 'POST', headers, body });
    }
  } catch (error) {
    throw new UploadUnreachableError(url, networkReason(error));
  } finally {
    clearInterval(waiting);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw new UploadUnreachableError(url, networkReason(error));
  }
  let json: Record<string, unknown> | undefined;
  try {
    const parsed = JSON.parse(text) as unknown;
    json = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    json = undefined;
  }
  return { url, status: response.status, text, json, sentBytes: body.length };
}
