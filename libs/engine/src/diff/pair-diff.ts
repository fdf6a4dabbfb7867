// Compares the allowed connections of two snapshots pair by pair (FORMAT.md 9.1, 9.3). Workload pairs are
// matched by name; IP ends are aligned per workload by a sweep over both sides' ranges, which yields the
// same maximal merged ranges as np-guard's global "coarsest common pieces" followed by merging. Connections are
// compared as their text shows them (`shownConnections`), after any union.
import { ConnectionSet } from '../algebra/connection-set.js';
import { shownConnections } from '../output/conn-string.js';
import { compareIpRanges, type IpFamily, type IpRange } from './ip-range.js';
import { peerName } from './peers.js';
import type {
  ConnRow,
  ConnectivityDiff,
  ConnectivityView,
  DiffPeer,
  IpRecut,
  PairChange,
  PairChangeType,
  WorkloadPeer,
} from './types.js';

/** A piecewise-constant function over one family's addresses: sorted, disjoint pieces. */
export interface IpPiece {
  readonly first: bigint;
  readonly last: bigint;
  readonly conn: ConnectionSet;
}

export type Direction = 'from-ip' | 'to-ip';

interface IpSide {
  readonly workload: WorkloadPeer;
  readonly direction: Direction;
  readonly family: IpFamily;
  readonly entries: { range: IpRange; conn: ConnectionSet }[];
}

interface SplitRows {
  readonly workloadPairs: Map<string, ConnRow>;
  readonly ipSides: Map<string, IpSide>;
  readonly sourceRanges: Map<string, IpRange>;
  readonly destinationRanges: Map<string, IpRange>;
}

export function rangeKey(r: IpRange): string {
  return `${r.family}:${r.first}:${r.last}`;
}

function splitRows(rows: readonly ConnRow[]): SplitRows {
  const workloadPairs = new Map<string, ConnRow>();
  const ipSides = new Map<string, IpSide>();
  const sourceRanges = new Map<string, IpRange>();
  const destinationRanges = new Map<string, IpRange>();
  for (const row of rows) {
    if (row.conn.isEmpty) continue;
    const { src, dst } = row;
    if (src.kind === 'workload' && dst.kind === 'workload') {
      const key = src.key + '\u0000' + dst.key;
      const seen = workloadPairs.get(key);
      workloadPairs.set(key, seen ? { src, dst, conn: seen.conn.union(row.conn) } : row);
      continue;
    }
    if (src.kind === 'ip' && dst.kind === 'ip') continue; // np-guard never lists IP to IP
    const [workload, range, direction, ranges] =
      src.kind === 'ip'
        ? [dst as WorkloadPeer, src.range, 'from-ip' as const, sourceRanges]
        : [src, (dst as { range: IpRange }).range, 'to-ip' as const, destinationRanges];
    ranges.set(rangeKey(range), range);
    const key = `${direction}\u0000${workload.key}\u0000${range.family}`;
    let side = ipSides.get(key);
    if (!side) {
      side = { workload, direction, family: range.family, entries: [] };
      ipSides.set(key, side);
    }
    side.entries.push({ range, conn: row.conn });
  }
  for (const [key, row] of workloadPairs) {
    const shown = shownConnections(row.conn);
    if (shown !== row.conn) workloadPairs.set(key, { ...row, conn: shown });
  }
  return { workloadPairs, ipSides, sourceRanges, destinationRanges };
}

/** Turns possibly overlapping ranges into sorted disjoint pieces (overlaps take the union). */
export function toPieces(entries: readonly { range: IpRange; conn: ConnectionSet }[]): IpPiece[] {
  const sorted = [...entries].sort((a, b) => compareIpRanges(a.range, b.range));
  const disjoint = sorted.every((e, i) => i === 0 || sorted[i - 1].range.last < e.range.first);
  if (disjoint) return sorted.map((e) => ({ first: e.range.first, last: e.range.last, conn: shownConnections(e.conn) }));
  const cuts = new Set<bigint>();
  for (const e of sorted) {
    cuts.add(e.range.first);
    cuts.add(e.range.last + 1n);
  }
  const points = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const pieces: IpPiece[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const first = points[i];
    const last = points[i + 1] - 1n;
    let conn = ConnectionSet.NONE;
    for (const e of sorted) if (e.range.first <= first && e.range.last >= last) conn = conn.union(e.conn);
    if (!conn.isEmpty) pieces.push({ first, last, conn: shownConnections(conn) });
  }
  return pieces;
}

