import { useCallback, useState, type FormEvent, type ReactNode } from 'react';
import { requestGraphQL } from '../../api/client.js';
import { useLoadMore } from '../../api/useLoadMore.js';
import { useQuery } from '../../api/useQuery.js';
import type { DashboardInventoryQuery } from '../../gql/graphql.js';
import { LabelList } from '../../components/LabelList.js';
import { PageHeading } from '../../components/PageHeading.js';
import { QueryStatus } from '../../components/QueryStatus.js';
import { formatTimestamp, plural } from '../../format.js';
import { navigate, useSearch } from '../../router/history.js';
import { Link } from '../../router/Link.js';
import { paths, queryParam } from '../../routes.js';
import { formatAge, parseLabelFilter, sparklinePoints } from './inventory-view.js';
import { frameworkLabel } from '../compliance/compliance-view.js';
import { INVENTORY_LINT_QUERY, INVENTORY_QUERY } from './queries.js';
import { CniProfile, CniProfileNote } from '../../components/CniProfile.js';

const PAGE = 30;

type InventoryItem = DashboardInventoryQuery['inventory']['edges'][number]['node'];

/** `/?q=prod&labels=env=prod`: every cluster at a glance (the home page), searchable and filterable by label. */
export function InventoryPage() {
  const search = useSearch();
  const q = queryParam(search, 'q');
  const labels = queryParam(search, 'labels');
  const filter = { ...(q ? { nameContains: q } : {}), ...(labels ? { labels: parseLabelFilter(labels) } : {}) };
  const state = useQuery(INVENTORY_QUERY, { first: PAGE, filter });
  return (
    <>
      <PageHeading>Inventory</PageHeading>
      <p className="lede">
        Every cluster with its latest snapshot: size, how much of it network policies isolate, and what the internet can reach.{' '}
        <Link to={paths.upload()}>Upload a snapshot</Link> to add one.
      </p>
      <InventoryFilters key={search} q={q} labels={labels} />
      <QueryStatus state={state} loadingLabel="Loading the inventory…">
        {(data) => <InventoryGrid key={search} inventory={data.inventory} filter={filter} />}
      </QueryStatus>
    </>
  );
}

function InventoryFilters({ q, labels }: { q: string; labels: string }) {
  const [draft, setDraft] = useState({ q, labels });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(paths.clusters({ q: draft.q.trim(), labels: draft.labels.trim() }));
  };
  return (
    <form className="inventory-filters" onSubmit={submit} aria-label="Filter clusters">
      <div className="field">
        <label htmlFor="inventory-q">Cluster name contains</label>
        <input id="inventory-q" type="search" value={draft.q} onChange={(event) => setDraft({ ...draft, q: event.target.value })} />
      </div>
      <div className="field">
        <label htmlFor="inventory-labels">Labels</label>
        <input id="inventory-labels" value={draft.labels} placeholder="env=prod, team" onChange={(event) => setDraft({ ...draft, labels: event.target.value })} />
      </div>
      <div className="field field-actions">
        <button type="submit" className="primary">
          Filter
        </button>
        {(q || labels) && <Link to={paths.clusters()}>Clear</Link>}
      </div>
    </form>
  );
}

export function InventoryGrid({ inventory, filter }: { inventory: DashboardInventoryQuery['inventory']; filter: object }) {
  const fetchPage = useCallback(
    (after: string) => requestGraphQL(INVENTORY_QUERY, { first: PAGE, after, filter }).then((data) => data.inventory),
    // The filter is fixed for this grid (the page keys it by the URL).
    [filter],
  );
  const pager = useLoadMore(inventory, fetchPage);
  if (pager.nodes.length === 0) {
    return (
      <p className="empty">
        No clusters yet{Object.keys(filter).length > 0 ? ' match the filter' : ''}. <Link to={paths.upload()}>Upload a snapshot</Link>.
      </p>
    );
  }
  return (
    <>
      <p className="muted">{pager.totalCount === pager.nodes.length ? plural(pager.totalCount, 'cluster') : `Showing ${pager.nodes.length} of ${pager.totalCount} clusters.`}</p>
      <div className="inventory-grid">
        {pager.nodes.map((item) => (
          <ClusterCard key={item.cluster.name} item={item} />
        ))}
      </div>
      {pager.hasNextPage && (
        <p className="show-more">
          <button type="button" onClick={pager.loadMore} disabled={pager.loading}>
            {pager.loading ? 'Loading more clusters…' : 'Show more clusters'}
          </button>
        </p>
      )}
    </>
  );
}

const percent = (value: number | null | undefined) => (value == null ? '—' : `${Math.round(value)}%`);

