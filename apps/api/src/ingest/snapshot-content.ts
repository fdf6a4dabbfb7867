// The stored form of a snapshot: the engine's projection of every object, as the JCS (RFC 8785) text of one sorted
// JSON array. `contentSha256` is the lowercase hex SHA-256 of exactly these UTF-8 bytes (README "Content hash").
// The text is the engine's `canonicalSnapshotText` (same projection, order and JCS; a test holds them equal), built
// here in one pass that also yields the objects in stored order: each object is projected and serialised once.
import { createHash } from 'node:crypto';
import { canonicalJson, projectObject, type KubeObject, type ParsedObject } from '@netpol-atlas/engine';

export interface SnapshotContent {
  /** The projected objects in the stored order, so what is derived from them depends on the content only. */
  readonly objects: readonly KubeObject[];
  readonly bytes: Buffer;
  readonly sha256: string;
}

interface Entry {
  readonly object: KubeObject;
  readonly key: readonly string[];
  readonly text: string;
}

/** The stored order: (apiVersion, kind, namespace or "", name), ties by JCS text, all in code-unit order. */
function compareEntries(a: Entry, b: Entry): number {
  for (let i = 0; i < a.key.length; i++) {
    if (a.key[i] !== b.key[i]) return a.key[i] < b.key[i] ? -1 : 1;
  }
  return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
}

/** Sorts objects the projection already gave (`projectObject`), each serialised once. */
function sortedEntries(projected: readonly KubeObject[]): Entry[] {
  return projected
    .map((object) => {
      const key = [object.apiVersion, object.kind, object.metadata.namespace ?? '', object.metadata.name];
      return { object, key, text: canonicalJson(object) };
    })
    .sort(compareEntries);
}

export function snapshotContent(parsed: readonly ParsedObject[]): SnapshotContent {
  return projectedSnapshotContent(parsed.map((item) => projectObject(item.object)));
}

/** The content of objects already projected (a streamed upload keeps only the projections). */
export function projectedSnapshotContent(projected: readonly KubeObject[]): SnapshotContent {
  const entries = sortedEntries(projected);
  const bytes = Buffer.from(`[${entries.map((entry) => entry.text).join(',')}]`, 'utf8');
  return { objects: entries.map((entry) => entry.object), bytes, sha256: sha256Hex(bytes) };
}

/** Projected objects in the stored order. */
export function canonicalOrder(objects: readonly KubeObject[]): KubeObject[] {
  return sortedEntries(objects.map(projectObject)).map((entry) => entry.object);
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
