import { CONNECTIVITY_QUERY, NAMESPACE_MATRIX_QUERY, PAGE_SIZES } from '../api/queries.js';
import type { NamespaceMatrix, NamespaceSummary } from '../api/types.js';
import { useQuery } from '../api/useQuery.js';
import { DataTable, type Column } from '../components/DataTable.js';
import { QueryStatus } from '../components/QueryStatus.js';
import { SnapshotFrame, type SnapshotHeader } from '../components/SnapshotFrame.js';
import { Link } from '../router/Link.js';
import { paths } from '../routes.js';
import { PeerName } from './connectivity/ConnectivityRows.js';
import { DownloadLink } from '../components/DownloadLink.js';
import { workloadMatrix } from './connectivity/heatmap.js';
import { snapshotFileName } from '../download-names.js';
import { useSearch } from '../router/history.js';
import { ConnectivityFilterForm, ConnectivityRows } from './connectivity/ConnectivityRows.js';
import { parseFilter, toApiFilter, type ConnectivityFilterValue } from './connectivity/filter.js';
import { MAX_HEATMAP_NAMESPACES, NamespaceMatrixTable } from './connectivity/NamespaceMatrixTable.js';
import { CniProfile, CniProfileNote } from '../components/CniProfile.js';

/** `/snapshots/:id/connectivity?fromNamespace=…&toNamespace=…&workload=…`: who may talk to whom. */
export function ConnectivityPage({ id }: { id: string }) {
  return (
    <SnapshotFrame id={id} view="connectivity" title="Connectivity">
      {(snapshot) => <ConnectivityView id={id} snapshot={snapshot} />}
    </SnapshotFrame>
  );
}

function ConnectivityView({ id, snapshot }: { id: string; snapshot: SnapshotHeader }) {
  const search = useSearch();
  const filter = parseFilter(search);
  const matrix = useQuery(NAMESPACE_MATRIX_QUERY, { id, heatmapNamespaces: MAX_HEATMAP_NAMESPACES });
  return (
    <>
      <section aria-labelledby="namespace-matrix" className="card">
        <h2 id="namespace-matrix">Namespace matrix</h2>
        <p className="muted">
          Workload pairs with some allowed connection, out of all pairs, from each namespace (rows) to each namespace
          (columns); “all” counts the pairs allowed on every port. Select a cell to list its connections.
        </p>
        <QueryStatus state={matrix} loadingLabel="Analysing namespaces…">
          {(data) => (
            <>
              <p className="muted">
                Computed under <CniProfile profile={data.namespaceMatrix.cniProfile} />
              </p>
              <CniProfileNote note={data.namespaceMatrix.cniProfileNote} />
              <MatrixAndSummary id={id} matrix={data.namespaceMatrix} />
            </>
          )}
        </QueryStatus>
      </section>
      {filter.fromNamespace && filter.toNamespace && <DrillDown id={id} from={filter.fromNamespace} to={filter.toNamespace} />}
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
      <Downloads id={id} snapshot={snapshot} />
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
  const state = useQuery(CONNECTIVITY_QUERY, {
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

/** A heatmap cell drilled into: the workload × workload matrix of that namespace pair, with the allowed ports. */
function DrillDown({ id, from, to }: { id: string; from: string; to: string }) {
  const state = useQuery(CONNECTIVITY_QUERY, { id, first: 100, filter: { fromNamespace: from, toNamespace: to } });
  return (
    <section aria-labelledby="workload-matrix" className="card">
      <h2 id="workload-matrix">
        Workloads of {from} → {to}
      </h2>
      <p className="muted">
        Allowed ports from each workload (rows) to each workload (columns). <Link to={paths.connectivity(id)}>Back to every namespace</Link>
      </p>
      <QueryStatus state={state} loadingLabel="Loading the workload matrix…">
        {(data) => {
          const rows = data.connectivity.edges.map((edge) => edge.node);
          const matrix = workloadMatrix(rows);
          const peerOf = new Map(rows.flatMap((row) => [row.from, row.to]).map((peer) => [peer.name ?? '', peer]));
          if (matrix.sources.length === 0) return <p className="empty">No workload of {from} may connect to one of {to}.</p>;
          return (
            <div className="table-scroll">
              {data.connectivity.totalCount > rows.length && <p className="muted">First {rows.length} of {data.connectivity.totalCount} connections.</p>}
              <table className="matrix">
                <caption className="visually-hidden">
                  Allowed ports from workloads of {from} (rows) to workloads of {to} (columns)
                </caption>
                <thead>
                  <tr>
                    <td className="matrix-corner">
                      {from} ↓ / {to} →
                    </td>
                    {matrix.targets.map((target) => (
                      <th key={target} scope="col">
                        {peerOf.get(target) ? <PeerName peer={peerOf.get(target)!} snapshotId={id} /> : target}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {matrix.sources.map((source) => (
                    <tr key={source}>
                      <th scope="row">{peerOf.get(source) ? <PeerName peer={peerOf.get(source)!} snapshotId={id} /> : source}</th>
                      {matrix.targets.map((target) => {
                        const ports = matrix.cells.get(`${source}\u0000${target}`);
                        return (
                          <td key={target} className={ports ? 'matrix-cell' : 'matrix-cell matrix-none'}>
                            {ports ?? <span aria-label="none">·</span>}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          );
        }}
      </QueryStatus>
    </section>
  );
}

const FORMATS: ReadonlyArray<[format: string, label: string]> = [
  ['txt', 'Text (np-guard)'],
  ['json', 'JSON (np-guard)'],
  ['csv', 'CSV'],
  ['md', 'Markdown'],
  ['dot', 'Graphviz DOT'],
];

/** The whole connectivity in every np-guard format, as files named after the cluster and snapshot (as the API names them). */
function Downloads({ id, snapshot }: { id: string; snapshot: SnapshotHeader }) {
  return (
    <section aria-labelledby="downloads" className="card">
      <h2 id="downloads">Downloads</h2>
      <p className="muted">The workload-level connectivity of the whole snapshot, in np-guard’s formats.</p>
      <ul className="downloads plain-list">
        {FORMATS.map(([format, label]) => {
          const fileName = snapshotFileName(snapshot.cluster.name, id, 'connectivity', format);
          return (
            <li key={format}>
              <DownloadLink href={`/api/v1/snapshots/${encodeURIComponent(id)}/connectivity?format=${format}`} fileName={fileName}>
                {label}
              </DownloadLink>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
