import { useMemo, useState, type FormEvent } from 'react';
import type { DashboardServiceMapQuery } from '../../gql/graphql.js';
import { useQuery } from '../../api/useQuery.js';
import { DataTable } from '../../components/DataTable.js';
import { QueryStatus } from '../../components/QueryStatus.js';
import { SnapshotFrame } from '../../components/SnapshotFrame.js';
import { navigate, useSearch } from '../../router/history.js';
import { Link } from '../../router/Link.js';
import { paths } from '../../routes.js';
import {
  MAX_NAMESPACE_EDGES,
  MAX_OUTSIDE_EDGES,
  MAX_WORKLOAD_NODES,
  namespaceGraph,
  OUTSIDE_ID,
  reachOf,
  workloadGraph,
  workloadNodeId,
  type MapEdge,
  type MapGraph,
  type MapRow,
} from './graph.js';
import { SERVICE_MAP_QUERY, SERVICE_MAP_ROWS_QUERY } from './queries.js';
import { ServiceMapCanvas } from './ServiceMapCanvas.js';

/** What the map shows, all of it in the URL: `?ns=production&port=8080&protocol=TCP&focus=w:…&level=namespaces`. */
export interface MapState {
  ns: string;
  port: string;
  protocol: string;
  focus: string;
  level: string;
}

export function readMapState(search: string): MapState {
  const params = new URLSearchParams(search);
  const read = (key: string) => params.get(key)?.trim() ?? '';
  return { ns: read('ns'), port: read('port'), protocol: read('protocol'), focus: read('focus'), level: read('level') };
}

const toQuery = (state: MapState) => ({ ...state });

/** `/snapshots/:id/map`: workloads and the allowed connections between them (namespaces first on big snapshots). */
export function MapPage({ id }: { id: string }) {
  return (
    <SnapshotFrame id={id} view="map" title="Service map">
      {() => <MapView id={id} />}
    </SnapshotFrame>
  );
}

function MapView({ id }: { id: string }) {
  const search = useSearch();
  const state = readMapState(search);
  const base = useQuery(SERVICE_MAP_QUERY, { id, busiest: MAX_NAMESPACE_EDGES });
  return (
    <QueryStatus state={base} loadingLabel="Analysing the snapshot…">
      {(data) => <MapWithData key={search} id={id} state={state} data={data} />}
    </QueryStatus>
  );
}

function MapWithData({ id, state, data }: { id: string; state: MapState; data: DashboardServiceMapQuery }) {
  const totalWorkloads = data.namespaceMatrix.namespaces.reduce((sum, ns) => sum + ns.workloads, 0);
  const level = state.level === 'namespaces' || state.level === 'workloads' ? state.level : state.ns || totalWorkloads <= MAX_WORKLOAD_NODES ? 'workloads' : 'namespaces';
  const nsGraph = useMemo(() => (level === 'namespaces' ? namespaceGraph(data.namespaceMatrix) : undefined), [level, data]);
  const go = (next: Partial<MapState>) => navigate(paths.map(id, toQuery({ ...state, ...next })));
  const marks = useMemo(
    () => ({
      internetExposed: new Set(data.exposure.internetExposed.map((row) => workloadNodeId(row.workload))),
      unprotected: new Set(data.exposure.unprotected.map((row) => workloadNodeId(row.workload))),
    }),
    [data],
  );
  return (
    <div className="map-layout">
      <div>
        {nsGraph ? (
          <MapPanel
            id={id}
            graph={nsGraph}
            focus={undefined}
            note={
              `${totalWorkloads} workloads in ${data.namespaceMatrix.namespaces.length} namespaces: shown by namespace. Select a namespace to expand it into its workloads.` +
              (nsGraph.omittedEdges ? ` The ${MAX_NAMESPACE_EDGES} busiest namespace pairs are drawn (of ${data.namespaceMatrix.crossNamespaceCells}).` : '') +
              (nsGraph.omittedOutsideEdges
                ? ` At most ${MAX_OUTSIDE_EDGES} namespaces each way are linked to the outside (those with the most workloads reached from or reaching outside IPs).`
                : '') +
              (nsGraph.omittedNodes ? ` ${nsGraph.omittedNodes} namespaces on none of these edges are left out: pick one in the namespace list.` : '')
            }
            onSelect={(node) => {
              if (node.startsWith('ns:')) go({ ns: node.slice(3), level: 'workloads', focus: '' });
            }}
          />
        ) : (
          <WorkloadMap id={id} state={state} marks={marks} onSelect={(node) => (node.startsWith('w:') ? go({ focus: node === state.focus ? '' : node }) : undefined)} />
        )}
      </div>
      <MapControls id={id} state={state} level={level} namespaces={data.namespaceMatrix.namespaces.map((ns) => ns.name)} />
    </div>
  );
}

