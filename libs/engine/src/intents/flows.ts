// Every allowed connection of a snapshot (workloads and IP ranges, both families) with the policy rules that
// allow it on each side: the evidence rows of intents checks, reports and probe plans.
import { ConnectionSet } from '../algebra/connection-set.js';
import { atomPeers, clusterPeers, forEachBit, iterateConnectivity, PairExplainer, ReachCandidates, type Peer } from '../compliance/engine-api.js';
import type { Analysis } from '../compliance/engine-api.js';
import type { ExplainClass, RuleReason, Workload } from '../compliance/engine-api.js';
import { connString } from '../output/conn-string.js';
import type { PolicyModel } from '../model/types.js';

export interface AllowingRule {
  readonly direction: 'egress' | 'ingress';
  /** `namespace/name`. */
  readonly policy: string;
  /** The policy's kind and API group (`''` for the core group): with `policy`, which object the rule is in — a Calico
   *  and a Kubernetes NetworkPolicy may share a namespace/name. */
  readonly kind: string;
  readonly apiGroup: string;
  /** e.g. `spec.egress[1]`. */
  readonly rule: string;
}

export interface Flow {
  readonly src: Peer;
  readonly dst: Peer;
  readonly conn: ConnectionSet;
  /** The allowed port classes, each with its rules per direction. */
  readonly classes: readonly ExplainClass[];
  /** The snapshot's policies by id (`RuleReason.policyId`): the kind and API group of each allowing rule's policy. */
  readonly policies: readonly PolicyModel[];
}

/** Allowed connections, by source then destination name (workloads and IP atoms of both families). Only the
 *  pairs the analysis finds connected are explained: a pair has an allowed port class exactly when its
 *  analysed connection is non-empty, and at 2.5k workloads ~98% of the 6.6M ordered pairs have none, so
 *  explaining every pair cost ~40 s of a report where these few explain in well under a second. */
export function allowedFlows(analysis: Analysis): Flow[] {
  return [...iterateAllowedFlows(analysis)];
}

/** `allowedFlows` one at a time; `keep`, asked when the pair comes up (after the flows before it were taken): only
 *  the pairs it accepts are explained (a probe plan's zone, pairs it has nothing left to learn from). */
export function* iterateAllowedFlows(analysis: Analysis, keep?: (src: Peer, dst: Peer) => boolean): Generator<Flow> {
  const explainer = new PairExplainer(analysis);
  for (const { src, dst } of iterateConnectivity(analysis)) {
    if (keep && !keep(src, dst)) continue;
    const classes = explainer.explain(src, dst).classes.filter((c) => c.allowed);
    if (classes.length === 0) continue;
    // At once: a chain of pairwise unions grows quadratic with a flow's classes (2N of them under N overlapping CIDR rules).
    const conn = ConnectionSet.unionAll(classes.map((c) => c.ports));
    yield { src, dst, conn, classes, policies: analysis.snapshot.policies };
  }
}

/** One flow per pair of entities (identity class or IP atom) whose ports `explain` groups the same way. */
export interface EntityPairFlow {
  readonly src: Peer;
  readonly dst: Peer;
  /** The allowed port classes (as in `Flow.classes`). */
  readonly classes: readonly ExplainClass[];
  readonly policies: readonly PolicyModel[];
}

/**
 * The first flow of `iterateAllowedFlows` (by source name, then destination name) of every pair of entities — a
 * source identity class or source IP atom, a destination identity class or destination IP atom — among the flows
 * with a workload end that `touches` (every workload when omitted), in that flow order. Every pair of workloads of
 * one (source class, destination class), or of a workload of one class and one IP atom, is explained alike up to the
 * names (PairExplainer caches its sides by class), so these flows hold every explanation the whole list holds, and
 * each explanation first where the whole list has it first. Work and memory grow with connected entity pairs (one
 * number each), not with workload pairs. `keep`, as in `iterateAllowedFlows`, is asked when the pair comes up.
 *
 * The first flow of classes A → B, with S the workloads `touches` accepts: when B has a member in S, the first
 * member a of A, then the first member of B other than a if a is in S (B's second when A is B), else B's first in S;
 * when B has none, A's first member in S, then B's first. A class → atom pair starts at A's first member in S; an
 * atom → class pair ends at B's first member in S.
 */
