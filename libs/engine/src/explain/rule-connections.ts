// What each rule of one policy does with the connections it matches: for every workload the policy selects and every
// other peer (workloads and IP ranges), the ports the rule decided on its side of the pair — allowed, denied, passed
// to the next tier or logged — from the one decision function's effects (so a higher-precedence rule that decided a
// port first takes it, as in the verdict). An allowed port is split by the pair's final verdict: the connection
// exists, or the other side (or a host endpoint's forward policy) denies it. The work is selected workloads × peers
// pairs: counted and refused above `maxPairs` before any pair is traced.
import { ConnectionSet } from '../algebra/connection-set.js';
import type { IpFamily } from '../algebra/ip-set.js';
import { atomPeers, clusterPeers, pairConnections, type Peer } from '../analysis/connectivity.js';
import { ipEndpoint, policiesApplying, sideSignature, traceSide, workloadEndpoint, type Endpoint } from '../analysis/trace.js';
import type { Analysis } from '../analysis/types.js';
import { apiGroupOf } from '../dialects/registry.js';
import { inSubjectNamespaces, selectsInSubjectNamespace } from '../model/policy-subjects.js';
import { workloadPods } from '../model/workloads.js';
import type { Direction, PolicyModel, RuleAction, RuleModel } from '../model/types.js';
import { showsIcmp } from '../output/conn-string.js';
import { rangeText } from '../query/internet-ranges.js';
import { portsText } from './text.js';

export const DEFAULT_MAX_RULE_CONNECTION_PAIRS = 500_000;

export interface RuleConnection {
  /** The rule's field path, e.g. `spec.ingress[0]`. */
  readonly rule: string;
  readonly direction: Direction;
  /** What the rule does with the ports it matches: `allow`, `deny`, `pass` (the next tier decides) or `log`. */
  readonly action: RuleAction;
  /** The workload the policy selects (`namespace/name[Kind]`). */
  readonly subject: string;
  /** The other end: a workload, or an IP range (CIDR notation where it is one block, adjacent ranges merged). */
  readonly peer: string;
  /** np-guard conn text, '' if none. Allow: the ports the rule allows and the pair's final verdict allows (the
   *  connection exists); deny: the ports it denies; pass: the ports it hands to the next tier; log: the ports it
   *  records. Ports an earlier (higher-precedence) rule decided are not the rule's. */
  readonly ports: string;
  /** Allow only: ports the rule allows that the final verdict denies (the other side, or a host endpoint's forward
   *  policy); '' otherwise. */
  readonly deniedByOtherSide: string;
}

/** Which policy: by namespace and name, and, where several policies share them, by kind (and the apiVersion's
 *  group where kinds collide, e.g. Calico `projectcalico.org` NetworkPolicy vs `networking.k8s.io` NetworkPolicy). */
export interface PolicyRef {
  readonly namespace: string;
  readonly name: string;
  readonly kind?: string;
  /** Only its API group is compared (`projectcalico.org/v3` and `projectcalico.org/v1` name the same kind). */
  readonly apiVersion?: string;
}

export type RuleConnectionsResult =
  | { readonly ok: true; readonly connections: readonly RuleConnection[] }
  | { readonly ok: false; readonly code: 'NOT_FOUND' | 'AMBIGUOUS' | 'TOO_MANY_PAIRS'; readonly message: string };

/** The analysed policy `ref` names: not found, ambiguous (naming the candidates), or the one. */
export function findPolicy(
  policies: readonly PolicyModel[],
  ref: PolicyRef,
): { readonly ok: true; readonly policy: PolicyModel } | { readonly ok: false; readonly code: 'NOT_FOUND' | 'AMBIGUOUS'; readonly message: string } {
  const group = ref.apiVersion === undefined ? undefined : apiGroupOf(ref.apiVersion);
  const candidates = policies.filter(
    (p) =>
      p.namespace === ref.namespace &&
      p.name === ref.name &&
      (ref.kind === undefined || p.kind === ref.kind) &&
      (group === undefined || apiGroupOf(p.apiVersion) === group),
  );
  const named = [ref.apiVersion, ref.kind, ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name].filter((s) => s !== undefined).join(' ');
  if (candidates.length === 0) return { ok: false, code: 'NOT_FOUND', message: `no analysed policy ${named}` };
  if (candidates.length > 1) {
    const list = candidates.map((p) => `${p.apiVersion} ${p.kind} ${p.fullName}`).join(', ');
    return { ok: false, code: 'AMBIGUOUS', message: `${candidates.length} analysed policies are ${named}: ${list}; name the kind (and apiVersion)` };
  }
  return { ok: true, policy: candidates[0] };
}

