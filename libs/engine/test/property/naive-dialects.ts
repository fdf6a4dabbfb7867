// The naive evaluator's reading of Calico and Cilium (issue 12), one connection at a time, written from the upstream
// references (docs.tigera.io: policy / tiers / network sets / selectors; docs.cilium.io: policy language, deny
// policies, enableDefaultDeny, entities, endpoint identity labels) and the brief, never from the engine's dialect
// folders. Kubernetes NetworkPolicies are read again here as each CNI enforces them. Slow and plain on purpose.
//
// Modelling choices shared with the engine's CNI profiles (not semantics, but what a snapshot of pods can say):
// an address probe is never a pod; a pod without a known IP is in no CIDR; host-network pods are analysed as pods;
// Cilium endpoint selectors name pods only (addresses are reached through CIDRs and entities).
import type { KubeObject } from '../../src/manifest/types.js';
import { calicoSelectorMatches, mentionsGlobal } from './naive-calico-selector.js';
import { buildNaiveCluster, policyApplies, rulePortsMatch, selectorMatches, type NaiveCluster, type NaiveIp, type NaivePeer, type NaivePod } from './naive-evaluator.js';
import { cidrContains, parseCidr, parseIp, type IpAddress } from './naive-ip.js';

export type Dialect = 'calico' | 'cilium';
type Direction = 'Ingress' | 'Egress';
type Json = Record<string, unknown>;

/** One connection question: a port of TCP / UDP / SCTP, or an ICMP type and code (family from the ends). */
export type Probe = { readonly protocol: 'TCP' | 'UDP' | 'SCTP'; readonly port: number } | { readonly protocol: 'ICMP'; readonly type: number; readonly code: number };

export interface NaiveDialectCluster {
  readonly dialect: Dialect;
  /** Pods, namespaces and the Kubernetes NetworkPolicies. */
  readonly base: NaiveCluster;
  /** The dialect's policies (Calico NetworkPolicy / GlobalNetworkPolicy; Cilium CNP / CCNP). */
  readonly policies: readonly KubeObject[];
  readonly tiers: readonly { name: string; order: number; defaultAction: string }[];
  readonly networkSets: readonly { namespace: string | null; labels: Record<string, string>; nets: readonly string[] }[];
  /** A pod's service account, by `namespace/kind/name`. */
  readonly serviceAccounts: ReadonlyMap<string, string>;
  /** Calico HostEndpoints. */
  readonly hostEndpoints: readonly NaiveHostEndpoint[];
  /** Node addresses (InternalIP / ExternalIP) by node name. */
  readonly nodeAddresses: ReadonlyMap<string, readonly string[]>;
}

export interface NaiveHostEndpoint {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly node?: string;
  readonly interfaceName: string;
  readonly expectedIPs: readonly string[];
  readonly profiles: readonly string[];
}

const asObject = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const asArray = (v: unknown): unknown[] | undefined => (Array.isArray(v) ? v : undefined);
const isIp = (peer: NaivePeer): peer is NaiveIp => 'ip' in peer;
const podKey = (p: { namespace: string; kind: string; name: string }) => `${p.namespace}/${p.kind}/${p.name}`;
const isDialectObject = (o: KubeObject) => o.apiVersion.startsWith('projectcalico.org/') || o.apiVersion.startsWith('cilium.io/');

export function buildNaiveDialectCluster(objects: readonly KubeObject[], dialect: Dialect): NaiveDialectCluster {
  const base = buildNaiveCluster(objects.filter((o) => !isDialectObject(o)));
  const policies: KubeObject[] = [];
  const tiers: NaiveDialectCluster['tiers'][number][] = [];
  const networkSets: NaiveDialectCluster['networkSets'][number][] = [];
  const hostEndpoints: NaiveHostEndpoint[] = [];
  const nodeAddresses = new Map<string, string[]>();
  for (const o of objects) {
    if (o.kind !== 'Node') continue;
    const addresses = (asArray(asObject(o.status)?.addresses) ?? []).map((a) => asObject(a) ?? {}).filter((a) => a.type === 'InternalIP' || a.type === 'ExternalIP');
    nodeAddresses.set(o.metadata.name, addresses.map((a) => String(a.address)));
  }
  for (const o of objects) {
    if (!isDialectObject(o)) continue;
    const spec = asObject(o.spec) ?? {};
    if (o.kind === 'HostEndpoint') {
      hostEndpoints.push({
        name: o.metadata.name,
        labels: { ...((o.metadata.labels as Record<string, string> | undefined) ?? {}) },
        ...(typeof spec.node === 'string' && spec.node !== '' ? { node: spec.node } : {}),
        interfaceName: typeof spec.interfaceName === 'string' ? spec.interfaceName : '',
        expectedIPs: (asArray(spec.expectedIPs) ?? []).map(String),
        profiles: (asArray(spec.profiles) ?? []).map(String),
      });
    } else if (o.kind === 'Tier') tiers.push({ name: o.metadata.name, order: Number(spec.order), defaultAction: String(spec.defaultAction ?? 'Deny') });
    else if (o.kind === 'NetworkSet' || o.kind === 'GlobalNetworkSet') {
      networkSets.push({
        namespace: o.kind === 'NetworkSet' ? (o.metadata.namespace ?? 'default') : null,
        labels: { ...((o.metadata.labels as Record<string, string> | undefined) ?? {}) },
        nets: (asArray(spec.nets) ?? []).map(String),
      });
    } else policies.push(o);
  }
  const serviceAccounts = new Map<string, string>();
  for (const o of objects) {
    const spec = asObject(o.spec);
    const podSpec = o.kind === 'Pod' ? spec : asObject(asObject(spec?.template)?.spec);
    const account = podSpec?.serviceAccountName;
    serviceAccounts.set(podKey({ namespace: o.metadata.namespace ?? 'default', kind: o.kind, name: o.metadata.name }), typeof account === 'string' ? account : 'default');
  }
  return { dialect, base, policies, tiers, networkSets, serviceAccounts, hostEndpoints, nodeAddresses };
}