/** Walks two piece lists together: every maximal segment on which both sides are constant. */
export function alignPieces(
  a: readonly IpPiece[],
  b: readonly IpPiece[],
): { first: bigint; last: bigint; a: ConnectionSet; b: ConnectionSet }[] {
  const cuts = new Set<bigint>();
  for (const p of [...a, ...b]) {
    cuts.add(p.first);
    cuts.add(p.last + 1n);
  }
  const points = [...cuts].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const out: { first: bigint; last: bigint; a: ConnectionSet; b: ConnectionSet }[] = [];
  let i = 0;
  let j = 0;
  for (let k = 0; k + 1 < points.length; k++) {
    const first = points[k];
    const last = points[k + 1] - 1n;
    while (i < a.length && a[i].last < first) i++;
    while (j < b.length && b[j].last < first) j++;
    const inA = i < a.length && a[i].first <= first ? a[i].conn : ConnectionSet.NONE;
    const inB = j < b.length && b[j].first <= first ? b[j].conn : ConnectionSet.NONE;
    if (!inA.isEmpty || !inB.isEmpty) out.push({ first, last, a: inA, b: inB });
  }
  return out;
}

export function classify(oldConn: ConnectionSet, newConn: ConnectionSet): PairChangeType | undefined {
  const hadOld = !oldConn.isEmpty;
  const hasNew = !newConn.isEmpty;
  if (hadOld && hasNew) return oldConn.equals(newConn) ? undefined : 'changed';
  if (hasNew) return 'added';
  if (hadOld) return 'removed';
  return undefined;
}

export interface DiffContext {
  readonly oldWorkloads: ReadonlySet<string>;
  readonly newWorkloads: ReadonlySet<string>;
}

export function makeChange(
  type: PairChangeType,
  src: DiffPeer,
  dst: DiffPeer,
  oldConn: ConnectionSet,
  newConn: ConnectionSet,
  ctx: DiffContext,
): PairChange {
  // np-guard's workloads-diff-info: on added/removed lines, ends that exist only in the side having the pair
  const otherSide = type === 'added' ? ctx.oldWorkloads : type === 'removed' ? ctx.newWorkloads : undefined;
  const onlyOneSide = otherSide
    ? [src, dst].filter((p): p is WorkloadPeer => p.kind === 'workload' && !otherSide.has(p.key)).map((p) => p.key)
    : [];
  return {
    type,
    src,
    dst,
    old: oldConn,
    new: newConn,
    gained: newConn.subtract(oldConn),
    lost: oldConn.subtract(newConn),
    workloadsOnlyInOneSide: onlyOneSide,
  };
}

export interface IpSegmentChange {
  readonly type: PairChangeType;
  readonly first: bigint;
  readonly last: bigint;
  readonly old: ConnectionSet;
  readonly new: ConnectionSet;
}

/** Compares two piecewise functions over one family's addresses; touching segments of the same category and
 *  the same old/new sets are merged into one maximal range (FORMAT.md 9.3 step 3). */
export function diffIpPieces(oldPieces: readonly IpPiece[], newPieces: readonly IpPiece[]): IpSegmentChange[] {
  const out: IpSegmentChange[] = [];
  let run: { type: PairChangeType; first: bigint; last: bigint; old: ConnectionSet; new: ConnectionSet; key: string } | undefined;
  for (const seg of alignPieces(oldPieces, newPieces)) {
    const type = classify(seg.a, seg.b);
    if (!type) {
      run = undefined;
      continue;
    }
    const key = `${type}|${seg.a.key}|${seg.b.key}`;
    if (run && run.key === key && run.last + 1n === seg.first) {
      run.last = seg.last;
      continue;
    }
    run = { type, first: seg.first, last: seg.last, old: seg.a, new: seg.b, key };
    out.push(run);
  }
  return out.map(({ type, first, last, old, new: next }) => ({ type, first, last, old, new: next }));
}

