// Every ordered pair of distinct peers (workloads or pods, and IP atoms as in `list`), with its ports grouped
// into explanation classes. Side partitions are cached per (identity class, other end's class or atom): the
// trace of a side depends on nothing else, so work grows with classes, not with peers.
import type { IpFamily } from '../algebra/ip-set.js';
import { atomPeers, clusterPeers, type Granularity, type Peer } from '../analysis/connectivity.js';
import { ipEndpoint, podEndpoint, policiesApplying, sideSignature, traceSide, workloadEndpoint, type Endpoint } from '../analysis/trace.js';
import type { Analysis } from '../analysis/types.js';
import type { PolicyModel } from '../model/types.js';
import { SYSTEM_DEFAULT_PARTITION, sidePartition } from './side.js';
import type { DirectionSegment, ExplainClass, ExplainedPair } from './types.js';

export interface ExplainPairsOptions {
  readonly granularity?: Granularity;
  /** IP families whose atoms are peers. Default [4]: np-guard's txt output leaves IPv6 ranges out. */
  readonly ipFamilies?: readonly IpFamily[];
}

/** Classes of one pair: every non-empty intersection of an egress segment with an ingress segment. */
export function pairClasses(egress: readonly DirectionSegment[], ingress: readonly DirectionSegment[]): ExplainClass[] {
  const out: ExplainClass[] = [];
  for (const e of egress) {
    for (const i of ingress) {
      const ports = e.ports.intersect(i.ports);
      if (ports.isEmpty) continue;
      out.push({ ports, allowed: e.allowed && i.allowed, egress: verdictOf(e), ingress: verdictOf(i) });
    }
  }
  return out;
}

function verdictOf(s: DirectionSegment) {
  return { allowed: s.allowed, systemDefault: s.systemDefault, reasons: s.reasons };
}

export function isDefaultOnly(egress: readonly DirectionSegment[], ingress: readonly DirectionSegment[]): boolean {
  return egress === SYSTEM_DEFAULT_PARTITION && ingress === SYSTEM_DEFAULT_PARTITION;
}

/** Every pair in output order: by source name, then destination name (byte order). Self pairs and IP-to-IP
 *  pairs are left out. */
export function* iterateExplainedPairs(analysis: Analysis, options: ExplainPairsOptions = {}): Generator<ExplainedPair> {
  const { sources, destinations } = explainedPeers(analysis, options);
  const explainer = new PairExplainer(analysis);
  for (const src of sources) {
    for (const dst of destinations) {
      if (isExplainedPair(src, dst)) yield explainer.explain(src, dst);
    }
  }
}

/** The sources and destinations of `iterateExplainedPairs`, each sorted by name. */
export function explainedPeers(analysis: Analysis, options: ExplainPairsOptions = {}): { sources: Peer[]; destinations: Peer[] } {
  const families = options.ipFamilies ?? [4];
  const peers = clusterPeers(analysis, options.granularity ?? 'workload');
  const keepFamily = (p: Peer) => p.type !== 'ip' || families.includes(p.family);
  return {
    sources: [...peers, ...atomPeers(analysis.srcAtoms).filter(keepFamily)].sort(byName),
    destinations: [...peers, ...atomPeers(analysis.dstAtoms).filter(keepFamily)].sort(byName),
  };
}

/** Self pairs and IP-to-IP pairs are not explained. */
export function isExplainedPair(src: Peer, dst: Peer): boolean {
  return src !== dst && (src.type !== 'ip' || dst.type !== 'ip');
}

/** Entries of `PairExplainer`'s caches before they are dropped: side partitions per (class, other end) (a map entry
 *  each; 0: not kept, for callers that explain each such pair once), class lists (a few hundred bytes each), and
 *  partitions by side signature (a few kB each). */
export interface PairCacheLimits {
  readonly partitions: number;
  readonly classes: number;
  readonly signatures?: number;
}

const PAIR_CACHE_LIMITS: PairCacheLimits = { partitions: 1 << 20, classes: 1 << 18 };

/** Explains pairs one at a time, caching side partitions (see iterateExplainedPairs). */
export class PairExplainer {
  private readonly endpoints = new Map<Peer, Endpoint>();
  /** By direction (0 egress, 1 ingress), subject class, then the other end (class 2c, IP atom 2a + 1): numeric keys,
   *  since these lookups run once per pair. */
  private readonly partitions = [new Map<number, Map<number, readonly DirectionSegment[]>>(), new Map<number, Map<number, readonly DirectionSegment[]>>()];
  private readonly partitionIds = new Map<readonly DirectionSegment[], number>([[SYSTEM_DEFAULT_PARTITION, 0]]);
  /** By egress partition id, then ingress partition id. */
  private readonly classes = new Map<number, Map<number, readonly ExplainClass[]>>();
  /** Per direction and subject peer: the policies applying to it, and an id of that list. */
  private readonly applying = [new Map<Peer, { policies: readonly PolicyModel[]; id: number }>(), new Map<Peer, { policies: readonly PolicyModel[]; id: number }>()];
  private readonly policyListIds = new Map<string, number>();
  /** Partitions by (direction, applying policies, side signature): most other ends match the same rule peers,
   *  so far fewer traces are built than (subject class, other class) pairs. */
  private readonly bySignature = new Map<string, readonly DirectionSegment[]>();

  /** Entries in `partitions` / `classes`. Both grow with (class, other end) pairs — at 50k pods hundreds of millions —
   *  while pairs are explained source by source: past a limit they are dropped and rebuilt from `bySignature`, so
   *  memory stays bounded whatever the cluster's size. */
  private partitionEntries = 0;
  private classEntries = 0;

  constructor(
    private readonly analysis: Analysis,
    private readonly cacheLimits: PairCacheLimits = PAIR_CACHE_LIMITS,
  ) {}

