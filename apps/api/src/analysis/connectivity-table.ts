// The workload-level connectivity of a snapshot in a compact, storable form: the peers once, the distinct
// connection texts once, and the allowed rows as three integer columns (source peer, destination peer, connection).
// This is what the Postgres cache keeps: never pod pairs, a few bytes per allowed workload pair, and enough to
// answer the connectivity queries and every np-guard format without parsing or analysing the snapshot again.
import { endianness } from 'node:os';
import { promisify } from 'node:util';
import { gunzip, gunzipSync, gzipSync } from 'node:zlib';
import {
  connString,
  iterateConnectivity,
  parseConnString,
  showsIcmp,
  type Analysis,
  type ConnectionSet,
  type ConnectivityRow,
  type IpFamily,
  type Peer,
  type Workload,
} from '@netpol-atlas/engine';

export interface TableWorkloadPeer {
  readonly type: 'workload';
  /** np-guard's peer name `namespace/name[Kind]`. */
  readonly name: string;
  readonly namespace: string;
  /** np-guard naming (a Pod's direct owner, e.g. ReplicaSet). */
  readonly kind: string;
  readonly workloadName: string;
  /** The top-level controller (Deployment, StatefulSet, DaemonSet, CronJob, …): the API's naming. */
  readonly topKind: string;
  readonly topName: string;
}

export interface TableIpPeer {
  readonly type: 'ip';
  /** np-guard's peer name `first-last[External]`. */
  readonly name: string;
  /** `first-last`. */
  readonly range: string;
  readonly family: IpFamily;
  readonly first: bigint;
  readonly last: bigint;
}

export type TablePeer = TableWorkloadPeer | TableIpPeer;

export interface ConnectivityTable {
  /** Every workload, and every IP range that appears in a row; sorted by np-guard name. */
  readonly peers: readonly TablePeer[];
  /** Distinct np-guard connection texts (`All Connections`, `TCP 80,UDP 53`, …). */
  readonly conns: readonly string[];
  /** Row i: peers[src[i]] → peers[dst[i]] allows conns[conn[i]]; in np-guard output order. */
  readonly src: Uint32Array;
  readonly dst: Uint32Array;
  readonly conn: Uint32Array;
  /** The snapshot `showsIcmp`: the texts name ICMP whenever allowed, and formatting the parsed rows must too. */
  readonly showsIcmp: boolean;
}

const FORMAT = 1;

/** Tables made in this thread, per analysis: the connectivity artefact and the namespace matrix share one. */
const tables = new WeakMap<Analysis, ConnectivityTable>();

export function tableFromAnalysis(analysis: Analysis): ConnectivityTable {
  let table = tables.get(analysis);
  if (!table) tables.set(analysis, (table = buildTable(analysis)));
  return table;
}

function buildTable(analysis: Analysis): ConnectivityTable {
  const peers: TablePeer[] = analysis.snapshot.workloads.map(workloadPeer);
  const peerIds = new Map(peers.map((peer, index) => [peer.name, index]));
  const conns: string[] = [];
  const icmp = showsIcmp(analysis.snapshot);
  const connIds = new Map<ConnectionSet | string, number>();
  const src: number[] = [];
  const dst: number[] = [];
  const conn: number[] = [];
  const peerId = (peer: Peer) => {
    let id = peerIds.get(peer.name);
    if (id === undefined) {
      if (peer.type !== 'ip') throw new Error(`peer ${peer.name} is not a workload of the snapshot`);
      id = peers.push(ipPeer(peer)) - 1;
      peerIds.set(peer.name, id);
    }
    return id;
  };
  for (const row of iterateConnectivity(analysis, { granularity: 'workload' })) {
    // Connection sets are interned by the analysis: the object is a cheap first-level key.
    let id = connIds.get(row.conn);
    if (id === undefined) {
      const text = connString(row.conn, icmp);
      id = connIds.get(text) ?? conns.push(text) - 1;
      connIds.set(text, id);
      connIds.set(row.conn, id);
    }
    src.push(peerId(row.src));
    dst.push(peerId(row.dst));
    conn.push(id);
  }
  return sortPeers({ peers, conns, src: Uint32Array.from(src), dst: Uint32Array.from(dst), conn: Uint32Array.from(conn), showsIcmp: icmp });
}

function workloadPeer(w: Workload): TableWorkloadPeer {
  return {
    type: 'workload',
    name: w.displayName,
    namespace: w.namespace,
    kind: w.kind,
    workloadName: w.name,
    topKind: w.topLevel.kind,
    topName: w.topLevel.name,
  };
}

function ipPeer(peer: Extract<Peer, { type: 'ip' }>): TableIpPeer {
  const suffix = '[External]';
  const range = peer.name.endsWith(suffix) ? peer.name.slice(0, -suffix.length) : peer.name;
  return { type: 'ip', name: peer.name, range, family: peer.family, first: peer.first, last: peer.last };
}

