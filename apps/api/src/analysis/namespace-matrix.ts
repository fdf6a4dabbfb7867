// The namespace × namespace matrix of a snapshot's connectivity: per namespace its workloads (top-level controllers)
// and those IP ranges reach or are reached by, per (from, to) namespace pair the workload pairs with some allowed
// connection. Computed once from the API's connectivity rows in the analysis thread and stored as a derived artefact
// (columns of integers, no objects): at 50k pods the table has 1.67M rows and ~190k cells, which took ~3–8 s of the
// event loop per dashboard page when derived there from the merged rows. The orders the dashboard asks for (the
// busiest cells, the busiest namespaces) are stored with it, so a request only walks columns.
import { compareText, parseConnString } from '@netpol-atlas/engine';
import type { ConnectivityRowColumns } from '../connectivity/connectivity-rows.js';
import { packColumns, unpackColumns, unpackColumnsAsync, type ColumnReader } from './stored-columns.js';

export interface NamespaceMatrixData {
  /** Namespaces holding workloads, in name order (an index below is a position here). */
  readonly namespaces: readonly string[];
  /** Per namespace: its workloads, of them reachable from some IP range, of them reaching some IP range. */
  readonly workloads: Uint32Array;
  readonly reachableFromIpRanges: Uint32Array;
  readonly reachingIpRanges: Uint32Array;
  /** Per namespace, busiest first: namespaces by allowed pairs from or to them (a pair within one counted once), then name. */
  readonly namespacesByAllowed: Uint32Array;
  /** Cells (namespace pairs with some allowed workload pair), in (from, to) order. */
  readonly cellFrom: Uint32Array;
  readonly cellTo: Uint32Array;
  /** Ordered pairs of distinct workloads with some allowed connection. */
  readonly cellAllowed: Uint32Array;
  /** Of those, pairs allowing every port of every protocol. */
  readonly cellAllPorts: Uint32Array;
  /** Cell indexes, busiest first: by allowed pairs, then (from, to). */
  readonly cellsByAllowed: Uint32Array;
}

export interface NamespaceCellData {
  readonly from: string;
  readonly to: string;
  readonly allowedPairs: number;
  readonly allPortsPairs: number;
  readonly possiblePairs: number;
}

/**
 * The matrix of the API's connectivity rows (connectivity-rows.ts: merged per top-level controller, a Deployment's
 * ReplicaSets one workload with their connections united and their mutual rows dropped; every workload of the
 * snapshot among the peers, with rows or not).
 */
export function namespaceMatrixOf(rows: ConnectivityRowColumns): NamespaceMatrixData {
  const namespaces = [...new Set(rows.peers.flatMap((peer) => (peer.ipRange == null && peer.namespace != null ? [peer.namespace] : [])))].sort(compareText);
  const namespaceIds = new Map(namespaces.map((name, index) => [name, index]));
  // Per peer: its namespace's index, -1 for an IP range.
  const namespaceOf = Int32Array.from(rows.peers, (peer) => (peer.ipRange == null && peer.namespace != null ? namespaceIds.get(peer.namespace)! : -1));
  const isAll = rows.conns.map((text) => parseConnString(text).isAll);
  const fromIp = new Uint8Array(rows.peers.length);
  const toIp = new Uint8Array(rows.peers.length);
  const n = namespaces.length;
  const cells = new Map<number, { allowed: number; allPorts: number }>();
  for (let i = 0; i < rows.from.length; i++) {
    const from = namespaceOf[rows.from[i]];
    const to = namespaceOf[rows.to[i]];
    if (from < 0) {
      if (to >= 0) fromIp[rows.to[i]] = 1;
      continue;
    }
    if (to < 0) {
      toIp[rows.from[i]] = 1;
      continue;
    }
    const cellKey = from * n + to;
    let cell = cells.get(cellKey);
    if (!cell) cells.set(cellKey, (cell = { allowed: 0, allPorts: 0 }));
    cell.allowed++;
    if (isAll[rows.conn[i]]) cell.allPorts++;
  }
  const workloads = new Uint32Array(n);
  const reachableFromIpRanges = new Uint32Array(n);
  const reachingIpRanges = new Uint32Array(n);
  for (let peer = 0; peer < rows.peers.length; peer++) {
    const ns = namespaceOf[peer];
    if (ns < 0) continue;
    workloads[ns]++;
    reachableFromIpRanges[ns] += fromIp[peer];
    reachingIpRanges[ns] += toIp[peer];
  }
  const keys = [...cells.keys()].sort((a, b) => a - b);
  const cellFrom = Uint32Array.from(keys, (key) => Math.floor(key / n));
  const cellTo = Uint32Array.from(keys, (key) => key % n);
  const cellAllowed = Uint32Array.from(keys, (key) => cells.get(key)!.allowed);
  const cellAllPorts = Uint32Array.from(keys, (key) => cells.get(key)!.allPorts);
  const cellsByAllowed = Uint32Array.from(keys.keys()).sort((a, b) => cellAllowed[b] - cellAllowed[a] || a - b);
  const activity = new Float64Array(n);
  for (let c = 0; c < keys.length; c++) {
    activity[cellFrom[c]] += cellAllowed[c];
    if (cellTo[c] !== cellFrom[c]) activity[cellTo[c]] += cellAllowed[c];
  }
  const namespacesByAllowed = Uint32Array.from(namespaces.keys()).sort((a, b) => activity[b] - activity[a] || a - b);
  return { namespaces, workloads, reachableFromIpRanges, reachingIpRanges, namespacesByAllowed, cellFrom, cellTo, cellAllowed, cellAllPorts, cellsByAllowed };
}

