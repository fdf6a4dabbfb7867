// What an upload becomes before its transaction: the stored content (canonical text and its hash) and the
// normalised objects. Derived where the upload was parsed — the parse worker for large bodies
// (workers/parse-upload.mjs) — so the event loop never receives the projected objects of a big upload (a deep
// structured clone) nor spends seconds on them: it gets the content bytes (transferred, not copied) and the rows.
import type { Issue, KubeObject } from '@netpol-atlas/engine';
import { normaliseSnapshot, type SnapshotObjects } from '../snapshots/objects/snapshot-objects.js';
import { projectedSnapshotContent } from './snapshot-content.js';

export interface PreparedUpload {
  readonly issues: readonly Issue[];
  /** Valid objects found (analysis uses them). */
  readonly objectCount: number;
  /** Absent when the upload is refused anyway (an error, or no object): nothing is derived then. */
  readonly content?: { readonly bytes: Uint8Array; readonly sha256: string };
  readonly normalised?: SnapshotObjects;
}

export function prepareUpload(projected: readonly KubeObject[], issues: readonly Issue[]): PreparedUpload {
  if (projected.length === 0 || issues.some((issue) => issue.severity === 'error')) return { issues, objectCount: projected.length };
  const content = projectedSnapshotContent(projected);
  return { issues, objectCount: projected.length, content: { bytes: content.bytes, sha256: content.sha256 }, normalised: normaliseSnapshot(content.objects) };
}
