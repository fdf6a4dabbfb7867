import type { SnapshotSummary } from '../api/types.js';
import { formatTimestamp, shortHash } from '../format.js';
import { Link } from '../router/Link.js';
import { paths } from '../routes.js';
import { COUNT_LABELS } from './Counts.js';
import type { Column } from './DataTable.js';

/**
 * Columns of a snapshot list: a link per snapshot (named after its cluster and time), the counts, the hash; with
 * `rows` (newest first), whether each differs from the one before it and a link to that diff.
 */
export function snapshotColumns(clusterName: string, rows?: readonly SnapshotSummary[]): Column<SnapshotSummary>[] {
  const previous = new Map<string, SnapshotSummary>();
  rows?.forEach((row, index) => {
    const older = rows[index + 1];
    if (older) previous.set(row.id, older);
  });
  const compare: Column<SnapshotSummary>[] = rows
    ? [
        {
          header: 'Since previous',
          cell: (snapshot) => {
            const older = previous.get(snapshot.id);
            if (!older) return <span className="muted-inline">first shown</span>;
            const changed = older.contentSha256 !== snapshot.contentSha256;
            return (
              <>
                <span className={changed ? 'pill pill-changed' : 'pill'}>{changed ? 'changed' : 'unchanged'}</span>{' '}
                <Link to={paths.diff({ from: older.id, to: snapshot.id })} aria-label={`Compare the snapshot of ${formatTimestamp(snapshot.capturedAt)} with the previous one`}>
                  compare with previous
                </Link>
              </>
            );
          },
        },
      ]
    : [];
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
    ...compare,
  ];
}
