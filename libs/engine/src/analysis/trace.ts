// The simple path: one pair evaluated by walking its policies and rules directly, keeping every step as
// provenance. `evaluate` and the explain output build on it; tests check the factorised analysis against it.
import { ConnectionSet } from '../algebra/connection-set.js';
import { parseIp, type IpFamily } from '../algebra/ip-set.js';
import { namedPortMap, type ContainerPort, type NamedPortRef } from '../algebra/rule-ports.js';
import type { Labels } from '../algebra/selector.js';
import { policiesIn } from '../model/indexes.js';
import type { Direction, PeerModel, PodModel, PolicyModel, RuleModel, Snapshot, Workload } from '../model/types.js';

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
  readonly isolated: boolean;
  /** Policies selecting the subject that isolate it in this direction, sorted by full name. */
  readonly policies: readonly PolicyTrace[];
  /** ALL when not isolated; otherwise the union of the ports of the rules whose peer matched. */
  readonly allowed: ConnectionSet;
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
}

export function tracePair(snapshot: Snapshot, src: Endpoint, dst: Endpoint): PairTrace {
  if (src.type === 'pod' && dst.type === 'pod' && src.podKey === dst.podKey) {
    return { src, dst, samePod: true, egress: null, ingress: null, allowed: ConnectionSet.ALL };
  }
  const egress = src.type === 'pod' ? traceSide(snapshot, 'egress', src, dst) : null;
  const ingress = dst.type === 'pod' ? traceSide(snapshot, 'ingress', dst, src) : null;
  const allowed = (egress?.allowed ?? ConnectionSet.ALL).intersect(ingress?.allowed ?? ConnectionSet.ALL);
  return { src, dst, samePod: false, egress, ingress, allowed };
}

export function traceSide(
  snapshot: Snapshot,
  direction: Direction,
  subject: Extract<Endpoint, { type: 'pod' }>,
  other: Endpoint,
): SideTrace {
  const dst = direction === 'ingress' ? subject : other;
  const dstPorts = dst.type === 'pod' ? dst.namedPorts : undefined;
  const policies: PolicyTrace[] = [];
  let allowed = ConnectionSet.NONE;
  for (const policy of policiesIn(snapshot, subject.namespace)) {
    if (!policy[direction].affects) continue;
    if (!policy.podSelector.matches(subject.labels)) continue;
    const rules = policy[direction].rules.map((rule): RuleTrace => {
      const peerMatched = rule.peers === null || rule.peers.some((peer) => peerMatches(snapshot, policy, peer, other));
      const ports = rule.allowed.resolve(dstPorts);
      const unresolvedNamedPorts = rule.allowed.named.filter((ref) => {
        const target = dstPorts?.get(ref.name);
        return !target || target.protocol !== ref.protocol;
      });
      if (peerMatched) allowed = allowed.union(ports);
      return { rule, peerMatched, ports, unresolvedNamedPorts };
    });
    policies.push({ policy, rules });
  }
  const isolated = policies.length > 0;
  return { direction, subject, isolated, policies, allowed: isolated ? allowed : ConnectionSet.ALL };
}

function peerMatches(snapshot: Snapshot, policy: PolicyModel, peer: PeerModel, other: Endpoint): boolean {
  if (peer.kind === 'ipBlock') {
    if (other.type === 'ip') return peer.set.containsInterval(other.family, other.first, other.last);
    if (!snapshot.options.ipBlockMatchesPods) return false;
    return other.ips.some((text) => {
      const ip = parseIp(text);
      return ip !== undefined && peer.set.containsAddress(ip.family, ip.value);
    });
  }
  if (other.type === 'ip') return false;
  const inNamespace = peer.namespaceSelector
    ? peer.namespaceSelector.matches(snapshot.namespaces.get(other.namespace)?.labels ?? {})
    : policy.namespace === other.namespace;
  return inNamespace && (peer.podSelector === null || peer.podSelector.matches(other.labels));
}

/** The endpoint of a workload: its representative pod (first Pod object, or its pod template). `replica`
 *  picks another pod, so that a workload "to itself" means two distinct replicas. */
export function workloadEndpoint(w: Workload, replica = 0): Endpoint {
  const own = w.pods[replica];
  const pod = own ?? w.pods[0];
  return {
    type: 'pod',
    name: w.displayName,
    podKey: own ? `${own.namespace}/${own.name}` : `${w.displayName}#${replica}`,
    namespace: w.namespace,
    labels: pod?.labels ?? w.labels,
    namedPorts: namedPortMap(pod?.ports ?? w.ports),
    ips: pod?.ips ?? [],
  };
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
  };
}

export function ipEndpoint(family: IpFamily, first: bigint, last: bigint, name: string): Endpoint {
  return { type: 'ip', name, family, first, last };
}