/** The `first` namespaces with the most allowed pairs from or to them (ties by name), in name order. */
export function busiestNamespaces(matrix: NamespaceMatrixData, first: number): string[] {
  return [...matrix.namespacesByAllowed.subarray(0, first)].sort((a, b) => a - b).map((index) => matrix.namespaces[index]);
}

export interface CellSelection {
  /** Only cells between two of the `amongBusiest` busiest namespaces (busiestNamespaces). */
  readonly amongBusiest?: number;
  /** Only cells between two different namespaces. */
  readonly crossNamespace?: boolean;
  /** Of the cells selected, the `busiest` with the most allowed pairs (ties by (from, to)). */
  readonly busiest?: number;
}

/** The cells selected, in (from, to) order. */
export function matrixCells(matrix: NamespaceMatrixData, selection: CellSelection = {}): NamespaceCellData[] {
  return cellsAt(matrix, selectCells(matrix, selection));
}

/** The cells at these indices (from selectCells), as the API answers them. */
export function cellsAt(matrix: NamespaceMatrixData, indices: readonly number[]): NamespaceCellData[] {
  return indices.map((c) => cellData(matrix, c));
}

/** The indices of the cells selected, in (from, to) order: integers only, so a caller can bound the answer first. */
export function selectCells(matrix: NamespaceMatrixData, selection: CellSelection = {}): number[] {
  let among: Uint8Array | undefined;
  if (selection.amongBusiest !== undefined) {
    among = new Uint8Array(matrix.namespaces.length);
    for (const index of matrix.namespacesByAllowed.subarray(0, selection.amongBusiest)) among[index] = 1;
  }
  const selected = (c: number) =>
    (!among || (among[matrix.cellFrom[c]] === 1 && among[matrix.cellTo[c]] === 1)) && (!selection.crossNamespace || matrix.cellFrom[c] !== matrix.cellTo[c]);
  const chosen: number[] = [];
  if (selection.busiest !== undefined) {
    for (let i = 0; i < matrix.cellsByAllowed.length && chosen.length < selection.busiest; i++) {
      if (selected(matrix.cellsByAllowed[i])) chosen.push(matrix.cellsByAllowed[i]);
    }
    chosen.sort((a, b) => a - b);
  } else {
    for (let c = 0; c < matrix.cellFrom.length; c++) if (selected(c)) chosen.push(c);
  }
  return chosen;
}

/** Cells (with some allowed pair), or only those between different namespaces. */
export function matrixCellCount(matrix: NamespaceMatrixData, crossNamespace = false): number {
  if (!crossNamespace) return matrix.cellFrom.length;
  let count = 0;
  for (let c = 0; c < matrix.cellFrom.length; c++) if (matrix.cellFrom[c] !== matrix.cellTo[c]) count++;
  return count;
}

function cellData(matrix: NamespaceMatrixData, c: number): NamespaceCellData {
  const from = matrix.cellFrom[c];
  const to = matrix.cellTo[c];
  const fromCount = matrix.workloads[from];
  return {
    from: matrix.namespaces[from],
    to: matrix.namespaces[to],
    allowedPairs: matrix.cellAllowed[c],
    allPortsPairs: matrix.cellAllPorts[c],
    possiblePairs: from === to ? fromCount * (fromCount - 1) : fromCount * matrix.workloads[to],
  };
}

// Stored form (stored-columns.ts): the namespaces in the header, then the per-namespace and per-cell columns.
const FORMAT = 1;
const NAMESPACE_COLUMNS = ['workloads', 'reachableFromIpRanges', 'reachingIpRanges', 'namespacesByAllowed'] as const;
const CELL_COLUMNS = ['cellFrom', 'cellTo', 'cellAllowed', 'cellAllPorts', 'cellsByAllowed'] as const;

interface Header {
  readonly format: number;
  readonly namespaces: string[];
  readonly cells: number;
}

export function encodeMatrix(matrix: NamespaceMatrixData): Buffer {
  const header: Header = { format: FORMAT, namespaces: [...matrix.namespaces], cells: matrix.cellFrom.length };
  return packColumns(header, [...NAMESPACE_COLUMNS, ...CELL_COLUMNS].map((name) => matrix[name]));
}

export function decodeMatrix(stored: Buffer): NamespaceMatrixData {
  return fromColumns(unpackColumns<Header>(stored, 'namespace matrix', FORMAT));
}

/** decodeMatrix with the inflate in libuv's thread pool (~4 MB at 50k pods). */
export async function decodeMatrixAsync(stored: Buffer): Promise<NamespaceMatrixData> {
  return fromColumns(await unpackColumnsAsync<Header>(stored, 'namespace matrix', FORMAT));
}

function fromColumns(read: ColumnReader<Header>): NamespaceMatrixData {
  const { header } = read;
  const [workloads, reachableFromIpRanges, reachingIpRanges, namespacesByAllowed] = NAMESPACE_COLUMNS.map(() => read.column(header.namespaces.length));
  const [cellFrom, cellTo, cellAllowed, cellAllPorts, cellsByAllowed] = CELL_COLUMNS.map(() => read.column(header.cells));
  read.end();
  return { namespaces: header.namespaces, workloads, reachableFromIpRanges, reachingIpRanges, namespacesByAllowed, cellFrom, cellTo, cellAllowed, cellAllPorts, cellsByAllowed };
}

/** Bytes in memory (the cache's budget). */
export function matrixBytes(matrix: NamespaceMatrixData): number {
  return 4 * (NAMESPACE_COLUMNS.length * matrix.namespaces.length + CELL_COLUMNS.length * matrix.cellFrom.length) + matrix.namespaces.reduce((sum, name) => sum + 2 * name.length + 16, 0);
}
