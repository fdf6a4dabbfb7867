// Uploads a snapshot to a Netpol Atlas server: POST URL/api/v1/clusters/NAME/snapshots, gzipped JSON.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { type KubeObject, canonicalSnapshotText } from '@netpol-atlas/engine';
import { CollectError, EXIT_FAILURE, EXIT_UPLOAD_SERVER_FAILURE } from './errors.js';
import { messageOf } from './kube-api.js';
import type { JsonObject } from './list.js';

export interface UploadRequest {
  readonly server: string;
  readonly cluster: string;
  readonly body: string;
  /** RFC 3339 time the cluster was read; the server's `capturedAt`. */
  readonly capturedAt: string;
}

export interface UploadResult {
  readonly status: number;
  readonly response: unknown;
  readonly gzippedBytes: number;
}

export function snapshotsUrl(server: string, cluster: string, capturedAt: string): URL {
  const url = new URL(`${server.replace(/\/+$/, '')}/api/v1/clusters/${encodeURIComponent(cluster)}/snapshots`);
  url.searchParams.set('capturedAt', capturedAt);
  return url;
}

export async function uploadSnapshot(request: UploadRequest): Promise<UploadResult> {
  const url = snapshotsUrl(request.server, request.cluster, request.capturedAt);
  const gzipped = gzipSync(Buffer.from(request.body, 'utf8'));
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', Accept: 'application/json' },
      body: gzipped,
    });
  } catch (error) {
    const cause = error instanceof Error && error.cause !== undefined ? messageOf(error.cause) : messageOf(error);
    throw new CollectError(`cannot reach the Netpol Atlas server ${url.origin}: ${cause}`, EXIT_UPLOAD_SERVER_FAILURE);
  }
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    // keep the text: an HTML error page or a proxy's answer
  }
  if (response.status !== 201) {
    const answer = typeof parsed === 'string' ? parsed.slice(0, 500) : JSON.stringify(parsed);
    const code = response.status >= 400 && response.status < 500 ? EXIT_FAILURE : EXIT_UPLOAD_SERVER_FAILURE;
    throw new CollectError(`upload to ${url.origin} failed: HTTP ${response.status}: ${answer}`, code);
  }
  return { status: response.status, response: parsed, gzippedBytes: gzipped.length };
}

/** The server's `contentSha256` for these objects: SHA-256 of the engine's canonical snapshot text (README). */
export function contentSha256(items: readonly JsonObject[]): string {
  return createHash('sha256').update(canonicalSnapshotText(items as unknown as KubeObject[]), 'utf8').digest('hex');
}
