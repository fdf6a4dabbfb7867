// The stored form of a snapshot: the engine's projection of every object, as the JCS (RFC 8785) text of one sorted
// JSON array. `contentSha256` is the lowercase hex SHA-256 of exactly these UTF-8 bytes (README "Content hash").
import { createHash } from 'node:crypto';
import { canonicalJson, canonicalSnapshotText, projectObject, type KubeObject, type ParsedObject } from '@netpol-atlas/engine';

export interface SnapshotContent {
  /** The projected objects in the stored order, so what is derived from them depends on the content only. */
  readonly objects: readonly KubeObject[];
  readonly bytes: Buffer;
  readonly sha256: string;
}

export function snapshotContent(parsed: readonly ParsedObject[]): SnapshotContent {
  const objects = canonicalOrder(parsed.map((item) => projectObject(item.object)));
  const bytes = Buffer.from(canonicalSnapshotText(objects), 'utf8');
  return { objects, bytes, sha256: sha256Hex(bytes) };
}

/** The order of the stored array: (apiVersion, kind, namespace or "", name), ties by JCS text, code-unit order. */
export function canonicalOrder(objects: readonly KubeObject[]): KubeObject[] {
  const entries = objects.map((object) => ({
    object,
    key: [object.apiVersion, object.kind, object.metadata.namespace ?? '', object.metadata.name],
    text: undefined as string | undefined,
  }));
  const textOf = (entry: (typeof entries)[number]) => (entry.text ??= canonicalJson(entry.object));
  entries.sort((a, b) => {
    for (let i = 0; i < a.key.length; i++) {
      if (a.key[i] !== b.key[i]) return a.key[i] < b.key[i] ? -1 : 1;
    }
    const ta = textOf(a);
    const tb = textOf(b);
    return ta < tb ? -1 : ta > tb ? 1 : 0;
  });
  return entries.map((entry) => entry.object);
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