export function emitIpChanges(
  segments: readonly IpSegmentChange[],
  workload: WorkloadPeer,
  direction: Direction,
  family: IpFamily,
  ctx: DiffContext,
  out: PairChange[],
): void {
  for (const seg of segments) {
    const ip: DiffPeer = { kind: 'ip', range: { family, first: seg.first, last: seg.last } };
    const [src, dst] = direction === 'from-ip' ? [ip, workload] : [workload, ip];
    out.push(makeChange(seg.type, src, dst, seg.old, seg.new, ctx));
  }
}

export function recut(oldRanges: ReadonlyMap<string, IpRange>, newRanges: ReadonlyMap<string, IpRange>): IpRecut {
  const only = (a: ReadonlyMap<string, IpRange>, b: ReadonlyMap<string, IpRange>) =>
    [...a].filter(([k]) => !b.has(k)).map(([, r]) => r).sort(compareIpRanges);
  return { onlyOld: only(oldRanges, newRanges), onlyNew: only(newRanges, oldRanges) };
}

const TYPE_ORDER: Record<PairChangeType, number> = { changed: 0, added: 1, removed: 2 };

/** The text np-guard sorts lines by, within one diff-type (FORMAT.md 9.2). */
export function pairSortKey(change: PairChange): string {
  return `source: ${peerName(change.src)}, destination: ${peerName(change.dst)}`;
}

export function sortPairChanges(changes: PairChange[]): PairChange[] {
  const keyed = changes.map((c) => ({ c, key: pairSortKey(c) }));
  keyed.sort((x, y) => TYPE_ORDER[x.c.type] - TYPE_ORDER[y.c.type] || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  return keyed.map((k) => k.c);
}

function uniqueSorted(list: readonly WorkloadPeer[]): WorkloadPeer[] {
  const byKey = new Map(list.map((w) => [w.key, w]));
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The connectivity diff of two snapshots' views: per pair added / removed / changed. */
export function diffConnectivity(oldView: ConnectivityView, newView: ConnectivityView): ConnectivityDiff {
  const ctx: DiffContext = {
    oldWorkloads: new Set(oldView.workloads.map((w) => w.key)),
    newWorkloads: new Set(newView.workloads.map((w) => w.key)),
  };
  const a = splitRows(oldView.rows);
  const b = splitRows(newView.rows);
  const out: PairChange[] = [];

  for (const [key, row] of a.workloadPairs) {
    const other = b.workloadPairs.get(key);
    const newConn = other?.conn ?? ConnectionSet.NONE;
    const type = classify(row.conn, newConn);
    if (type) out.push(makeChange(type, row.src, row.dst, row.conn, newConn, ctx));
  }
  for (const [key, row] of b.workloadPairs) {
    if (!a.workloadPairs.has(key)) out.push(makeChange('added', row.src, row.dst, ConnectionSet.NONE, row.conn, ctx));
  }

  for (const key of new Set([...a.ipSides.keys(), ...b.ipSides.keys()])) {
    const sa = a.ipSides.get(key);
    const sb = b.ipSides.get(key);
    const side = (sa ?? sb) as IpSide;
    const segments = diffIpPieces(toPieces(sa?.entries ?? []), toPieces(sb?.entries ?? []));
    emitIpChanges(segments, side.workload, side.direction, side.family, ctx, out);
  }

  return assembleDiff(out, oldView.workloads, newView.workloads, ctx, {
    sources: recut(a.sourceRanges, b.sourceRanges),
    destinations: recut(a.destinationRanges, b.destinationRanges),
  });
}

export function assembleDiff(
  out: PairChange[],
  oldWorkloads: readonly WorkloadPeer[],
  newWorkloads: readonly WorkloadPeer[],
  ctx: DiffContext,
  ipRanges: ConnectivityDiff['ipRanges'],
): ConnectivityDiff {
  const pairs = sortPairChanges(out);
  const added = uniqueSorted(newWorkloads.filter((w) => !ctx.oldWorkloads.has(w.key)));
  const removed = uniqueSorted(oldWorkloads.filter((w) => !ctx.newWorkloads.has(w.key)));
  return {
    pairs,
    workloads: { added, removed },
    ipRanges,
    counts: {
      changed: pairs.filter((p) => p.type === 'changed').length,
      added: pairs.filter((p) => p.type === 'added').length,
      removed: pairs.filter((p) => p.type === 'removed').length,
      workloadsAdded: added.length,
      workloadsRemoved: removed.length,
    },
  };
}
