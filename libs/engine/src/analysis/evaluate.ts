// One connection's verdict with its explanation (the shape the CLI's `eval -o json` and the GraphQL
// `reachability` query share).
import { ICMP_ECHO_REQUEST, ICMP_FAMILIES, icmpText, isProtocol, PROTOCOLS, type ConnectionSet, type IcmpFamily, type Protocol } from '../algebra/connection-set.js';
import type { ContainerPort } from '../algebra/rule-ports.js';
import { formatIpRange, parseIp } from '../algebra/ip-set.js';
import { caveatsForHostEndpoints, caveatsForNamespaces, type Caveat } from '../caveats/caveats.js';
import type { HostEndpointTrace, HostStep } from './host-endpoints.js';
import { workloadsIn } from '../model/indexes.js';
import { isIcmpDialect } from '../output/conn-string.js';
import type { PodModel, RuleModel, Snapshot, Workload } from '../model/types.js';
import { syntheticPod } from '../model/workloads.js';
import { ipEndpoint, podEndpoint, sameWorkloadPeer, tracePair, workloadEndpoint, type Endpoint, type PairTrace, type SideTrace } from './trace.js';
import { peerSuggestions } from '../peer/peer-ref.js';
import { didYouMean } from '../peer/suggest.js';

export type PeerSpec =
  | { readonly namespace: string; readonly name: string; readonly kind?: string }
  | { readonly namespace: string; readonly pod: string }
  | { readonly ip: string };

export interface PortRangeOut {
  readonly protocol: Protocol;
  readonly from: number;
  readonly to: number;
  /** The named port this range was resolved from. */
  readonly name?: string;
}

export interface AllowedBy {
  /** Policy name (its namespace is the next field). */
  readonly policy: string;
  readonly namespace: string;
  /** 0-based field path of the rule, e.g. `spec.ingress[2]`. */
  readonly rule: string;
  /** Every port the rule allows toward this destination (named ports resolved, with their name). */
  readonly ports: readonly PortRangeOut[];
  /** The ICMP the rule allows (`ICMP type 8`, `ICMP,ICMPv6`), on a side with Calico or Cilium policies: they
   *  decide ICMP apart from ports, so the ports alone would understate the rule. */
  readonly icmp?: string;
}

export type DenialReason = 'no-rules' | 'no-peer-match' | 'port-not-listed' | 'named-port-unresolved' | 'denied-by-rule';

export interface Denial {
  readonly policy: string;
  readonly namespace: string;
  /** Absent for `no-rules` (the policy has no rule in this direction). */
  readonly rule?: string;
  readonly reason: DenialReason;
  /** For `port-not-listed`: the ports the rule does allow toward this destination. */
  readonly ports?: readonly PortRangeOut[];
  /** For `port-not-listed`: the ICMP the rule allows, as `AllowedBy.icmp`. */
  readonly icmp?: string;
}

export interface SideExplanation {
  /** Whether some policy selects this side's pod for this direction. */
  readonly isolated: boolean;
  /** `namespace/name` of every policy isolating this side's pod, sorted. */
  readonly policies: readonly string[];
  /** Rules whose peer matched and whose ports contain the asked port. */
  readonly allowedBy: readonly AllowedBy[];
  /** False when this side is an IP outside the cluster (only the pod side is checked). */
  readonly checked: boolean;
  /** This side's own verdict. */
  readonly allowed: boolean;
  /** The pod (peer name) this side's policies select; null for an IP. */
  readonly subject: string | null;
  /** When this side denies: why each rule (or rule-less policy) did not allow the port. */
  readonly denials: readonly Denial[];
  /** For tiered dialects (Calico): what decided the asked connection on this side — the first rule that allowed
   *  or denied it (with its tier, order and action), or its tier's end-of-tier deny. */
  readonly decision?: SideDecision;
}