// --- shared pieces -----------------------------------------------------------------------------------------------

function addresses(peer: NaivePeer): IpAddress[] {
  const texts = isIp(peer) ? [peer.ip] : (peer.ips ?? []);
  return texts.map((t) => parseIp(t)).filter((ip): ip is IpAddress => ip !== undefined);
}

function inCidr(text: string, ip: IpAddress): boolean {
  const cidr = parseCidr(text.includes('/') ? text : `${text}/${text.includes(':') ? 128 : 32}`);
  return cidr !== undefined && cidrContains(cidr, ip);
}

/** ICMP or ICMPv6: v6 when an end is an IPv6 address or a pod with IPv6 addresses only. */
export function icmpFamily(a: NaivePeer, b: NaivePeer): 'ICMP' | 'ICMPv6' {
  const v6 = (p: NaivePeer) => {
    const ips = addresses(p);
    return ips.length > 0 && ips.every((ip) => ip.family === 6);
  };
  return v6(a) || v6(b) ? 'ICMPv6' : 'ICMP';
}

function namespaceLabels(cluster: NaiveDialectCluster, namespace: string): Record<string, string> {
  return { ...(cluster.base.namespaceLabels.get(namespace) ?? { 'kubernetes.io/metadata.name': namespace }) };
}

/** A Kubernetes NetworkPolicy peer as the CNI reads it: `labels` gives a pod's labels as the CNI sees them;
 *  `ipBlockMatchesPods`: Calico puts pod IPs in ipBlocks, Cilium does not. */
function k8sPeerMatches(cluster: NaiveDialectCluster, rawPeer: unknown, policyNamespace: string, other: NaivePeer, labels: (p: NaivePod) => Record<string, string>, ipBlockMatchesPods: boolean): boolean {
  const peer = asObject(rawPeer) ?? {};
  const ipBlock = asObject(peer.ipBlock);
  if (ipBlock) {
    if (!isIp(other) && !ipBlockMatchesPods) return false;
    return addresses(other).some((ip) => inCidr(String(ipBlock.cidr), ip) && !(asArray(ipBlock.except) ?? []).some((e) => inCidr(String(e), ip)));
  }
  if (isIp(other)) return false;
  const namespaceOk = peer.namespaceSelector === undefined ? other.namespace === policyNamespace : selectorMatches(peer.namespaceSelector, namespaceLabels(cluster, other.namespace));
  return namespaceOk && (peer.podSelector === undefined || selectorMatches(peer.podSelector, labels(other)));
}

function k8sSelects(policy: KubeObject, subject: NaivePod, labels: Record<string, string>, direction: Direction): boolean {
  return (policy.metadata.namespace ?? 'default') === subject.namespace && selectorMatches(asObject(policy.spec)?.podSelector, labels) && policyApplies(policy, direction);
}

/** Whether one Kubernetes NetworkPolicy rule allows the probe. ICMP passes only a rule without ports. */
function k8sRuleAllows(cluster: NaiveDialectCluster, policy: KubeObject, rawRule: unknown, direction: Direction, other: NaivePeer, destination: NaivePeer, probe: Probe, labels: (p: NaivePod) => Record<string, string>, ipBlockMatchesPods: boolean): boolean {
  const rule = asObject(rawRule) ?? {};
  const peers = asArray(direction === 'Ingress' ? rule.from : rule.to);
  const peerOk = !peers || peers.length === 0 || peers.some((p) => k8sPeerMatches(cluster, p, policy.metadata.namespace ?? 'default', other, labels, ipBlockMatchesPods));
  if (!peerOk) return false;
  if (probe.protocol === 'ICMP') return (asArray(rule.ports) ?? []).length === 0;
  return rulePortsMatch(rule.ports, probe.protocol, probe.port, destination);
}

const k8sRules = (policy: KubeObject, direction: Direction) => asArray(direction === 'Ingress' ? asObject(policy.spec)?.ingress : asObject(policy.spec)?.egress) ?? [];

