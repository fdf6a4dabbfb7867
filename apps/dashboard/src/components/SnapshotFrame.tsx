import type { ReactNode } from 'react';
import { SNAPSHOT_HEADER_QUERY } from '../api/queries.js';
import type { SnapshotHeaderData } from '../api/types.js';
import { useQuery } from '../api/useQuery.js';
import { formatTimestamp } from '../format.js';
import { Link } from '../router/Link.js';
import { paths } from '../routes.js';
import { PageHeading } from './PageHeading.js';
import { QueryStatus } from './QueryStatus.js';
import { SnapshotTabs, type SnapshotView } from './SnapshotTabs.js';

export type SnapshotHeader = NonNullable<SnapshotHeaderData['snapshot']>;

/**
 * The frame of a snapshot's analysis views: breadcrumb, heading, which snapshot, the view tabs. The view itself
 * renders once the snapshot is known (an unknown id gets one not-found alert, not one per query).
 */
export function SnapshotFrame({
  id,
  view,
  title,
  children,
}: {
  id: string;
  view: Exclude<SnapshotView, 'overview'>;
  title: string;
  children: (snapshot: SnapshotHeader) => ReactNode;
}) {
  const state = useQuery<SnapshotHeaderData>(SNAPSHOT_HEADER_QUERY, { id });
  const snapshot = state.status === 'success' ? state.data.snapshot : null;
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={paths.clusters()}>Clusters</Link> <span aria-hidden="true">›</span>{' '}
        {snapshot ? (
          <>
            <Link to={paths.cluster(snapshot.cluster.name)}>{snapshot.cluster.name}</Link>{' '}
            <span aria-hidden="true">›</span>{' '}
            <Link to={paths.snapshot(id)}>Snapshot {formatTimestamp(snapshot.capturedAt)}</Link>{' '}
            <span aria-hidden="true">›</span>{' '}
          </>
        ) : null}
        {title}
      </nav>
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