export function* iterateEntityPairFlows(
  analysis: Analysis,
  touches: (w: Workload) => boolean = () => true,
  keep?: (src: Peer, dst: Peer) => boolean,
): Generator<EntityPairFlow> {
  const peers = clusterPeers(analysis);
  const sources = [...peers, ...atomPeers(analysis.srcAtoms)].sort(byName);
  const destinations = [...peers, ...atomPeers(analysis.dstAtoms)].sort(byName);
  const workloadCount = analysis.snapshot.workloads.length;
  const srcRank = new Int32Array(workloadCount);
  const dstRank = new Int32Array(workloadCount);
  const srcAtomRank = new Int32Array(analysis.srcAtoms.length);
  const dstAtomRank = new Int32Array(analysis.dstAtoms.length);
  sources.forEach((p, i) => (p.type === 'ip' ? (srcAtomRank[p.atom] = i) : (srcRank[p.workload.id] = i)));
  destinations.forEach((p, i) => (p.type === 'ip' ? (dstAtomRank[p.atom] = i) : (dstRank[p.workload.id] = i)));
  // Per class, workload ids in name order (peers are sorted by name): the first, the second, the first in S.
  const classCount = analysis.classes.length;
  const first = new Int32Array(classCount).fill(-1);
  const second = new Int32Array(classCount).fill(-1);
  const firstIn = new Int32Array(classCount).fill(-1);
  for (const p of peers) {
    if (p.type !== 'workload') continue;
    const c = p.classId;
    const id = p.workload.id;
    if (first[c] < 0) first[c] = id;
    else if (second[c] < 0) second[c] = id;
    if (firstIn[c] < 0 && touches(p.workload)) firstIn[c] = id;
  }
  const destinationCount = destinations.length;
  let keys = new Float64Array(1024);
  let count = 0;
  const push = (srcPosition: number, dstPosition: number) => {
    if (count === keys.length) {
      const grown = new Float64Array(keys.length * 2);
      grown.set(keys);
      keys = grown;
    }
    keys[count++] = srcPosition * destinationCount + dstPosition;
  };
  const candidates = new ReachCandidates(analysis);
  const open = new Uint32Array(candidates.words);
  for (let a = 0; a < classCount; a++) {
    if (first[a] < 0) continue;
    candidates.fromClass(a, open);
    forEachBit(open, (e) => {
      if (e < classCount) {
        const b = e;
        if (first[b] < 0) return;
        let s: number;
        let d: number;
        if (firstIn[b] >= 0) {
          s = first[a];
          d = firstIn[a] === s ? (a === b ? second[b] : first[b]) : firstIn[b];
        } else {
          s = firstIn[a];
          d = first[b];
        }
        if (s < 0 || d < 0 || analysis.classToClass(a, b).isEmpty) return;
        push(srcRank[s], dstRank[d]);
      } else {
        const atom = e - classCount;
        if (atom >= analysis.dstAtoms.length || firstIn[a] < 0 || analysis.classToAtom(a, atom).isEmpty) return;
        push(srcRank[firstIn[a]], dstAtomRank[atom]);
      }
    });
  }
  for (let atom = 0; atom < analysis.srcAtoms.length; atom++) {
    candidates.fromAtom(atom, open);
    forEachBit(open, (b) => {
      if (b >= classCount || firstIn[b] < 0 || analysis.atomToClass(atom, b).isEmpty) return;
      push(srcAtomRank[atom], dstRank[firstIn[b]]);
    });
  }
  const order = keys.subarray(0, count).sort();
  const explainer = new PairExplainer(analysis, ENTITY_PAIR_CACHE_LIMITS);
  for (const key of order) {
    const src = sources[Math.floor(key / destinationCount)];
    const dst = destinations[key % destinationCount];
    if (keep && !keep(src, dst)) continue;
    const classes = explainer.explain(src, dst).classes.filter((c) => c.allowed);
    if (classes.length > 0) yield { src, dst, classes, policies: analysis.snapshot.policies };
  }
}

