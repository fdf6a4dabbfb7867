// The connections of one changed pair in some (reverted) snapshot, by tracing the pair through the policies
// that can select its ends (the trace reads them from the snapshot's per-namespace index, built once per
// snapshot: never trace on a fresh copy of a snapshot, which would rebuild that index): no analysis of the whole
// snapshot is needed, so causation costs a model build (or a policy patch) per candidate change plus a few
// traces per pair.
import { ConnectionSet } from '../algebra/connection-set.js';
import { ipEndpoint, tracePair, workloadEndpoint } from '../analysis/trace.js';
import { policiesIn } from '../model/indexes.js';
import type { Snapshot, Workload } from '../model/types.js';
import { shownConnections } from '../output/conn-string.js';
import { formatIp } from './ip-range.js';
import type { PairChange } from './types.js';

export interface PairOracle {
  /** A canonical text of the pair's connections as shown (over the pair's whole IP range for IP pairs). */
  valueOf(change: PairChange): string;
}

const NONE = ConnectionSet.NONE.key;

// Policy-reverted snapshots share the new snapshot's workload list: index it once.
const workloadIndexes = new WeakMap<readonly Workload[], ReadonlyMap<string, Workload>>();

function workloadsByName(workloads: readonly Workload[]): ReadonlyMap<string, Workload> {
  let index = workloadIndexes.get(workloads);
  if (!index) workloadIndexes.set(workloads, (index = new Map(workloads.map((w) => [w.displayName, w]))));
  return index;
}

export class TraceOracle implements PairOracle {
  private readonly workloads: ReadonlyMap<string, Workload>;

  constructor(
    private readonly snapshot: Snapshot,
    /** As the diff's `showsIcmp`: the values compare connections as the diff's text shows them. */
    private readonly icmp = false,
  ) {
    this.workloads = workloadsByName(snapshot.workloads);
  }

  valueOf(change: PairChange): string {
    const { src, dst } = change;
    if (src.kind === 'workload' && dst.kind === 'workload') {
      const u = this.workloads.get(src.key);
      const v = this.workloads.get(dst.key);
      if (!u || !v) return NONE; // a workload that does not exist has no connections
      return shownConnections(tracePair(this.snapshot, workloadEndpoint(u), workloadEndpoint(v)).allowed, this.icmp).key;
    }
    const inbound = src.kind === 'ip';
    const end = inbound ? dst : src;
    const ipEnd = inbound ? src : dst;
    if (end.kind !== 'workload' || ipEnd.kind !== 'ip') return '';
    const w = this.workloads.get(end.key);
    const range = ipEnd.range;
    if (!w) return `${range.first}:${NONE}`;
    // Cut the range wherever an ipBlock of the workload's policies (this direction) starts or ends, so each piece
    // is wholly inside or outside every block, as the analysis's atoms are.
    const direction = inbound ? 'ingress' : 'egress';
    const cuts = new Set<bigint>([range.first]);
    for (const p of [...policiesIn(this.snapshot, w.namespace), ...policiesIn(this.snapshot, '')]) {
      for (const rule of p[direction].rules) {
        for (const peer of rule.peers ?? []) {
          if (peer.kind !== 'ipBlock' || peer.set.family !== range.family) continue;
          for (const i of peer.set.intervals) {
            if (i.first > range.first && i.first <= range.last) cuts.add(i.first);
            if (i.last >= range.first && i.last < range.last) cuts.add(i.last + 1n);
          }
        }
      }
    }
    const points = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const pod = workloadEndpoint(w);
    const pieces: string[] = [];
    let previous = '';
    for (let i = 0; i < points.length; i++) {
      const first = points[i];
      const last = i + 1 < points.length ? points[i + 1] - 1n : range.last;
      const ip = ipEndpoint(range.family, first, last, `${formatIp(range.family, first)}-${formatIp(range.family, last)}`);
      const conn = shownConnections((inbound ? tracePair(this.snapshot, ip, pod) : tracePair(this.snapshot, pod, ip)).allowed, this.icmp).key;
      if (conn !== previous) pieces.push(`${first}:${conn}`);
      previous = conn;
    }
    return pieces.join(';');
  }
}
