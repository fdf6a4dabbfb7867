// Peers of the query layer (the shapes the GraphQL API and `netpol who-can-reach` print): workloads named by
// their top-level controller, IP ranges by `first-last`; one sort key for both (workloads by namespace, kind,
// name; then IP ranges by family and first address).
import type { ConnectionSet, Protocol } from '../algebra/connection-set.js';
import type { IpFamily } from '../algebra/ip-set.js';
import type { Workload } from '../model/types.js';
import { connRanges, connString } from '../output/conn-string.js';

export type PeerType = 'WORKLOAD' | 'IP_RANGE';

export interface NetworkPeer {
  readonly type: PeerType;
  /** For a workload: namespace, top-level controller kind and name. */
  readonly namespace: string | null;
  readonly kind: string | null;
  readonly name: string | null;
  /** For an IP range: `first-last`. */
  readonly ipRange: string | null;
}

export interface PortRange {
  readonly protocol: Protocol;
  readonly from: number;
  readonly to: number;
}

export interface ReachablePeer {
  readonly peer: NetworkPeer;
  readonly ports: readonly PortRange[];
  /** np-guard text, e.g. `TCP 8080,UDP 53` or `All Connections`. */
  readonly portsText: string;
}

export function workloadPeer(namespace: string, kind: string, name: string): NetworkPeer {
  return { type: 'WORKLOAD', namespace, kind, name, ipRange: null };
}

export function topLevelPeer(w: Workload): NetworkPeer {
  return workloadPeer(w.namespace, w.topLevel.kind, w.topLevel.name);
}

export function ipRangePeer(range: string): NetworkPeer {
  return { type: 'IP_RANGE', namespace: null, kind: null, name: null, ipRange: range };
}

/** Sort and identity key of a workload peer. */
export function workloadKey(namespace: string, kind: string, name: string): string {
  return `0\u0000${namespace}\u0000${kind}\u0000${name}`;
}

/** Sort and identity key of an IP range (numeric order: addresses zero-padded to 39 digits). */
export function ipRangeKey(family: IpFamily, first: bigint, last: bigint): string {
  return `1\u0000${family}\u0000${first.toString().padStart(39, '0')}\u0000${last.toString().padStart(39, '0')}`;
}

export function portRanges(conn: ConnectionSet): PortRange[] {
  return connRanges(conn).map((range) => ({ protocol: range.protocol as Protocol, from: range.from, to: range.to }));
}

export function reachablePeer(peer: NetworkPeer, conn: ConnectionSet, icmp = false): ReachablePeer {
  return { peer, ports: portRanges(conn), portsText: connString(conn, icmp) };
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