// --- Calico --------------------------------------------------------------------------------------------------------
// Per direction, tiers in ascending order; a tier counts for an endpoint when one of its policies selects it for that
// direction (types). Policies by ascending order (unset: last), rules in order, the first matching rule acts: Allow
// and Deny decide, Pass skips to the next tier, Log goes on. A tier whose selecting policies match nothing ends in
// its defaultAction (Deny unless Pass). Kubernetes NetworkPolicies are policies of the default tier (order
// 1,000,000) at order 1000. After the last tier (or with no policy at all) the namespace profile allows.

const CALICO_DEFAULT_TIER_ORDER = 1_000_000;
const K8S_POLICY_ORDER = 1000;

function calicoEndpointLabels(pod: NaivePod): Record<string, string> {
  return { ...pod.labels, 'projectcalico.org/namespace': pod.namespace, 'projectcalico.org/orchestrator': 'k8s' };
}

function calicoNamespaceLabels(cluster: NaiveDialectCluster, namespace: string): Record<string, string> {
  return { ...namespaceLabels(cluster, namespace), 'projectcalico.org/name': namespace };
}

/** Calico `types` when unset: Ingress, plus Egress when there are egress rules; Egress only when only egress rules. */
function calicoTypes(spec: Json): Direction[] {
  const types = asArray(spec.types);
  if (types) return types.map(String) as Direction[];
  const ingress = (asArray(spec.ingress) ?? []).length > 0;
  const egress = (asArray(spec.egress) ?? []).length > 0;
  if (egress && !ingress) return ['Egress'];
  return egress ? ['Ingress', 'Egress'] : ['Ingress'];
}

function calicoSelects(cluster: NaiveDialectCluster, policy: KubeObject, pod: NaivePod, direction: Direction): boolean {
  const spec = asObject(policy.spec) ?? {};
  if (!calicoTypes(spec).includes(direction)) return false;
  if (policy.kind === 'NetworkPolicy' && (policy.metadata.namespace ?? 'default') !== pod.namespace) return false;
  if (!calicoSelectorMatches(String(spec.selector ?? 'all()'), calicoEndpointLabels(pod))) return false;
  if (policy.kind === 'GlobalNetworkPolicy' && spec.namespaceSelector !== undefined) {
    return calicoSelectorMatches(String(spec.namespaceSelector), calicoNamespaceLabels(cluster, pod.namespace));
  }
  return true;
}

/** One side (`source` or `destination`) of a Calico rule against one end of the connection. `policyNamespace`
 *  null: a GlobalNetworkPolicy. Selectors pick endpoints and network sets (an address matches a selected set when
 *  it is in one of the set's nets — a pod's address too, as Calico's IP sets hold both). */
function calicoEntityMatches(cluster: NaiveDialectCluster, entity: Json, policyNamespace: string | null, end: NaivePeer): boolean {
  const nsSelector = entity.namespaceSelector === undefined ? undefined : String(entity.namespaceSelector);
  const inScope = (namespace: string | null): boolean => {
    if (nsSelector !== undefined) return namespace === null ? mentionsGlobal(nsSelector) : calicoSelectorMatches(nsSelector, calicoNamespaceLabels(cluster, namespace));
    return policyNamespace === null || namespace === policyNamespace;
  };
  const selected = (selector: string): boolean => {
    if (!isIp(end) && inScope(end.namespace) && calicoSelectorMatches(selector, calicoEndpointLabels(end))) return true;
    const ips = addresses(end);
    return cluster.networkSets.some((set) => {
      const labels = set.namespace === null ? set.labels : { ...set.labels, 'projectcalico.org/namespace': set.namespace };
      return inScope(set.namespace) && calicoSelectorMatches(selector, labels) && ips.some((ip) => set.nets.some((n) => inCidr(n, ip)));
    });
  };
  if (entity.selector !== undefined || nsSelector !== undefined) {
    if (!selected(entity.selector === undefined ? 'all()' : String(entity.selector))) return false;
  }
  if (entity.notSelector !== undefined && selected(String(entity.notSelector))) return false;
  const ips = addresses(end);
  if (entity.nets !== undefined && !ips.some((ip) => (asArray(entity.nets) ?? []).some((n) => inCidr(String(n), ip)))) return false;
  if (entity.notNets !== undefined && ips.some((ip) => (asArray(entity.notNets) ?? []).some((n) => inCidr(String(n), ip)))) return false;
  return true;
}

const CALICO_PROTOCOLS: Record<string, string> = { TCP: 'TCP', '6': 'TCP', UDP: 'UDP', '17': 'UDP', SCTP: 'SCTP', '132': 'SCTP', ICMP: 'ICMP', '1': 'ICMP', ICMPV6: 'ICMPv6', '58': 'ICMPv6' };
const calicoProtocol = (v: unknown) => CALICO_PROTOCOLS[String(v).toUpperCase()] ?? `other:${String(v)}`;

