// The connectivity diff of two analyses, on the factorised representation. Workloads are grouped by their
// (old class, new class) pair; a pair of groups is compared once. Only groups that can have changed are
// compared at all. A pair u → v is the egress of u's policies towards v, intersected with the ingress of v's
// policies from u. So it can change only if u is "dirty as a source" (a changed policy with egress effect
// selects u, on either side) or v is "dirty as a destination" (the same for ingress), or an end's own labels,
// ports or namespace labels changed, or an end exists on one side only (dirty both ways).
// Work is therefore proportional to (changed groups × groups + IP atoms), not to workload pairs.
import { ConnectionSet } from '../algebra/connection-set.js';
import type { IpFamily } from '../algebra/ip-set.js';
import type { Analysis, IpAtom } from '../analysis/types.js';
import { workloadsIn } from '../model/indexes.js';
import type { Snapshot, Workload } from '../model/types.js';
import { shownConnections, showsIcmp } from '../output/conn-string.js';
import type { IpRange } from './ip-range.js';
import {
  type DiffContext,
  type Direction,
  type IpPiece,
  assembleDiff,
  classify,
  diffIpPieces,
  emitIpChanges,
  rangeKey,
  recut,
} from './pair-diff.js';
import { workloadPeer } from './peers.js';
import { hasIpv6Atoms, wholeIpv6Conn } from './ipv6-completion.js';
import { changedPolicies, policyKey, sameNamespace, sameWorkload } from './signatures.js';
import type { ConnectivityDiff, PairChange, WorkloadPeer } from './types.js';

export interface AnalysisDiffOptions {
  /** Compare every group pair, not only groups that can have changed (a cross-check for tests). */
  readonly exhaustive?: boolean;
}

interface Group {
  readonly oldClass: number;
  readonly newClass: number;
  readonly peers: WorkloadPeer[];
  /** A member as modelled on each side (for the IPv6 completion). */
  readonly oldWorkload?: Workload;
  readonly newWorkload?: Workload;
  /** Pairs with a member as source (resp. destination) may have changed. */
  asSource: boolean;
  asDestination: boolean;
}

/** Per workload name: 1 = may change as a source, 2 = as a destination (bit flags). */
type Dirt = Map<string, number>;
const AS_SOURCE = 1;
const AS_DESTINATION = 2;

const NO_KEY = ConnectionSet.NONE.key;

/** `shownConnections` once per interned set of the analyses: the diff compares connections as their text shows them. */
function shownCache(icmp: boolean): (c: ConnectionSet | undefined) => ConnectionSet {
  const cache = new Map<ConnectionSet, ConnectionSet>();
  return (c) => {
    if (!c || c.isEmpty) return ConnectionSet.NONE;
    let shown = cache.get(c);
    if (!shown) cache.set(c, (shown = shownConnections(c, icmp)));
    return shown;
  };
}

/** Workloads (by np-guard name) whose pairs may differ, and in which role: see the module comment. */
function dirtyWorkloads(a: Snapshot, b: Snapshot): Dirt {
  const dirt: Dirt = new Map();
  const mark = (name: string, flags: number) => dirt.set(name, (dirt.get(name) ?? 0) | flags);
  const byName = (s: Snapshot) => new Map(s.workloads.map((w) => [w.displayName, w]));
  const wa = byName(a);
  const wb = byName(b);
  const nsChanged = new Map<string, boolean>();
  const namespaceChanged = (ns: string) => {
    let changed = nsChanged.get(ns);
    if (changed === undefined) nsChanged.set(ns, (changed = !sameNamespace(a.namespaces.get(ns), b.namespaces.get(ns))));
    return changed;
  };
  const both = AS_SOURCE | AS_DESTINATION;
  for (const [name, w] of wa) {
    const other = wb.get(name);
    if (!other || !sameWorkload(w, other) || namespaceChanged(w.namespace)) mark(name, both);
  }
  for (const name of wb.keys()) if (!wa.has(name)) mark(name, both);
  const policies = changedPolicies(a, b);
  const markSelected = (s: Snapshot) => {
    for (const p of s.policies) {
      if (!policies.has(policyKey(p))) continue;
      const flags = (p.egress.affects ? AS_SOURCE : 0) | (p.ingress.affects ? AS_DESTINATION : 0);
      if (flags === 0) continue;
      if (p.subjectNamespaces === null) {
        // A namespaced policy selects in its own namespace only: its workloads, not every workload.
        for (const w of workloadsIn(s, p.namespace)) if (p.podSelector.matches(w.labels)) mark(w.displayName, flags);
        continue;
      }
      const selects = p.subjectNamespaces;
      for (const w of s.workloads) if (selects.matches(s.namespaces.get(w.namespace)?.labels ?? {}) && p.podSelector.matches(w.labels)) mark(w.displayName, flags);
    }
  };
  markSelected(a);
  markSelected(b);
  return dirt;
}

