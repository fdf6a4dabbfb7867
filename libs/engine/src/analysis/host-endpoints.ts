// Calico host endpoints (HostEndpoint) beyond "outside → pod": which host endpoints a connection crosses and what
// their policies decide there, with each deciding policy rule as provenance. Documented behaviour (docs.tigera.io,
// reference/host-endpoints/{overview,forwarded,pre-dnat,untracked,summary}, reference/resources/hostendpoint,
// Felix configuration):
//
// Forwarded traffic (the host routes it: a pod's traffic to another pod or out of the cluster):
//   - only policies with `applyOnForward: true` that select the host endpoint apply; a host endpoint with no such
//     policy in the direction lets forwarded traffic through ("allowed by default if no applyOnForward policy
//     applies to that endpoint and direction"); when some select it, what none of their rules allows is denied.
//   - the source node's host endpoints police it as egress, the destination node's as ingress.
//   - which host endpoints it crosses: a wildcard one (`interfaceName: "*"`: every interface of the host, real or
//     virtual) all of its node's forwarded traffic, the same node included; a named one (eth0) only traffic that
//     leaves (egress) or enters (ingress) the node. That it is this interface the route takes (not a tunnel device,
//     not another NIC) is an assumption: the leg says so (`note`), and the verdict is named uncertain.
//   - untracked (doNotTrack) policies: a Deny drops the packet; an Allow has no net positive effect (no conntrack
//     for the reply), so the tracked policies still decide. Pre-DNAT policies (ingress only): a Deny drops,
//     an Allow or no decision goes on.
// Host-bound traffic (to an address of the host endpoint / its node) and host-originated traffic (from it):
//   - Felix's failsafe ports are always allowed (defaults: inbound tcp 22, 179, 2379, 2380, 5473, 6443, 6666,
//     6667 and udp 68; outbound udp 53, 67 and tcp 179, 2379, 2380, 5473, 6443, 6666, 6667), whatever the policy.
//   - untracked policies first (never on a wildcard host endpoint: not supported there): a Deny drops; an Allow
//     accepts without connection tracking and skips the pre-DNAT and normal policies, so the reply is not
//     let back by conntrack: it must be allowed by the host endpoint's untracked policies in the other direction
//     (for any port of the protocol: the reply's port is the client's ephemeral one), else it is dropped.
//   - then pre-DNAT (ingress): a Deny drops, an Allow skips the normal policies;
//   - then the normal policies selecting the host endpoint in that direction (applyOnForward or not); none: the
//     traffic is denied (unless the host endpoint has the `projectcalico-default-allow` profile).
import { ConnectionSet, PROTOCOLS, type Protocol } from '../algebra/connection-set.js';
import { parseIp } from '../algebra/ip-set.js';
import { PortSet } from '../algebra/port-set.js';
import { decide, type RuleHit, type TierInput } from '../decision/decide.js';
import { comparePolicyOrder } from '../decision/policy-order.js';
import type { Direction, HostEndpointModel, PolicyModel, RuleModel, Snapshot } from '../model/types.js';
import type { Endpoint } from './trace.js';

/** What one policy rule of a host endpoint decided (provenance). */
export interface HostStep {
  readonly stage: 'untracked' | 'preDNAT' | 'normal';
  readonly policy: string;
  /** e.g. `spec.ingress[0]`. */
  readonly rule: string;
  readonly action: RuleModel['action'];
  readonly ports: ConnectionSet;
}

/** One host endpoint crossed in one direction. */
export interface HostLeg {
  readonly hostEndpoint: string;
  readonly direction: Direction;
  /** forwarded: the host routes the packet (applyOnForward policies); host: the packet is for / from the host. */
  readonly traffic: 'forwarded' | 'host';
  readonly allowed: ConnectionSet;
  readonly steps: readonly HostStep[];
  /** How the leg decides what no rule decided: forwarded traffic with no applyOnForward policy is allowed,
   *  host traffic with no policy denied (unless the default-allow profile), failsafe ports always allowed. */
  readonly defaults: string;
}

