// The API's connectivity rows (workload-rows.ts: merged per top-level controller, IP ranges merged as np-guard lists
// them or not) as a stored artefact: the peers once, sorted by key, and the rows as three integer columns in key order.
// Derived in the analysis thread; GraphQL `connectivity` filters and pages the columns and builds objects for the
// page only. Derived on the event loop from the 1.67M-row table of a 50k-pod snapshot, the rows were ~0.75 s of it
// at the first query and ~1M objects held there after.
import { gunzip, gunzipSync, gzipSync } from 'node:zlib';
import { promisify } from 'node:util';
import { endianness } from 'node:os';
import { connString, parseConnString, portRanges, type ConnectionSet, type PortRange, type Protocol } from '@netpol-atlas/engine';
import type { NetworkPeer } from '../analysis/analysis.models.js';
import { compareKeys, connectionFromRows, type ConnectionShape } from '../graphql/connection.js';
import { decodeCursor, encodeCursor } from '../graphql/cursor.js';
import type { ConnectivityTable } from '../analysis/connectivity-table.js';
import { rowsWithMergedIpRanges, workloadRows, type RowFilter, type WorkloadRow } from './workload-rows.js';

export interface ConnectivityRowColumns {
  /** Peers sorted by key (code units): a row's key is `peerKeys[from] \u0001 peerKeys[to]`. */
  readonly peerKeys: readonly string[];
  readonly peers: readonly NetworkPeer[];
  /** Each row's ports as np-guard text (`TCP 80,UDP 53`, `All Connections`), once per distinct text. */
  readonly conns: readonly string[];
  /** Rows in key order. */
  readonly from: Uint32Array;
  readonly to: Uint32Array;
  readonly conn: Uint32Array;
}

/** The rows of `rows` (sorted by key, as workload-rows.ts gives them) as columns. */
export function rowColumnsOf(rows: readonly WorkloadRow[], showsIcmp: boolean): ConnectivityRowColumns {
  const keyOf = new Map<string, NetworkPeer>();
  const splitKeys = rows.map((row) => {
    const [fromKey, toKey] = row.key.split('\u0001');
    keyOf.set(fromKey, row.from);
    keyOf.set(toKey, row.to);
    return [fromKey, toKey] as const;
  });
  const peerKeys = [...keyOf.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const peerIds = new Map(peerKeys.map((key, index) => [key, index]));
  const conns: string[] = [];
  const connIds = new Map<ConnectionSet | string, number>();
  const n = rows.length;
  const from = new Uint32Array(n);
  const to = new Uint32Array(n);
  const conn = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    from[i] = peerIds.get(splitKeys[i][0])!;
    to[i] = peerIds.get(splitKeys[i][1])!;
    let id = connIds.get(rows[i].conn);
    if (id === undefined) {
      const text = connString(rows[i].conn, showsIcmp);
      id = connIds.get(text) ?? conns.push(text) - 1;
      connIds.set(text, id);
      connIds.set(rows[i].conn, id);
    }
    conn[i] = id;
  }
  return { peerKeys, peers: peerKeys.map((key) => keyOf.get(key)!), conns, from, to, conn };
}

export const tableRowColumns = (table: ConnectivityTable): ConnectivityRowColumns => rowColumnsOf(workloadRows(table).rows, table.showsIcmp);
export const tableRowColumnsMergedIp = (table: ConnectivityTable): ConnectivityRowColumns => rowColumnsOf(rowsWithMergedIpRanges(table), table.showsIcmp);

export const rowKey = (data: ConnectivityRowColumns, row: number) => `${data.peerKeys[data.from[row]]}\u0001${data.peerKeys[data.to[row]]}`;

/** The rows the filter selects, in key order (undefined: every row). Per peer and per text first, then one pass. */
export function selectRows(data: ConnectivityRowColumns, filter: RowFilter): number[] | undefined {
  const { fromNamespace, toNamespace, workload, port, protocol } = filter;
  if (fromNamespace == null && toNamespace == null && workload == null && port == null) return undefined;
  const [wNamespace, wName] = workload?.includes('/') ? workload.split('/', 2) : [null, workload ?? null];
  const fromOk = Uint8Array.from(data.peers, (peer) => (fromNamespace == null || peer.namespace === fromNamespace ? 1 : 0));
  const toOk = Uint8Array.from(data.peers, (peer) => (toNamespace == null || peer.namespace === toNamespace ? 1 : 0));
  const isWorkload = Uint8Array.from(data.peers, (peer) => (wName != null && peer.name === wName && (wNamespace === null || peer.namespace === wNamespace) ? 1 : 0));
  const protocols: readonly Protocol[] = protocol ? [protocol] : ['TCP', 'UDP', 'SCTP'];
  const connOk = Uint8Array.from(data.conns, (text) => {
    if (port == null) return 1;
    const set = parseConnString(text);
    return protocols.some((p) => set.contains(p, port)) ? 1 : 0;
  });
  const out: number[] = [];
  for (let i = 0; i < data.from.length; i++) {
    const f = data.from[i];
    const t = data.to[i];
    if (fromOk[f] && toOk[t] && (wName == null || isWorkload[f] || isWorkload[t]) && connOk[data.conn[i]]) out.push(i);
  }
  return out;
}

