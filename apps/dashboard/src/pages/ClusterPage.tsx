import { useCallback } from 'react';
import { requestGraphQL } from '../api/client.js';
import { CLUSTER_QUERY, PAGE_SIZES } from '../api/queries.js';
import type { ClusterDetail } from '../api/types.js';
import { useQuery } from '../api/useQuery.js';
import { LabelList } from '../components/LabelList.js';
import { PageHeading } from '../components/PageHeading.js';
import { PagedTable } from '../components/PagedTable.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { snapshotColumns } from '../components/SnapshotColumns.js';
import { formatTimestamp } from '../format.js';
import { paths } from '../routes.js';
import { Link } from '../router/Link.js';
import { Breadcrumb } from '../components/Breadcrumb.js';
import { ClusterCniCard } from './cluster-cni/ClusterCniCard.js';

/** `/clusters/:name`: one cluster and all its snapshots, newest first. */
export function ClusterPage({ name }: { name: string }) {
  const state = useQuery(CLUSTER_QUERY, { name, first: PAGE_SIZES.snapshotsPerCluster });
  return (
    <>
      <Breadcrumb trail={[{ to: paths.clusters(), label: 'Inventory' }, { label: name }]} />
      <PageHeading>Cluster {name}</PageHeading>
      <QueryStatus
        state={state}
        loadingLabel="Loading the cluster…"
        notFound={
          <p>
            There is no cluster named <code>{name}</code>.
          </p>
        }
      >
        {({ cluster }) => (cluster ? <ClusterDetails cluster={cluster} /> : null)}
      </QueryStatus>
    </>
  );
}

export function ClusterDetails({ cluster }: { cluster: ClusterDetail }) {
  const fetchSnapshots = useCallback(
    (after: string) =>
      requestGraphQL(CLUSTER_QUERY, {
        name: cluster.name,
        first: PAGE_SIZES.snapshotsPerCluster,
        after,
      }).then((data) => {
        if (!data.cluster) throw new Error(`cluster ${cluster.name} is gone`);
        return data.cluster.snapshots;
      }),
    [cluster.name],
  );
  return (
    <>
      <section aria-labelledby="cluster-summary" className="card">
        <h2 id="cluster-summary">Summary</h2>
        <p>
          <Link to={paths.upload({ cluster: cluster.name })}>Upload a new snapshot of {cluster.name}</Link> ·{' '}
          <Link to={paths.compliance(cluster.name)}>Compliance reports</Link>
        </p>
        <dl className="facts">
          <div>
            <dt>Known since</dt>
            <dd>
              <time dateTime={cluster.createdAt}>{formatTimestamp(cluster.createdAt)}</time>
            </dd>
          </div>
          <div>
            <dt>Provider</dt>
            <dd>{cluster.provider ?? <span className="muted">unknown</span>}</dd>
          </div>
          <div>
            <dt>Labels</dt>
            <dd>
              <LabelList labels={cluster.labels} />
            </dd>
          </div>
        </dl>
      </section>
      <ClusterCniCard name={cluster.name} initial={{ cni: cluster.cni ?? null, cniSource: cluster.cniSource ?? null }} />
      <section aria-labelledby="cluster-snapshots" className="card">
        <h2 id="cluster-snapshots">Snapshots</h2>
        <PagedTable
          connection={cluster.snapshots}
          fetchPage={fetchSnapshots}
          caption={`Snapshots of cluster ${cluster.name}, newest first`}
          columns={(rows) => snapshotColumns(cluster.name, rows)}
          rowKey={(snapshot) => snapshot.id}
          noun={['snapshot', 'snapshots']}
          empty="No snapshots."
        />
      </section>
    </>
  );
}