export interface SideDecision {
  /** `rule`: a rule allowed or denied it; `end-of-tier`: a tier selecting the subject denied what it left open. */
  readonly by: 'rule' | 'end-of-tier';
  readonly tier: string;
  readonly action: 'allow' | 'deny';
  readonly policy?: string;
  readonly namespace?: string;
  /** The rule's field path, e.g. `spec.ingress[1]`. */
  readonly rule?: string;
  /** The policy's `order` (Calico; null when unset: last in its tier). */
  readonly order?: number | null;
  /** Rules that passed the connection on to a later tier before it was decided. */
  readonly passedBy?: readonly string[];
}

export interface Verdict {
  readonly allowed: boolean;
  /** The CNI profile (cni-profiles/) whose semantics produced the verdict. */
  readonly cniProfile?: string;
  /** Why that profile's name alone would mislead (no CNI declared, Calico policies evaluated under np-guard's
   *  reading): absent when it would not (cni-profiles/ undeclaredProfileNote). */
  readonly cniProfileNote?: string;
  /** Unmodelled policies that could change this verdict (empty: the verdict is certain). */
  readonly caveats: readonly Caveat[];
  readonly explanation: {
    readonly ingress: SideExplanation;
    readonly egress: SideExplanation;
    readonly summary: string;
  };
}

export type EvaluateErrorCode = 'UNKNOWN_PEER' | 'AMBIGUOUS_PEER' | 'INVALID_PEER' | 'INVALID_PORT' | 'UNKNOWN_PORT_NAME' | 'SPLIT_WORKLOAD';

export class EvaluateError extends Error {
  constructor(
    readonly code: EvaluateErrorCode,
    message: string,
    /** For AMBIGUOUS_PEER: every matching peer name, sorted; for UNKNOWN_PEER: the near names (also in the message). */
    readonly candidates: readonly string[] = [],
  ) {
    super(message);
    this.name = 'EvaluateError';
  }
}

export interface ResolvedPeer {
  readonly endpoint: Endpoint;
  /** The workload, when the spec named one (or a pod of one). */
  readonly workload?: Workload;
  readonly isWorkload: boolean;
}

/** Finds the peer a spec names. A workload name matches its np-guard name or its top-level controller's
 *  name (kind, when given, either kind, case-insensitive); failing that, a pod name. */
export function resolvePeer(snapshot: Snapshot, spec: PeerSpec): ResolvedPeer {
  if ('ip' in spec) {
    const ip = parseIp(spec.ip);
    if (!ip) throw new EvaluateError('INVALID_PEER', `"${spec.ip}" is not an IP address`);
    return { endpoint: ipEndpoint(ip.family, ip.value, ip.value, formatIpRange(ip.family, ip.value, ip.value)), isWorkload: false };
  }
  if ('pod' in spec) {
    const found = findPods(snapshot, spec.namespace, spec.pod);
    if (found.length === 0) throw unknownPeer(snapshot, `no pod ${spec.namespace}/${spec.pod} in the snapshot`, spec.namespace, spec.pod);
    const { workload, pod } = found[0];
    return { endpoint: podEndpoint(pod, pod.synthetic ? workload.displayName : undefined), workload, isWorkload: false };
  }
  const kind = spec.kind?.toLowerCase();
  const candidates = workloadsIn(snapshot, spec.namespace).filter(
    (w) =>
      ((w.name === spec.name && (!kind || w.kind.toLowerCase() === kind)) ||
        (w.topLevel.name === spec.name && (!kind || w.topLevel.kind.toLowerCase() === kind))),
  );
  if (candidates.length === 1) {
    const split = snapshot.splitWorkloads.get(candidates[0].id);
    if (split) {
      const pods = candidates[0].pods.map((p) => `${p.namespace}/${p.name}`).sort();
      throw new EvaluateError('SPLIT_WORKLOAD', `${candidates[0].displayName} cannot be answered as one workload: ${split.message}`, pods);
    }
    return { endpoint: workloadEndpoint(candidates[0]), workload: candidates[0], isWorkload: true };
  }
  if (candidates.length > 1) {
    const names = candidates.map((w) => w.displayName).sort();
    throw new EvaluateError('AMBIGUOUS_PEER', `${spec.namespace}/${spec.name} names ${names.length} workloads: ${names.join(', ')}`, names);
  }
  if (!kind || kind === 'pod') {
    const pods = findPods(snapshot, spec.namespace, spec.name);
    if (pods.length > 0) {
      const { workload, pod } = pods[0];
      return { endpoint: podEndpoint(pod, pod.synthetic ? workload.displayName : undefined), workload, isWorkload: false };
    }
  }
  const label = `${spec.namespace}/${spec.name}${spec.kind ? `[${spec.kind}]` : ''}`;
  throw unknownPeer(snapshot, `no workload or pod ${label} in the snapshot`, spec.namespace, spec.name);
}