/** A row as GraphQL answers it (ConnectivityRow). */
export interface ConnectivityRowData {
  readonly from: NetworkPeer;
  readonly to: NetworkPeer;
  readonly ports: PortRange[];
  readonly portsText: string;
}

/** A page of the rows the filter selects, after the cursor's key (`after`), as GraphQL answers it. */
export function connectivityPage(data: ConnectivityRowColumns, filter: RowFilter, page: { first: number; after?: string | null }): ConnectionShape<ConnectivityRowData> {
  const selected = selectRows(data, filter);
  const total = selected ? selected.length : data.from.length;
  const rowAt = (position: number) => (selected ? selected[position] : position);
  let start = 0;
  if (page.after) {
    const afterKey = decodeCursor('connectivity', page.after);
    // The first row whose key sorts after the cursor's (rows are in key order).
    let lo = 0;
    let hi = total;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareKeys(rowKey(data, rowAt(mid)), afterKey) <= 0) lo = mid + 1;
      else hi = mid;
    }
    start = lo;
  }
  const rows: number[] = [];
  for (let position = start; position < Math.min(total, start + page.first + 1); position++) rows.push(rowAt(position));
  const connection = connectionFromRows(rows, page.first, total, (row) => encodeCursor('connectivity', rowKey(data, row)));
  const sets = new Map<number, ConnectionSet>();
  const toRow = (row: number): ConnectivityRowData => {
    const id = data.conn[row];
    let set = sets.get(id);
    if (!set) sets.set(id, (set = parseConnString(data.conns[id])));
    return { from: data.peers[data.from[row]], to: data.peers[data.to[row]], ports: portRanges(set), portsText: data.conns[id] };
  };
  return { ...connection, edges: connection.edges.map((edge) => ({ cursor: edge.cursor, node: toRow(edge.node) })) };
}

// Stored form: gzip of [u32 LE header length][header JSON][from][to][conn] (u32 LE each).
const FORMAT = 1;
const LITTLE_ENDIAN = endianness() === 'LE';

export function encodeRowColumns(data: ConnectivityRowColumns): Buffer {
  const n = data.from.length;
  const head = Buffer.from(JSON.stringify({ format: FORMAT, rows: n, peerKeys: data.peerKeys, peers: data.peers, conns: data.conns }), 'utf8');
  const out = Buffer.alloc(4 + head.length + 12 * n);
  out.writeUInt32LE(head.length, 0);
  head.copy(out, 4);
  let offset = 4 + head.length;
  for (const column of [data.from, data.to, data.conn]) for (let i = 0; i < n; i++) offset = out.writeUInt32LE(column[i], offset);
  return gzipSync(out);
}

export function decodeRowColumns(stored: Buffer): ConnectivityRowColumns {
  return fromBytes(gunzipSync(stored));
}

const gunzipAsync = promisify(gunzip);

/** decodeRowColumns with the inflate in libuv's thread pool. */
export async function decodeRowColumnsAsync(stored: Buffer): Promise<ConnectivityRowColumns> {
  return fromBytes(await gunzipAsync(stored));
}

function fromBytes(bytes: Buffer): ConnectivityRowColumns {
  const headLength = bytes.readUInt32LE(0);
  const header = JSON.parse(bytes.subarray(4, 4 + headLength).toString('utf8')) as { format: number; rows: number; peerKeys: string[]; peers: NetworkPeer[]; conns: string[] };
  if (header.format !== FORMAT) throw new Error(`connectivity rows format ${header.format} is not ${FORMAT}`);
  const n = header.rows;
  if (bytes.length !== 4 + headLength + 12 * n) throw new Error('connectivity rows are truncated');
  const column = (index: number) => {
    const out = new Uint32Array(n);
    const base = 4 + headLength + 4 * n * index;
    if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(bytes.subarray(base, base + 4 * n));
    else for (let i = 0; i < n; i++) out[i] = bytes.readUInt32LE(base + 4 * i);
    return out;
  };
  return { peerKeys: header.peerKeys, peers: header.peers, conns: header.conns, from: column(0), to: column(1), conn: column(2) };
}

/** Bytes in memory (the cache's budget). */
export function rowColumnsBytes(data: ConnectivityRowColumns): number {
  return 12 * data.from.length + data.peerKeys.reduce((sum, key) => sum + 4 * key.length + 120, 0) + data.conns.reduce((sum, text) => sum + 2 * text.length, 0);
}
