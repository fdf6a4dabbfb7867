// `Content-Disposition` of the REST downloads: a file name that says what the file is,
// `<cluster>-<captured-at>-connectivity.csv`, safe on every file system (no `:`), plain ASCII.
import type { SnapshotEntity } from './snapshot.entity.js';

type NamedSnapshot = Pick<SnapshotEntity, 'capturedAt'> & { readonly cluster?: { readonly name: string } | null };

/** `demo-2026-01-31T12-00-00Z`: the cluster and the capture time (seconds; milliseconds only when set). */
export function snapshotFilePart(snapshot: NamedSnapshot): string {
  const iso = snapshot.capturedAt.toISOString().replace('.000Z', 'Z').replace(/:/g, '-');
  const cluster = (snapshot.cluster?.name ?? 'snapshot').replace(/[^A-Za-z0-9._-]+/g, '_');
  return `${cluster}-${iso}`;
}

/** `attachment; filename="…"` (the name is ASCII without quotes or backslashes, so no `filename*` is needed). */
export function attachment(fileName: string): string {
  return `attachment; filename="${fileName}"`;
}

/** One snapshot's report: `demo-2026-01-31T12-00-00Z-connectivity.csv`. */
export function snapshotDownloadName(snapshot: NamedSnapshot, what: string, extension: string): string {
  return `${snapshotFilePart(snapshot)}-${what}.${extension}`;
}

/** A diff: `demo-2026-01-01T00-00-00Z-to-demo-2026-02-01T00-00-00Z-diff.md`. */
export function diffDownloadName(from: NamedSnapshot, to: NamedSnapshot, extension: string): string {
  return `${snapshotFilePart(from)}-to-${snapshotFilePart(to)}-diff.${extension}`;
}
