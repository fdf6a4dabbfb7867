// The connectivity diff data model: plain data, shared by the engine, the CLI and the API.
import type { ConnectionSet } from '../algebra/connection-set.js';
import type { IpRange } from './ip-range.js';

/** A named peer: a workload (np-guard name `ns/name[Kind]` as `key`), or a pod at pod granularity. */
export interface WorkloadPeer {
  readonly kind: 'workload';
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly workloadKind: string;
}

export interface IpPeer {
  readonly kind: 'ip';
  readonly range: IpRange;
}

export type DiffPeer = WorkloadPeer | IpPeer;

/** One allowed connection of a snapshot, the unit both sides of a diff are given in. */
export interface ConnRow {
  readonly src: DiffPeer;
  readonly dst: DiffPeer;
  readonly conn: ConnectionSet;
}

/** What a diff needs from one snapshot: its allowed connections and every workload it holds. */
export interface ConnectivityView {
  readonly rows: readonly ConnRow[];
  readonly workloads: readonly WorkloadPeer[];
}

export type PairChangeType = 'changed' | 'added' | 'removed';

export interface PairChange {
  readonly type: PairChangeType;
  readonly src: DiffPeer;
  readonly dst: DiffPeer;
  readonly old: ConnectionSet;
  readonly new: ConnectionSet;
  /** Connections allowed in new but not in old (ports per protocol, ICMP types and codes). */
  readonly gained: ConnectionSet;
  /** Connections allowed in old but not in new. */
  readonly lost: ConnectionSet;
  /** Endpoint workloads (keys) that exist only in the side that has the pair (np-guard's workloads-diff-info). */
  readonly workloadsOnlyInOneSide: readonly string[];
  /** Filled by causation analysis: the changes whose revert alone alters this pair. */
  causes?: CauseRef[];
  /** When no single change explains the pair: a minimal set of changes whose joint revert alters it
   *  (e.g. both ends' policies closed the same port; each alone would have sufficed). */
  jointCauses?: CauseRef[];
}

/** A reference from a pair to an entry of `ConnectivityDiff.changes` (by its `id`). */
export interface CauseRef {
  readonly change: string;
  readonly summary: string;
}

/** How the IP address space was cut into ranges on each side, where the two sides differ. */
export interface IpRecut {
  readonly onlyOld: readonly IpRange[];
  readonly onlyNew: readonly IpRange[];
}

export interface DiffCounts {
  readonly changed: number;
  readonly added: number;
  readonly removed: number;
  readonly workloadsAdded: number;
  readonly workloadsRemoved: number;
}

export interface ConnectivityDiff {
  /** Sorted: changed, then added, then removed; within a type by np-guard's line text. */
  readonly pairs: readonly PairChange[];
  readonly workloads: { readonly added: readonly WorkloadPeer[]; readonly removed: readonly WorkloadPeer[] };
  readonly ipRanges: { readonly sources: IpRecut; readonly destinations: IpRecut };
  readonly counts: DiffCounts;
  /** Set when either snapshot `showsIcmp`: connection texts (and the comparison) name ICMP whenever allowed. */
  readonly showsIcmp?: true;
}