function calicoPortListHas(list: unknown[], port: number, protocol: string, destination: NaivePeer): boolean {
  return list.some((entry) => {
    if (typeof entry === 'number') return entry === port;
    const text = String(entry);
    const range = /^(\d+):(\d+)$/.exec(text);
    if (range) return port >= Number(range[1]) && port <= Number(range[2]);
    if (/^\d+$/.test(text)) return Number(text) === port;
    return !isIp(destination) && destination.ports.some((cp) => cp.name === text && cp.protocol === protocol && cp.port === port);
  });
}

function calicoRuleMatches(cluster: NaiveDialectCluster, rule: Json, policyNamespace: string | null, source: NaivePeer, destination: NaivePeer, probe: Probe): boolean {
  const protocol = probe.protocol === 'ICMP' ? icmpFamily(source, destination) : probe.protocol;
  if (rule.protocol !== undefined && calicoProtocol(rule.protocol) !== protocol) return false;
  if (rule.notProtocol !== undefined && calicoProtocol(rule.notProtocol) === protocol) return false;
  const icmp = asObject(rule.icmp);
  const icmpHit = (spec: Json) => probe.protocol === 'ICMP' && spec.type === probe.type && (spec.code === undefined || spec.code === probe.code);
  if (icmp && !icmpHit(icmp)) return false;
  const notIcmp = asObject(rule.notICMP);
  if (notIcmp && icmpHit(notIcmp)) return false;
  const src = asObject(rule.source) ?? {};
  const dst = asObject(rule.destination) ?? {};
  if (!calicoEntityMatches(cluster, src, policyNamespace, source)) return false;
  if (!calicoEntityMatches(cluster, dst, policyNamespace, destination)) return false;
  const ports = asArray(dst.ports);
  if (ports && (probe.protocol === 'ICMP' || !calicoPortListHas(ports, probe.port, probe.protocol, destination))) return false;
  const notPorts = asArray(dst.notPorts);
  if (notPorts && probe.protocol !== 'ICMP' && calicoPortListHas(notPorts, probe.port, probe.protocol, destination)) return false;
  return true;
}

interface CalicoTierPolicy {
  readonly order: number;
  readonly name: string;
  /** The action of the first rule matching the connection, if any. */
  readonly firstMatch: () => string | undefined;
}

function calicoSideAllows(cluster: NaiveDialectCluster, direction: Direction, subject: NaivePod, source: NaivePeer, destination: NaivePeer, probe: Probe): boolean {
  const other = direction === 'Ingress' ? source : destination;
  const tiers = [{ name: 'default', order: CALICO_DEFAULT_TIER_ORDER, defaultAction: 'Deny' }, ...cluster.tiers].sort((a, b) => a.order - b.order || (a.name < b.name ? -1 : 1));
  for (const tier of tiers) {
    const members: CalicoTierPolicy[] = [];
    for (const policy of cluster.policies) {
      const spec = asObject(policy.spec) ?? {};
      if (String(spec.tier ?? 'default') !== tier.name || !calicoSelects(cluster, policy, subject, direction)) continue;
      const policyNamespace = policy.kind === 'GlobalNetworkPolicy' ? null : (policy.metadata.namespace ?? 'default');
      members.push({
        order: typeof spec.order === 'number' ? spec.order : Infinity,
        name: policy.metadata.name,
        firstMatch: () => {
          const rules = asArray(direction === 'Ingress' ? spec.ingress : spec.egress) ?? [];
          const hit = rules.map((r) => asObject(r) ?? {}).find((r) => r.action !== 'Log' && calicoRuleMatches(cluster, r, policyNamespace, source, destination, probe));
          return hit ? String(hit.action) : undefined;
        },
      });
    }
    if (tier.name === 'default') {
      for (const policy of cluster.base.policies) {
        if (!k8sSelects(policy, subject, subject.labels, direction)) continue;
        members.push({
          order: K8S_POLICY_ORDER,
          name: `knp.default.${policy.metadata.name}`,
          firstMatch: () => (k8sRules(policy, direction).some((r) => k8sRuleAllows(cluster, policy, r, direction, other, destination, probe, (p) => p.labels, true)) ? 'Allow' : undefined),
        });
      }
    }
    if (members.length === 0) continue;
    members.sort((a, b) => a.order - b.order || (a.name < b.name ? -1 : 1));
    let action: string | undefined;
    for (const member of members) {
      action = member.firstMatch();
      if (action !== undefined) break;
    }
    if (action === 'Allow') return true;
    if (action === 'Deny') return false;
    if (action === 'Pass') continue;
    if (tier.defaultAction === 'Pass') continue;
    return false;
  }
  return true;
}

// --- Cilium --------------------------------------------------------------------------------------------------------
// Per direction: allowed when no deny rule of a selecting policy matches, and either the endpoint is not in default
// deny or some allow rule (Cilium's or a Kubernetes NetworkPolicy's) matches. Default deny: a selecting Cilium policy
// with ingress / ingressDeny rules (egress likewise) whose enableDefaultDeny does not turn it off, or a selecting
// Kubernetes NetworkPolicy of that direction. Every selector reads the pod's identity labels.

