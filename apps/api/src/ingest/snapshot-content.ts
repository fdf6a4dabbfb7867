// The stored form of a snapshot: the engine's projection of every object, as the JCS (RFC 8785) text of one sorted
// JSON array. `contentSha256` is the lowercase hex SHA-256 of exactly these UTF-8 bytes (README "Content hash").
// The engine owns the projection, the order and the text (`canonicalProjected`); this file only hashes and stores.
import { createHash } from 'node:crypto';
import { canonicalProjected, projectObject, type KubeObject, type ParsedObject } from '@netpol-atlas/engine';

export interface SnapshotContent {
  /** The projected objects in the stored order, so what is derived from them depends on the content only. */
  readonly objects: readonly KubeObject[];
  readonly bytes: Buffer;
  readonly sha256: string;
}

export function snapshotContent(parsed: readonly ParsedObject[]): SnapshotContent {
  return projectedSnapshotContent(parsed.map((item) => projectObject(item.object)));
}

/** The content of objects already projected (a streamed upload keeps only the projections). */
export function projectedSnapshotContent(projected: readonly KubeObject[]): SnapshotContent {
  const canonical = canonicalProjected(projected);
  const bytes = Buffer.from(canonical.text, 'utf8');
  return { objects: canonical.objects, bytes, sha256: sha256Hex(bytes) };
}

/** Projected objects in the stored order. */
export function canonicalOrder(objects: readonly KubeObject[]): KubeObject[] {
  return [...canonicalProjected(objects.map(projectObject)).objects];
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
