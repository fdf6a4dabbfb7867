// The simple path: one pair evaluated by walking its policies and rules directly, keeping every step as
// provenance. `evaluate` and the explain output build on it; tests check the factorised analysis against it.
import { ConnectionSet } from '../algebra/connection-set.js';
import { parseIp, type IpFamily } from '../algebra/ip-set.js';
import { namedPortMap, type ContainerPort, type NamedPortRef } from '../algebra/rule-ports.js';
import type { Labels } from '../algebra/selector.js';
import { decide, layerTier, type Decision, type RuleHit, type TierInput } from '../decision/decide.js';
import { comparePolicyOrder } from '../decision/policy-order.js';
import { clusterScopedPolicies, policiesIn } from '../model/indexes.js';
import { selectsInSubjectNamespace } from '../model/policy-subjects.js';
import { forwardLeg, traceHostEndpoints, type HostEndpointTrace } from './host-endpoints.js';
import type { Direction, PeerModel, PodModel, PolicyModel, RuleModel, Snapshot, TierModel, Workload } from '../model/types.js';

export type Endpoint =
  | {
      readonly type: 'pod';
      /** Peer name shown in explanations, e.g. `ns/name[Deployment]`. */
      readonly name: string;
      /** Identity of the concrete pod (a pod to itself is always allowed). */
      readonly podKey: string;
      readonly namespace: string;
      readonly labels: Labels;
      readonly namedPorts: ReadonlyMap<string, ContainerPort>;
      readonly ips: readonly string[];
      /** null: not recorded (model/service-accounts.ts). */
      readonly serviceAccount: string | null;
      /** The pod uses hostNetwork (AdminNetworkPolicy subjects and pod peers leave it out); absent: it does not. */
      readonly hostNetwork?: boolean;
      /** The node the pod runs on (Calico host endpoints police what it forwards); absent: not known. */
      readonly node?: string;
    }
  | {
      readonly type: 'ip';
      readonly name: string;
      readonly family: IpFamily;
      readonly first: bigint;
      readonly last: bigint;
    };

export interface RuleTrace {
  readonly rule: RuleModel;
  /** What the rule decided for this pair (its ports ∩ what was still undecided when it was reached);
   *  empty when its peer did not match or earlier rules had decided all of its ports. */
  readonly decided: ConnectionSet;
  /** Whether one of the rule's peers (or its missing peer list) matches the other end. */
  readonly peerMatched: boolean;
  /** The rule's ports resolved on the destination (whether or not the peer matched). */
  readonly ports: ConnectionSet;
  /** Named ports of the rule that the destination cannot resolve (absent, or another protocol). */
  readonly unresolvedNamedPorts: readonly NamedPortRef[];
}

export interface PolicyTrace {
  readonly policy: PolicyModel;
  /** Every rule of the policy in this direction, in order (empty: the policy allows nothing here). */
  readonly rules: readonly RuleTrace[];
}

export interface SideTrace {
  readonly direction: Direction;
  /** The pod this side's policies select (the source for egress, the destination for ingress). */
  readonly subject: Endpoint;
  /** Some isolating tier (NetworkPolicy) selects the subject: what no rule allows is denied. */
  readonly isolated: boolean;
  /** Policies that apply to the subject in this direction, in decision order (tier, priority, full name). */
  readonly policies: readonly PolicyTrace[];
  /** The decision: ALL when nothing applies; NetworkPolicy alone: the union of the matching rules' ports. */
  readonly allowed: ConnectionSet;
  /** The ports each isolating tier denied because none of its rules decided them. */
  readonly isolatedBy: Decision<RuleTrace>['isolatedBy'];
}

export interface PairTrace {
  readonly src: Endpoint;
  readonly dst: Endpoint;
  /** The same pod at both ends: always allowed, no policy consulted. */
  readonly samePod: boolean;
  /** null when the source is an IP (only the pod side is checked). */
  readonly egress: SideTrace | null;
  /** null when the destination is an IP. */
  readonly ingress: SideTrace | null;
  readonly allowed: ConnectionSet;
  /** Traffic from outside the cluster to a pod enters through a host: what the host endpoints' forward policies
   *  (Calico applyOnForward / preDNAT) let through, over every host endpoint as the possible entry; absent when
   *  the snapshot has no host endpoint or the pair does not cross one. */
  readonly hostForward?: { readonly allowed: ConnectionSet; readonly hostEndpoints: readonly string[] };
  /** Every other connection a Calico host endpoint polices (pod traffic the hosts forward, traffic to and from a
   *  host): the host endpoints crossed, what each decided (rule by rule) and what the answer assumes
   *  (analysis/host-endpoints.ts); absent when none is crossed. */
  readonly hostEndpoints?: HostEndpointTrace;
}