export interface HostEndpointTrace {
  readonly allowed: ConnectionSet;
  readonly legs: readonly HostLeg[];
  /** What the verdict assumes (an interface the route takes, a node not known): it is uncertain there. */
  readonly notes: readonly string[];
}

/** Felix's default FailsafeInboundHostPorts / FailsafeOutboundHostPorts (FelixConfiguration reference). */
export const FAILSAFE_INBOUND = ConnectionSet.of({ TCP: ports(22, 179, 2379, 2380, 5473, 6443, 6666, 6667), UDP: ports(68) });
export const FAILSAFE_OUTBOUND = ConnectionSet.of({ TCP: ports(179, 2379, 2380, 5473, 6443, 6666, 6667), UDP: ports(53, 67) });

function ports(...list: number[]): PortSet {
  return PortSet.of(list.map((p) => ({ from: p, to: p })));
}

const isCalicoGlobal = (p: PolicyModel) => p.dialect === 'calico' && p.namespace === '';
const spec = (p: PolicyModel) => (p.object.spec ?? {}) as { applyOnForward?: unknown; preDNAT?: unknown; doNotTrack?: unknown };

/** Per policy list (a what-if snapshot keeps the host endpoints with other policies), per host endpoint and direction. */
const selectingCache = new WeakMap<readonly PolicyModel[], WeakMap<HostEndpointModel, Partial<Record<Direction, readonly PolicyModel[]>>>>();

/** The policies of the snapshot that select a host endpoint in a direction, in decision order. Worked out once: the
 *  factorised analysis asks for every class pair of a snapshot with host endpoints. */
function selecting(snapshot: Snapshot, hep: HostEndpointModel, direction: Direction): readonly PolicyModel[] {
  let byHep = selectingCache.get(snapshot.policies);
  if (!byHep) selectingCache.set(snapshot.policies, (byHep = new WeakMap()));
  let byDirection = byHep.get(hep);
  if (!byDirection) byHep.set(hep, (byDirection = {}));
  return (byDirection[direction] ??= snapshot.policies
    .filter((p) => isCalicoGlobal(p) && p[direction].affects && p.podSelector.matches(hep.labels))
    .sort(comparePolicyOrder));
}

interface Stage {
  /** What a rule allowed. */
  readonly allow: ConnectionSet;
  /** What a rule denied (or an isolating tier's end denied). */
  readonly deny: ConnectionSet;
  readonly steps: HostStep[];
}

/** The rules of some policies in one direction for one packet (src → dst), tier by tier. `isolating`: a tier
 *  whose policies select the host endpoint denies what its rules leave undecided (normal policies); else what
 *  none decides goes on (untracked, pre-DNAT). */
function stage(snapshot: Snapshot, name: HostStep['stage'], policies: readonly PolicyModel[], direction: Direction, src: Endpoint, dst: Endpoint, isolating: boolean): Stage {
  const namespaceLabels = (namespace: string) => snapshot.namespaces.get(namespace)?.labels ?? {};
  const dstPorts = dst.type === 'pod' ? dst.namedPorts : undefined;
  const tiers: TierInput<{ policy: PolicyModel; rule: RuleModel }>[] = [];
  for (const policy of policies) {
    let current = tiers[tiers.length - 1];
    const tier = isolating ? policy.tier : { ...policy.tier, endOfTier: 'continue' as const };
    if (!current || current.tier.order !== tier.order) tiers.push((current = { tier, selected: true, hits: [] }));
    const rules = [...policy[direction].rules].sort((a, b) => a.precedence - b.precedence || a.index - b.index);
    for (const rule of rules) {
      // A matcher reads (the other end, the policy's own end): the source for ingress, the destination for egress.
      const matched = rule.peers === null || rule.peers.some((peer) => peer.kind === 'matcher' && (direction === 'ingress' ? peer.matches(src, dst, namespaceLabels) : peer.matches(dst, src, namespaceLabels)));
      if (matched) (current.hits as RuleHit<{ policy: PolicyModel; rule: RuleModel }>[]).push({ action: rule.action, ports: rule.allowed.resolve(dstPorts), rule: { policy, rule } });
    }
  }
  const decision = decide(tiers);
  const steps: HostStep[] = decision.effects
    .filter((e) => e.action !== 'log')
    .map((e) => ({ stage: name, policy: e.rule.policy.name, rule: e.rule.rule.path, action: e.action, ports: e.ports }));
  const allow = decision.allowed.subtract(decision.byDefault);
  const deny = ConnectionSet.ALL.subtract(decision.allowed);
  return { allow, deny, steps };
}