  explain(src: Peer, dst: Peer): ExplainedPair {
    const egress = src.type === 'ip' ? SYSTEM_DEFAULT_PARTITION : this.side('egress', src, dst);
    const ingress = dst.type === 'ip' ? SYSTEM_DEFAULT_PARTITION : this.side('ingress', dst, src);
    return { src: src.name, dst: dst.name, defaultOnly: isDefaultOnly(egress, ingress), classes: this.classesOf(egress, ingress) };
  }

  /** Whether only the system default decides the pair (`explain(src, dst).defaultOnly`, without its classes). */
  isDefaultOnly(src: Peer, dst: Peer): boolean {
    const egress = src.type === 'ip' ? SYSTEM_DEFAULT_PARTITION : this.side('egress', src, dst);
    if (egress !== SYSTEM_DEFAULT_PARTITION) return false;
    return (dst.type === 'ip' ? SYSTEM_DEFAULT_PARTITION : this.side('ingress', dst, src)) === SYSTEM_DEFAULT_PARTITION;
  }

  private classesOf(egress: readonly DirectionSegment[], ingress: readonly DirectionSegment[]): readonly ExplainClass[] {
    const egressId = this.partitionId(egress);
    let byIngress = this.classes.get(egressId);
    if (!byIngress) this.classes.set(egressId, (byIngress = new Map()));
    const ingressId = this.partitionId(ingress);
    let classes = byIngress.get(ingressId);
    if (!classes) {
      classes = pairClasses(egress, ingress);
      if (++this.classEntries > this.cacheLimits.classes) {
        this.classes.clear();
        this.classEntries = 1;
        this.classes.set(egressId, (byIngress = new Map()));
      }
      byIngress.set(ingressId, classes);
    }
    return classes;
  }

  private side(direction: 'egress' | 'ingress', subject: Peer, other: Peer): readonly DirectionSegment[] {
    if (subject.type === 'ip') return SYSTEM_DEFAULT_PARTITION;
    if (this.cacheLimits.partitions === 0) return this.tracedSide(direction, subject, other);
    const bySubject = this.partitions[direction === 'egress' ? 0 : 1];
    let byOther = bySubject.get(subject.classId);
    if (!byOther) bySubject.set(subject.classId, (byOther = new Map()));
    const otherKey = other.type === 'ip' ? other.atom * 2 + 1 : other.classId * 2;
    let partition = byOther.get(otherKey);
    if (!partition) {
      partition = this.tracedSide(direction, subject, other);
      if (++this.partitionEntries > this.cacheLimits.partitions) {
        for (const map of this.partitions) map.clear();
        this.partitionEntries = 1;
        bySubject.set(subject.classId, (byOther = new Map()));
      }
      byOther.set(otherKey, partition);
    }
    return partition;
  }

  /** The side's partition by its signature: traced once per signature (the cache dropped past its limit, with the
   *  partition ids and class lists that name its partitions). */
  private tracedSide(direction: 'egress' | 'ingress', subject: Peer, other: Peer): readonly DirectionSegment[] {
    const subjectEndpoint = this.endpoint(subject);
    if (subjectEndpoint.type !== 'pod') throw new Error('unreachable: a pod subject');
    const otherEndpoint = this.endpoint(other);
    const applying = this.applyingTo(direction, subject, subjectEndpoint);
    const signature = `${direction}:${applying.id}:${sideSignature(this.analysis.snapshot, direction, applying.policies, subjectEndpoint, otherEndpoint)}`;
    let partition = this.bySignature.get(signature);
    if (!partition) {
      partition = sidePartition(traceSide(this.analysis.snapshot, direction, subjectEndpoint, otherEndpoint, applying.policies));
      if (this.bySignature.size >= (this.cacheLimits.signatures ?? Infinity)) {
        this.bySignature.clear();
        this.partitionIds.clear();
        this.partitionIds.set(SYSTEM_DEFAULT_PARTITION, 0);
        this.classes.clear();
        this.classEntries = 0;
        for (const map of this.partitions) map.clear();
        this.partitionEntries = 0;
      }
      this.bySignature.set(signature, partition);
    }
    return partition;
  }

  private applyingTo(direction: 'egress' | 'ingress', subject: Peer, endpoint: Extract<Endpoint, { type: 'pod' }>): { policies: readonly PolicyModel[]; id: number } {
    const bySubject = this.applying[direction === 'egress' ? 0 : 1];
    let found = bySubject.get(subject);
    if (!found) {
      const policies = policiesApplying(this.analysis.snapshot, direction, endpoint);
      // The list's id stands for the exact applying set, in order (policy ids are their index in the snapshot).
      const listKey = policies.map((p) => p.id).join(',');
      let id = this.policyListIds.get(listKey);
      if (id === undefined) this.policyListIds.set(listKey, (id = this.policyListIds.size));
      found = { policies, id };
      bySubject.set(subject, found);
    }
    return found;
  }

  private partitionId(partition: readonly DirectionSegment[]): number {
    let id = this.partitionIds.get(partition);
    if (id === undefined) {
      id = this.partitionIds.size;
      this.partitionIds.set(partition, id);
    }
    return id;
  }

  private endpoint(peer: Peer): Endpoint {
    let endpoint = this.endpoints.get(peer);
    if (!endpoint) {
      endpoint =
        peer.type === 'workload'
          ? workloadEndpoint(peer.workload)
          : peer.type === 'pod'
            ? podEndpoint(peer.pod, peer.name)
            : ipEndpoint(peer.family, peer.first, peer.last, peer.name);
      this.endpoints.set(peer, endpoint);
    }
    return endpoint;
  }
}

function byName(a: Peer, b: Peer): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