const CILIUM_NAMESPACE = 'io.kubernetes.pod.namespace';
const CILIUM_NAMESPACE_LABELS = 'io.cilium.k8s.namespace.labels.';

function ciliumIdentity(cluster: NaiveDialectCluster, pod: NaivePod): Record<string, string> {
  const identity: Record<string, string> = { ...pod.labels };
  for (const [k, v] of Object.entries(namespaceLabels(cluster, pod.namespace))) identity[`${CILIUM_NAMESPACE_LABELS}${k}`] = v;
  identity[CILIUM_NAMESPACE] = pod.namespace;
  identity['io.cilium.k8s.policy.cluster'] = 'default';
  identity['io.cilium.k8s.policy.serviceaccount'] = cluster.serviceAccounts.get(podKey(pod)) ?? 'default';
  return identity;
}

/** The selector with `k8s:` / `any:` label sources dropped (pod labels carry the k8s source). */
function stripSources(raw: unknown): Json {
  const sel = asObject(raw) ?? {};
  const strip = (k: string) => k.replace(/^(k8s|any):/, '');
  const out: Json = {};
  if (sel.matchLabels) out.matchLabels = Object.fromEntries(Object.entries(asObject(sel.matchLabels) ?? {}).map(([k, v]) => [strip(k), v]));
  if (sel.matchExpressions) out.matchExpressions = (asArray(sel.matchExpressions) ?? []).map((e) => ({ ...(asObject(e) ?? {}), key: strip(String(asObject(e)?.key)) }));
  return out;
}

function selectorKeys(sel: Json): string[] {
  return [...Object.keys(asObject(sel.matchLabels) ?? {}), ...(asArray(sel.matchExpressions) ?? []).map((e) => String(asObject(e)?.key))];
}

/** A namespaced policy's endpoint selectors reach only its namespace, unless they name the namespace themselves or
 *  one of its labels (`io.cilium.k8s.namespace.labels.*`): Cilium's ParseToCiliumRule / getEndpointSelector. */
function ciliumEndpointMatches(cluster: NaiveDialectCluster, rawSelector: unknown, policy: KubeObject, other: NaivePeer): boolean {
  if (isIp(other)) return false;
  const sel = stripSources(rawSelector);
  const clusterwide = policy.kind === 'CiliumClusterwideNetworkPolicy';
  const namesNamespace = selectorKeys(sel).some((k) => k === CILIUM_NAMESPACE || k.startsWith(CILIUM_NAMESPACE_LABELS));
  if (!clusterwide && !namesNamespace && other.namespace !== (policy.metadata.namespace ?? 'default')) return false;
  return selectorMatches(sel, ciliumIdentity(cluster, other));
}

function ciliumPortsAllow(toPorts: unknown[], probe: Probe, destination: NaivePeer): boolean {
  if (probe.protocol === 'ICMP') return false;
  return toPorts.some((entry) =>
    (asArray(asObject(entry)?.ports) ?? []).some((raw) => {
      const p = asObject(raw) ?? {};
      const protocol = String(p.protocol ?? 'ANY').toUpperCase();
      if (protocol !== 'ANY' && protocol !== probe.protocol) return false;
      const text = String(p.port ?? '0');
      if (/^\d+$/.test(text)) {
        const first = Number(text);
        if (first === 0) return true;
        const last = typeof p.endPort === 'number' && p.endPort > first ? p.endPort : first;
        return probe.port >= first && probe.port <= last;
      }
      return !isIp(destination) && destination.ports.some((cp) => cp.name === text && cp.protocol === probe.protocol && cp.port === probe.port);
    }),
  );
}

function ciliumRuleMatches(cluster: NaiveDialectCluster, policy: KubeObject, rawRule: unknown, direction: Direction, other: NaivePeer, destination: NaivePeer, probe: Probe): boolean {
  const rule = asObject(rawRule) ?? {};
  const p = direction === 'Ingress' ? 'from' : 'to';
  const endpoints = asArray(rule[`${p}Endpoints`]);
  const entities = asArray(rule[`${p}Entities`]);
  const cidrs = asArray(rule[`${p}CIDR`]);
  const cidrSets = asArray(rule[`${p}CIDRSet`]);
  const toPorts = asArray(rule.toPorts);
  const hasL3 = [endpoints, entities, cidrs, cidrSets].some((l) => l !== undefined && l.length > 0);
  const ips = isIp(other) ? addresses(other) : []; // CIDRs never match pods under Cilium
  const l3 =
    !hasL3
      ? toPorts !== undefined && toPorts.length > 0 // an L4-only rule applies to every peer; an empty rule to none
      : (endpoints ?? []).some((s) => ciliumEndpointMatches(cluster, s, policy, other)) ||
        (entities ?? []).some((e) => e === 'all' || (e === 'world' && isIp(other)) || (e === 'cluster' && !isIp(other))) ||
        (cidrs ?? []).some((c) => ips.some((ip) => inCidr(String(c), ip))) ||
        (cidrSets ?? []).some((s) => {
          const set = asObject(s) ?? {};
          return ips.some((ip) => inCidr(String(set.cidr), ip) && !(asArray(set.except) ?? []).some((e) => inCidr(String(e), ip)));
        });
  if (!l3) return false;
  return toPorts === undefined || toPorts.length === 0 || ciliumPortsAllow(toPorts, probe, destination);
}

