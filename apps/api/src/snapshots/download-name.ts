// `Content-Disposition` of the REST downloads, one style for every file the API and the dashboard name:
// `<cluster>-<snapshot short id>-<what>.<ext>` (`demo-1a2b3c4d-connectivity.csv`): lower-case ASCII, safe on every
// file system. The short id is the snapshot id's first 8 hex digits, unique where a capture time may not be.
// The dashboard names its download links the same way (apps/dashboard/src/download-names.ts).

/** Hex digits of a snapshot id in a file name. */
export const SHORT_ID_LENGTH = 8;

type NamedSnapshot = { readonly id: string; readonly cluster?: { readonly name: string } | null };

/** Lower-case ASCII letters, digits, `.` and `-`; anything else becomes `-`. */
function fileSafe(part: string): string {
  return part.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
}

/** `demo-1a2b3c4d`: the cluster and the snapshot's short id. */
export function snapshotFilePart(cluster: string | undefined, snapshotId: string): string {
  return `${fileSafe(cluster ?? 'snapshot')}-${fileSafe(snapshotId.slice(0, SHORT_ID_LENGTH))}`;
}

/** `attachment; filename="…"` (the name is ASCII without quotes or backslashes, so no `filename*` is needed). */
export function attachment(fileName: string): string {
  return `attachment; filename="${fileName}"`;
}

/** One snapshot's file: `demo-1a2b3c4d-connectivity.csv`. */
export function snapshotDownloadName(snapshot: NamedSnapshot, what: string, extension: string): string {
  return `${snapshotFilePart(snapshot.cluster?.name, snapshot.id)}-${fileSafe(what)}.${fileSafe(extension)}`;
}

/** A diff: `demo-1a2b3c4d-to-demo-5e6f7a8b-diff.md`. */
export function diffDownloadName(from: NamedSnapshot, to: NamedSnapshot, extension: string): string {
  return `${snapshotFilePart(from.cluster?.name, from.id)}-to-${snapshotFilePart(to.cluster?.name, to.id)}-diff.${fileSafe(extension)}`;
}

/**
 * A report of a snapshot: `demo-1a2b3c4d-pci-dss-4.0-report-9f8e7d6c.pdf`, its evidence pack
 * `…-pci-dss-4.0-evidence-9f8e7d6c.zip`: the report's own short id last, so two reports of one snapshot and framework
 * (another `--cde` zone, another engine) never download under one name, and a pack is named after its report.
 */
export function reportDownloadName(
  report: { readonly id: string; readonly clusterName: string; readonly snapshotId: string; readonly frameworkId: string },
  what: 'report' | 'evidence',
  extension: string,
): string {
  const reportPart = fileSafe(report.id.slice(0, SHORT_ID_LENGTH));
  return `${snapshotFilePart(report.clusterName, report.snapshotId)}-${fileSafe(report.frameworkId)}-${what}-${reportPart}.${fileSafe(extension)}`;
}