/** A forwarded packet crossing a host endpoint in one direction. */
export function forwardLeg(snapshot: Snapshot, hep: HostEndpointModel, direction: Direction, src: Endpoint, dst: Endpoint): HostLeg {
  const policies = selecting(snapshot, hep, direction).filter((p) => spec(p).applyOnForward === true);
  const wildcard = hep.interfaceName === '*';
  const untracked = wildcard ? [] : policies.filter((p) => spec(p).doNotTrack === true);
  const preDnat = direction === 'ingress' ? policies.filter((p) => spec(p).preDNAT === true && spec(p).doNotTrack !== true) : [];
  const normal = policies.filter((p) => spec(p).preDNAT !== true && spec(p).doNotTrack !== true);
  const steps: HostStep[] = [];
  let allowed = ConnectionSet.ALL;
  if (untracked.length > 0) {
    const s = stage(snapshot, 'untracked', untracked, direction, src, dst, false);
    steps.push(...s.steps);
    allowed = allowed.subtract(s.deny);
  }
  if (preDnat.length > 0) {
    const s = stage(snapshot, 'preDNAT', preDnat, direction, src, dst, false);
    steps.push(...s.steps);
    allowed = allowed.subtract(s.deny);
  }
  if (normal.length > 0) {
    const s = stage(snapshot, 'normal', normal, direction, src, dst, true);
    steps.push(...s.steps);
    allowed = allowed.intersect(s.allow);
  }
  return {
    hostEndpoint: hep.name,
    direction,
    traffic: 'forwarded',
    allowed,
    steps,
    defaults: normal.length > 0 ? 'what no applyOnForward rule allows is denied' : 'no applyOnForward policy selects it in this direction: allowed',
  };
}

/** A packet to (ingress) or from (egress) the host itself through a host endpoint. `client` is the far end. */
export function hostLeg(snapshot: Snapshot, hep: HostEndpointModel, direction: Direction, src: Endpoint, dst: Endpoint): HostLeg {
  const policies = selecting(snapshot, hep, direction);
  const wildcard = hep.interfaceName === '*';
  const untracked = wildcard ? [] : policies.filter((p) => spec(p).doNotTrack === true);
  const preDnat = direction === 'ingress' ? policies.filter((p) => spec(p).preDNAT === true && spec(p).doNotTrack !== true) : [];
  const normal = policies.filter((p) => spec(p).preDNAT !== true && spec(p).doNotTrack !== true);
  const failsafe = direction === 'ingress' ? FAILSAFE_INBOUND : FAILSAFE_OUTBOUND;
  const steps: HostStep[] = [];
  let undecided = ConnectionSet.ALL;
  let allowed = ConnectionSet.NONE;
  if (untracked.length > 0) {
    const s = stage(snapshot, 'untracked', untracked, direction, src, dst, false);
    steps.push(...s.steps);
    // The reply goes the other way, untracked too: the host endpoint's untracked policies of the other direction
    // must allow it, for every port of the protocol (the client's port is ephemeral).
    const back: Direction = direction === 'ingress' ? 'egress' : 'ingress';
    const reply = stage(snapshot, 'untracked', selecting(snapshot, hep, back).filter((p) => spec(p).doNotTrack === true), back, dst, src, false);
    const replyOk = replyProtocols(reply.allow);
    allowed = allowed.union(s.allow.intersect(replyOk));
    undecided = undecided.subtract(s.allow).subtract(s.deny);
  }
  if (preDnat.length > 0) {
    const s = stage(snapshot, 'preDNAT', preDnat, direction, src, dst, false);
    steps.push(...s.steps);
    allowed = allowed.union(s.allow.intersect(undecided));
    undecided = undecided.subtract(s.allow).subtract(s.deny);
  }
  if (normal.length > 0) {
    const s = stage(snapshot, 'normal', normal, direction, src, dst, true);
    steps.push(...s.steps);
    allowed = allowed.union(s.allow.intersect(undecided));
  } else if (hep.defaultAllow) allowed = allowed.union(undecided);
  allowed = allowed.union(failsafe);
  return {
    hostEndpoint: hep.name,
    direction,
    traffic: 'host',
    allowed,
    steps,
    defaults:
      normal.length > 0
        ? 'what no rule allows is denied; failsafe ports allowed'
        : hep.defaultAllow
          ? 'no policy selects it in this direction: allowed (profile projectcalico-default-allow)'
          : 'no policy selects it in this direction: denied except the failsafe ports',
  };
}