export function tracePair(snapshot: Snapshot, src: Endpoint, dst: Endpoint): PairTrace {
  if (src.type === 'pod' && dst.type === 'pod' && src.podKey === dst.podKey) {
    return { src, dst, samePod: true, egress: null, ingress: null, allowed: ConnectionSet.ALL };
  }
  const egress = src.type === 'pod' ? traceSide(snapshot, 'egress', src, dst) : null;
  const ingress = dst.type === 'pod' ? traceSide(snapshot, 'ingress', dst, src) : null;
  const allowed = (egress?.allowed ?? ConnectionSet.ALL).intersect(ingress?.allowed ?? ConnectionSet.ALL);
  const hostForward = src.type === 'ip' && dst.type === 'pod' ? traceHostForward(snapshot, src, dst) : undefined;
  if (hostForward) return { src, dst, samePod: false, egress, ingress, allowed: allowed.intersect(hostForward.allowed), hostForward };
  const hostEndpoints = src.type === 'ip' && dst.type === 'pod' ? undefined : traceHostEndpoints(snapshot, src, dst);
  if (hostEndpoints) return { src, dst, samePod: false, egress, ingress, allowed: allowed.intersect(hostEndpoints.allowed), hostEndpoints };
  return { src, dst, samePod: false, egress, ingress, allowed };
}

/** Calico host endpoints police forwarded traffic with the policies that select them and say `applyOnForward`
 *  (host-endpoints.ts forwardLeg, ingress): untracked and pre-DNAT Deny rules drop it, then the normal ones decide
 *  (end-of-tier deny for a host endpoint they select; none: allowed). Rules see the packet after DNAT: the
 *  destination is the pod (preDNAT rules too, an approximation: their destination is the node's address and port
 *  before DNAT). Any host endpoint may be the entry (a NodePort on every node): what one of them lets through is
 *  allowed. Absent when no applyOnForward policy selects a host endpoint for ingress. */
export function traceHostForward(snapshot: Snapshot, src: Extract<Endpoint, { type: 'ip' }>, dst: Extract<Endpoint, { type: 'pod' }>): PairTrace['hostForward'] {
  const hosts = snapshot.hostEndpoints ?? [];
  if (hosts.length === 0) return undefined;
  const forward = (p: PolicyModel) => p.dialect === 'calico' && p.namespace === '' && (p.object.spec as { applyOnForward?: unknown } | undefined)?.applyOnForward === true && p.ingress.affects;
  let allowed = ConnectionSet.NONE;
  const names: string[] = [];
  for (const host of hosts) {
    if (!snapshot.policies.some((p) => forward(p) && p.podSelector.matches(host.labels))) {
      allowed = ConnectionSet.ALL;
      continue;
    }
    names.push(host.name);
    allowed = allowed.union(forwardLeg(snapshot, host, 'ingress', src, dst).allowed);
  }
  return names.length > 0 ? { allowed, hostEndpoints: names } : undefined;
}