function sameOptions(a: Snapshot, b: Snapshot): boolean {
  return a.options.ipBlockMatchesPods === b.options.ipBlockMatchesPods && a.options.hostNetwork === b.options.hostNetwork;
}

// Per workload object: a diff names every workload of both sides (twice for the old side), and a diff with
// causes diffs the same analyses again. Peers are never mutated.
const peers = new WeakMap<Workload, WorkloadPeer>();

function peerOf(w: Workload): WorkloadPeer {
  let out = peers.get(w);
  if (out) return out;
  const peer = workloadPeer(w.namespace, w.name, w.kind);
  out = peer.key === w.displayName ? peer : { ...peer, key: w.displayName };
  peers.set(w, out);
  return out;
}

function buildGroups(a: Analysis, b: Analysis, dirt: Dirt | undefined): Group[] {
  const groups = new Map<string, Group>();
  const entries = new Map<string, { oldClass: number; newClass: number; wa?: Workload; wb?: Workload }>();
  for (const w of a.snapshot.workloads) entries.set(w.displayName, { oldClass: a.workloadClass[w.id], newClass: -1, wa: w });
  for (const w of b.snapshot.workloads) {
    const seen = entries.get(w.displayName);
    entries.set(w.displayName, { oldClass: seen?.oldClass ?? -1, newClass: b.workloadClass[w.id], wa: seen?.wa, wb: w });
  }
  for (const [name, e] of entries) {
    const key = `${e.oldClass}:${e.newClass}`;
    let g = groups.get(key);
    if (!g) {
      g = { oldClass: e.oldClass, newClass: e.newClass, peers: [], oldWorkload: e.wa, newWorkload: e.wb, asSource: false, asDestination: false };
      groups.set(key, g);
    }
    g.peers.push(peerOf((e.wa ?? e.wb)!));
    const flags = dirt ? (dirt.get(name) ?? 0) : AS_SOURCE | AS_DESTINATION;
    if (flags & AS_SOURCE) g.asSource = true;
    if (flags & AS_DESTINATION) g.asDestination = true;
  }
  return [...groups.values()];
}

function atomPieces(
  atoms: readonly IpAtom[],
  family: IpFamily,
  lookup: (atom: number) => ConnectionSet,
  shown: (c: ConnectionSet) => ConnectionSet,
): IpPiece[] {
  const out: IpPiece[] = [];
  atoms.forEach((atom, i) => {
    if (atom.family !== family) return;
    const conn = shown(lookup(i));
    if (!conn.isEmpty) out.push({ first: atom.first, last: atom.last, conn });
  });
  return out;
}

function atomRanges(atoms: readonly IpAtom[]): Map<string, IpRange> {
  const out = new Map<string, IpRange>();
  for (const a of atoms) {
    const range: IpRange = { family: a.family, first: a.first, last: a.last };
    out.set(rangeKey(range), range);
  }
  return out;
}

