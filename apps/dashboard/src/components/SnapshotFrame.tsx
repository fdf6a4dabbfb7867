import type { ReactNode } from 'react';
import { SNAPSHOT_HEADER_QUERY } from '../api/queries.js';
import type { SnapshotHeaderData } from '../api/types.js';
import { useQuery } from '../api/useQuery.js';
import { formatTimestamp } from '../format.js';
import { paths } from '../routes.js';
import { PageHeading } from './PageHeading.js';
import { QueryStatus } from './QueryStatus.js';
import { SnapshotTabs, type SnapshotView } from './SnapshotTabs.js';
import { Breadcrumb, type Crumb } from './Breadcrumb.js';

export type SnapshotHeader = NonNullable<SnapshotHeaderData['snapshot']>;

/**
 * The frame of a snapshot's analysis views: breadcrumb, heading, which snapshot, the view tabs. The view itself
 * renders once the snapshot is known (an unknown id gets one not-found alert, not one per query).
 */
export function SnapshotFrame({
  id,
  view,
  title,
  trail = [],
  children,
}: {
  id: string;
  /** The tab to mark; none for pages under the explorer (a workload, a policy). */
  view: SnapshotView | undefined;
  /** Crumbs between the snapshot and this page, e.g. the namespace of a workload. */
  trail?: readonly Crumb[];
  title: string;
  children: (snapshot: SnapshotHeader) => ReactNode;
}) {
  const state = useQuery(SNAPSHOT_HEADER_QUERY, { id });
  const snapshot = state.status === 'success' ? state.data.snapshot : null;
  return (
    <>
      <Breadcrumb
        trail={[
          { to: paths.clusters(), label: 'Inventory' },
          ...(snapshot
            ? [
                { to: paths.cluster(snapshot.cluster.name), label: snapshot.cluster.name },
                { to: paths.snapshot(id), label: `Snapshot ${formatTimestamp(snapshot.capturedAt)}` },
              ]
            : []),
          ...trail,
          { label: title },
        ]}
      />
      <PageHeading>{title}</PageHeading>
      {snapshot && (
        <p className="subtitle">
          Snapshot of <strong>{snapshot.cluster.name}</strong> captured{' '}
          <time dateTime={snapshot.capturedAt}>{formatTimestamp(snapshot.capturedAt)}</time>
        </p>
      )}
      <SnapshotTabs id={id} current={view} />
      <QueryStatus
        state={state}
        loadingLabel="Loading the snapshot…"
        notFound={
          <p>
            No snapshot has the id <code>{id}</code>.
          </p>
        }
      >
        {(data) => (data.snapshot ? children(data.snapshot) : null)}
      </QueryStatus>
    </>
  );
}