/** UNKNOWN_PEER with the near workloads (peer/suggest): one wording for the CLI and the API; candidates lists them. */
function unknownPeer(snapshot: Snapshot, message: string, namespace: string, name: string): EvaluateError {
  const near = peerSuggestions(snapshot, { namespace, name });
  return new EvaluateError('UNKNOWN_PEER', `${message}${didYouMean(near)}`, near);
}

/** Whether an IP endpoint is the address of a Node of the snapshot or of a host-network pod. */
function isHostAddress(snapshot: Snapshot, endpoint: Endpoint): boolean {
  if (endpoint.type !== 'ip') return false;
  const same = (text: string) => {
    const ip = parseIp(text);
    return ip !== undefined && ip.family === endpoint.family && ip.value === endpoint.first && ip.value === endpoint.last;
  };
  for (const node of snapshot.nodes.values()) if (node.ips.some(same)) return true;
  for (const hep of snapshot.hostEndpoints ?? []) if (hep.expectedIPs.some(same)) return true;
  for (const w of snapshot.workloads) for (const pod of w.pods) if (pod.hostNetwork && pod.ips.some(same)) return true;
  return false;
}

/** Pod objects with that name, or a controller's synthetic replica `<name>-<i>` (i < replicas). */
function findPods(snapshot: Snapshot, namespace: string, name: string): { workload: Workload; pod: PodModel }[] {
  const out: { workload: Workload; pod: PodModel }[] = [];
  for (const workload of workloadsIn(snapshot, namespace)) {
    if (workload.pods.length > 0) {
      for (const pod of workload.pods) if (pod.name === name) out.push({ workload, pod });
      continue;
    }
    const prefix = `${workload.name}-`;
    if (!name.startsWith(prefix)) continue;
    const ordinal = name.slice(prefix.length);
    if (/^(0|[1-9]\d*)$/.test(ordinal) && Number(ordinal) < Math.max(1, workload.replicas)) {
      out.push({ workload, pod: syntheticPod(workload, Number(ordinal)) });
    }
  }
  return out;
}

export function evaluate(snapshot: Snapshot, from: PeerSpec, to: PeerSpec, port: number | string, protocol?: Protocol): Verdict {
  return evaluateTraced(snapshot, from, to, port, protocol).verdict;
}

/** A verdict with the pair's trace and whether a connection set holds the asked connection, for explanations
 *  built on the same answer. */
export interface TracedVerdict {
  readonly verdict: Verdict;
  readonly trace: PairTrace;
  readonly has: (set: ConnectionSet) => boolean;
}

/** `evaluate`, traced. */
export function evaluateTraced(snapshot: Snapshot, from: PeerSpec, to: PeerSpec, port: number | string, protocol?: Protocol): TracedVerdict {
  if (protocol !== undefined && !isProtocol(protocol)) throw new EvaluateError('INVALID_PORT', `unknown protocol ${String(protocol)}`);
  const { src, dst } = resolvePair(snapshot, from, to);
  const target = resolvePort(dst.endpoint, port, protocol);
  const trace = tracePair(snapshot, src.endpoint, dst.endpoint);
  const has = (set: ConnectionSet) => set.contains(target.protocol, target.port);
  const verdict = withCaveats(snapshot, trace, verdictFromTrace(trace, target.protocol, target.port, target.name), has);
  return { verdict, trace, has };
}

