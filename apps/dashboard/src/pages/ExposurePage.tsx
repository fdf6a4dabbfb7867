import { useCallback, useState, type ReactNode } from 'react';
import { requestGraphQL } from '../api/client.js';
import { EXPOSURE_QUERY, SELECTOR_EXPOSURE_PAGE_QUERY } from '../api/queries.js';
import type { ExposedWorkload, Exposure, InternetExposedWorkload, UnprotectedWorkload } from '../api/types.js';
import { useQuery } from '../api/useQuery.js';
import { DataTable, type Column } from '../components/DataTable.js';
import { PagedTable } from '../components/PagedTable.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { SnapshotFrame } from '../components/SnapshotFrame.js';
import { workloadColumns, workloadKey } from '../components/WorkloadColumns.js';
import { plural } from '../format.js';

/** `/snapshots/:id/exposure`: what is open beyond its namespace, and what no policy protects. */
export function ExposurePage({ id }: { id: string }) {
  return (
    <SnapshotFrame id={id} view="exposure" title="Exposure">
      {() => <ExposureView id={id} />}
    </SnapshotFrame>
  );
}

function ExposureView({ id }: { id: string }) {
  const state = useQuery(EXPOSURE_QUERY, { id, first: SELECTOR_PAGE });
  return (
    <QueryStatus state={state} loadingLabel="Analysing exposure…">
      {(data) => <ExposureTables id={id} exposure={data.exposure} />}
    </QueryStatus>
  );
}

const internetColumns: Column<InternetExposedWorkload>[] = [
  ...workloadColumns((row: InternetExposedWorkload) => row.workload),
  {
    header: 'Public source ranges',
    cell: (row) => (
      <ul className="plain-list">
        {row.publicRanges.map((range) => (
          <li key={range}>
            <code>{range}</code>
          </li>
        ))}
      </ul>
    ),
  },
  { header: 'Ports', cell: (row) => row.portsText },
];

const clusterWideColumns: Column<ExposedWorkload>[] = [
  ...workloadColumns((row: ExposedWorkload) => row.workload),
  { header: 'Ports', cell: (row) => row.portsText },
  // AdminNetworkPolicy and its kin never match host-network pods: their `namespaces: {}` reaches every other pod.
  { header: 'Sources', cell: (row) => (row.exceptHostNetwork ? 'every pod but host-network pods' : 'every pod') },
];

/** "Exposed by selector" rows per page (the API's most). */
const SELECTOR_PAGE = 100;

type SelectorExposed = Exposure['selectorExposedPage']['edges'][number]['node'];

const selectorColumns: Column<SelectorExposed>[] = [
  ...workloadColumns((row: SelectorExposed) => row.workload),
  { header: 'Direction', cell: (row) => (row.direction === 'INGRESS' ? 'from' : 'to') },
  {
    header: 'Potential peer',
    cell: (row) => (
      <>
        <code>{row.peer}</code>
        <br />
        <span className="muted-inline">
          {row.namespaces}, {row.pods}
        </span>
      </>
    ),
  },
  { header: 'Ports', cell: (row) => row.portsText },
];

const yesNo = (open: boolean) =>
  open ? <span className="flag flag-open">Unprotected</span> : <span className="flag flag-closed">Isolated</span>;

const unprotectedColumns: Column<UnprotectedWorkload>[] = [
  ...workloadColumns((row: UnprotectedWorkload) => row.workload),
  { header: 'Ingress', cell: (row) => yesNo(row.ingress) },
  { header: 'Egress', cell: (row) => yesNo(row.egress) },
];

export function ExposureTables({ id, exposure }: { id: string; exposure: Exposure }) {
  const fetchSelectorPage = useCallback(
    (after: string) => requestGraphQL(SELECTOR_EXPOSURE_PAGE_QUERY, { id, first: SELECTOR_PAGE, after }).then((data) => data.exposure.selectorExposedPage),
    [id],
  );
  return (
    <>
      <ExposureSection
        id="exposure-internet"
        title="Internet-exposed"
        description="Workloads that accept connections from public IP addresses; the ranges shown are only their truly public parts (private, shared, loopback, link-local, multicast and reserved blocks of RFC 6890 removed)."
        count={exposure.internetExposed.length}
      >
        <CappedTable
          caption="Internet-exposed workloads"
          columns={internetColumns}
          rows={exposure.internetExposed}
          rowKey={(row) => workloadKey(row.workload)}
          empty="No workload accepts connections from the internet."
        />
      </ExposureSection>
      <ExposureSection
        id="exposure-cluster-wide"
        title="Cluster-wide exposed"
        description="Workloads that accept connections from every pod of every namespace, existing or future (host-network pods excepted where a row says so: AdminNetworkPolicy-like rules never match them)."
        count={exposure.clusterWideExposed.length}
      >
        <CappedTable
          caption="Cluster-wide exposed workloads"
          columns={clusterWideColumns}
          rows={exposure.clusterWideExposed}
          rowKey={(row) => workloadKey(row.workload)}
          empty="No workload accepts connections from the whole cluster."
        />
      </ExposureSection>
      <ExposureSection
        id="exposure-selector"
        title="Exposed by selector"
        description="Potential exposure: rules open to any pod a selector could match, in namespaces that exist or not yet (as netpol list --exposure shows)."
        count={exposure.selectorExposedWorkloads}
      >
        <PagedTable
          connection={exposure.selectorExposedPage}
          fetchPage={fetchSelectorPage}
          caption="Workloads exposed to pods matching selectors"
          columns={selectorColumns}
          rowKey={(row) => `${workloadKey(row.workload)}/${row.direction}/${row.peer}`}
          noun={['row', 'rows']}
          empty="No rule opens a workload to pods by selector beyond the workloads present."
        />
      </ExposureSection>
      <ExposureSection
        id="exposure-unprotected"
        title="Unprotected"
        description="Workloads no policy selects in at least one direction: unprotected ingress accepts anything, unprotected egress may connect anywhere."
        count={exposure.unprotected.length}
      >
        <CappedTable
          caption="Unprotected workloads"
          columns={unprotectedColumns}
          rows={exposure.unprotected}
          rowKey={(row) => workloadKey(row.workload)}
          empty="Every workload is isolated for both ingress and egress."
        />
      </ExposureSection>
    </>
  );
}

/** Tables of a big snapshot hold thousands of rows: the first ones, and a button for the rest. */
const SHOWN_ROWS = 100;

function CappedTable<TRow>(props: Parameters<typeof DataTable<TRow>>[0]) {
  const [all, setAll] = useState(false);
  const rows = all ? props.rows : props.rows.slice(0, SHOWN_ROWS);
  return (
    <>
      <DataTable {...props} rows={rows} />
      {rows.length < props.rows.length && (
        <p className="show-more">
          <button type="button" onClick={() => setAll(true)}>
            Show all {props.rows.length}
          </button>
        </p>
      )}
    </>
  );
}

function ExposureSection({
  id,
  title,
  description,
  count,
  children,
}: {
  id: string;
  title: string;
  description: string;
  count: number;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={id} className="card">
      <h2 id={id}>{title}</h2>
      <p className="muted">
        <strong className="count-badge">{plural(count, 'workload')}.</strong> {description}
      </p>
      {children}
    </section>
  );
}
