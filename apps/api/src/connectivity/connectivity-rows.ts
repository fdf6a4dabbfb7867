// The API's connectivity rows (merged per top-level controller; IP ranges merged as np-guard lists them, or not) as a
// stored artefact: the peers once, sorted by key, and the rows as three integer columns in key order. Derived in the
// analysis thread; GraphQL `connectivity` filters and pages the columns and builds objects for its page only. Derived
// on the event loop from the 1.67M-row table of a 50k-pod snapshot, the rows were ~0.75 s of it at the first query and
// ~1M objects held there after.
import {
  connString,
  formatIpRange,
  ipRangeKey,
  ipRangePeer,
  parseConnString,
  portRanges,
  workloadKey,
  workloadPeer,
  type ConnectionSet,
  type IpFamily,
  type PortRange,
  type Protocol,
} from '@netpol-atlas/engine';
import type { NetworkPeer } from '../analysis/analysis.models.js';
import { compareKeys, connectionFromRows, type ConnectionShape } from '../graphql/connection.js';
import { decodeCursor, encodeCursor } from '../graphql/cursor.js';
import type { ConnectivityTable } from '../analysis/connectivity-table.js';
import { packColumns, unpackColumns, unpackColumnsAsync, type ColumnReader } from '../analysis/stored-columns.js';

export interface ConnectivityRowColumns {
  /** Peers sorted by key (code units): a row's key is `peerKeys[from] \u0001 peerKeys[to]`. */
  readonly peerKeys: readonly string[];
  readonly peers: readonly NetworkPeer[];
  /** Each row's connection set, once per distinct set, as text that shows every set as it is (ICMP too:
   *  `connString(set, true)`); answers write it as the snapshot shows connections (`showsIcmp`). */
  readonly conns: readonly string[];
  readonly showsIcmp: boolean;
  /** Rows in key order. */
  readonly from: Uint32Array;
  readonly to: Uint32Array;
  readonly conn: Uint32Array;
}

/** Rows being built: peers with their keys, rows as (from peer, to peer, connection) ids in build order. */
interface RowsBuild {
  readonly peerKeys: string[];
  readonly peers: NetworkPeer[];
  readonly from: number[];
  readonly to: number[];
  readonly conn: number[];
}

/**
 * The API rows of a table: np-guard rows merged per top-level controller (a Deployment's ReplicaSets are one
 * workload: their connections united, their mutual rows dropped), in key order (a row's key is its two peers' keys).
 * Built on integers: a peer's rank in key order, a pair of ranks per row (the 1.67M rows of a 50k-pod table took
 * ~6 s as keyed row objects).
 */
export function tableRowColumns(table: ConnectivityTable): ConnectivityRowColumns {
  let columns = plainColumns.get(table);
  if (!columns) plainColumns.set(table, (columns = plainRows(table)));
  return columns;
}

/** Made once per table in a thread: the merged IP view starts from them. */
const plainColumns = new WeakMap<ConnectivityTable, ConnectivityRowColumns>();

