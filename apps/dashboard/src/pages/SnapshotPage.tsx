import type { TypedDocumentNode } from '@urql/core';
import { useMemo, useState, type FormEvent } from 'react';
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
import { navigate, useSearch } from '../router/history.js';
import { paths, queryParam } from '../routes.js';
import { Breadcrumb } from '../components/Breadcrumb.js';

/** `/snapshots/:id`: what one snapshot holds. */
export function SnapshotPage({ id }: { id: string }) {
  const search = useSearch();
  const filter = { namespace: queryParam(search, 'namespace') || null, search: queryParam(search, 'q') || null };
  const state = useQuery(SNAPSHOT_QUERY, { id, first: PAGE_SIZES.snapshotItems, ...filter });
  const snapshot = state.status === 'success' ? state.data.snapshot : null;
  return (
    <>
      <Breadcrumb
        trail={[
          { to: paths.clusters(), label: 'Inventory' },
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
        {(data) => (data.snapshot ? <SnapshotDetails key={search} snapshot={data.snapshot} filter={filter} /> : null)}
      </QueryStatus>
    </>
  );
}

const namespaceColumns = (id: string): Column<NamespaceRow>[] => [
  { header: 'Name', rowHeader: true, cell: (ns) => <Link to={paths.snapshot(id, { namespace: ns.name })}>{ns.name}</Link> },
  { header: 'Labels', cell: (ns) => <LabelList labels={ns.labels} /> },
];

const workloadColumns = (id: string): Column<WorkloadRow>[] => [
  { header: 'Namespace', cell: (w) => w.namespace },
  { header: 'Name', rowHeader: true, cell: (w) => <Link to={paths.workload(id, w)}>{w.name}</Link> },
  { header: 'Kind', cell: (w) => w.kind },
  { header: 'Replicas', numeric: true, cell: (w) => w.replicas ?? '—' },
  { header: 'Pod labels', cell: (w) => <LabelList labels={w.labels} /> },
];

const policyColumns = (id: string): Column<PolicyRow>[] => [
  { header: 'Namespace', cell: (p) => p.namespace ?? <span className="muted">cluster-wide</span> },
  {
    header: 'Name',
    rowHeader: true,
    cell: (p) => <Link to={paths.policy(id, p)}>{p.name}</Link>,
  },
  { header: 'Kind', cell: (p) => p.kind },
  { header: 'Policy types', cell: (p) => p.policyTypes.join(', ') },
];

type ListKey = 'namespaces' | 'workloads' | 'policies';

/** Loads the page after `after` of one list of the snapshot ("Show more"). */
interface ListFilter {
  namespace: string | null;
  search: string | null;
}

function listPageFetcher<TKey extends ListKey>(
  id: string,
  key: TKey,
  query: TypedDocumentNode<SnapshotListPage<TKey>, { id: string; first: number; after?: string | null } & Partial<ListFilter>>,
  filter: Partial<ListFilter> = {},
) {
  return (after: string) =>
    requestGraphQL(query, { id, first: PAGE_SIZES.snapshotItems, after, ...filter }).then((data) => {
      if (!data.snapshot) throw new Error(`snapshot ${id} is gone`);
      return data.snapshot[key] as SnapshotDetail[TKey];
    });
}

export function SnapshotDetails({ snapshot, filter = { namespace: null, search: null } }: { snapshot: SnapshotDetail; filter?: ListFilter }) {
  const { id } = snapshot;
  const { namespace, search } = filter;
  const fetchers = useMemo(
    () => ({
      namespaces: listPageFetcher(id, 'namespaces', SNAPSHOT_NAMESPACES_PAGE_QUERY),
      workloads: listPageFetcher(id, 'workloads', SNAPSHOT_WORKLOADS_PAGE_QUERY, { namespace, search }),
      policies: listPageFetcher(id, 'policies', SNAPSHOT_POLICIES_PAGE_QUERY, { namespace, search }),
    }),
    [id, namespace, search],
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
        columns={namespaceColumns(id)}
        rowKey={(ns) => ns.name}
        noun={['namespace', 'namespaces']}
      />
      <ExplorerFilter id={id} filter={filter} namespaces={snapshot.namespaces.edges.map((edge) => edge.node.name)} />
      <ListSection
        id="snapshot-workloads"
        title="Workloads"
        connection={snapshot.workloads}
        fetchPage={fetchers.workloads}
        columns={workloadColumns(id)}
        rowKey={(w) => `${w.namespace}/${w.kind}/${w.name}`}
        noun={['workload', 'workloads']}
      />
      <ListSection
        id="snapshot-policies"
        title="Policies"
        connection={snapshot.policies}
        fetchPage={fetchers.policies}
        columns={policyColumns(id)}
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

/** Narrows the workload and policy lists to a namespace and/or a `namespace/name` search (kept in the URL). */
function ExplorerFilter({ id, filter, namespaces }: { id: string; filter: ListFilter; namespaces: readonly string[] }) {
  const [draft, setDraft] = useState({ namespace: filter.namespace ?? '', q: filter.search ?? '' });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(paths.snapshot(id, { namespace: draft.namespace, q: draft.q.trim() }));
  };
  return (
    <form className="filter-form card" onSubmit={submit} aria-label="Filter workloads and policies">
      <div className="field">
        <label htmlFor="explorer-namespace">Namespace</label>
        <select id="explorer-namespace" value={draft.namespace} onChange={(event) => setDraft({ ...draft, namespace: event.target.value })}>
          <option value="">All namespaces</option>
          {namespaces.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-wide">
        <label htmlFor="explorer-search">Search workloads and policies</label>
        <input id="explorer-search" type="search" value={draft.q} placeholder="name or namespace/name" onChange={(event) => setDraft({ ...draft, q: event.target.value })} />
      </div>
      <div className="field field-actions">
        <button type="submit" className="primary">
          Filter
        </button>
        {(filter.namespace || filter.search) && <Link to={paths.snapshot(id)}>Clear</Link>}
      </div>
    </form>
  );
}