interface Acc {
  rule: RuleModel;
  subject: string;
  peer: Peer;
  effective: ConnectionSet;
  denied: ConnectionSet;
}

/** What each of the policy's rules decided on one side of one pair (rules that decided nothing left out). */
type SideEffects = readonly { readonly rule: RuleModel; readonly ports: ConnectionSet }[];

/**
 * Where allow rules of the policy overlap (NetworkPolicy: every allowing rule matches), a port is credited to the
 * first of them (the explanation's attribution), so the rules' port sets never double-count.
 */
export function policyRuleConnections(
  analysis: Analysis,
  policy: PolicyRef,
  options: { readonly maxPairs?: number; readonly ipFamilies?: readonly IpFamily[] } = {},
): RuleConnectionsResult {
  const found = findPolicy(analysis.snapshot.policies, policy);
  if (!found.ok) return found;
  const model = found.policy;
  const families = options.ipFamilies ?? [4, 6];
  const workloads = clusterPeers(analysis, 'workload');
  const selected = workloads.filter((peer) => peer.type === 'workload' && selects(analysis, model, peer));
  const sources = [...workloads, ...atomPeers(analysis.srcAtoms).filter((p) => p.type === 'ip' && families.includes(p.family))];
  const destinations = [...workloads, ...atomPeers(analysis.dstAtoms).filter((p) => p.type === 'ip' && families.includes(p.family))];
  const pairs = selected.length * ((model.ingress.rules.length > 0 ? sources.length : 0) + (model.egress.rules.length > 0 ? destinations.length : 0));
  const maxPairs = options.maxPairs ?? DEFAULT_MAX_RULE_CONNECTION_PAIRS;
  if (pairs > maxPairs) {
    return { ok: false, code: 'TOO_MANY_PAIRS', message: `${pairs} pairs to explain for ${model.fullName}, more than the limit ${maxPairs}` };
  }
  const sides = new SideTracer(analysis, model);
  const accs = new Map<string, Acc>();
  const add = (direction: Direction, subject: Peer, peer: Peer) => {
    const effects = sides.effects(direction, subject, peer);
    if (effects.length === 0) return;
    const [src, dst] = direction === 'ingress' ? [peer, subject] : [subject, peer];
    const connection = pairConnections(analysis, src, dst) ?? ConnectionSet.NONE;
    for (const { rule, ports } of effects) {
      const key = `${rule.path}\u0000${subject.name}\u0000${peer.name}`;
      let acc = accs.get(key);
      if (!acc) accs.set(key, (acc = { rule, subject: subject.name, peer, effective: ConnectionSet.NONE, denied: ConnectionSet.NONE }));
      if (rule.action !== 'allow') acc.effective = acc.effective.union(ports);
      else {
        acc.effective = acc.effective.union(ports.intersect(connection));
        acc.denied = acc.denied.union(ports.subtract(connection));
      }
    }
  };
  for (const subject of selected) {
    if (model.ingress.rules.length > 0) for (const src of sources) if (src !== subject) add('ingress', subject, src);
    if (model.egress.rules.length > 0) for (const dst of destinations) if (dst !== subject) add('egress', subject, dst);
  }
  return { ok: true, connections: mergeRanges([...accs.values()], showsIcmp(analysis.snapshot)) };
}

/** One side's decision for (subject, other end), reduced to the policy's rules' effects; cached per (subject class,
 *  other end's class or atom) and, like the explanations, per (applying policies, side signature). */
class SideTracer {
  private readonly byPeers = new Map<string, SideEffects>();
  private readonly bySignature = new Map<string, SideEffects>();
  private readonly endpoints = new Map<Peer, Endpoint>();
  private readonly applying = new Map<string, { policies: readonly PolicyModel[]; key: string }>();

  constructor(
    private readonly analysis: Analysis,
    private readonly model: PolicyModel,
  ) {}

  effects(direction: Direction, subject: Peer, other: Peer): SideEffects {
    if (subject.type === 'ip') return [];
    const otherKey = other.type === 'ip' ? `a${other.atom}` : `c${other.classId}`;
    const peersKey = `${direction}\u0000${subject.classId}\u0000${otherKey}`;
    let effects = this.byPeers.get(peersKey);
    if (effects) return effects;
    const subjectEndpoint = this.endpoint(subject);
    if (subjectEndpoint.type !== 'pod') throw new Error('unreachable: a pod subject');
    const otherEndpoint = this.endpoint(other);
    const applying = this.applyingTo(direction, subject, subjectEndpoint);
    const signature = `${direction}:${applying.key}:${sideSignature(this.analysis.snapshot, direction, applying.policies, subjectEndpoint, otherEndpoint)}`;
    effects = this.bySignature.get(signature);
    if (!effects) {
      const trace = traceSide(this.analysis.snapshot, direction, subjectEndpoint, otherEndpoint, applying.policies);
      effects = ruleEffects(trace.policies.find((p) => p.policy === this.model)?.rules ?? []);
      this.bySignature.set(signature, effects);
    }
    this.byPeers.set(peersKey, effects);
    return effects;
  }