/** The same rows as np-guard lists IP peers: for one workload, direction and connection, adjacent IP ranges merged. */
export function tableRowColumnsMergedIp(table: ConnectivityTable): ConnectivityRowColumns {
  const plain = tableRowColumns(table);
  const out: RowsBuild = { peerKeys: [], peers: [], from: [], to: [], conn: [] };
  const peerIds = new Map<string, number>();
  const peerId = (key: string, peer: NetworkPeer) => {
    let id = peerIds.get(key);
    if (id === undefined) {
      id = out.peerKeys.push(key) - 1;
      out.peers.push(peer);
      peerIds.set(key, id);
    }
    return id;
  };
  const rangeOf = new Map<string, { family: IpFamily; first: bigint; last: bigint }>();
  for (const peer of table.peers) if (peer.type === 'ip') rangeOf.set(peer.range, { family: peer.family, first: peer.first, last: peer.last });
  // Rows with an IP range at one end, grouped by workload, direction and connection (in the order first seen).
  const groups = new Map<string, { workload: number; outbound: boolean; conn: number; ranges: { family: IpFamily; first: bigint; last: bigint }[] }>();
  for (let i = 0; i < plain.from.length; i++) {
    const from = plain.peers[plain.from[i]];
    const to = plain.peers[plain.to[i]];
    const ipEnd = to.ipRange != null ? to : from.ipRange != null ? from : null;
    const range = ipEnd?.ipRange != null ? rangeOf.get(ipEnd.ipRange) : undefined;
    if (!ipEnd || !range || (from.ipRange != null && to.ipRange != null)) {
      out.from.push(peerId(plain.peerKeys[plain.from[i]], from));
      out.to.push(peerId(plain.peerKeys[plain.to[i]], to));
      out.conn.push(plain.conn[i]);
      continue;
    }
    const outbound = ipEnd === to;
    const workload = outbound ? plain.from[i] : plain.to[i];
    const key = `${outbound ? 1 : 0}|${workload}|${plain.conn[i]}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { workload, outbound, conn: plain.conn[i], ranges: [] }));
    group.ranges.push(range);
  }
  for (const group of groups.values()) {
    const sorted = [...group.ranges].sort((a, b) => a.family - b.family || (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
    const merged: { family: IpFamily; first: bigint; last: bigint }[] = [];
    for (const range of sorted) {
      const previous = merged.at(-1);
      if (previous && previous.family === range.family && previous.last + 1n >= range.first) {
        if (range.last > previous.last) previous.last = range.last;
      } else merged.push({ ...range });
    }
    const workload = peerId(plain.peerKeys[group.workload], plain.peers[group.workload]);
    for (const range of merged) {
      const ip = peerId(ipRangeKey(range.family, range.first, range.last), ipRangePeer(formatIpRange(range.family, range.first, range.last)));
      out.from.push(group.outbound ? workload : ip);
      out.to.push(group.outbound ? ip : workload);
      out.conn.push(group.conn);
    }
  }
  return finish({ ...out, conns: plain.conns, showsIcmp: plain.showsIcmp });
}

/**
 * Table rows merged per (top-level peer, top-level peer), connections by their full text, in key order. No map keyed
 * by pair (a default-allow cluster of 5k workloads has 25M pairs, past a JavaScript Map's 2^24 entries): the table's
 * rows are grouped by their API source (a counting sort), and each source's destinations are merged in a dense slot
 * array, then written in destination order.
 */
function plainRows(table: ConnectivityTable): ConnectivityRowColumns {
  const keys: string[] = [];
  const peers: NetworkPeer[] = [];
  const keyIds = new Map<string, number>();
  const apiOf = Uint32Array.from(table.peers, (peer) => {
    const key = peer.type === 'ip' ? ipRangeKey(peer.family, peer.first, peer.last) : workloadKey(peer.namespace, peer.topKind, peer.topName);
    let id = keyIds.get(key);
    if (id === undefined) {
      id = keys.push(key) - 1;
      peers.push(peer.type === 'ip' ? ipRangePeer(peer.range) : workloadPeer(peer.namespace, peer.topKind, peer.topName));
      keyIds.set(key, id);
    }
    return id;
  });
  // API peers in key order: a table peer's rank.
  const order = keys.map((_, index) => index).sort((a, b) => compareKeys(keys[a], keys[b]));
  const p = order.length;
  const rank = new Uint32Array(p);
  order.forEach((old, index) => (rank[old] = index));
  const rankOf = Uint32Array.from(apiOf, (id) => rank[id]);
  // Connection sets by their exact text (ICMP shown: two sets one text would show alike stay apart), a union's too.
  const conns: string[] = [];
  const connIds = new Map<string, number>();
  const textId = (text: string) => connIds.get(text) ?? (connIds.set(text, conns.push(text) - 1), conns.length - 1);
  const tableConn = table.conns.map((text) => textId(connString(parseConnString(text), true)));
  const sets = new Map<number, ConnectionSet>();
  const setOf = (id: number) => sets.get(id) ?? (sets.set(id, parseConnString(conns[id])), sets.get(id)!);
  // Unions by their two ids: a controller's ReplicaSets repeat the same few unions for every destination.
  const unions = new Map<number, Map<number, number>>();
  const unionOf = (a: number, b: number) => {
    let byB = unions.get(a);
    if (!byB) unions.set(a, (byB = new Map()));
    let id = byB.get(b);
    if (id === undefined) byB.set(b, (id = textId(connString(setOf(a).union(setOf(b)), true))));
    return id;
  };

  const n = table.src.length;
  // The table's rows by source rank (counting sort, stable: table order within a source).
  const firstOf = new Uint32Array(p + 1);
  for (let i = 0; i < n; i++) firstOf[rankOf[table.src[i]] + 1]++;
  for (let f = 0; f < p; f++) firstOf[f + 1] += firstOf[f];
  const next = firstOf.slice(0, p);
  const bySource = new Uint32Array(n);
  for (let i = 0; i < n; i++) bySource[next[rankOf[table.src[i]]]++] = i;

  // Merged rows are at most the table's rows.
  const from = new Uint32Array(n);
  const to = new Uint32Array(n);
  const conn = new Uint32Array(n);
  let rows = 0;
  const slot = new Int32Array(p).fill(-1); // destination rank → its place in `dests` for the current source
  const dests: number[] = [];
  const destConns: number[] = [];
  for (let f = 0; f < p; f++) {
    for (let k = firstOf[f]; k < firstOf[f + 1]; k++) {
      const i = bySource[k];
      const t = rankOf[table.dst[i]];
      // Two np-guard workloads of one controller: their mutual rows are inside one API workload.
      if (t === f) continue;
      const c = tableConn[table.conn[i]];
      const at = slot[t];
      if (at < 0) {
        slot[t] = dests.length;
        dests.push(t);
        destConns.push(c);
      } else if (destConns[at] !== c) destConns[at] = unionOf(destConns[at], c);
    }
    if (dests.length === 0) continue;
    const sorted = Uint32Array.from(dests).sort();
    for (let j = 0; j < sorted.length; j++) {
      const t = sorted[j];
      from[rows] = f;
      to[rows] = t;
      conn[rows] = destConns[slot[t]];
      rows++;
    }
    for (let j = 0; j < dests.length; j++) slot[dests[j]] = -1;
    dests.length = 0;
    destConns.length = 0;
  }
  return {
    peerKeys: order.map((old) => keys[old]),
    peers: order.map((old) => peers[old]),
    conns,
    showsIcmp: table.showsIcmp,
    from: from.slice(0, rows),
    to: to.slice(0, rows),
    conn: conn.slice(0, rows),
  };
}

/** Peers renumbered in key order and rows sorted by (from, to) key, ties in build order. */
function finish(build: RowsBuild & { conns: readonly string[]; showsIcmp: boolean }): ConnectivityRowColumns {
  const order = build.peerKeys.map((_, index) => index).sort((a, b) => compareKeys(build.peerKeys[a], build.peerKeys[b]));
  const rank = new Uint32Array(order.length);
  order.forEach((old, index) => (rank[old] = index));
  const n = build.from.length;
  const p = order.length;
  let rows: ArrayLike<number>;
  if (p * p * Math.max(n, 1) < 2 ** 53) {
    // (from rank, to rank, build index) as one exact number: a typed-array sort, no comparator.
    const sortKeys = new Float64Array(n);
    for (let i = 0; i < n; i++) sortKeys[i] = (rank[build.from[i]] * p + rank[build.to[i]]) * n + i;
    sortKeys.sort();
    rows = sortKeys.map((key) => key % n);
  } else {
    rows = build.from.map((_, i) => i).sort((a, b) => rank[build.from[a]] - rank[build.from[b]] || rank[build.to[a]] - rank[build.to[b]] || a - b);
  }
  const from = new Uint32Array(n);
  const to = new Uint32Array(n);
  const conn = new Uint32Array(n);
  for (let k = 0; k < n; k++) {
    const i = rows[k];
    from[k] = rank[build.from[i]];
    to[k] = rank[build.to[i]];
    conn[k] = build.conn[i];
  }
  return { peerKeys: order.map((old) => build.peerKeys[old]), peers: order.map((old) => build.peers[old]), conns: [...build.conns], showsIcmp: build.showsIcmp, from, to, conn };
}

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

/** What GraphQL `connectivity(filter:)` selects; every given field must hold. */
export interface RowFilter {
  readonly fromNamespace?: string | null;
  readonly toNamespace?: string | null;
  /** `name` or `namespace/name` of a workload at either end. */
  readonly workload?: string | null;
  readonly port?: number | null;
  /** With `port`: only this protocol (default: any). */
  readonly protocol?: Protocol | null;
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
    return { from: data.peers[data.from[row]], to: data.peers[data.to[row]], ports: portRanges(set), portsText: connString(set, data.showsIcmp) };
  };
  return { ...connection, edges: connection.edges.map((edge) => ({ cursor: edge.cursor, node: toRow(edge.node) })) };
}

// Stored form (stored-columns.ts): the peers and texts in the header, then the from, to and conn columns.
const FORMAT = 1;

interface Header {
  readonly format: number;
  readonly rows: number;
  readonly peerKeys: string[];
  readonly peers: NetworkPeer[];
  readonly conns: string[];
  readonly showsIcmp: boolean;
}

export function encodeRowColumns(data: ConnectivityRowColumns): Buffer {
  const header: Header = { format: FORMAT, rows: data.from.length, peerKeys: [...data.peerKeys], peers: [...data.peers], conns: [...data.conns], showsIcmp: data.showsIcmp };
  return packColumns(header, [data.from, data.to, data.conn]);
}

export function decodeRowColumns(stored: Buffer): ConnectivityRowColumns {
  return fromColumns(unpackColumns<Header>(stored, 'connectivity rows', FORMAT));
}

/** decodeRowColumns with the inflate in libuv's thread pool. */
export async function decodeRowColumnsAsync(stored: Buffer): Promise<ConnectivityRowColumns> {
  return fromColumns(await unpackColumnsAsync<Header>(stored, 'connectivity rows', FORMAT));
}

function fromColumns(read: ColumnReader<Header>): ConnectivityRowColumns {
  const { header } = read;
  const [from, to, conn] = [read.column(header.rows), read.column(header.rows), read.column(header.rows)];
  read.end();
  return { peerKeys: header.peerKeys, peers: header.peers, conns: header.conns, showsIcmp: header.showsIcmp, from, to, conn };
}

/** Bytes in memory (the cache's budget). */
export function rowColumnsBytes(data: ConnectivityRowColumns): number {
  return 12 * data.from.length + data.peerKeys.reduce((sum, key) => sum + 4 * key.length + 120, 0) + data.conns.reduce((sum, text) => sum + 2 * text.length, 0);
}