/** The protocols every port of which a set holds (ICMP: every type), as a connection set of those protocols. */
function replyProtocols(set: ConnectionSet): ConnectionSet {
  const parts: Partial<Record<Protocol | 'ICMP' | 'ICMPv6', PortSet>> = {};
  for (const p of [...PROTOCOLS, 'ICMP', 'ICMPv6'] as const) if (set.ports(p).isAll) parts[p] = PortSet.ALL;
  return ConnectionSet.of(parts);
}

/** The host endpoints of a node. */
function onNode(snapshot: Snapshot, node: string): HostEndpointModel[] {
  return (snapshot.hostEndpoints ?? []).filter((h) => h.node === node);
}

/** The node and host endpoints an IP endpoint (a single address) is an address of: a host endpoint's expected
 *  IP, or its node's address. `assumed`: the interface is a guess (a named host endpoint without expected IPs). */
export function hostOf(snapshot: Snapshot, ip: Extract<Endpoint, { type: 'ip' }>): { node?: string; heps: HostEndpointModel[]; assumed: boolean } | undefined {
  if (ip.first !== ip.last) return undefined;
  const heps = snapshot.hostEndpoints ?? [];
  const is = (text: string) => {
    const parsed = parseIp(text);
    return parsed !== undefined && parsed.family === ip.family && parsed.value === ip.first;
  };
  const byExpected = heps.filter((h) => h.expectedIPs.some(is));
  if (byExpected.length > 0) return { node: byExpected[0].node, heps: byExpected, assumed: false };
  for (const node of snapshot.nodes.values()) {
    if (!node.ips.some(is)) continue;
    const own = onNode(snapshot, node.name);
    const wildcard = own.filter((h) => h.interfaceName === '*');
    if (wildcard.length > 0) return { node: node.name, heps: wildcard, assumed: false };
    const named = own.filter((h) => h.expectedIPs.length === 0);
    return { node: node.name, heps: named, assumed: named.length > 0 };
  }
  return undefined;
}

/** Whether some host endpoint exists that a forwarded or host leg could read (the trace is skipped otherwise). */
export function hasHostEndpoints(snapshot: Snapshot): boolean {
  return (snapshot.hostEndpoints ?? []).length > 0;
}

/**
 * What the host endpoints decide about a connection other than "outside IP → pod" (trace.ts traceHostForward):
 *  - pod → pod: the source node's host endpoints (egress) and the destination node's (ingress), forwarded;
 *  - pod → IP: the source node's (egress), forwarded, unless the IP is its own node's (pod → its host: not
 *    modelled, a note); an address of another host: also that host endpoint's host-bound ingress;
 *  - IP → IP: an address of a host endpoint at either end: its host-bound ingress / host-originated egress.
 * Undefined when no host endpoint is crossed.
 */
