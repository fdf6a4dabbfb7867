// A stored snapshot's content (the server's `GET /api/v1/snapshots/{id}/content`: the JCS text of one JSON array of
// projected objects, validated at ingest) as parsed objects, located as the server locates them. The server reads
// its store with it and `netpol report` / `netpol probe-plan` read a downloaded content with it, so both report the same.
import type { KubeObject, ParsedObject } from './types.js';

/** The file name findings on a stored content carry. */
export const SNAPSHOT_CONTENT_FILE = 'snapshot-content';

/** The objects of a content array, each located by its index (`[9].spec.egress[2]`). */
export function snapshotContentObjects(items: readonly KubeObject[]): ParsedObject[] {
  return items.map((object, index) => ({ object, source: { file: SNAPSHOT_CONTENT_FILE, document: 0, pathPrefix: `[${index}]` } }));
}

/** The objects of a content text, or undefined when the text is not one JSON array of objects. */
export function parseSnapshotContent(text: string): ParsedObject[] | undefined {
  if (!text.trimStart().startsWith('[')) return undefined;
  let items: unknown;
  try {
    items = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(items) || !items.every((o) => typeof o === 'object' && o !== null && !Array.isArray(o) && 'kind' in o)) return undefined;
  return snapshotContentObjects(items as KubeObject[]);
}
