// The stored form of a snapshot: the engine's projection of every object, as the JCS (RFC 8785) text of one sorted
// JSON array. `contentSha256` is the lowercase hex SHA-256 of exactly these UTF-8 bytes (README "Content hash").
import { createHash } from 'node:crypto';
import { canonicalSnapshotText, projectObject, type KubeObject, type ParsedObject } from '@netpol-atlas/engine';

export interface SnapshotContent {
  readonly objects: readonly KubeObject[];
  readonly bytes: Buffer;
  readonly sha256: string;
}

export function snapshotContent(parsed: readonly ParsedObject[]): SnapshotContent {
  const objects = parsed.map((item) => projectObject(item.object));
  const bytes = Buffer.from(canonicalSnapshotText(objects), 'utf8');
  return { objects, bytes, sha256: sha256Hex(bytes) };
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