/** An ICMP question: the type and code default to ping (echo request, code 0); the family (ICMP or ICMPv6)
 *  follows the ends' addresses (ICMPv6 when an end is an IPv6 address or a pod with IPv6 addresses only). */
export function evaluateIcmp(snapshot: Snapshot, from: PeerSpec, to: PeerSpec, icmp: { readonly type?: number; readonly code?: number } = {}): Verdict {
  return evaluateIcmpTraced(snapshot, from, to, icmp).verdict;
}

/** `evaluateIcmp`, traced. */
export function evaluateIcmpTraced(snapshot: Snapshot, from: PeerSpec, to: PeerSpec, icmp: { readonly type?: number; readonly code?: number } = {}): TracedVerdict {
  for (const [name, value] of [['type', icmp.type], ['code', icmp.code]] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 0 || value > 255)) throw new EvaluateError('INVALID_PORT', `ICMP ${name} ${value} is not in 0-255`);
  }
  if (icmp.code !== undefined && icmp.type === undefined) throw new EvaluateError('INVALID_PORT', 'an ICMP code needs an ICMP type');
  const { src, dst } = resolvePair(snapshot, from, to);
  const family = icmpFamilyOf(src.endpoint, dst.endpoint);
  const type = icmp.type ?? ICMP_ECHO_REQUEST[family];
  const code = icmp.code ?? 0;
  const trace = tracePair(snapshot, src.endpoint, dst.endpoint);
  const label = icmp.type === undefined ? `${family} echo request (type ${type})` : `${family} type ${type} code ${code}`;
  const has = (set: ConnectionSet) => set.containsIcmp(family, type, code);
  return { verdict: withCaveats(snapshot, trace, verdictFromQuestion(trace, { label, has, portText: undefined }), has), trace, has };
}

function icmpFamilyOf(src: Endpoint, dst: Endpoint): IcmpFamily {
  const v6 = (e: Endpoint) => (e.type === 'ip' ? e.family === 6 : e.ips.length > 0 && e.ips.every((ip) => ip.includes(':')));
  return v6(src) || v6(dst) ? 'ICMPv6' : 'ICMP';
}

function resolvePair(snapshot: Snapshot, from: PeerSpec, to: PeerSpec): { src: ResolvedPeer; dst: ResolvedPeer } {
  const src = resolvePeer(snapshot, from);
  let dst = resolvePeer(snapshot, to);
  // Two IPs are a question only when one of them is a node of the snapshot (or a host-network pod's address):
  // traffic between a node and the outside, or between nodes, which no modelled policy selects.
  if (src.endpoint.type === 'ip' && dst.endpoint.type === 'ip' && !isHostAddress(snapshot, src.endpoint) && !isHostAddress(snapshot, dst.endpoint)) {
    throw new EvaluateError('INVALID_PEER', 'both ends are IP addresses and neither is a node of the snapshot: nothing in the cluster decides that connection');
  }
  // A workload "to itself" (or a pod to its own workload): another replica when there is one.
  if (dst.isWorkload && dst.workload && src.workload === dst.workload) {
    dst = { ...dst, endpoint: sameWorkloadPeer(dst.workload, src.endpoint) };
  }
  return { src, dst };
}

/** The verdict with its CNI profile, the L7 constraints on what allowed it, and the caveats that make it uncertain. */
function withCaveats(snapshot: Snapshot, trace: PairTrace, verdict: Verdict, has: (set: ConnectionSet) => boolean): Verdict {
  const namespaces = [trace.src, trace.dst].flatMap((e) => (e.type === 'pod' ? [e.namespace] : []));
  // Between two addresses no namespace brings the host endpoints' caveats: those crossed bring theirs.
  const caveats =
    namespaces.length > 0 ? caveatsForNamespaces(snapshot, namespaces) : caveatsForHostEndpoints(snapshot, new Set(trace.hostEndpoints?.legs.map((l) => l.hostEndpoint) ?? []));
  const cniProfile = snapshot.options.cni;
  const profile = snapshot.cniProfileNote === undefined ? { cniProfile } : { cniProfile, cniProfileNote: snapshot.cniProfileNote };
  const summary = withL7(verdict, trace, has);
  if (caveats.length === 0) return { allowed: verdict.allowed, ...profile, caveats: verdict.caveats, explanation: { ...verdict.explanation, summary } };
  return { allowed: verdict.allowed, ...profile, caveats, explanation: { ...verdict.explanation, summary: `${summary}; uncertain: ${uncertainty(caveats, cniProfile)}` } };
}