function ciliumSideAllows(cluster: NaiveDialectCluster, direction: Direction, subject: NaivePod, source: NaivePeer, destination: NaivePeer, probe: Probe): boolean {
  const other = direction === 'Ingress' ? source : destination;
  const identity = ciliumIdentity(cluster, subject);
  const allowKey = direction === 'Ingress' ? 'ingress' : 'egress';
  const denyKey = direction === 'Ingress' ? 'ingressDeny' : 'egressDeny';
  let isolated = false;
  let allowed = false;
  for (const policy of cluster.policies) {
    const spec = asObject(policy.spec) ?? {};
    if (policy.kind === 'CiliumNetworkPolicy' && (policy.metadata.namespace ?? 'default') !== subject.namespace) continue;
    if (!selectorMatches(stripSources(spec.endpointSelector), identity)) continue;
    const allows = asArray(spec[allowKey]) ?? [];
    const denies = asArray(spec[denyKey]) ?? [];
    if (denies.some((r) => ciliumRuleMatches(cluster, policy, r, direction, other, destination, probe))) return false;
    if ((allows.length > 0 || denies.length > 0) && asObject(spec.enableDefaultDeny)?.[allowKey] !== false) isolated = true;
    if (allows.some((r) => ciliumRuleMatches(cluster, policy, r, direction, other, destination, probe))) allowed = true;
  }
  const labels = (p: NaivePod) => ciliumIdentity(cluster, p);
  for (const policy of cluster.base.policies) {
    if (!k8sSelects(policy, subject, identity, direction)) continue;
    isolated = true;
    if (k8sRules(policy, direction).some((r) => k8sRuleAllows(cluster, policy, r, direction, other, destination, probe, labels, false))) allowed = true;
  }
  return !isolated || allowed;
}

// --- Calico host endpoints ------------------------------------------------------------------------------------------
// docs.tigera.io reference/host-endpoints (overview, forwarded, pre-dnat, untracked, summary) and resources/hostendpoint:
// which host endpoints a connection crosses and what their GlobalNetworkPolicies decide there.
//   forwarded traffic (pod → pod, pod → outside, outside → pod): only applyOnForward policies; none selecting the
//     host endpoint in a direction: allowed; untracked (not on `interfaceName: "*"`) and pre-DNAT (ingress) Deny
//     rules drop; the normal applyOnForward policies decide as a tier chain (no match in a selecting tier: deny).
//     The source node's host endpoints see it as egress, the destination node's as ingress: a wildcard one all of
//     its node's forwarded traffic (same node too), a named one only what leaves / enters the node.
//     Outside → pod: any host endpoint may be the entry (allowed when one of them allows).
//   to / from a host's address: failsafe ports always pass; untracked Allow accepts (skipping the rest) when the
//     untracked policies of the other direction allow the reply for every port; Deny drops; then pre-DNAT (ingress)
//     Allow accepts, Deny drops; then the normal policies (applyOnForward or not); none: deny unless the
//     projectcalico-default-allow profile.

const FAILSAFE_IN: Record<string, number[]> = { TCP: [22, 179, 2379, 2380, 5473, 6443, 6666, 6667], UDP: [68] };
const FAILSAFE_OUT: Record<string, number[]> = { TCP: [179, 2379, 2380, 5473, 6443, 6666, 6667], UDP: [53, 67] };

type Stage = 'untracked' | 'preDNAT' | 'normal';

function hepPolicies(cluster: NaiveDialectCluster, hep: NaiveHostEndpoint, direction: Direction, stage: Stage, forwarded: boolean): KubeObject[] {
  return cluster.policies.filter((policy) => {
    if (policy.kind !== 'GlobalNetworkPolicy') return false;
    const spec = asObject(policy.spec) ?? {};
    if (!calicoTypes(spec).includes(direction)) return false;
    if (!calicoSelectorMatches(String(spec.selector ?? 'all()'), hep.labels)) return false;
    if (forwarded && spec.applyOnForward !== true) return false;
    const kind: Stage = spec.doNotTrack === true ? 'untracked' : spec.preDNAT === true ? 'preDNAT' : 'normal';
    return kind === stage;
  });
}

/** The policies' first matching rule, tier after tier: 'Allow' / 'Deny', 'Pass' to go on, undefined when nothing
 *  matched anywhere. `isolating`: a tier with policies and no matching rule denies (unless its default is Pass). */
