// A probe plan (PCI-DSS 11.4.5 segmentation testing; the brief: "always test that blocked traffic is actually
// blocked"): positive probes chosen greedily until every rule that allows traffic in the scope is exercised,
// negative probes one per isolation boundary (each isolated direction of each workload in the scope).
import { ConnectionSet, type Protocol } from '../algebra/connection-set.js';
import type { ExplainClass, Peer, PolicyModel, RuleModel, RuleReason } from '../compliance/engine-api.js';
import type { Analysis } from '../compliance/engine-api.js';
import { allowingRules, iterateEntityPairFlows, ruleLabels, type EntityPairFlow, type Flow } from '../intents/flows.js';
import { ipEndpoint, peerMatches, policiesApplying, workloadEndpoint, type Endpoint } from '../analysis/trace.js';
import type { SegmentationIntents } from '../intents/types.js';
import { ZoneMap } from '../intents/zones.js';
import { formatIp } from '../algebra/ip-set.js';
import { isEgressIsolated, isIngressIsolated } from '../lint/query.js';
import type { Workload } from '../compliance/engine-api.js';

export interface ProbeEnd {
  /** Peer name as in `list` (`ns/name[Kind]` or `first-last[External]`). */
  readonly name: string;
  readonly namespace?: string;
  /** `k=v,k=v`: finds a running pod of the workload. */
  readonly selector?: string;
  /** For an IP end: the address probed. */
  readonly ip?: string;
}

export interface Probe {
  readonly id: string;
  /** dns: a name lookup from the source (`nslookup`), expected to work when it reaches the cluster DNS on UDP 53. */
  readonly kind: 'positive' | 'negative' | 'dns';
  readonly from: ProbeEnd;
  readonly to: ProbeEnd;
  readonly protocol: Protocol;
  readonly port: number;
  readonly expected: 'connect' | 'blocked';
  /** Allowed rules (`namespace/policy spec.egress[1]`) this probe exercises. */
  readonly rules: readonly string[];
  /** Isolation boundaries (`ingress of ns/name[Kind]`) this probe tests. */
  readonly boundaries: readonly string[];
  readonly reason: string;
}

export interface ProbePlan {
  readonly scope: string;
  readonly probes: readonly Probe[];
  readonly coverage: {
    readonly rules: { readonly covered: number; readonly total: number };
    readonly boundaries: { readonly covered: number; readonly total: number; readonly uncovered: readonly string[] };
  };
}

export interface ProbePlanOptions {
  /** Only workloads of this zone (from `intents`); all workloads when absent. */
  readonly zone?: string;
  readonly intents?: SegmentationIntents;
  /** The snapshot's allowed flows, when the caller already computed them. */
  readonly flows?: readonly Flow[];
}

const PREFERRED_EXTERNAL = ['1.1.1.1', '8.8.8.8', '9.9.9.9'];