export function ClusterCard({ item }: { item: InventoryItem }) {
  const { cluster, latest } = item;
  const headingId = `cluster-${cluster.name}`;
  const trend = [...item.trend].reverse();
  return (
    <section aria-labelledby={headingId} className="card">
      <h2 id={headingId}>
        <Link to={paths.cluster(cluster.name)}>{cluster.name}</Link>
      </h2>
      <p className="muted">
        {[cluster.provider, cluster.cni].filter(Boolean).join(' · ') || 'provider and CNI unknown'} · {plural(cluster.snapshots.totalCount, 'snapshot')}
      </p>
      {cluster.labels.length > 0 && <LabelList labels={cluster.labels} />}
      {latest ? (
        <>
          <p style={{ margin: '0.5rem 0 0' }}>
            Latest:{' '}
            <Link to={paths.snapshot(latest.snapshot.id)} aria-label={`Snapshot of ${cluster.name} captured ${formatTimestamp(latest.capturedAt)}`}>
              <time dateTime={latest.capturedAt}>{formatTimestamp(latest.capturedAt)}</time>
            </Link>{' '}
            {item.latestSnapshotAgeSeconds != null && <span className="muted-inline">({formatAge(item.latestSnapshotAgeSeconds)} ago)</span>}
          </p>
          <dl className="kpis">
            <Kpi label="Pods" value={latest.pods} />
            <Kpi label="Workloads" value={latest.workloads} />
            <Kpi label="Policies" value={latest.policies} />
            <Kpi label="Ingress isolated" value={percent(latest.analysis?.ingressIsolatedPercent)} />
            <Kpi label="Egress isolated" value={percent(latest.analysis?.egressIsolatedPercent)} />
            <Kpi label="Internet-exposed" value={latest.analysis?.internetExposedWorkloads ?? '—'} bad={(latest.analysis?.internetExposedWorkloads ?? 0) > 0} />
            <LintKpi snapshotId={latest.snapshot.id} pods={latest.pods} />
          </dl>
          {latest.analysis && (
            <>
              <p className="muted" style={{ margin: '0.25rem 0 0' }}>
                Analysed under <CniProfile profile={latest.analysis.cniProfile} />
              </p>
              <CniProfileNote note={latest.analysis.cniProfileNote} />
            </>
          )}
          <ComplianceLine cluster={cluster.name} reports={cluster.latestReports} />
          <Sparkline label={`Policies over the last ${trend.length} snapshots`} values={trend.map((p) => p.policies)} />
          <Sparkline label={`Pods over the last ${trend.length} snapshots`} values={trend.map((p) => p.pods)} />
          <p style={{ margin: '0.5rem 0 0' }}>
            <Link to={paths.map(latest.snapshot.id)}>Service map</Link> · <Link to={paths.exposure(latest.snapshot.id)}>Exposure</Link> ·{' '}
            <Link to={paths.connectivity(latest.snapshot.id)}>Connectivity</Link>
          </p>
        </>
      ) : (
        <p className="empty">No snapshots yet.</p>
      )}
    </section>
  );
}

function Kpi({ label, value, bad = false }: { label: string; value: ReactNode; bad?: boolean }) {
  return (
    <div className={bad ? 'kpi kpi-bad' : 'kpi'}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/**
 * Above this many pods the inventory does not lint the latest snapshot (seconds of server work per card on a
 * 10,000-pod cluster): the card links to the findings page, which lints on demand.
 */
export const MAX_PODS_LINTED_IN_INVENTORY = 2_000;

/** Lint errors of the latest snapshot, linking to its findings (its own query: lint runs on the analysis). */
function LintKpi({ snapshotId, pods }: { snapshotId: string; pods: number }) {
  const tooBig = pods > MAX_PODS_LINTED_IN_INVENTORY;
  const state = useQuery(INVENTORY_LINT_QUERY, { id: snapshotId }, { pause: tooBig });
  if (tooBig) {
    return (
      <Kpi
        label="Lint errors"
        value={
          <Link to={paths.findings(snapshotId)} aria-label="Lint errors: open the findings (linted on demand for large snapshots)">
            open
          </Link>
        }
      />
    );
  }
  const errors = state.status === 'success' ? state.data.lint.errors : undefined;
  const value =
    state.status === 'loading' ? (
      '…'
    ) : errors === undefined ? (
      '—'
    ) : (
      <Link to={paths.findings(snapshotId, errors > 0 ? { severity: 'error' } : {})} aria-label={`${plural(errors, 'lint error')}: see the findings`}>
        {errors}
      </Link>
    );
  return <Kpi label="Lint errors" value={value} bad={(errors ?? 0) > 0} />;
}

/** The last compliance result per framework, each linking to its report. */
function ComplianceLine({ cluster, reports }: { cluster: string; reports: InventoryItem['cluster']['latestReports'] }) {
  return (
    <p style={{ margin: '0.5rem 0 0' }}>
      <Link to={paths.compliance(cluster)}>Compliance</Link>:{' '}
      {reports.length === 0 ? (
        <span className="muted-inline">no reports yet</span>
      ) : (
        reports.map((r, i) => (
          <span key={r.id}>
            {i > 0 && ' · '}
            <Link to={paths.compliance(cluster, { report: r.id })} aria-label={`${frameworkLabel(r.framework)}: ${r.summary.verdict}`}>
              {frameworkLabel(r.framework)} <span className={`pill status-${r.summary.verdict}`}>{r.summary.verdict}</span>
            </Link>
          </span>
        ))
      )}
    </p>
  );
}

function Sparkline({ label, values }: { label: string; values: readonly number[] }) {
  if (values.length < 2) return null;
  const last = values.at(-1);
  return (
    <p className="muted-inline" style={{ display: 'flex', alignItems: 'center', gap: '0.5rem', margin: '0.25rem 0' }}>
      <svg className="sparkline" width="120" height="22" viewBox="0 0 120 22" role="img" aria-label={`${label}: ${values.join(', ')}`}>
        <polyline points={sparklinePoints(values, 120, 22)} fill="none" stroke="currentColor" strokeWidth="1.5" />
      </svg>
      {label.split(' over')[0]}: {last}
    </p>
  );
}