/** `A, B not modelled; C not enforced under cilium`: what the caveats leave uncertain, by kind of doubt. */
function uncertainty(caveats: readonly Caveat[], cniProfile: string): string {
  const label = (c: Caveat) => `${c.kind} ${c.namespace ? `${c.namespace}/` : ''}${c.name}`;
  const parts: string[] = [];
  // Host endpoints are modelled in part (caveats.ts says what is not).
  const partly = caveats.filter((c) => c.code === 'UNMODELLED_POLICY' && c.kind === 'HostEndpoint');
  const notModelled = caveats.filter((c) => (c.code === 'UNMODELLED_POLICY' && c.kind !== 'HostEndpoint') || c.code === 'UNMODELLED_PEER');
  const notEnforced = caveats.filter((c) => c.code === 'NOT_ENFORCED');
  const partial = caveats.filter((c) => c.code === 'SOURCE_PORT_RULE');
  if (caveats.some((c) => c.code === 'CNI_NOT_ENFORCING')) parts.push(`the CNI profile ${cniProfile} enforces no policy`);
  if (notModelled.length > 0) parts.push(`${notModelled.map(label).join(', ')} not modelled`);
  if (partly.length > 0) parts.push(`${partly.map(label).join(', ')} modelled in part (not: traffic between a pod and its own host, host-network pods, FelixConfiguration failsafe ports)`);
  if (notEnforced.length > 0) parts.push(`${notEnforced.map(label).join(', ')} not enforced under ${cniProfile}`);
  if (partial.length > 0) parts.push(`${partial.map(label).join(', ')} ${partial.length === 1 ? 'has' : 'have'} Deny / Pass rules limited to client source ports (not applied here)`);
  return parts.join('; ');
}

/** What an allow rule limits beyond the asked connection: layer-7 requests, client source ports. */
function limitsOf(rule: RuleModel): readonly string[] {
  return rule.sourcePorts === undefined ? (rule.l7 ?? []) : [...(rule.l7 ?? []), rule.sourcePorts];
}

/** An allowed connection whose every allowing rule (on a side that isolates) carries layer-7 constraints (or a client
 *  source-port limit) is allowed for those only: the summary names them ("allowed: GET /api/.* only"). */
function withL7(verdict: Verdict, trace: PairTrace, has: (set: ConnectionSet) => boolean): string {
  if (!verdict.allowed || trace.samePod) return verdict.explanation.summary;
  const constraints: string[] = [];
  for (const side of [trace.egress, trace.ingress]) {
    if (!side || !side.isolated) continue;
    const allowing = side.policies.flatMap((p) => p.rules).filter((r) => r.rule.action === 'allow' && has(r.decided));
    if (allowing.length === 0 || allowing.some((r) => limitsOf(r.rule).length === 0)) continue;
    for (const r of allowing) for (const c of limitsOf(r.rule)) if (!constraints.includes(c)) constraints.push(c);
  }
  if (constraints.length === 0) return verdict.explanation.summary;
  return `${verdict.explanation.summary}; allowed: ${constraints.join(' or ')} only`;
}

/** The asked port as a number: a numeric port (1-65535, protocol default TCP), or a container port name
 *  looked up on the destination pod (its protocol must agree with `protocol` when given). */
