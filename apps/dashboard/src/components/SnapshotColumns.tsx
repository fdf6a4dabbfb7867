import type { SnapshotSummary } from '../api/types.js';
import { formatTimestamp, shortHash } from '../format.js';
import { Link } from '../router/Link.js';
import { paths } from '../routes.js';
import { COUNT_LABELS } from './Counts.js';
import type { Column } from './DataTable.js';

/** Columns of a snapshot list: a link per snapshot (named after its cluster and time), the counts, the hash. */
export function snapshotColumns(clusterName: string): Column<SnapshotSummary>[] {
  return [
    {
      header: 'Captured at',
      rowHeader: true,
      cell: (snapshot) => (
        <Link
          to={paths.snapshot(snapshot.id)}
          aria-label={`Snapshot of ${clusterName} captured ${formatTimestamp(snapshot.capturedAt)}`}
        >
          <time dateTime={snapshot.capturedAt}>{formatTimestamp(snapshot.capturedAt)}</time>
        </Link>
      ),
    },
    ...COUNT_LABELS.map(
      ([key, header]): Column<SnapshotSummary> => ({ header, numeric: true, cell: (snapshot) => snapshot.counts[key] }),
    ),
    {
      header: 'Content SHA-256',
      cell: (snapshot) => <code title={snapshot.contentSha256}>{shortHash(snapshot.contentSha256)}</code>,
    },
  ];
}