export function traceSide(
  snapshot: Snapshot,
  direction: Direction,
  subject: Extract<Endpoint, { type: 'pod' }>,
  other: Endpoint,
  applying: readonly PolicyModel[] = policiesApplying(snapshot, direction, subject),
): SideTrace {
  const dst = direction === 'ingress' ? subject : other;
  const dstPorts = dst.type === 'pod' ? dst.namedPorts : undefined;
  const traces: { policy: PolicyModel; rules: { rule: RuleModel; peerMatched: boolean; ports: ConnectionSet; unresolvedNamedPorts: readonly NamedPortRef[] }[] }[] =
    applying.map((policy) => ({
      policy,
      rules: policy[direction].rules.map((rule) => {
        const peerMatched = rule.peers === null || rule.peers.some((peer) => peerMatches(snapshot, policy, peer, other, subject));
        const ports = rule.allowed.resolve(dstPorts);
        const unresolvedNamedPorts = rule.allowed.named.filter((ref) => {
          const target = dstPorts?.get(ref.name);
          return !target || target.protocol !== ref.protocol;
        });
        return { rule, peerMatched, ports, unresolvedNamedPorts };
      }),
    }));
  const decision = decide(tierInputs(direction, traces));
  const decided = new Map<RuleModel, ConnectionSet>();
  for (const effect of decision.effects) decided.set(effect.rule.rule, (decided.get(effect.rule.rule) ?? ConnectionSet.NONE).union(effect.ports));
  const policies: PolicyTrace[] = traces.map(({ policy, rules }) => ({
    policy,
    rules: rules.map((r): RuleTrace => ({ ...r, decided: decided.get(r.rule) ?? ConnectionSet.NONE })),
  }));
  return { direction, subject, isolated: decision.isolatedBy.length > 0, policies, allowed: decision.allowed, isolatedBy: decision.isolatedBy };
}

/**
 * Everything a side's trace reads besides the applying policies: which of their rules' peers match the other end,
 * and, when a rule names a port, the destination's named ports. Two sides with the same applying policies and the
 * same signature have the same trace (up to the endpoints it names), so callers can share the work.
 */
export function sideSignature(snapshot: Snapshot, direction: Direction, applying: readonly PolicyModel[], subject: Endpoint, other: Endpoint): string {
  let bits = '';
  let named = false;
  for (const policy of applying) {
    for (const rule of policy[direction].rules) {
      // A loop, not `some` with a closure: this runs for every rule of every side a probe plan explains.
      let matched = rule.peers === null;
      if (rule.peers !== null) {
        for (const peer of rule.peers) {
          if (peerMatches(snapshot, policy, peer, other, subject)) {
            matched = true;
            break;
          }
        }
      }
      bits += matched ? '1' : '0';
      if (rule.allowed.named.length > 0) named = true;
    }
    bits += '|';
  }
  if (!named) return bits;
  const dst = direction === 'ingress' ? subject : other;
  if (dst.type !== 'pod') return `${bits}#ip`;
  const ports = [...dst.namedPorts].map(([name, p]) => `${name}=${p.protocol}/${p.port}`).sort();
  return `${bits}#${ports.join(',')}`;
}

/** The policies that apply to a pod in one direction, in decision order: tier, priority, full name. */
export function policiesApplying(
  snapshot: Snapshot,
  direction: Direction,
  subject: { namespace: string; labels: Labels; serviceAccount?: string | null; hostNetwork?: boolean },
): PolicyModel[] {
  const out: PolicyModel[] = [];
  const consider = (policy: PolicyModel) => {
    if (policy[direction].affects && selectsInSubjectNamespace(policy, subject)) out.push(policy);
  };
  for (const policy of policiesIn(snapshot, subject.namespace)) if (policy.subjectNamespaces === null) consider(policy);
  const nsLabels = snapshot.namespaces.get(subject.namespace)?.labels ?? {};
  for (const policy of clusterScopedPolicies(snapshot)) if (policy.subjectNamespaces!.matches(nsLabels)) consider(policy);
  return out.sort(comparePolicyOrder);
}

/** The decision function's input for one side: the applying policies' matching rules, grouped by tier, in
 *  precedence order (policy order, then the rule's precedence, then its index). */
function tierInputs<T extends { rule: RuleModel; peerMatched: boolean; ports: ConnectionSet }>(
  direction: Direction,
  traces: readonly { policy: PolicyModel; rules: readonly T[] }[],
): TierInput<T>[] {
  const tiers: TierInput<T>[] = [];
  for (const { policy, rules } of traces) {
    let current = tiers[tiers.length - 1];
    // Tiers of one order are one layer (Calico's `default` tier holds Kubernetes NetworkPolicies too).
    if (!current || current.tier.order !== policy.tier.order) tiers.push((current = { tier: policy.tier, selected: false, hits: [] }));
    else (current as { tier: TierModel }).tier = layerTier(current.tier, policy.tier);
    // Applying policies isolate, unless one opts out (Cilium `enableDefaultDeny: false`).
    (current as { selected: boolean }).selected = current.selected || (policy[direction].affects && policy[direction].isolates !== false);
    // Precedence orders the rules of one policy; policies are already in decision order (priority first), so a
    // later policy's first rule never overtakes an earlier policy's last one.
    const own = rules.filter((r) => r.peerMatched).sort((a, b) => a.rule.precedence - b.rule.precedence || a.rule.index - b.rule.index);
    for (const r of own) (current.hits as RuleHit<T>[]).push({ action: r.rule.action, ports: r.ports, rule: r });
  }
  return tiers;
}