export function resolvePort(dst: Endpoint, port: number | string, protocol?: Protocol): { protocol: Protocol; port: number; name?: string } {
  const numeric = typeof port === 'number' ? port : /^\d+$/.test(port.trim()) ? Number(port.trim()) : undefined;
  if (numeric !== undefined) {
    if (!Number.isInteger(numeric) || numeric < 1 || numeric > 65535) throw new EvaluateError('INVALID_PORT', `port ${port} is not in 1-65535`);
    return { protocol: protocol ?? 'TCP', port: numeric };
  }
  const name = String(port).trim();
  if (dst.type !== 'pod') throw new EvaluateError('UNKNOWN_PORT_NAME', `a named port (${name}) needs a pod destination, not an IP`);
  const target = dst.namedPorts.get(name);
  if (!target) throw new EvaluateError('UNKNOWN_PORT_NAME', `${dst.name} has no container port named ${name}`);
  if (protocol && protocol !== target.protocol) {
    throw new EvaluateError('UNKNOWN_PORT_NAME', `${dst.name} port ${name} is ${target.protocol}, not ${protocol}`);
  }
  return { protocol: target.protocol, port: target.port, name };
}

export function verdictFromTrace(trace: PairTrace, protocol: Protocol, port: number, portName?: string): Verdict {
  return verdictFromQuestion(trace, { label: `${protocol} ${port}${portName ? ` (${portName})` : ''}`, has: (set) => set.contains(protocol, port), portText: protocol });
}

/** One asked connection: its text, whether a connection set holds it, and (for port protocols) its protocol. */
interface Question {
  readonly label: string;
  readonly has: (set: ConnectionSet) => boolean;
  readonly portText: Protocol | undefined;
}

function verdictFromQuestion(trace: PairTrace, question: Question): Verdict {
  const allowed = trace.samePod || question.has(trace.allowed);
  const dstPorts = trace.dst.type === 'pod' ? trace.dst.namedPorts : undefined;
  const egress = sideExplanation(trace.egress, question, dstPorts);
  const ingress = sideExplanation(trace.ingress, question, dstPorts);
  const what = `${question.label} from ${trace.src.name} to ${trace.dst.name}`;
  let summary: string;
  if (trace.samePod) summary = `allowed ${what}: a pod may always reach itself`;
  else {
    summary =
      `${allowed ? 'allowed' : 'denied'} ${what}; ` +
      `egress: ${sideSummary(trace.egress, egress, trace.dst.name, 'to')}; ` +
      `ingress: ${sideSummary(trace.ingress, ingress, trace.src.name, 'from')}`;
    if (trace.hostForward) {
      const through = question.has(trace.hostForward.allowed) ? 'allowed' : 'denied';
      summary += `; forwarded through host endpoints (${trace.hostForward.hostEndpoints.join(', ')}): ${through} by their applyOnForward / preDNAT policies`;
    }
    if (trace.hostEndpoints) summary += hostEndpointsSummary(trace.hostEndpoints, question.has);
  }
  return { allowed, caveats: [], explanation: { ingress, egress, summary } };
}

/** `; host endpoints: h1 egress (forwarded): denied by p spec.egress[0] (Deny); ...; assumed: ...`. */
function hostEndpointsSummary(trace: HostEndpointTrace, has: (set: ConnectionSet) => boolean): string {
  const legs = trace.legs.map((leg) => {
    // The steps that decided the asked connection, up to the one that settled it: a Deny; an Allow of the normal
    // policies; for traffic to / from the host, an untracked or pre-DNAT Allow too (it skips what follows).
    const decided: HostStep[] = [];
    for (const s of leg.steps) {
      if (s.action === 'pass' || !has(s.ports)) continue;
      decided.push(s);
      if (s.action === 'deny' || s.stage === 'normal' || leg.traffic === 'host') break;
    }
    const by = decided.length > 0 ? decided.map((s) => `${s.stage === 'normal' ? '' : `${s.stage} `}${s.policy} ${s.rule} (${s.action === 'allow' ? 'Allow' : 'Deny'})`).join(', then ') : leg.defaults;
    return `${leg.hostEndpoint} ${leg.direction} (${leg.traffic === 'host' ? 'to / from the host' : 'forwarded'}): ${has(leg.allowed) ? 'allowed' : 'denied'} by ${by}`;
  });
  let text = legs.length > 0 ? `; host endpoints: ${legs.join('; ')}` : '';
  if (trace.notes.length > 0) text += `; uncertain: ${trace.notes.join('; ')}`;
  return text;
}