function hepDecide(cluster: NaiveDialectCluster, policies: readonly KubeObject[], direction: Direction, source: NaivePeer, destination: NaivePeer, probe: Probe, isolating: boolean): 'Allow' | 'Deny' | undefined {
  const tiers = [{ name: 'default', order: CALICO_DEFAULT_TIER_ORDER, defaultAction: 'Deny' }, ...cluster.tiers].sort((a, b) => a.order - b.order || (a.name < b.name ? -1 : 1));
  for (const tier of tiers) {
    const members = policies
      .filter((p) => String(asObject(p.spec)?.tier ?? 'default') === tier.name)
      .sort((a, b) => {
        const oa = typeof asObject(a.spec)?.order === 'number' ? (asObject(a.spec)!.order as number) : Infinity;
        const ob = typeof asObject(b.spec)?.order === 'number' ? (asObject(b.spec)!.order as number) : Infinity;
        return oa - ob || (a.metadata.name < b.metadata.name ? -1 : 1);
      });
    if (members.length === 0) continue;
    let action: string | undefined;
    for (const policy of members) {
      const spec = asObject(policy.spec) ?? {};
      const rules = asArray(direction === 'Ingress' ? spec.ingress : spec.egress) ?? [];
      const hit = rules.map((r) => asObject(r) ?? {}).find((r) => r.action !== 'Log' && calicoRuleMatches(cluster, r, null, source, destination, probe));
      if (hit) {
        action = String(hit.action);
        break;
      }
    }
    if (action === 'Allow' || action === 'Deny') return action;
    if (action === 'Pass') continue;
    if (isolating && tier.defaultAction !== 'Pass') return 'Deny';
  }
  return undefined;
}

function forwardAllows(cluster: NaiveDialectCluster, hep: NaiveHostEndpoint, direction: Direction, source: NaivePeer, destination: NaivePeer, probe: Probe): boolean {
  if (hep.interfaceName !== '*' && hepDecide(cluster, hepPolicies(cluster, hep, direction, 'untracked', true), direction, source, destination, probe, false) === 'Deny') return false;
  if (direction === 'Ingress' && hepDecide(cluster, hepPolicies(cluster, hep, direction, 'preDNAT', true), direction, source, destination, probe, false) === 'Deny') return false;
  const normal = hepPolicies(cluster, hep, direction, 'normal', true);
  if (normal.length === 0) return true;
  return hepDecide(cluster, normal, direction, source, destination, probe, true) === 'Allow';
}

/** Every reply packet of the untracked connection allowed by the untracked policies of the other direction: the
 *  reply's port is the client's (any), so every port is tried where the rules could change their answer. */
function untrackedReplyAllowed(cluster: NaiveDialectCluster, hep: NaiveHostEndpoint, direction: Direction, source: NaivePeer, destination: NaivePeer, probe: Probe): boolean {
  const back: Direction = direction === 'Ingress' ? 'Egress' : 'Ingress';
  const policies = hepPolicies(cluster, hep, back, 'untracked', false);
  if (probe.protocol === 'ICMP') {
    for (let type = 0; type < 256; type++) if (hepDecide(cluster, policies, back, destination, source, { protocol: 'ICMP', type, code: 0 }, false) !== 'Allow') return false;
    return true;
  }
  const candidates = new Set<number>([1, 65535]);
  for (const policy of policies) {
    const spec = asObject(policy.spec) ?? {};
    for (const rule of asArray(back === 'Ingress' ? spec.ingress : spec.egress) ?? []) {
      for (const end of [asObject(asObject(rule)?.destination), asObject(asObject(rule)?.source)]) {
        for (const entry of [...(asArray(end?.ports) ?? []), ...(asArray(end?.notPorts) ?? [])]) {
          for (const bound of String(entry).split(':').map(Number).filter((n) => Number.isInteger(n))) {
            for (const p of [bound - 1, bound, bound + 1]) if (p >= 1 && p <= 65535) candidates.add(p);
          }
        }
      }
    }
  }
  for (const port of candidates) if (hepDecide(cluster, policies, back, destination, source, { protocol: probe.protocol, port }, false) !== 'Allow') return false;
  return true;
}

function hostAllows(cluster: NaiveDialectCluster, hep: NaiveHostEndpoint, direction: Direction, source: NaivePeer, destination: NaivePeer, probe: Probe): boolean {
  const failsafe = direction === 'Ingress' ? FAILSAFE_IN : FAILSAFE_OUT;
  if (probe.protocol !== 'ICMP' && (failsafe[probe.protocol] ?? []).includes(probe.port)) return true;
  if (hep.interfaceName !== '*') {
    const untracked = hepDecide(cluster, hepPolicies(cluster, hep, direction, 'untracked', false), direction, source, destination, probe, false);
    if (untracked === 'Deny') return false;
    if (untracked === 'Allow') return untrackedReplyAllowed(cluster, hep, direction, source, destination, probe);
  }
  if (direction === 'Ingress') {
    const preDnat = hepDecide(cluster, hepPolicies(cluster, hep, direction, 'preDNAT', false), direction, source, destination, probe, false);
    if (preDnat !== undefined) return preDnat === 'Allow';
  }
  const normal = hepPolicies(cluster, hep, direction, 'normal', false);
  if (normal.length === 0) return hep.profiles.includes('projectcalico-default-allow');
  return hepDecide(cluster, normal, direction, source, destination, probe, true) === 'Allow';
}