function WorkloadMap({ id, state, marks, onSelect }: { id: string; state: MapState; marks: Parameters<typeof workloadGraph>[1]; onSelect: (node: string) => void }) {
  const port = /^\d+$/.test(state.port) ? Number(state.port) : null;
  const protocol = port !== null && ['TCP', 'UDP', 'SCTP'].includes(state.protocol) ? (state.protocol as 'TCP' | 'UDP' | 'SCTP') : null;
  const common = { ...(port !== null ? { port } : {}), ...(protocol ? { protocol } : {}) };
  const rows = useQuery(SERVICE_MAP_ROWS_QUERY, {
    id,
    first: 100,
    out: { ...common, ...(state.ns ? { fromNamespace: state.ns } : {}) },
    in: { ...common, ...(state.ns ? { toNamespace: state.ns } : {}) },
    withIn: state.ns !== '',
    namespace: state.ns || null,
  });
  return (
    <QueryStatus state={rows} loadingLabel="Loading allowed connections…">
      {(data) => {
        const all: MapRow[] = [...data.out.edges, ...(data.in?.edges ?? [])].map((edge) => edge.node);
        const unique = [...new Map(all.map((row) => [JSON.stringify([row.from, row.to]), row])).values()];
        const total = data.out.totalCount + (data.in?.totalCount ?? 0);
        const graph = workloadGraph(unique, marks, data.snapshot?.workloads.edges.map((edge) => edge.node) ?? []);
        const note =
          total > all.length
            ? `Showing the first ${all.length} of ${total} allowed connections: filter by namespace or port to see the rest.`
            : `${graph.nodes.filter((n) => n.kind === 'workload').length} workloads, ${graph.edges.length} edges.`;
        return <MapPanel id={id} graph={graph} focus={state.focus || undefined} note={note} onSelect={onSelect} />;
      }}
    </QueryStatus>
  );
}

function MapPanel({ id, graph, focus, note, onSelect }: { id: string; graph: MapGraph; focus: string | undefined; note: string; onSelect: (node: string) => void }) {
  const labels = new Map(graph.nodes.map((node) => [node.id, node.kind === 'workload' ? `${node.parent?.slice(3)}/${node.label}` : node.label]));
  const reach = focus ? reachOf(graph, focus) : undefined;
  const listed = reach ? [...reach.inbound, ...reach.outbound] : graph.edges;
  return (
    <section aria-labelledby="map-heading" className="card">
      <h2 id="map-heading">Map</h2>
      <p className="muted">{note}</p>
      <Legend />
      <ServiceMapCanvas graph={graph} focus={focus} onSelect={onSelect} label={`Service map: ${graph.nodes.length} nodes, ${graph.edges.length} edges`} />
      <h3>{reach ? `Reach of ${labels.get(focus ?? '')}` : 'Connections on the map'}</h3>
      <DataTable
        caption="Edges of the service map"
        columns={[
          { header: 'From', rowHeader: true, cell: (edge: MapEdge) => <NodeName id={id} node={edge.source} label={labels.get(edge.source) ?? edge.source} /> },
          { header: 'To', cell: (edge: MapEdge) => <NodeName id={id} node={edge.target} label={labels.get(edge.target) ?? edge.target} /> },
          { header: 'Allowed', cell: (edge: MapEdge) => <AllowedPorts edge={edge} /> },
          ...(reach ? [{ header: 'Direction', cell: (edge: MapEdge) => (edge.target === focus ? 'in' : 'out') }] : []),
        ]}
        rows={listed}
        rowKey={(edge) => edge.id}
        empty="No allowed connection matches."
      />
    </section>
  );
}