export function peerMatches(snapshot: Snapshot, policy: PolicyModel, peer: PeerModel, other: Endpoint, subject: Endpoint): boolean {
  if (peer.kind === 'matcher') return peer.matches(other, subject, (namespace) => snapshot.namespaces.get(namespace)?.labels ?? {});
  if (peer.kind === 'ipBlock') {
    if (other.type === 'ip') return peer.set.containsInterval(other.family, other.first, other.last);
    if (!snapshot.options.ipBlockMatchesPods && !peer.matchesPods) return false;
    return other.ips.some((text) => {
      const ip = parseIp(text);
      return ip !== undefined && peer.set.containsAddress(ip.family, ip.value);
    });
  }
  if (other.type === 'ip') return false;
  if (other.hostNetwork && peer.excludesHostNetwork) return false;
  const inNamespace = peer.namespaceSelector
    ? peer.namespaceSelector.matches(snapshot.namespaces.get(other.namespace)?.labels ?? {})
    : policy.namespace === other.namespace;
  return inNamespace && (peer.podSelector === null || peer.podSelector.matches(other.labels));
}

/** The endpoint of a workload: its representative pod (first Pod object, or its pod template). `replica`
 *  picks another pod, so that a workload "to itself" means two distinct replicas. A pod has one identity:
 *  a controller's replica `i` is the pod `<name>-<i>` whether it is named as a workload or as a pod. */
export function workloadEndpoint(w: Workload, replica = 0): Endpoint {
  const own = w.pods[replica];
  const pod = own ?? w.pods[0];
  return {
    type: 'pod',
    name: w.displayName,
    podKey: own ? `${own.namespace}/${own.name}` : w.pods.length > 0 ? `${w.displayName}#${replica}` : `${w.namespace}/${w.name}-${replica}`,
    namespace: w.namespace,
    labels: pod?.labels ?? w.labels,
    namedPorts: namedPortMap(pod?.ports ?? w.ports),
    ips: pod?.ips ?? [],
    serviceAccount: pod ? pod.serviceAccount : w.serviceAccount,
    ...((pod ? pod.hostNetwork : w.hostNetwork) ? { hostNetwork: true } : {}),
    ...(pod?.node ? { node: pod.node } : {}),
  };
}

/** A workload's pod other than the one `avoid` names, when it has one; else that same pod (a pod may always
 *  reach itself; no replica that does not exist is invented). "A workload to itself" means two distinct
 *  replicas; "pod d1-0 to workload d1" means d1-0 to another replica of d1. */
export function sameWorkloadPeer(w: Workload, avoid: Endpoint = workloadEndpoint(w, 0)): Endpoint {
  const count = Math.min(Math.max(w.pods.length, w.replicas), 2);
  for (let i = 0; i < count; i++) {
    const candidate = workloadEndpoint(w, i);
    if (candidate.type === 'pod' && avoid.type === 'pod' && candidate.podKey !== avoid.podKey) return candidate;
  }
  const only = workloadEndpoint(w, 0);
  return avoid.type === 'pod' && only.type === 'pod' ? { ...only, podKey: avoid.podKey } : only;
}

export function podEndpoint(pod: PodModel, name = `${pod.namespace}/${pod.name}[Pod]`): Endpoint {
  return {
    type: 'pod',
    name,
    podKey: `${pod.namespace}/${pod.name}`,
    namespace: pod.namespace,
    labels: pod.labels,
    namedPorts: namedPortMap(pod.ports),
    ips: pod.ips,
    serviceAccount: pod.serviceAccount,
    ...(pod.hostNetwork ? { hostNetwork: true } : {}),
    ...(pod.node ? { node: pod.node } : {}),
  };
}

export function ipEndpoint(family: IpFamily, first: bigint, last: bigint, name: string): Endpoint {
  return { type: 'ip', name, family, first, last };
}
