import { useCallback, useId, useState, type FormEvent } from 'react';
import { requestGraphQL } from '../../api/client.js';
import { CONNECTIVITY_QUERY, PAGE_SIZES } from '../../api/queries.js';
import type { ConnectivityRow, NetworkPeer, PagedConnection } from '../../api/types.js';
import type { Column } from '../../components/DataTable.js';
import { PagedTable } from '../../components/PagedTable.js';
import { navigate } from '../../router/history.js';
import { Link } from '../../router/Link.js';
import { paths } from '../../routes.js';
import { rangeToCidr } from '../../analysis/ip-ranges.js';
import { filterToQuery, toApiFilter, type ConnectivityFilterValue } from './filter.js';

/** A workload (a link to its page when `snapshotId` is given) or an IP range (CIDR notation where it is one). */
export function PeerName({ peer, snapshotId }: { peer: NetworkPeer; snapshotId?: string }) {
  if (peer.type === 'IP_RANGE') {
    return (
      <>
        <code>{rangeToCidr(peer.ipRange ?? '')}</code> <span className="muted-inline">IP range</span>
      </>
    );
  }
  const label = (
    <>
      {peer.namespace}/<strong>{peer.name}</strong>
    </>
  );
  return (
    <>
      {snapshotId && peer.namespace && peer.kind && peer.name ? (
        <Link to={paths.workload(snapshotId, { namespace: peer.namespace, kind: peer.kind, name: peer.name })}>{label}</Link>
      ) : (
        label
      )}{' '}
      <span className="muted-inline">{peer.kind}</span>
    </>
  );
}

const peerText = (peer: NetworkPeer) =>
  peer.type === 'IP_RANGE' ? rangeToCidr(peer.ipRange ?? '') : `${peer.namespace}/${peer.name}[${peer.kind}]`;

const rowColumns = (id: string): Column<ConnectivityRow>[] => [
  { header: 'From', rowHeader: true, cell: (row) => <PeerName peer={row.from} snapshotId={id} /> },
  { header: 'To', cell: (row) => <PeerName peer={row.to} snapshotId={id} /> },
  { header: 'Allowed ports', cell: (row) => row.portsText },
];

/** The allowed connections matching the filter, paged ("Show more"). */
export function ConnectivityRows({
  id,
  filter,
  connection,
}: {
  id: string;
  filter: ConnectivityFilterValue;
  connection: PagedConnection<ConnectivityRow>;
}) {
  const filterKey = JSON.stringify(filter);
  const fetchPage = useCallback(
    (after: string) =>
      requestGraphQL(CONNECTIVITY_QUERY, {
        id,
        first: PAGE_SIZES.connectivityRows,
        after,
        filter: toApiFilter(JSON.parse(filterKey) as ConnectivityFilterValue),
      }).then((data) => data.connectivity),
    [id, filterKey],
  );
  return (
    <PagedTable
      key={filterKey}
      connection={connection}
      fetchPage={fetchPage}
      caption="Allowed connections"
      columns={rowColumns(id)}
      rowKey={(row) => `${peerText(row.from)}>${peerText(row.to)}`}
      noun={['allowed connection', 'allowed connections']}
      empty="No allowed connection matches the filter."
    />
  );
}

/** Namespace and workload filters; applying one changes the URL (so it can be linked). */
export function ConnectivityFilterForm({
  id,
  namespaces,
  initial,
}: {
  id: string;
  namespaces: readonly string[];
  initial: ConnectivityFilterValue;
}) {
  const [draft, setDraft] = useState(initial);
  const formId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    navigate(paths.connectivity(id, filterToQuery({ ...draft, workload: draft.workload.trim() })));
  };
  const namespaceSelect = (key: 'fromNamespace' | 'toNamespace', label: string) => (
    <div className="field">
      <label htmlFor={`${formId}-${key}`}>{label}</label>
      <select
        id={`${formId}-${key}`}
        name={key}
        value={draft[key]}
        onChange={(event) => setDraft({ ...draft, [key]: event.target.value })}
      >
        <option value="">Any namespace</option>
        {namespaces.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </div>
  );
  const filtered = toApiFilter(initial) !== null;
  return (
    <form className="filter-form" onSubmit={submit} aria-label="Filter allowed connections">
      {namespaceSelect('fromNamespace', 'From namespace')}
      {namespaceSelect('toNamespace', 'To namespace')}
      <div className="field field-wide">
        <label htmlFor={`${formId}-workload`}>Workload at either end</label>
        <input
          id={`${formId}-workload`}
          name="workload"
          value={draft.workload}
          placeholder="name or namespace/name"
          autoComplete="off"
          onChange={(event) => setDraft({ ...draft, workload: event.target.value })}
        />
      </div>
      <div className="field field-actions">
        <button type="submit" className="primary">
          Apply filters
        </button>
        {filtered && <Link to={paths.connectivity(id)}>Clear filters</Link>}
      </div>
    </form>
  );
}