/** The node and host endpoints an address belongs to: a host endpoint's expected IP, else a node's address (its
 *  wildcard host endpoints, else its named ones without expected IPs). */
function hostOfAddress(cluster: NaiveDialectCluster, ip: string): { node?: string; heps: NaiveHostEndpoint[] } | undefined {
  const same = (text: string) => {
    const a = parseIp(text);
    const b = parseIp(ip);
    return a !== undefined && b !== undefined && a.family === b.family && a.value === b.value;
  };
  const expected = cluster.hostEndpoints.filter((h) => h.expectedIPs.some(same));
  if (expected.length > 0) return { node: expected[0].node, heps: expected };
  for (const [node, ips] of cluster.nodeAddresses) {
    if (!ips.some(same)) continue;
    const own = cluster.hostEndpoints.filter((h) => h.node === node);
    const wildcard = own.filter((h) => h.interfaceName === '*');
    return { node, heps: wildcard.length > 0 ? wildcard : own.filter((h) => h.expectedIPs.length === 0) };
  }
  return undefined;
}

/** What the host endpoints crossed allow (true when none is crossed). */
function hostEndpointsAllow(cluster: NaiveDialectCluster, source: NaivePeer, destination: NaivePeer, probe: Probe): boolean {
  if (cluster.hostEndpoints.length === 0) return true;
  const onNode = (node: string) => cluster.hostEndpoints.filter((h) => h.node === node);
  if (isIp(source) && !isIp(destination)) {
    // From outside to a pod: any host endpoint may be the entry.
    const withForward = cluster.hostEndpoints.filter((h) => cluster.policies.some((p) => p.kind === 'GlobalNetworkPolicy' && asObject(p.spec)?.applyOnForward === true && calicoTypes(asObject(p.spec) ?? {}).includes('Ingress') && calicoSelectorMatches(String(asObject(p.spec)?.selector ?? 'all()'), h.labels)));
    if (withForward.length === 0 || withForward.length < cluster.hostEndpoints.length) return true;
    return withForward.some((h) => forwardAllows(cluster, h, 'Ingress', source, destination, probe));
  }
  if (!isIp(source) && !isIp(destination)) {
    if (source.hostNetwork || destination.hostNetwork) return true;
    // A named interface is crossed only when both nodes are known and differ.
    const apart = source.node !== undefined && destination.node !== undefined && source.node !== destination.node;
    const out = source.node === undefined ? [] : onNode(source.node).filter((h) => h.interfaceName === '*' || apart);
    const into = destination.node === undefined ? [] : onNode(destination.node).filter((h) => h.interfaceName === '*' || apart);
    return out.every((h) => forwardAllows(cluster, h, 'Egress', source, destination, probe)) && into.every((h) => forwardAllows(cluster, h, 'Ingress', source, destination, probe));
  }
  if (!isIp(source) && isIp(destination)) {
    if (source.hostNetwork) return true;
    const host = hostOfAddress(cluster, destination.ip);
    if (source.node !== undefined && host?.node !== source.node && !onNode(source.node).every((h) => forwardAllows(cluster, h, 'Egress', source, destination, probe))) return false;
    if (host && host.node !== source.node && !host.heps.every((h) => hostAllows(cluster, h, 'Ingress', source, destination, probe))) return false;
    return true;
  }
  const from = hostOfAddress(cluster, (source as NaiveIp).ip);
  const to = hostOfAddress(cluster, (destination as NaiveIp).ip);
  if (from && to && from.node !== undefined && from.node === to.node) return true;
  return (from?.heps ?? []).every((h) => hostAllows(cluster, h, 'Egress', source, destination, probe)) && (to?.heps ?? []).every((h) => hostAllows(cluster, h, 'Ingress', source, destination, probe));
}

// --- both ----------------------------------------------------------------------------------------------------------

/** Is the connection allowed? Both the source's egress and the destination's ingress must allow it (an address end
 *  has no policies); a pod to itself is always allowed, a controller "to itself" is two of its replicas. */
export function dialectAllowed(cluster: NaiveDialectCluster, source: NaivePeer, destination: NaivePeer, probe: Probe): boolean {
  if (isIp(source) && isIp(destination)) {
    // Only a host's address makes IP to IP a question (Calico host endpoints).
    if (cluster.dialect !== 'calico' || (!hostOfAddress(cluster, source.ip) && !hostOfAddress(cluster, destination.ip))) throw new Error('naive evaluator: IP to IP is outside the model');
    return hostEndpointsAllow(cluster, source, destination, probe);
  }
  if (!isIp(source) && !isIp(destination) && source === destination && source.replicas < 2) return true;
  const side = cluster.dialect === 'calico' ? calicoSideAllows : ciliumSideAllows;
  const egressOk = isIp(source) || side(cluster, 'Egress', source, source, destination, probe);
  const ingressOk = isIp(destination) || side(cluster, 'Ingress', destination, source, destination, probe);
  return egressOk && ingressOk && (cluster.dialect !== 'calico' || hostEndpointsAllow(cluster, source, destination, probe));
}