export function diffAnalyses(a: Analysis, b: Analysis, options: AnalysisDiffOptions = {}): ConnectivityDiff {
  const exhaustive = options.exhaustive || !sameOptions(a.snapshot, b.snapshot);
  const groups = buildGroups(a, b, exhaustive ? undefined : dirtyWorkloads(a.snapshot, b.snapshot));
  const icmp = showsIcmp(a.snapshot) || showsIcmp(b.snapshot);
  const shown = shownCache(icmp);
  const ctx: DiffContext = {
    oldWorkloads: new Set(a.snapshot.workloads.map((w) => w.displayName)),
    newWorkloads: new Set(b.snapshot.workloads.map((w) => w.displayName)),
  };
  const out: PairChange[] = [];

  const comparePair = (g1: Group, g2: Group) => {
    const before = g1.oldClass >= 0 && g2.oldClass >= 0 ? a.classToClass(g1.oldClass, g2.oldClass) : undefined;
    const after = g1.newClass >= 0 && g2.newClass >= 0 ? b.classToClass(g1.newClass, g2.newClass) : undefined;
    if ((before?.key ?? NO_KEY) === (after?.key ?? NO_KEY)) return; // the common case: cached canonical keys
    const oldConn = shown(before);
    const newConn = shown(after);
    const type = classify(oldConn, newConn);
    if (!type) return;
    const gained = newConn.subtract(oldConn);
    const lost = oldConn.subtract(newConn);
    const other = type === 'added' ? ctx.oldWorkloads : type === 'removed' ? ctx.newWorkloads : undefined;
    for (const src of g1.peers) {
      for (const dst of g2.peers) {
        if (src.key === dst.key) continue; // np-guard never lists a workload to itself
        const oneSided = other ? [src, dst].filter((p) => !other.has(p.key)).map((p) => p.key) : [];
        out.push({ type, src, dst, old: oldConn, new: newConn, gained, lost, workloadsOnlyInOneSide: oneSided });
      }
    }
  };
  const dirtyDestinations = groups.filter((g) => g.asDestination);
  for (const g1 of groups) {
    if (g1.asSource) for (const g2 of groups) comparePair(g1, g2);
    else for (const g2 of dirtyDestinations) comparePair(g1, g2);
  }

  const families: IpFamily[] = [4, 6];
  const v6 = { old: hasIpv6Atoms(a), new: hasIpv6Atoms(b) };
  // One side's pieces for a group: its atoms, or the whole IPv6 space when that side cut no IPv6 atoms.
  const piecesOf = (side: 'old' | 'new', g: Group, family: IpFamily, direction: Direction): IpPiece[] => {
    const analysis = side === 'old' ? a : b;
    const cls = side === 'old' ? g.oldClass : g.newClass;
    const workload = side === 'old' ? g.oldWorkload : g.newWorkload;
    if (cls < 0 || !workload) return [];
    if (family === 6 && !v6[side]) {
      if (!v6.old && !v6.new) return [];
      const conn = shown(wholeIpv6Conn(analysis, workload, direction));
      return conn.isEmpty ? [] : [{ first: 0n, last: (1n << 128n) - 1n, conn }];
    }
    return direction === 'from-ip'
      ? atomPieces(analysis.srcAtoms, family, (i) => analysis.atomToClass(i, cls), shown)
      : atomPieces(analysis.dstAtoms, family, (i) => analysis.classToAtom(cls, i), shown);
  };
  for (const g of groups) {
    // IP → workload depends on the workload's ingress only; workload → IP on its egress only
    const directions = [...(g.asDestination ? ['from-ip' as const] : []), ...(g.asSource ? ['to-ip' as const] : [])];
    if (directions.length === 0) continue;
    for (const family of families) {
      const sides: [Direction, IpPiece[], IpPiece[]][] = directions.map((direction) => [
        direction,
        piecesOf('old', g, family, direction),
        piecesOf('new', g, family, direction),
      ]);
      for (const [direction, oldPieces, newPieces] of sides) {
        const segments = diffIpPieces(oldPieces, newPieces);
        if (segments.length === 0) continue;
        for (const peer of g.peers) emitIpChanges(segments, peer, direction, family, ctx, out);
      }
    }
  }

  const peersOf = (s: Snapshot) => s.workloads.map(peerOf);
  const diff = assembleDiff(out, peersOf(a.snapshot), peersOf(b.snapshot), ctx, {
    sources: recut(atomRanges(a.srcAtoms), atomRanges(b.srcAtoms)),
    destinations: recut(atomRanges(a.dstAtoms), atomRanges(b.dstAtoms)),
  });
  return icmp ? { ...diff, showsIcmp: true } : diff;
}
