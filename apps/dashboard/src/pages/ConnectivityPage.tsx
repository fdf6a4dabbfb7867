import { CONNECTIVITY_QUERY, NAMESPACE_MATRIX_QUERY, PAGE_SIZES } from '../api/queries.js';
import type { ConnectivityData, NamespaceMatrix, NamespaceMatrixData, NamespaceSummary } from '../api/types.js';
import { useQuery } from '../api/useQuery.js';
import { DataTable, type Column } from '../components/DataTable.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { SnapshotFrame } from '../components/SnapshotFrame.js';
import { useSearch } from '../router/history.js';
import { ConnectivityFilterForm, ConnectivityRows } from './connectivity/ConnectivityRows.js';
import { parseFilter, toApiFilter, type ConnectivityFilterValue } from './connectivity/filter.js';
import { NamespaceMatrixTable } from './connectivity/NamespaceMatrixTable.js';

/** `/snapshots/:id/connectivity?fromNamespace=…&toNamespace=…&workload=…`: who may talk to whom. */
export function ConnectivityPage({ id }: { id: string }) {
  return (
    <SnapshotFrame id={id} view="connectivity" title="Connectivity">
      {() => <ConnectivityView id={id} />}
    </SnapshotFrame>
  );
}

function ConnectivityView({ id }: { id: string }) {
  const search = useSearch();
  const filter = parseFilter(search);
  const matrix = useQuery<NamespaceMatrixData>(NAMESPACE_MATRIX_QUERY, { id });
  return (
    <>
      <section aria-labelledby="namespace-matrix" className="card">
        <h2 id="namespace-matrix">Namespace matrix</h2>
        <p className="muted">
          Workload pairs with some allowed connection, out of all pairs, from each namespace (rows) to each namespace
          (columns); “all” counts the pairs allowed on every port. Select a cell to list its connections.
        </p>
        <QueryStatus state={matrix} loadingLabel="Analysing namespaces…">
          {(data) => <MatrixAndSummary id={id} matrix={data.namespaceMatrix} />}
        </QueryStatus>
      </section>
      <section aria-labelledby="allowed-connections" className="card">
        <h2 id="allowed-connections">Allowed connections</h2>
        <ConnectivityFilterForm
          key={search}
          id={id}
          initial={filter}
          namespaces={matrix.status === 'success' ? matrix.data.namespaceMatrix.namespaces.map((ns) => ns.name) : []}
        />
        <ConnectivityTable id={id} filter={filter} />
      </section>
    </>
  );
}

const summaryColumns: Column<NamespaceSummary>[] = [
  { header: 'Namespace', rowHeader: true, cell: (row) => row.name },
  { header: 'Workloads', numeric: true, cell: (row) => row.workloads },
  { header: 'Reachable from outside IPs', numeric: true, cell: (row) => row.reachableFromIpRanges },
  { header: 'Reaching outside IPs', numeric: true, cell: (row) => row.reachingIpRanges },
];

export function MatrixAndSummary({ id, matrix }: { id: string; matrix: NamespaceMatrix }) {
  return (
    <>
      <NamespaceMatrixTable id={id} matrix={matrix} />
      <h3>Namespaces</h3>
      <DataTable
        caption="Namespaces with their workloads"
        columns={summaryColumns}
        rows={matrix.namespaces}
        rowKey={(row) => row.name}
        empty="No namespace holds workloads."
        className="compact"
      />
    </>
  );
}

function ConnectivityTable({ id, filter }: { id: string; filter: ConnectivityFilterValue }) {
  const state = useQuery<ConnectivityData>(CONNECTIVITY_QUERY, {
    id,
    first: PAGE_SIZES.connectivityRows,
    filter: toApiFilter(filter),
  });
  return (
    <QueryStatus state={state} loadingLabel="Loading allowed connections…">
      {(data) => <ConnectivityRows id={id} filter={filter} connection={data.connectivity} />}
    </QueryStatus>
  );
}
