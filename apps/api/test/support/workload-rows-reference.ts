// The API's connectivity rows as keyed objects: the stored table's np-guard rows merged per top-level controller (a
// Deployment's ReplicaSets are one workload; their connections are united), sorted by (from, to) key, and the same
// with adjacent IP ranges merged as np-guard lists them. How the API derived them before they became stored columns
// (src/connectivity/connectivity-rows.ts): the obvious way, kept as the reference its property tests compare with.
import { ConnectionSet, formatIpRange, parseConnString, type IpFamily } from '@netpol-atlas/engine';
import type { NetworkPeer } from '../../src/analysis/analysis.models.js';
import type { ConnectivityTable, TablePeer } from '../../src/analysis/connectivity-table.js';
import { compareText, ipRangeKey, ipRangePeer, workloadKey, workloadPeer } from '@netpol-atlas/engine';

export interface WorkloadRow {
  /** Sort and cursor key: the two peer keys. */
  readonly key: string;
  readonly from: NetworkPeer;
  readonly to: NetworkPeer;
  readonly conn: ConnectionSet;
}

export interface WorkloadRows {
  readonly rows: readonly WorkloadRow[];
}

const derived = new WeakMap<ConnectivityTable, WorkloadRows>();

function apiPeer(peer: TablePeer): { key: string; peer: NetworkPeer } {
  if (peer.type === 'ip') return { key: ipRangeKey(peer.family, peer.first, peer.last), peer: ipRangePeer(peer.range) };
  return { key: workloadKey(peer.namespace, peer.topKind, peer.topName), peer: workloadPeer(peer.namespace, peer.topKind, peer.topName) };
}

export function workloadRows(table: ConnectivityTable): WorkloadRows {
  const cached = derived.get(table);
  if (cached) return cached;
  const peers = table.peers.map(apiPeer);
  const conns = table.conns.map(parseConnString);
  const merged = new Map<string, { from: number; to: number; conn: ConnectionSet }>();
  for (let i = 0; i < table.src.length; i++) {
    const from = peers[table.src[i]];
    const to = peers[table.dst[i]];
    // Two np-guard workloads of one controller: their mutual rows are inside one API workload.
    if (from.key === to.key) continue;
    const key = `${from.key}\u0001${to.key}`;
    const entry = merged.get(key);
    if (entry) entry.conn = entry.conn.union(conns[table.conn[i]]);
    else merged.set(key, { from: table.src[i], to: table.dst[i], conn: conns[table.conn[i]] });
  }
  const rows = [...merged.entries()]
    .map(([key, row]) => ({ key, from: peers[row.from].peer, to: peers[row.to].peer, conn: row.conn }))
    .sort((a, b) => compareText(a.key, b.key));
  const result: WorkloadRows = { rows };
  derived.set(table, result);
  return result;
}

const mergedDerived = new WeakMap<ConnectivityTable, readonly WorkloadRow[]>();

/**
 * The rows with IP peers as np-guard lists them: for one workload, direction and connection, adjacent IP ranges
 * (cut apart by unrelated ipBlocks, e.g. the private ranges of an `except`) merged into one row. Sorted by key.
 */
export function rowsWithMergedIpRanges(table: ConnectivityTable): readonly WorkloadRow[] {
  const cached = mergedDerived.get(table);
  if (cached) return cached;
  const ranges = new Map<string, { family: IpFamily; first: bigint; last: bigint }>();
  for (const peer of table.peers) if (peer.type === 'ip') ranges.set(peer.range, { family: peer.family, first: peer.first, last: peer.last });
  const out: WorkloadRow[] = [];
  const groups = new Map<string, { workload: NetworkPeer; outbound: boolean; conn: ConnectionSet; ranges: { family: IpFamily; first: bigint; last: bigint }[] }>();
  for (const row of workloadRows(table).rows) {
    const ipEnd = row.to.ipRange != null ? row.to : row.from.ipRange != null ? row.from : null;
    const range = ipEnd?.ipRange != null ? ranges.get(ipEnd.ipRange) : undefined;
    if (!ipEnd || !range || (row.from.ipRange != null && row.to.ipRange != null)) {
      out.push(row);
      continue;
    }
    const outbound = ipEnd === row.to;
    const workload = outbound ? row.from : row.to;
    const key = `${outbound}\u0001${workloadKey(workload.namespace ?? '', workload.kind ?? '', workload.name ?? '')}\u0001${row.conn.key}`;
    const group = groups.get(key) ?? { workload, outbound, conn: row.conn, ranges: [] };
    group.ranges.push(range);
    groups.set(key, group);
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
    for (const range of merged) {
      const ip = { key: ipRangeKey(range.family, range.first, range.last), peer: ipRangePeer(formatIpRange(range.family, range.first, range.last)) };
      const workloadKeyText = workloadKey(group.workload.namespace ?? '', group.workload.kind ?? '', group.workload.name ?? '');
      out.push(
        group.outbound
          ? { key: `${workloadKeyText}\u0001${ip.key}`, from: group.workload, to: ip.peer, conn: group.conn }
          : { key: `${ip.key}\u0001${workloadKeyText}`, from: ip.peer, to: group.workload, conn: group.conn },
      );
    }
  }
  const result = out.sort((a, b) => compareText(a.key, b.key));
  mergedDerived.set(table, result);
  return result;
}