/** Renumbers peers in name order (rows keep their order), so equal inputs encode to equal bytes. */
function sortPeers(table: ConnectivityTable): ConnectivityTable {
  const order = table.peers.map((_, index) => index).sort((a, b) => compare(table.peers[a].name, table.peers[b].name));
  const newId = new Uint32Array(order.length);
  order.forEach((old, index) => (newId[old] = index));
  return {
    peers: order.map((old) => table.peers[old]),
    conns: table.conns,
    src: table.src.map((id) => newId[id]),
    dst: table.dst.map((id) => newId[id]),
    conn: table.conn,
    showsIcmp: table.showsIcmp,
  };
}

export function rowCount(table: ConnectivityTable): number {
  return table.src.length;
}

/** Bytes the table holds in memory (for the cache bound). */
export function tableBytes(table: ConnectivityTable): number {
  return table.src.byteLength * 3 + table.peers.length * 200 + table.conns.reduce((n, text) => n + 2 * text.length, 0);
}

// Stored form: gzip of [u32 LE header length][header JSON][src][dst][conn] (u32 LE each).
interface Header {
  readonly format: number;
  readonly rows: number;
  readonly conns: readonly string[];
  /** Absent = false (tables of NetworkPolicy-only snapshots encode as before). */
  readonly showsIcmp?: true;
  readonly peers: readonly (TableWorkloadPeer | (Omit<TableIpPeer, 'first' | 'last'> & { first: string; last: string }))[];
}

export function encodeTable(table: ConnectivityTable): Buffer {
  const header: Header = {
    format: FORMAT,
    rows: rowCount(table),
    conns: table.conns,
    ...(table.showsIcmp ? { showsIcmp: true as const } : {}),
    peers: table.peers.map((peer) => (peer.type === 'ip' ? { ...peer, first: peer.first.toString(), last: peer.last.toString() } : peer)),
  };
  const head = Buffer.from(JSON.stringify(header), 'utf8');
  const n = rowCount(table);
  const out = Buffer.alloc(4 + head.length + 12 * n);
  out.writeUInt32LE(head.length, 0);
  head.copy(out, 4);
  let offset = 4 + head.length;
  for (const column of [table.src, table.dst, table.conn]) {
    for (let i = 0; i < n; i++, offset += 4) out.writeUInt32LE(column[i], offset);
  }
  return gzipSync(out);
}

const LITTLE_ENDIAN = endianness() === 'LE';
const gunzipAsync = promisify(gunzip);

export function decodeTable(stored: Buffer): ConnectivityTable {
  return tableFromBytes(gunzipSync(stored));
}

/** decodeTable with the inflate in libuv's thread pool: 25–250 ms of the event loop for a 1.67M-row table (22 MB). */
export async function decodeTableAsync(stored: Buffer): Promise<ConnectivityTable> {
  return tableFromBytes(await gunzipAsync(stored));
}

function tableFromBytes(bytes: Buffer): ConnectivityTable {
  const headLength = bytes.readUInt32LE(0);
  const header = JSON.parse(bytes.subarray(4, 4 + headLength).toString('utf8')) as Header;
  if (header.format !== FORMAT) throw new Error(`connectivity table format ${header.format} is not ${FORMAT}`);
  const n = header.rows;
  if (bytes.length !== 4 + headLength + 12 * n) throw new Error('connectivity table is truncated');
  const column = (index: number) => {
    const out = new Uint32Array(n);
    const base = 4 + headLength + index * 4 * n;
    // On a little-endian host the stored column is the array's memory: one copy (a 1.67M-row table's three columns
    // took ~100–300 ms of the event loop read value by value).
    if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(bytes.subarray(base, base + 4 * n));
    else for (let i = 0; i < n; i++) out[i] = bytes.readUInt32LE(base + 4 * i);
    return out;
  };
  const peers = header.peers.map((peer): TablePeer => (peer.type === 'ip' ? { ...peer, first: BigInt(peer.first), last: BigInt(peer.last) } : peer));
  return { peers, conns: header.conns, src: column(0), dst: column(1), conn: column(2), showsIcmp: header.showsIcmp === true };
}

/**
 * The rows as the engine's ConnectivityRow, for its np-guard formatters (`connlistChunks`). Workload peers carry an
 * identity-only Workload (names; no labels, ports or pods, which the table does not keep and formatters do not read).
 */
export function* tableRows(table: ConnectivityTable): Generator<ConnectivityRow> {
  const peers = table.peers.map(enginePeer);
  const conns = table.conns.map(parseConnString);
  for (let i = 0; i < table.src.length; i++) yield { src: peers[table.src[i]], dst: peers[table.dst[i]], conn: conns[table.conn[i]] };
}

function enginePeer(peer: TablePeer, id: number): Peer {
  if (peer.type === 'ip') return { type: 'ip', name: peer.name, family: peer.family, first: peer.first, last: peer.last, atom: -1 };
  const workload: Workload = {
    id,
    namespace: peer.namespace,
    name: peer.workloadName,
    kind: peer.kind,
    displayName: peer.name,
    topLevel: { kind: peer.topKind, name: peer.topName },
    labels: {},
    ports: [],
    hostNetwork: false,
    serviceAccount: null,
    pods: [],
    replicas: 0,
  };
  return { type: 'workload', name: peer.name, workload, classId: -1 };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
