import { useMemo } from 'react';
import { requestGraphQL } from '../api/client.js';
import {
  PAGE_SIZES,
  SNAPSHOT_NAMESPACES_PAGE_QUERY,
  SNAPSHOT_POLICIES_PAGE_QUERY,
  SNAPSHOT_QUERY,
  SNAPSHOT_WORKLOADS_PAGE_QUERY,
} from '../api/queries.js';
import type {
  NamespaceRow,
  PagedConnection,
  PolicyRow,
  SnapshotData,
  SnapshotDetail,
  SnapshotListPage,
  WorkloadRow,
} from '../api/types.js';
import { useQuery } from '../api/useQuery.js';
import { CountsList } from '../components/Counts.js';
import type { Column } from '../components/DataTable.js';
import { LabelList } from '../components/LabelList.js';
import { PageHeading } from '../components/PageHeading.js';
import { PagedTable } from '../components/PagedTable.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { SnapshotTabs } from '../components/SnapshotTabs.js';
import { formatTimestamp } from '../format.js';
import { Link } from '../router/Link.js';
import { paths } from '../routes.js';
import { Breadcrumb } from '../components/Breadcrumb.js';

/** `/snapshots/:id`: what one snapshot holds. */
export function SnapshotPage({ id }: { id: string }) {
  const state = useQuery<SnapshotData>(SNAPSHOT_QUERY, { id, first: PAGE_SIZES.snapshotItems });
  const snapshot = state.status === 'success' ? state.data.snapshot : null;
  return (
    <>
      <Breadcrumb
        trail={[
          { to: paths.clusters(), label: 'Clusters' },
          ...(snapshot ? [{ to: paths.cluster(snapshot.cluster.name), label: snapshot.cluster.name }] : []),
          { label: 'Snapshot' },
        ]}
      />
      <PageHeading>
        {snapshot ? `Snapshot of ${snapshot.cluster.name}, ${formatTimestamp(snapshot.capturedAt)}` : 'Snapshot'}
      </PageHeading>
      <SnapshotTabs id={id} current="overview" />
      <QueryStatus
        state={state}
        loadingLabel="Loading the snapshot…"
        notFound={
          <p>
            No snapshot has the id <code>{id}</code>.
          </p>
        }
      >
        {(data) => (data.snapshot ? <SnapshotDetails snapshot={data.snapshot} /> : null)}
      </QueryStatus>
    </>
  );
}

const namespaceColumns: Column<NamespaceRow>[] = [
  { header: 'Name', rowHeader: true, cell: (ns) => ns.name },
  { header: 'Labels', cell: (ns) => <LabelList labels={ns.labels} /> },
];

const workloadColumns: Column<WorkloadRow>[] = [
  { header: 'Namespace', cell: (w) => w.namespace },
  { header: 'Name', rowHeader: true, cell: (w) => w.name },
  { header: 'Kind', cell: (w) => w.kind },
  { header: 'Replicas', numeric: true, cell: (w) => w.replicas ?? '—' },
  { header: 'Pod labels', cell: (w) => <LabelList labels={w.labels} /> },
];

const policyColumns: Column<PolicyRow>[] = [
  { header: 'Namespace', cell: (p) => p.namespace ?? <span className="muted">cluster-wide</span> },
  { header: 'Name', rowHeader: true, cell: (p) => p.name },
  { header: 'Kind', cell: (p) => p.kind },
  { header: 'Policy types', cell: (p) => p.policyTypes.join(', ') },
];

type ListKey = 'namespaces' | 'workloads' | 'policies';

/** Loads the page after `after` of one list of the snapshot ("Show more"). */
function listPageFetcher<TKey extends ListKey>(id: string, key: TKey, query: string) {
  return (after: string) =>
    requestGraphQL<SnapshotListPage<TKey>>(query, { id, first: PAGE_SIZES.snapshotItems, after }).then((data) => {
      if (!data.snapshot) throw new Error(`snapshot ${id} is gone`);
      return data.snapshot[key] as SnapshotDetail[TKey];
    });
}

export function SnapshotDetails({ snapshot }: { snapshot: SnapshotDetail }) {
  const { id } = snapshot;
  const fetchers = useMemo(
    () => ({
      namespaces: listPageFetcher(id, 'namespaces', SNAPSHOT_NAMESPACES_PAGE_QUERY),
      workloads: listPageFetcher(id, 'workloads', SNAPSHOT_WORKLOADS_PAGE_QUERY),
      policies: listPageFetcher(id, 'policies', SNAPSHOT_POLICIES_PAGE_QUERY),
    }),
    [id],
  );
  return (
    <>
      <section aria-labelledby="snapshot-summary" className="card">
        <h2 id="snapshot-summary">Summary</h2>
        <dl className="facts">
          <div>
            <dt>Cluster</dt>
            <dd>
              <Link to={paths.cluster(snapshot.cluster.name)}>{snapshot.cluster.name}</Link>
            </dd>
          </div>
          <div>
            <dt>Captured at</dt>
            <dd>
              <time dateTime={snapshot.capturedAt}>{formatTimestamp(snapshot.capturedAt)}</time>
            </dd>
          </div>
          <div>
            <dt>Uploaded at</dt>
            <dd>
              <time dateTime={snapshot.uploadedAt}>{formatTimestamp(snapshot.uploadedAt)}</time> ({snapshot.source})
            </dd>
          </div>
          <div>
            <dt>Snapshot id</dt>
            <dd>
              <code>{snapshot.id}</code>
            </dd>
          </div>
          <div>
            <dt>Content SHA-256</dt>
            <dd>
              <code className="hash">{snapshot.contentSha256}</code>{' '}
              <a href={`/api/v1/snapshots/${encodeURIComponent(snapshot.id)}/content`}>stored content</a>
            </dd>
          </div>
        </dl>
        <CountsList counts={snapshot.counts} />
      </section>

      <ListSection
        id="snapshot-namespaces"
        title="Namespaces"
        connection={snapshot.namespaces}
        fetchPage={fetchers.namespaces}
        columns={namespaceColumns}
        rowKey={(ns) => ns.name}
        noun={['namespace', 'namespaces']}
      />
      <ListSection
        id="snapshot-workloads"
        title="Workloads"
        connection={snapshot.workloads}
        fetchPage={fetchers.workloads}
        columns={workloadColumns}
        rowKey={(w) => `${w.namespace}/${w.kind}/${w.name}`}
        noun={['workload', 'workloads']}
      />
      <ListSection
        id="snapshot-policies"
        title="Policies"
        connection={snapshot.policies}
        fetchPage={fetchers.policies}
        columns={policyColumns}
        rowKey={(p) => `${p.namespace ?? ''}/${p.kind}/${p.name}`}
        noun={['policy', 'policies']}
      />
    </>
  );
}

function ListSection<TRow>(props: {
  id: string;
  title: string;
  connection: PagedConnection<TRow>;
  fetchPage: (after: string) => Promise<PagedConnection<TRow>>;
  columns: readonly Column<TRow>[];
  rowKey: (row: TRow) => string;
  noun: [string, string];
}) {
  const { id, title, ...table } = props;
  return (
    <section aria-labelledby={id} className="card">
      <h2 id={id}>{title}</h2>
      <PagedTable {...table} caption={title} empty={`No ${props.noun[1]} in this snapshot.`} />
    </section>
  );
}
