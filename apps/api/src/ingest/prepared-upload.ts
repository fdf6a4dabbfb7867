// What an upload becomes before its transaction: the stored content (canonical text and its hash) and the
// normalised objects. Derived where the upload was parsed — the parse worker for large bodies
// (workers/parse-upload.mjs) — so the event loop never receives the projected objects of a big upload (a deep
// structured clone) nor spends seconds on them: it gets the content bytes (transferred, not copied) and the rows
// encoded as the parameters of their INSERTs (snapshot-object-columns.ts).
// The content comes first and the rows after it: the server writes the content (PostgreSQL compresses it, seconds
// at 50k pods) while the worker still derives the rows, and an upload whose content is already stored with its
// objects (a re-upload) never waits for them.
import type { Issue, KubeObject } from '@netpol-atlas/engine';
import { objectColumns, type ObjectColumns } from '../snapshots/objects/snapshot-object-columns.js';
import { normaliseSnapshot } from '../snapshots/objects/snapshot-objects.js';
import { projectedSnapshotContent } from './snapshot-content.js';

export interface PreparedUpload {
  readonly issues: readonly Issue[];
  /** Valid objects found (analysis uses them). */
  readonly objectCount: number;
  /**
   * Absent when the upload is refused anyway (an error, or no object): nothing is derived then. `bytes` are taken
   * once by the store (takeContentBytes), so the content (~56 MB at 50k pods) is not held once written, while the
   * rows are still derived.
   */
  readonly content?: { bytes: Uint8Array | undefined; readonly sha256: string };
  /** Present with `content`. */
  readonly normalised?: PendingObjects;
}

/** The normalised objects of an upload, derived after its content, as the columns of their INSERTs. */
export interface PendingObjects {
  get(): Promise<ObjectColumns>;
  /** Not (or no longer) needed: stop deriving them. Safe to call at any time, more than once. */
  dismiss(): void;
}

/** The content of an upload (not its rows), and the objects in stored order its rows are derived from; `texts` are
 *  the projections' JCS texts when the parse wrote them (same index). */
export function prepareContent(
  projected: readonly KubeObject[],
  issues: readonly Issue[],
  texts?: readonly string[],
): { prepared: PreparedUpload; objects?: readonly KubeObject[] } {
  if (projected.length === 0 || issues.some((issue) => issue.severity === 'error')) return { prepared: { issues, objectCount: projected.length } };
  const content = projectedSnapshotContent(projected, texts);
  return { prepared: { issues, objectCount: projected.length, content: { bytes: content.bytes, sha256: content.sha256 } }, objects: content.objects };
}

/** Content and rows in this thread; the rows are derived on first use only. */
export function prepareUpload(projected: readonly KubeObject[], issues: readonly Issue[], texts?: readonly string[]): PreparedUpload {
  const { prepared, objects } = prepareContent(projected, issues, texts);
  if (!objects) return prepared;
  let rows: Promise<ObjectColumns> | undefined;
  return {
    ...prepared,
    normalised: {
      get: () => (rows ??= new Promise((resolve) => resolve(objectColumns(normaliseSnapshot(objects))))),
      dismiss: () => undefined,
    },
  };
}

/** The content bytes, which the upload no longer holds afterwards (a second call finds none). */
export function takeContentBytes(prepared: PreparedUpload): Buffer | undefined {
  const bytes = prepared.content?.bytes;
  if (!bytes) return undefined;
  prepared.content.bytes = undefined;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