function sideExplanation(side: SideTrace | null, question: Question, dstPorts: ReadonlyMap<string, ContainerPort> | undefined): SideExplanation {
  if (!side) return { isolated: false, policies: [], allowedBy: [], checked: false, allowed: true, subject: null, denials: [] };
  const allowedBy: AllowedBy[] = [];
  const denials: Denial[] = [];
  const icmp = side.policies.some((p) => isIcmpDialect(p.policy.dialect));
  for (const { policy, rules } of side.policies) {
    // Only an isolating tier (NetworkPolicy, Calico/Cilium) denies what its rules leave out; a guardrail tier
    // (AdminNetworkPolicy, BaselineAdminNetworkPolicy) denies only by a matching Deny rule.
    const isolating = policy.tier.endOfTier === 'deny-selected';
    if (rules.length === 0 && isolating) denials.push({ policy: policy.name, namespace: policy.namespace, reason: 'no-rules' });
    for (const r of rules) {
      const ref = { policy: policy.name, namespace: policy.namespace, rule: r.rule.path };
      if (!isolating && r.rule.action !== 'deny' && !(r.rule.action === 'allow' && r.peerMatched && question.has(r.decided))) continue;
      if (r.rule.action === 'deny') {
        // A deny rule explains a denial only when it decided the question (Cilium ingressDeny, ANP Deny).
        if (r.peerMatched && question.has(r.decided)) denials.push({ ...ref, reason: 'denied-by-rule' });
        continue;
      }
      if (!r.peerMatched) denials.push({ ...ref, reason: 'no-peer-match' });
      // A rule allows the question when it decided it (allow), or, in a tier of allow-only rules, whenever its
      // ports hold it (NetworkPolicy lists every allowing rule).
      else if (r.rule.action === 'allow' && question.has(r.ports) && (question.has(r.decided) || !side.policies.some((p) => p.policy.tier === policy.tier && p.rules.some((x) => x.rule.action !== 'allow')))) {
        allowedBy.push({ ...ref, ports: rulePortRanges(r.rule, dstPorts), ...icmpAllowed(r.ports, icmp) });
      } else if (!question.has(r.ports)) {
        // As np-guard (and explain): "named ports of the rule have no match" when the rule resolves to no port here.
        if (r.ports.isEmpty) denials.push({ ...ref, reason: 'named-port-unresolved' });
        else denials.push({ ...ref, reason: 'port-not-listed', ports: rulePortRanges(r.rule, dstPorts), ...icmpAllowed(r.ports, icmp) });
      }
    }
  }
  const allowed = question.has(side.allowed);
  const decision = side.policies.some((p) => p.policy.dialect === 'calico') ? sideDecision(side, question) : undefined;
  return {
    isolated: side.isolated,
    // The policies isolating this side: those of isolating tiers (the tiered steps name the others).
    policies: side.policies.filter((p) => p.policy.tier.endOfTier === 'deny-selected').map((p) => p.policy.fullName),
    allowedBy,
    checked: true,
    allowed,
    subject: side.subject.name,
    denials: allowed ? [] : denials,
    ...(decision ? { decision } : {}),
  };
}

/** The rule (in decision order) that allowed or denied the question, the Pass rules before it, or the
 *  end-of-tier deny that denied it. */