/** One line per port set; the IP ranges that get it under it (an edge to or from the outside node). */
function AllowedPorts({ edge }: { edge: MapEdge }) {
  if (edge.groups.every((group) => group.ipRanges.length === 0)) return <>{edge.label}</>;
  return (
    <ul className="plain-list">
      {edge.groups.map((group) => (
        <li key={group.ports}>
          {group.ports}{' '}
          <span className="muted-inline">
            {edge.source === OUTSIDE_ID ? 'from' : 'to'} {group.ipRanges.join(', ')}
          </span>
        </li>
      ))}
    </ul>
  );
}

function NodeName({ id, node, label }: { id: string; node: string; label: string }) {
  if (node.startsWith('w:')) {
    const [namespace = '', kind = '', name = ''] = node.slice(2).split('/');
    return <Link to={paths.workload(id, { namespace, kind, name })}>{label}</Link>;
  }
  if (node.startsWith('ns:')) return <Link to={paths.map(id, { ns: node.slice(3), level: 'workloads' })}>{label}</Link>;
  if (node === OUTSIDE_ID) return <>{label}</>;
  return <>{label}</>;
}

function Legend() {
  return (
    <p className="legend" aria-label="Legend">
      <span>
        <span className="legend-swatch" style={{ background: 'var(--accent)' }} /> workload
      </span>
      <span>
        <span className="legend-swatch" style={{ background: 'var(--muted)', transform: 'rotate(45deg)' }} /> outside the cluster
      </span>
      <span>
        <span className="legend-swatch" style={{ border: '3px solid var(--error-fg)' }} /> internet-exposed
      </span>
      <span>
        <span className="legend-swatch" style={{ border: '3px dashed var(--error-fg)' }} /> unprotected
      </span>
      <span>
        “2 connections”: IP ranges of the outside node that get different ports (hover the edge, or read the table)
      </span>
      <span>
        <span className="legend-swatch" style={{ background: 'var(--accent)' }} /> into the selected workload,{' '}
        <span className="legend-swatch" style={{ background: 'var(--error-fg)' }} /> out of it
      </span>
    </p>
  );
}

function MapControls({ id, state, level, namespaces }: { id: string; state: MapState; level: string; namespaces: readonly string[] }) {
  const [draft, setDraft] = useState(state);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(paths.map(id, toQuery({ ...draft, port: draft.port.trim(), level: draft.ns ? 'workloads' : draft.level })));
  };
  return (
    <aside aria-label="Map filters" className="card">
      <h2>Filters</h2>
      <form onSubmit={submit} aria-label="Service map filters">
        <div className="field">
          <label htmlFor="map-level">Show</label>
          <select id="map-level" value={draft.level || level} onChange={(event) => setDraft({ ...draft, level: event.target.value })}>
            <option value="workloads">Workloads</option>
            <option value="namespaces">Namespaces only</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="map-ns">Namespace</label>
          <select id="map-ns" value={draft.ns} onChange={(event) => setDraft({ ...draft, ns: event.target.value })}>
            <option value="">All namespaces</option>
            {namespaces.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="map-port">Port</label>
          <input id="map-port" inputMode="numeric" value={draft.port} placeholder="any" onChange={(event) => setDraft({ ...draft, port: event.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="map-protocol">Protocol</label>
          <select id="map-protocol" value={draft.protocol} onChange={(event) => setDraft({ ...draft, protocol: event.target.value })}>
            <option value="">Any</option>
            <option value="TCP">TCP</option>
            <option value="UDP">UDP</option>
            <option value="SCTP">SCTP</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="map-focus">Highlight a workload (node id)</label>
          <input id="map-focus" value={draft.focus} placeholder="select a node on the map" onChange={(event) => setDraft({ ...draft, focus: event.target.value })} />
        </div>
        <p className="form-actions">
          <button type="submit" className="primary">
            Apply
          </button>{' '}
          <Link to={paths.map(id)}>Reset</Link>
        </p>
      </form>
      <p className="hint">
        Select a workload on the map to highlight what it can reach and who can reach it; select it again to clear. Keyboard: Tab into
        the map, the arrow keys move between nodes, Enter selects. The table under the map lists the same edges.
      </p>
      {state.focus && <p className="hint">Selected: {state.focus.replace(/^w:/, '')}</p>}
    </aside>
  );
}
