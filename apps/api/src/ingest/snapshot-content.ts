// The stored form of a snapshot: the engine's projection of every object, as the JCS (RFC 8785) text of one sorted
// JSON array. `contentSha256` is the lowercase hex SHA-256 of exactly these UTF-8 bytes (README "Content hash").
// The engine owns the projection, the order and the text (`canonicalProjected`); this file only hashes and stores.
import { createHash } from 'node:crypto';
import { canonicalProjected, canonicalProjectedParts, projectObject, type KubeObject, type ParsedObject } from '@netpol-atlas/engine';

export interface SnapshotContent {
  /** The projected objects in the stored order, so what is derived from them depends on the content only. */
  readonly objects: readonly KubeObject[];
  readonly bytes: Buffer;
  readonly sha256: string;
}

export function snapshotContent(parsed: readonly ParsedObject[]): SnapshotContent {
  return projectedSnapshotContent(parsed.map((item) => projectObject(item.object)));
}

/** The content of objects already projected (a streamed upload keeps only the projections), with their JCS texts
 *  when already written (same index). */
export function projectedSnapshotContent(projected: readonly KubeObject[], texts?: readonly string[]): SnapshotContent {
  const canonical = canonicalProjectedParts(projected, texts);
  const bytes = contentBytes(canonical.texts);
  return { objects: canonical.objects, bytes, sha256: sha256Hex(bytes) };
}

/**
 * `[`, the texts joined by `,`, `]` as UTF-8, written straight into one buffer: the joined text (~50 MB for 50k pods)
 * is never built. The buffer has an ArrayBuffer of its own (not a slice of Node's pool), so the parse worker can
 * transfer it whole.
 */
export function contentBytes(texts: readonly string[]): Buffer {
  let size = 2 + Math.max(0, texts.length - 1);
  for (const text of texts) size += Buffer.byteLength(text, 'utf8');
  const bytes = Buffer.allocUnsafeSlow(size);
  let at = 0;
  bytes[at++] = 0x5b; // [
  for (let i = 0; i < texts.length; i++) {
    if (i > 0) bytes[at++] = 0x2c; // ,
    at += bytes.write(texts[i]!, at, 'utf8');
  }
  bytes[at] = 0x5d; // ]
  return bytes;
}

/** Projected objects in the stored order. */
export function canonicalOrder(objects: readonly KubeObject[]): KubeObject[] {
  return [...canonicalProjected(objects.map(projectObject)).objects];
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