export function traceHostEndpoints(snapshot: Snapshot, src: Endpoint, dst: Endpoint): HostEndpointTrace | undefined {
  if (!hasHostEndpoints(snapshot)) return undefined;
  const legs: HostLeg[] = [];
  const notes: string[] = [];
  const namedCross = (hep: HostEndpointModel, how: string) =>
    notes.push(`host endpoint ${hep.name} (interface ${hep.interfaceName || hep.expectedIPs.join(', ')}) is assumed to be the interface the traffic ${how} (routing, IP-in-IP / VXLAN tunnels may take another)`);
  if (src.type === 'pod' && dst.type === 'pod') {
    if (src.hostNetwork || dst.hostNetwork) {
      notes.push('a host-network pod sends and receives as its host: host endpoint policies for it are not modelled');
      return legs.length > 0 || notes.length > 0 ? { allowed: ConnectionSet.ALL, legs, notes } : undefined;
    }
    const sameNode = src.node !== undefined && src.node === dst.node;
    if (src.node === undefined || dst.node === undefined) notes.push('a pod whose node is not known: the host endpoints it crosses are not known');
    if (src.node !== undefined) {
      for (const hep of onNode(snapshot, src.node)) {
        if (hep.interfaceName !== '*' && (sameNode || dst.node === undefined)) continue;
        if (hep.interfaceName !== '*') namedCross(hep, 'leaves its node through');
        legs.push(forwardLeg(snapshot, hep, 'egress', src, dst));
      }
    }
    if (dst.node !== undefined) {
      for (const hep of onNode(snapshot, dst.node)) {
        if (hep.interfaceName !== '*' && (sameNode || src.node === undefined)) continue;
        if (hep.interfaceName !== '*') namedCross(hep, 'enters its node through');
        legs.push(forwardLeg(snapshot, hep, 'ingress', src, dst));
      }
    }
  } else if (src.type === 'pod' && dst.type === 'ip') {
    if (src.hostNetwork) {
      notes.push('a host-network pod sends as its host: host endpoint policies for it are not modelled');
      return { allowed: ConnectionSet.ALL, legs, notes };
    }
    const host = hostOf(snapshot, dst);
    if (src.node === undefined) notes.push('a pod whose node is not known: the host endpoints it crosses are not known');
    else if (host?.node === src.node) {
      notes.push(`traffic from a pod to its own host (${src.node}) is not modelled for host endpoints`);
    } else {
      for (const hep of onNode(snapshot, src.node)) {
        if (hep.interfaceName !== '*') namedCross(hep, 'leaves its node through');
        legs.push(forwardLeg(snapshot, hep, 'egress', src, dst));
      }
    }
    if (host && host.node !== src.node) {
      for (const hep of host.heps) {
        if (host.assumed) namedCross(hep, 'reaches its host through');
        legs.push(hostLeg(snapshot, hep, 'ingress', src, dst));
      }
    }
  } else if (src.type === 'ip' && dst.type === 'ip') {
    const from = hostOf(snapshot, src);
    const to = hostOf(snapshot, dst);
    if (from && to && from.node !== undefined && from.node === to.node) {
      notes.push(`traffic of a host to itself (${from.node}) is not policed by its host endpoints`);
      return { allowed: ConnectionSet.ALL, legs, notes };
    }
    for (const hep of from?.heps ?? []) {
      if (from!.assumed) namedCross(hep, 'leaves its host through');
      legs.push(hostLeg(snapshot, hep, 'egress', src, dst));
    }
    for (const hep of to?.heps ?? []) {
      if (to!.assumed) namedCross(hep, 'reaches its host through');
      legs.push(hostLeg(snapshot, hep, 'ingress', src, dst));
    }
  }
  if (legs.length === 0 && notes.length === 0) return undefined;
  let allowed = ConnectionSet.ALL;
  for (const leg of legs) allowed = allowed.intersect(leg.allowed);
  return { allowed, legs, notes };
}