function sideDecision(side: SideTrace, question: Question): SideDecision | undefined {
  const passedBy: string[] = [];
  for (const { policy, rules } of side.policies) {
    const ordered = [...rules].sort((a, b) => a.rule.precedence - b.rule.precedence || a.rule.index - b.rule.index);
    for (const r of ordered) {
      if (!r.peerMatched || !question.has(r.decided)) continue;
      const ref = `${policy.fullName} ${r.rule.path}`;
      if (r.rule.action === 'pass') passedBy.push(ref);
      if (r.rule.action !== 'allow' && r.rule.action !== 'deny') continue;
      const order = typeof (policy.object.spec as { order?: unknown } | undefined)?.order === 'number' ? ((policy.object.spec as { order: number }).order) : null;
      return {
        by: 'rule',
        tier: policy.tier.name,
        action: r.rule.action,
        policy: policy.name,
        namespace: policy.namespace,
        rule: r.rule.path,
        // Calico enforces Kubernetes NetworkPolicies at order 1000 of the default tier.
        order: policy.dialect === 'calico' ? order : policy.dialect === 'networking-v1' ? 1000 : policy.priority,
        ...(passedBy.length > 0 ? { passedBy } : {}),
      };
    }
  }
  const isolating = side.isolatedBy.find((i) => question.has(i.denied));
  if (isolating) return { by: 'end-of-tier', tier: isolating.tier.name, action: 'deny', ...(passedBy.length > 0 ? { passedBy } : {}) };
  return undefined;
}

/** `denied by prod/deny-db spec.ingress[0] (Deny, tier security, order 100)`, or the end-of-tier deny. */
export function decisionText(d: SideDecision, subject: string): string {
  const passed = d.passedBy && d.passedBy.length > 0 ? ` after Pass by ${d.passedBy.join(', ')}` : '';
  if (d.by === 'end-of-tier') return `denied by the end of tier ${d.tier}: policies of the tier select ${subject} and none of its rules decided it${passed}`;
  const name = d.namespace ? `${d.namespace}/${d.policy}` : d.policy;
  const order = d.order === undefined ? '' : `, order ${d.order === null ? 'unset' : d.order}`;
  return `${d.action === 'allow' ? 'allowed' : 'denied'} by ${name} ${d.rule} (${d.action === 'allow' ? 'Allow' : 'Deny'}, tier ${d.tier}${order})${passed}`;
}

/** `{ icmp }` naming the ICMP of a rule's connections (`ICMP type 8`), when `icmp` and it allows some. */
function icmpAllowed(conn: ConnectionSet, icmp: boolean): { icmp?: string } {
  if (!icmp) return {};
  const text = ICMP_FAMILIES.filter((f) => !conn.ports(f).isEmpty).map((f) => icmpText(f, conn.ports(f))).join(',');
  return text ? { icmp: text } : {};
}

/** A rule's ports as ranges, toward one destination: named ports appear with the number they resolve to
 *  (and their name), unresolvable ones are left out. */
export function rulePortRanges(rule: RuleModel, dstPorts: ReadonlyMap<string, ContainerPort> | undefined): PortRangeOut[] {
  if (rule.ports === null) return PROTOCOLS.map((protocol) => ({ protocol, from: 1, to: 65535 }));
  const out: PortRangeOut[] = [];
  for (const p of rule.ports) {
    if (p.port === undefined) out.push({ protocol: p.protocol, from: 1, to: 65535 });
    else if (typeof p.port === 'number') out.push({ protocol: p.protocol, from: p.port, to: p.endPort ?? p.port });
    else {
      const target = dstPorts?.get(p.port);
      if (target && target.protocol === p.protocol) out.push({ protocol: p.protocol, from: target.port, to: target.port, name: p.port });
    }
  }
  return out;
}

function sideSummary(side: SideTrace | null, e: SideExplanation, other: string, preposition: 'to' | 'from'): string {
  if (!side) return 'not checked (an IP outside the cluster)';
  if (e.decision) return decisionText(e.decision, side.subject.name);
  const deniedBy = e.denials.filter((d) => d.reason === 'denied-by-rule');
  if (deniedBy.length > 0) return `denied by ${deniedBy.map((d) => `${d.namespace ? `${d.namespace}/` : ''}${d.policy} ${d.rule} (action deny)`).join(', ')}`;
  if (!side.isolated) return `${side.subject.name} is not isolated (default allow)`;
  if (e.allowedBy.length > 0) return `allowed by ${e.allowedBy.map((a) => `${a.namespace}/${a.policy} ${a.rule}`).join(', ')}`;
  return `${side.subject.name} is isolated by ${e.policies.join(', ')} and no rule allows it ${preposition} ${other}`;
}