  private applyingTo(direction: Direction, subject: Peer, endpoint: Extract<Endpoint, { type: 'pod' }>) {
    const key = `${direction}\u0000${subject.name}`;
    let found = this.applying.get(key);
    if (!found) {
      const policies = policiesApplying(this.analysis.snapshot, direction, endpoint);
      found = { policies, key: policies.map((p) => p.id).join(',') };
      this.applying.set(key, found);
    }
    return found;
  }

  private endpoint(peer: Peer): Endpoint {
    let endpoint = this.endpoints.get(peer);
    if (!endpoint) {
      if (peer.type === 'pod') throw new Error('unreachable: workload granularity');
      endpoint = peer.type === 'workload' ? workloadEndpoint(peer.workload) : ipEndpoint(peer.family, peer.first, peer.last, peer.name);
      this.endpoints.set(peer, endpoint);
    }
    return endpoint;
  }
}

/** The ports each rule decided, allow rules in precedence order each losing what an earlier allow rule of the policy
 *  took (an isolating tier credits every matching allow rule with its ports). */
function ruleEffects(rules: readonly { readonly rule: RuleModel; readonly decided: ConnectionSet }[]): SideEffects {
  const out: { rule: RuleModel; ports: ConnectionSet }[] = [];
  let allowed = ConnectionSet.NONE;
  const ordered = [...rules].sort((a, b) => a.rule.precedence - b.rule.precedence || a.rule.index - b.rule.index);
  for (const { rule, decided } of ordered) {
    const ports = rule.action === 'allow' ? decided.subtract(allowed) : decided;
    if (rule.action === 'allow') allowed = allowed.union(decided);
    if (!ports.isEmpty) out.push({ rule, ports });
  }
  return out;
}

/** The policy selects one of the workload's pods, as the trace decides which policies apply to a pod (service
 *  accounts, host-endpoint-only policies and host-network exclusions included), so the pairs counted against
 *  `maxPairs` are the pairs traced. */
function selects(analysis: Analysis, model: PolicyModel, peer: Extract<Peer, { type: 'workload' }>): boolean {
  const workload = peer.workload;
  if (!inSubjectNamespaces(model, workload.namespace, analysis.snapshot.namespaces)) return false;
  return workloadPods(workload).some((pod) => selectsInSubjectNamespace(model, pod));
}

/** One row per rule, subject and peer; adjacent IP ranges with the same ports merged. Sorted by rule, subject, peer.
 *  `icmp`: the snapshot `showsIcmp`, so the port texts name ICMP. */
function mergeRanges(accs: Acc[], icmp: boolean): RuleConnection[] {
  const rows: Array<RuleConnection & { first?: bigint; last?: bigint; family?: IpFamily }> = [];
  const ordered = accs.sort((a, b) => cmp(a.rule.path, b.rule.path) || cmp(a.subject, b.subject) || peerOrder(a.peer, b.peer));
  for (const acc of ordered) {
    const { path: rule, direction, action } = acc.rule;
    const ports = portsText(acc.effective, icmp);
    const deniedByOtherSide = portsText(acc.denied, icmp);
    const previous = rows.at(-1);
    if (acc.peer.type === 'ip') {
      const { family, first, last } = acc.peer;
      if (
        previous?.family === family &&
        previous.rule === rule &&
        previous.subject === acc.subject &&
        previous.ports === ports &&
        previous.deniedByOtherSide === deniedByOtherSide &&
        previous.last! + 1n === first
      ) {
        previous.last = last;
        continue;
      }
      rows.push({ rule, direction, action, subject: acc.subject, peer: '', ports, deniedByOtherSide, family, first, last });
    } else {
      rows.push({ rule, direction, action, subject: acc.subject, peer: acc.peer.name, ports, deniedByOtherSide });
    }
  }
  return rows.map(({ first, last, family, ...row }) => (family === undefined ? row : { ...row, peer: rangeText(family, first!, last!) }));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// Workloads by name first, then IP ranges by family and address (so adjacent ranges follow each other).
function peerOrder(a: Peer, b: Peer): number {
  if (a.type === 'ip' && b.type === 'ip') return a.family - b.family || (a.first < b.first ? -1 : a.first > b.first ? 1 : 0);
  if (a.type === 'ip') return 1;
  if (b.type === 'ip') return -1;
  return cmp(a.name, b.name);
}