function selectorOf(w: Workload): string {
  return Object.entries(w.labels)
    .filter(([k]) => k !== 'pod-template-hash' && k !== 'controller-revision-hash' && k !== 'statefulset.kubernetes.io/pod-name')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

function workloadEnd(w: Workload): ProbeEnd {
  return { name: w.displayName, namespace: w.namespace, selector: selectorOf(w) };
}

function ipToV4(text: string): bigint {
  return text.split('.').reduce((acc, part) => (acc << 8n) + BigInt(Number(part)), 0n);
}

/** An address of an IP peer worth probing: a well-known public resolver when the range holds one. */
function probeAddress(peer: Extract<Peer, { type: 'ip' }>): string {
  if (peer.family === 4) {
    for (const text of PREFERRED_EXTERNAL) {
      const v = ipToV4(text);
      if (v >= peer.first && v <= peer.last) return text;
    }
  }
  const value = peer.last > peer.first ? peer.first + 1n : peer.first;
  return formatIp(peer.family, value);
}

function peerEnd(peer: Peer): ProbeEnd {
  if (peer.type === 'ip') return { name: peer.name, ip: probeAddress(peer) };
  return workloadEnd(peer.workload);
}

/** A port of `conn` to probe: a container port of the destination when one is allowed, else the lowest port. */
function pickPort(conn: ConnectionSet, dst: Peer): { protocol: Protocol; port: number } | undefined {
  if (dst.type !== 'ip') {
    for (const p of dst.workload.ports) if (conn.contains(p.protocol, p.port)) return { protocol: p.protocol, port: p.port };
  }
  for (const protocol of ['TCP', 'UDP', 'SCTP'] as const) {
    const ranges = conn.ports(protocol).ranges();
    if (ranges.length > 0) {
      // "All ports": probe a common one rather than port 1.
      const common = [443, 80, 53, 8080].find((p) => conn.contains(protocol, p));
      return { protocol, port: common ?? ranges[0].from };
    }
  }
  return undefined;
}

interface Candidate {
  readonly flow: EntityPairFlow;
  readonly protocol: Protocol;
  readonly port: number;
  readonly rules: readonly string[];
}

export function probePlan(analysis: Analysis, options: ProbePlanOptions = {}): ProbePlan {
  const snapshot = analysis.snapshot;
  const zones = options.intents ? new ZoneMap(snapshot, options.intents) : undefined;
  const inScope = (w: Workload) => !options.zone || !zones || zones.zoneOf(clusterPeer(analysis, w)) === options.zone;
  const scoped = snapshot.workloads.filter(inScope);
  const scopedIds = new Set(scoped.map((w) => w.id));
  const touches = (p: Peer) => p.type !== 'ip' && scopedIds.has(p.workload.id);

  // Positive probes: each allowed class of each flow touching the scope is a candidate; greedy set cover.
  const candidates: Candidate[] = [];
  // Only the first candidate of each rule set can be chosen: a later twin's gain is never larger and the cover takes
  // the first on ties. So a class is skipped when its allowing reasons were met before, before its port and rules
  // are worked out; and a pair is not explained at all when it can only repeat single rules already probed
  // (SingleRuleSides). One policy of N overlapping CIDR rules makes ~2N² classes of ~2N rule sets. Only the first
  // flow of each entity pair is looked at (iterateEntityPairFlows): the others repeat its classes, later.
  // A class's allowing reasons, egress then ingress, as two numbers: the ids of their texts, worked out once per
  // reason list (a side segment's, shared by the classes of its partition). No set of every class seen (it would
  // keep every explanation alive), and no text of every class to hash (a million at 50k pods). Id 0: no reason.
  const textIds = new Map<string, number>([['', 0]]);
  const reasonIds = new WeakMap<readonly RuleReason[], number>();
  const idOf = (reasons: readonly RuleReason[]) => {
    let id = reasonIds.get(reasons);
    if (id === undefined) {
      const text = reasons.filter(isAllowing).map(reasonText).join('');
      id = textIds.get(text);
      if (id === undefined) textIds.set(text, (id = textIds.size));
      reasonIds.set(reasons, id);
    }
    return id;
  };
  /** By egress id: the ingress ids met. */
  const seenReasons = new Map<number, Set<number>>();
  const singleRules = new SingleRuleSides(analysis);
  // One flow per entity pair (class or IP atom at each end), the first of its pairs: its twins repeat its classes.
  const flows: Iterable<EntityPairFlow> =
    options.flows?.filter((f) => touches(f.src) || touches(f.dst)) ??
    iterateEntityPairFlows(analysis, (w) => scopedIds.has(w.id), (src, dst) => !singleRules.repeatsOnly(src, dst));
  for (const flow of flows) {
    for (const cls of flow.classes) {
      const egressId = idOf(cls.egress.reasons);
      const ingressId = idOf(cls.ingress.reasons);
      if ((egressId === 0 && ingressId === 0) || seenReasons.get(egressId)?.has(ingressId)) continue;
      const reasons = allowingReasons(cls);
      const picked = pickPort(cls.ports, flow.dst);
      if (!picked) continue;
      // The rules allowing the class's ports of the picked protocol: the flow's classes are disjoint (a partition of
      // the pair's ports), so only this class holds any of them — asking the whole flow cost O(classes) per class,
      // quadratic with 1,000 single-port rules.
      const rules = ruleLabels(allowingRules({ ...flow, classes: [cls] }, ConnectionSet.single(picked.protocol, cls.ports.ports(picked.protocol))).rules);
      if (rules.length > 0) {
        candidates.push({ flow, ...picked, rules });
        let seen = seenReasons.get(egressId);
        if (!seen) seenReasons.set(egressId, (seen = new Set()));
        seen.add(ingressId);
        if (reasons.length === 1) singleRules.probed(reasons[0]);
      }
    }
  }
  const allRules = new Set(candidates.flatMap((c) => c.rules));
  const uncovered = new Set(allRules);
  const probes: Probe[] = [];
  for (const chosen of greedyRuleCover(candidates.map((c) => c.rules), uncovered)) {
    const best = candidates[chosen];
    probes.push({
      id: '',
      kind: 'positive',
      from: peerEnd(best.flow.src),
      to: peerEnd(best.flow.dst),
      protocol: best.protocol,
      port: best.port,
      expected: 'connect',
      rules: [...best.rules].sort(),
      boundaries: [],
      reason: `allowed by ${best.rules.join('; ')}`,
    });
  }

  // Negative probes: one per isolated direction of each scoped workload.
  const boundaries: string[] = [];
  const uncoveredBoundaries: string[] = [];
  // IP atoms an egress probe may target, in atom order: those whose probed address is a well-known resolver.
  const preferredAtoms = analysis.dstAtoms
    .map((a, atom) => ({ atom, end: peerEnd({ type: 'ip', name: `${a.text}[External]`, family: a.family, first: a.first, last: a.last, atom }) }))
    .filter(({ end }) => PREFERRED_EXTERNAL.includes(end.ip ?? ''));
  const others = [...snapshot.workloads].sort((a, b) => Number(scopedIds.has(a.id)) - Number(scopedIds.has(b.id)) || a.id - b.id);
  for (const w of scoped) {
    if (isIngressIsolated(analysis, w)) {
      const boundary = `ingress of ${w.displayName}`;
      boundaries.push(boundary);
      const ports = w.ports.length > 0 ? w.ports : [{ protocol: 'TCP' as Protocol, port: 80 }];
      let found: Probe | undefined;
      for (const src of others) {
        if (src.id === w.id) continue;
        const conn = analysis.classToClass(analysis.workloadClass[src.id], analysis.workloadClass[w.id]);
        const port = ports.find((p) => !conn.contains(p.protocol, p.port));
        if (!port) continue;
        found = negative(workloadEnd(src), workloadEnd(w), port.protocol, port.port, boundary, `${src.displayName} may not reach ${w.displayName} on ${port.protocol} ${port.port}`);
        break;
      }
      if (found) probes.push(found);
      else uncoveredBoundaries.push(boundary);
    }
    if (isEgressIsolated(analysis, w)) {
      const boundary = `egress of ${w.displayName}`;
      boundaries.push(boundary);
      const cls = analysis.workloadClass[w.id];
      let found: Probe | undefined;
      // The internet first (the usual exfiltration path), then other workloads' served ports.
      for (const { atom, end } of preferredAtoms) {
        if (analysis.classToAtom(cls, atom).contains('TCP', 443)) continue;
        found = negative(workloadEnd(w), end, 'TCP', 443, boundary, `${w.displayName} may not reach ${end.ip} on TCP 443`);
        break;
      }
      for (const dst of found ? [] : others) {
        if (dst.id === w.id) continue;
        const conn = analysis.classToClass(cls, analysis.workloadClass[dst.id]);
        const port = dst.ports.find((p) => !conn.contains(p.protocol, p.port));
        if (!port) continue;
        found = negative(workloadEnd(w), workloadEnd(dst), port.protocol, port.port, boundary, `${w.displayName} may not reach ${dst.displayName} on ${port.protocol} ${port.port}`);
        break;
      }
      if (found) probes.push(found);
      else uncoveredBoundaries.push(boundary);
    }
  }
  // DNS checks: every egress-isolated workload of the scope, against the cluster DNS pods.
  const dns = snapshot.workloads.filter((w) => w.namespace === 'kube-system' && ['kube-dns', 'coredns'].includes(w.labels['k8s-app'] ?? ''));
  if (dns.length > 0) {
    for (const w of scoped) {
      if (!isEgressIsolated(analysis, w) || dns.includes(w)) continue;
      const reaches = dns.some((d) => analysis.classToClass(analysis.workloadClass[w.id], analysis.workloadClass[d.id]).contains('UDP', 53));
      probes.push({
        id: '',
        kind: 'dns',
        from: workloadEnd(w),
        to: { ...workloadEnd(dns[0]), name: 'cluster DNS' },
        protocol: 'UDP',
        port: 53,
        expected: reaches ? 'connect' : 'blocked',
        rules: [],
        boundaries: [],
        reason: reaches ? `${w.displayName} resolves names through ${dns[0].displayName}` : `${w.displayName} cannot reach the cluster DNS (lint: dns-unreachable)`,
      });
    }
  }
  const numbered = probes.map((p, i) => ({ ...p, id: `P${String(i + 1).padStart(2, '0')}` }));
  return {
    scope: options.zone ? `zone ${options.zone}` : 'all workloads',
    probes: numbered,
    coverage: {
      rules: { covered: allRules.size - uncovered.size, total: allRules.size },
      boundaries: { covered: boundaries.length - uncoveredBoundaries.length, total: boundaries.length, uncovered: uncoveredBoundaries },
    },
  };
}

/**
 * Greedy set cover of the `uncovered` rules (emptied of those covered): the indices of the chosen candidates, in
 * order; each time the candidate covering the most uncovered rules, the first in candidate order on ties, until no
 * candidate covers one more. Lazy: a gain only shrinks as rules get covered, so a candidate's last computed gain
 * bounds its current one and only the heap's top is recomputed (a scan of every candidate per probe took 37 s at
 * 10k pods).
 */
export function greedyRuleCover(candidates: readonly (readonly string[])[], uncovered: Set<string>): number[] {
  const gainOf = (rules: readonly string[]) => {
    let gain = 0;
    for (const r of rules) if (uncovered.has(r)) gain++;
    return gain;
  };
  const chosen: number[] = [];
  const heap = new CandidateHeap(candidates.map(gainOf));
  while (uncovered.size > 0 && heap.size > 0) {
    const top = heap.top();
    const gain = gainOf(candidates[top]);
    if (gain === 0) heap.pop();
    else if (gain < heap.gainOf(top)) heap.lower(gain);
    else {
      heap.pop();
      for (const r of candidates[top]) uncovered.delete(r);
      chosen.push(top);
    }
  }
  return chosen;
}

/** The reasons of a class that `allowingRules` reads (an allowing rule with its path), egress first. */
function allowingReasons(cls: ExplainClass): RuleReason[] {
  const out: RuleReason[] = [];
  for (const reasons of [cls.egress.reasons, cls.ingress.reasons]) for (const r of reasons) if (isAllowing(r)) out.push(r);
  return out;
}

function isAllowing(r: RuleReason): boolean {
  return r.verdict === 'allows' && !!r.path;
}

/** What `allowingRules` makes of a reason (direction, policy, rule path): equal texts, equal rules. */
function reasonText(r: RuleReason): string {
  return `${r.direction}\u0000${r.policyId ?? ''}\u0000${r.kind}\u0000${r.policy}\u0000${r.path}\u0001`;
}

/**
 * Pairs of an IP end and a workload whose side (the workload's ingress from it, or egress to it) one Kubernetes
 * NetworkPolicy decides alone: each allowed port of such a side is explained by exactly one rule of that policy, a
 * rule whose peers match the IP end (the first such rule listing the port), and the IP end's side adds no reason.
 * Once every matching rule has been probed as a candidate of that rule alone, the pair can only repeat candidates
 * and is not explained. Each check walks the policy's rules not yet probed (dropped as they get probed), not the
 * pair's classes: N overlapping CIDR rules, one per port, are probed on the first IP atoms, and each other atom
 * then costs the rules left.
 */
class SingleRuleSides {
  private readonly probedRules = new Set<string>();
  /** By direction (0 egress, 1 ingress), then workload id: the policy deciding alone (null: none does). */
  private readonly sole = [new Map<number, PolicyModel | null>(), new Map<number, PolicyModel | null>()];
  /** By direction, then policy id: its rules not probed yet (pruned as they are). */
  private readonly unprobed = [new Map<number, RuleModel[]>(), new Map<number, RuleModel[]>()];
  private readonly endpoints = new Map<number, Endpoint>();

  constructor(private readonly analysis: Analysis) {}

  probed(reason: RuleReason): void {
    if (reason.policyId !== undefined && reason.rule !== undefined) this.probedRules.add(`${reason.direction}:${reason.policyId}:${reason.rule}`);
  }

  repeatsOnly(src: Peer, dst: Peer): boolean {
    if (src.type === 'ip' === (dst.type === 'ip')) return false;
    const direction = src.type === 'ip' ? 'ingress' : 'egress';
    const subject = src.type === 'ip' ? dst : src;
    const other = src.type === 'ip' ? src : dst;
    if (subject.type !== 'workload' || other.type !== 'ip') return false;
    const d = direction === 'egress' ? 0 : 1;
    const subjectEndpoint = this.endpointOf(subject.workload);
    let policy = this.sole[d].get(subject.workload.id);
    if (policy === undefined) {
      const applying = policiesApplying(this.analysis.snapshot, direction, subjectEndpoint);
      const only = applying.length === 1 ? applying[0] : undefined;
      const allowOnly =
        only !== undefined &&
        only.apiVersion === 'networking.k8s.io/v1' &&
        only.kind === 'NetworkPolicy' &&
        only.tier.endOfTier === 'deny-selected' &&
        only[direction].rules.every((r) => r.action === 'allow');
      this.sole[d].set(subject.workload.id, (policy = allowOnly ? only : null));
    }
    if (policy === null) return false;
    let rules = this.unprobed[d].get(policy.id);
    if (!rules) this.unprobed[d].set(policy.id, (rules = [...policy[direction].rules]));
    const pending = rules.filter((r) => !this.probedRules.has(`${direction}:${policy.id}:${r.index}`));
    this.unprobed[d].set(policy.id, pending);
    const otherEndpoint = ipEndpoint(other.family, other.first, other.last, other.name);
    const snapshot = this.analysis.snapshot;
    return !pending.some((r) => r.peers === null || r.peers.some((peer) => peerMatches(snapshot, policy, peer, otherEndpoint, subjectEndpoint)));
  }

  private endpointOf(w: Workload): Extract<Endpoint, { type: 'pod' }> {
    let endpoint = this.endpoints.get(w.id);
    if (!endpoint) this.endpoints.set(w.id, (endpoint = workloadEndpoint(w)));
    if (endpoint.type !== 'pod') throw new Error('unreachable: a workload is a pod end');
    return endpoint;
  }
}

function negative(from: ProbeEnd, to: ProbeEnd, protocol: Protocol, port: number, boundary: string, reason: string): Probe {
  return { id: '', kind: 'negative', from, to, protocol, port, expected: 'blocked', rules: [], boundaries: [boundary], reason };
}

function clusterPeer(analysis: Analysis, w: Workload): Peer {
  return { type: 'workload', name: w.displayName, workload: w, classId: analysis.workloadClass[w.id] };
}


/** Candidate indices ordered by gain (largest first), then index (smallest first): a binary max-heap. */
class CandidateHeap {
  private readonly order: number[];
  constructor(private readonly gains: number[]) {
    this.order = gains.map((_, i) => i);
    for (let i = (this.order.length >> 1) - 1; i >= 0; i--) this.down(i);
  }
  get size(): number {
    return this.order.length;
  }
  top(): number {
    return this.order[0];
  }
  gainOf(candidate: number): number {
    return this.gains[candidate];
  }
  pop(): void {
    const last = this.order.pop()!;
    if (this.order.length > 0) {
      this.order[0] = last;
      this.down(0);
    }
  }
  /** The top's gain went down to `gain`: it sinks to its place. */
  lower(gain: number): void {
    this.gains[this.order[0]] = gain;
    this.down(0);
  }
  private before(a: number, b: number): boolean {
    return this.gains[a] > this.gains[b] || (this.gains[a] === this.gains[b] && a < b);
  }
  private down(i: number): void {
    const order = this.order;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= order.length) return;
      const right = left + 1;
      const child = right < order.length && this.before(order[right], order[left]) ? right : left;
      if (!this.before(order[child], order[i])) return;
      [order[i], order[child]] = [order[child], order[i]];
      i = child;
    }
  }
}
