import { useCallback } from 'react';
import { requestGraphQL } from '../api/client.js';
import { CLUSTERS_QUERY, PAGE_SIZES } from '../api/queries.js';
import type { ClusterSummary, ClustersData } from '../api/types.js';
import { useLoadMore } from '../api/useLoadMore.js';
import { useQuery } from '../api/useQuery.js';
import { ConnectionNote } from '../components/ConnectionNote.js';
import { DataTable } from '../components/DataTable.js';
import { PageHeading } from '../components/PageHeading.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { snapshotColumns } from '../components/SnapshotColumns.js';
import { plural } from '../format.js';
import { Link } from '../router/Link.js';
import { paths } from '../routes.js';

const clustersVariables = { first: PAGE_SIZES.clusters, snapshotsFirst: PAGE_SIZES.snapshotsPerCluster };

/** `/`: every cluster (sorted by name) with its latest snapshots. */
export function ClustersPage() {
  const state = useQuery<ClustersData>(CLUSTERS_QUERY, clustersVariables);
  return (
    <>
      <PageHeading>Clusters</PageHeading>
      <QueryStatus state={state} loadingLabel="Loading clusters…">
        {({ clusters }) => <ClusterList clusters={clusters} />}
      </QueryStatus>
    </>
  );
}

const fetchClustersAfter = (after: string) =>
  requestGraphQL<ClustersData>(CLUSTERS_QUERY, { ...clustersVariables, after }).then((data) => data.clusters);

export function ClusterList({ clusters }: { clusters: ClustersData['clusters'] }) {
  const pager = useLoadMore(clusters, useCallback(fetchClustersAfter, []));
  if (pager.nodes.length === 0) {
    return (
      <p className="empty">
        No clusters yet. Upload a snapshot with <code>npx netpol push &lt;path&gt; --cluster NAME</code>.
      </p>
    );
  }
  return (
    <>
      <ConnectionNote shown={pager.nodes.length} total={pager.totalCount} noun={['cluster', 'clusters']} />
      {pager.nodes.map((cluster) => (
        <ClusterSection key={cluster.name} cluster={cluster} />
      ))}
      {pager.hasNextPage && (
        <p className="show-more">
          <button type="button" onClick={pager.loadMore} disabled={pager.loading} aria-busy={pager.loading}>
            {pager.loading ? 'Loading more clusters…' : 'Show more clusters'}
          </button>
        </p>
      )}
      {pager.error && (
        <p role="alert" className="status status-error">
          Could not load more clusters: {pager.error.message}
        </p>
      )}
    </>
  );
}

function ClusterSection({ cluster }: { cluster: ClusterSummary }) {
  const headingId = `cluster-${cluster.name}`;
  const { snapshots } = cluster;
  const truncated = snapshots.edges.length < snapshots.totalCount;
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>
        <Link to={paths.cluster(cluster.name)}>{cluster.name}</Link>
      </h2>
      <p className="muted">
        {truncated
          ? `Latest ${snapshots.edges.length} of ${plural(snapshots.totalCount, 'snapshot')}. `
          : `${plural(snapshots.totalCount, 'snapshot')}.`}
        {truncated && <Link to={paths.cluster(cluster.name)}>All snapshots of {cluster.name}</Link>}
      </p>
      <DataTable
        caption={`Snapshots of cluster ${cluster.name}, newest first`}
        columns={snapshotColumns(cluster.name)}
        rows={snapshots.edges.map((edge) => edge.node)}
        rowKey={(snapshot) => snapshot.id}
        empty="No snapshots."
      />
    </section>
  );
}