/** Each entity pair is explained once, so the explainer's per-(class, other end) side cache would never be hit:
 *  not kept. Its partitions by side signature and class lists by partition pair serve every pair; bounded, so that
 *  memory does not grow with the cluster (at 50k pods: 41k signatures, 197k class lists, ~400 MB if all kept). */
const ENTITY_PAIR_CACHE_LIMITS = { partitions: 0, classes: 1 << 16, signatures: 1 << 14 };

function byName(a: Peer, b: Peer): number {
  return cmp(a.name, b.name);
}

/** The rules allowing some of `ports` (every port of the flow when omitted), per direction, de-duplicated and
 *  sorted; a direction no policy restricts has none (its `default` flag is set). */
export function allowingRules(flow: Pick<Flow, 'classes' | 'policies'>, ports?: ConnectionSet): { rules: AllowingRule[]; egressDefault: boolean; ingressDefault: boolean } {
  const rules = new Map<string, AllowingRule>();
  let egressDefault = false;
  let ingressDefault = false;
  for (const c of flow.classes) {
    if (ports && c.ports.intersect(ports).isEmpty) continue;
    if (c.egress.systemDefault) egressDefault = true;
    if (c.ingress.systemDefault) ingressDefault = true;
    for (const reason of [...c.egress.reasons, ...c.ingress.reasons]) {
      if (reason.verdict !== 'allows' || !reason.path) continue;
      const rule = toRule(reason, flow.policies);
      // By kind + API group + namespace/name: two policies of one name (Calico's and Kubernetes' NetworkPolicy) stay two.
      rules.set(`${rule.direction}|${rule.policy}|${rule.kind}|${rule.apiGroup}|${rule.rule}`, rule);
    }
  }
  const sorted = [...rules.values()].sort(
    (a, b) => cmp(a.direction, b.direction) || cmp(a.policy, b.policy) || cmp(a.kind, b.kind) || cmp(a.apiGroup, b.apiGroup) || cmp(a.rule, b.rule),
  );
  return { rules: sorted, egressDefault, ingressDefault };
}

function toRule(reason: RuleReason, policies: readonly PolicyModel[]): AllowingRule {
  const policy = reason.policyId !== undefined ? policies[reason.policyId] : undefined;
  const apiVersion = policy?.apiVersion ?? '';
  const apiGroup = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  // The policy's own kind: the reason's is the explanation text's (`NetworkPolicy.projectcalico.org` for Calico's).
  return { direction: reason.direction, policy: reason.policy, kind: policy?.kind ?? reason.kind, apiGroup, rule: reason.path ?? '' };
}

/** `production/backend-egress spec.egress[3]` per rule; a policy name that two objects share among `rules` is
 *  qualified by kind and API group (`NetworkPolicy.projectcalico.org shop/web spec.ingress[0]`), so that the text
 *  tells them apart and stays as it was wherever names are unique. */
export function ruleLabels(rules: readonly AllowingRule[]): string[] {
  const objects = new Map<string, Set<string>>();
  for (const r of rules) objects.set(r.policy, (objects.get(r.policy) ?? new Set()).add(`${r.kind}.${r.apiGroup}`));
  return rules.map((r) => ((objects.get(r.policy)?.size ?? 0) > 1 ? `${r.kind}${r.apiGroup ? `.${r.apiGroup}` : ''} ${r.policy} ${r.rule}` : `${r.policy} ${r.rule}`));
}

/** `egress production/backend-egress spec.egress[3]; ingress: not isolated (allowed by default)`. */
export function rulesText(found: ReturnType<typeof allowingRules>): string {
  const labels = ruleLabels(found.rules);
  const part = (direction: 'egress' | 'ingress', isDefault: boolean) => {
    const rules = labels.filter((_, i) => found.rules[i].direction === direction);
    if (rules.length > 0) return `${direction}: ${rules.join(', ')}`;
    return `${direction}: ${isDefault ? 'not isolated (allowed by default)' : 'n/a'}`;
  };
  return `${part('egress', found.egressDefault)}; ${part('ingress', found.ingressDefault)}`;
}

/** `icmp`: the snapshot `showsIcmp` (Calico or Cilium policies decide ICMP apart from ports), so ICMP is named. */
export function portsText(conn: ConnectionSet, icmp = false): string {
  return connString(conn, icmp);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
