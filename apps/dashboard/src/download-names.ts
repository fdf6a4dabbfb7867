// The file names of the download links, exactly as the API's Content-Disposition names them
// (apps/api/src/snapshots/download-name.ts): `<cluster>-<snapshot short id>-<what>.<ext>`, lower-case ASCII.

/** Hex digits of a snapshot id in a file name. */
const SHORT_ID_LENGTH = 8;

/** Lower-case ASCII letters, digits, `.` and `-`; anything else becomes `-`. */
function fileSafe(part: string): string {
  return (
    part
      .toLowerCase()
      .replace(/[^a-z0-9.-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'x'
  );
}

/** `demo-1a2b3c4d`: the cluster and the snapshot's short id. */
function snapshotFilePart(cluster: string | undefined, snapshotId: string): string {
  return `${fileSafe(cluster ?? 'snapshot')}-${fileSafe(snapshotId.slice(0, SHORT_ID_LENGTH))}`;
}

/** One snapshot's file: `demo-1a2b3c4d-connectivity.csv`. */
export function snapshotFileName(cluster: string, snapshotId: string, what: string, extension: string): string {
  return `${snapshotFilePart(cluster, snapshotId)}-${fileSafe(what)}.${fileSafe(extension)}`;
}

/** A diff: `demo-1a2b3c4d-to-demo-5e6f7a8b-diff.md`. */
export function diffFileName(from: { cluster?: string; id: string }, to: { cluster?: string; id: string }, extension: string): string {
  return `${snapshotFilePart(from.cluster, from.id)}-to-${snapshotFilePart(to.cluster, to.id)}-diff.${fileSafe(extension)}`;
}

/** A report of a snapshot: `demo-1a2b3c4d-pci-dss-4.0-report-9f8e7d6c.pdf` (the report's short id last: two reports of
 *  one snapshot and framework never share a name), its evidence pack `…-pci-dss-4.0-evidence-9f8e7d6c.zip`. */
export function reportFileName(report: { id: string; cluster: string; snapshotId: string; framework: string }, what: 'report' | 'evidence', extension: string): string {
  return `${snapshotFilePart(report.cluster, report.snapshotId)}-${fileSafe(report.framework)}-${what}-${fileSafe(report.id.slice(0, SHORT_ID_LENGTH))}.${fileSafe(extension)}`;
}
