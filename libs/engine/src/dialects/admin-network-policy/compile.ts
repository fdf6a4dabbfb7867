// Compiles AdminNetworkPolicy / BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1) and
// ClusterNetworkPolicy (v1alpha2) into the neutral rule model: cluster-scoped policies in the admin tier
// (before NetworkPolicy) or the baseline tier (after it), first matching rule wins within a policy.
import { isProtocol, PROTOCOLS, type Protocol } from '../../algebra/connection-set.js';
import { IpSet, ipBlockSet, parseCidr, parseIp } from '../../algebra/ip-set.js';
import { Selector } from '../../algebra/selector.js';
import type { ParsedObject } from '../../manifest/types.js';
import { asArray, asNumber, asObject, asString, dig } from '../../model/raw.js';
import type { Direction, DirectionModel, NodeModel, PeerModel, PolicyModel, PortModel, RuleAction, RuleModel, TierModel } from '../../model/types.js';
import { cachedSelector, type CompileCache } from '../compile-cache.js';
import { rulePorts } from '../rule-ports.js';

/** Admin guardrails: decided before namespaced NetworkPolicies; what they leave undecided goes on. */
export const ADMIN_TIER: TierModel = { name: 'admin', order: 100, endOfTier: 'continue' };
/** Baseline defaults: decided after namespaced NetworkPolicies, for what they left undecided. */
export const BASELINE_TIER: TierModel = { name: 'baseline', order: 300, endOfTier: 'continue' };

/** A selector no namespace matches (a policy without a subject selects nothing; the validator reports it). */
const NO_NAMESPACE = Selector.compile({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [] }] });

const ACTIONS: Readonly<Record<string, RuleAction>> = { Allow: 'allow', Accept: 'allow', Deny: 'deny', Pass: 'pass' };

// Host-network pods (kubernetes-sigs/network-policy-api, apis/v1alpha1 adminnetworkpolicy_types.go,
// baselineadminnetworkpolicy_types.go, shared_types.go; apis/v1alpha2 clusternetworkpolicy_types.go):
// - subject, the same in both versions: "Subject defines the pods to which this AdminNetworkPolicy [Baseline…,
//   ClusterNetworkPolicy] applies. Note that host-networked pods are not included in subject selection."
//   (v1alpha1 says it on spec.subject; v1alpha2 on spec.subject and on the ClusterNetworkPolicySubject type);
// - `namespaces` peers: "Namespaces defines a way to select all pods within a set of Namespaces. Note that
//   host-networked pods are not included in this type of peer."; `pods` peers: "Pods defines a way to select a
//   set of pods in a set of namespaces. Note that host-networked pods are not included in this type of peer."
//   (ingress and egress peers, word for word in v1alpha1 and v1alpha2; v1alpha1 adds "Support: Core");
// - `networks` and `nodes` (egress peers only, in both versions): networks "is intended for representing entities
//   that live outside the cluster, ... but note that cluster-internal traffic will be checked against the rule as
//   well"; nodes "selects the nodeIPs as the peer type by matching on the IPs present in the node.Status.Addresses
//   field" (early v1alpha1 only says "select a set of nodes in the cluster"). Neither excludes host-network pods:
//   one is matched by them through its IP, its node's address.
// Hence: the subject and the namespaces / pods peers skip host-network pods (subjectExcludesHostNetwork,
// excludesHostNetwork); networks / nodes peers keep matching them (matchesPods). A host-network pod that no
// policy of these kinds can select is decided by NetworkPolicies alone (a CNI question there, HOST_NETWORK).

export function compileClusterPolicy(
  parsed: ParsedObject,
  id: number,
  cache: CompileCache,
  readIndex: number,
  nodes: ReadonlyMap<string, NodeModel> = new Map(),
): PolicyModel {
  const { object } = parsed;
  const spec = asObject(object.spec) ?? {};
  const tier = tierOf(object.kind, spec);
  const subject = compileSubject(spec.subject, cache);
  const ingress = compileRules(spec.ingress, 'ingress', cache, nodes);
  const egress = compileRules(spec.egress, 'egress', cache, nodes);
  return {
    id,
    dialect: 'admin-network-policy',
    apiVersion: object.apiVersion,
    kind: object.kind,
    tier,
    priority: object.kind === 'BaselineAdminNetworkPolicy' ? 0 : (asNumber(spec.priority) ?? 0),
    namespace: '',
    subjectNamespaces: subject.namespaces,
    name: object.metadata.name,
    fullName: object.metadata.name,
    podSelector: subject.pods,
    subjectExcludesHostNetwork: true,
    // Policies of these tiers never isolate: "affects" only says whether they have rules to consult.
    ingress: { affects: ingress.length > 0, rules: ingress } satisfies DirectionModel,
    egress: { affects: egress.length > 0, rules: egress } satisfies DirectionModel,
    object,
    readIndex,
    source: parsed.source,
  };
}

function tierOf(kind: string, spec: Readonly<Record<string, unknown>>): TierModel {
  if (kind === 'AdminNetworkPolicy') return ADMIN_TIER;
  if (kind === 'BaselineAdminNetworkPolicy') return BASELINE_TIER;
  return spec.tier === 'Baseline' ? BASELINE_TIER : ADMIN_TIER;
}

function compileSubject(value: unknown, cache: CompileCache): { namespaces: Selector; pods: Selector } {
  const namespaces = dig(value, 'namespaces');
  if (asObject(namespaces)) return { namespaces: cachedSelector(namespaces, cache), pods: Selector.EVERYTHING };
  const pods = asObject(dig(value, 'pods'));
  if (pods) return { namespaces: cachedSelector(pods.namespaceSelector, cache), pods: cachedSelector(pods.podSelector, cache) };
  return { namespaces: NO_NAMESPACE, pods: Selector.EVERYTHING };
}


function compileRules(value: unknown, direction: Direction, cache: CompileCache, nodes: ReadonlyMap<string, NodeModel>): RuleModel[] {
  const peersKey = direction === 'ingress' ? 'from' : 'to';
  return (asArray(value) ?? []).map((raw, index): RuleModel => {
    const path = `spec.${direction}[${index}]`;
    const unmodelled: { kind: 'nodes' | 'domainNames'; path: string }[] = [];
    const peers: PeerModel[] = [];
    (asArray(dig(raw, peersKey)) ?? []).forEach((p, i) => compilePeer(p, `${path}.${peersKey}[${i}]`, cache, nodes, peers, unmodelled));
    const ports = compilePorts(raw);
    const rule: RuleModel = {
      direction,
      action: ACTIONS[asString(dig(raw, 'action')) ?? ''] ?? 'deny',
      precedence: index,
      index,
      path,
      name: asString(dig(raw, 'name')) ?? '',
      // `from`/`to` is required (1..100 peers): an absent list matches no peer.
      peers,
      ports,
      allowed: rulePorts(ports),
      ...(unmodelled.length > 0 ? { unmodelledPeers: unmodelled } : {}),
    };
    return rule;
  });
}

function compilePeer(
  raw: unknown,
  path: string,
  cache: CompileCache,
  nodes: ReadonlyMap<string, NodeModel>,
  out: PeerModel[],
  unmodelled: { kind: 'nodes' | 'domainNames'; path: string }[],
): void {
  const namespaces = dig(raw, 'namespaces');
  if (asObject(namespaces)) {
    out.push({ kind: 'pods', namespaceSelector: cachedSelector(namespaces, cache), podSelector: null, excludesHostNetwork: true, path: `${path}.namespaces` });
    return;
  }
  const pods = asObject(dig(raw, 'pods'));
  if (pods) {
    out.push({
      kind: 'pods',
      namespaceSelector: cachedSelector(pods.namespaceSelector, cache),
      podSelector: cachedSelector(pods.podSelector, cache),
      excludesHostNetwork: true,
      path: `${path}.pods`,
    });
    return;
  }
  const networks = asArray(dig(raw, 'networks'));
  if (networks) {
    networks.forEach((n, i) => {
      const cidr = asString(n) ?? '';
      // Unlike a NetworkPolicy ipBlock, `networks` match every address in them, pod IPs included (the API's
      // semantics; host-network pods have their node's): a key of its own keeps the two apart in the analysis.
      const key = `${cidr}|+pods`;
      let set = cache.ipBlocks.get(key);
      if (!set) {
        set = ipBlockSet(cidr, []) ?? IpSet.empty(parseCidr(cidr)?.family ?? 4);
        cache.ipBlocks.set(key, set);
      }
      out.push({ kind: 'ipBlock', key, cidr, except: [], set, matchesPods: true, path: `${path}.networks[${i}]` });
    });
    return;
  }
  const nodeSelector = dig(raw, 'nodes');
  if (nodeSelector !== undefined && nodes.size > 0) {
    compileNodePeer(cachedSelector(nodeSelector, cache), `${path}.nodes`, cache, nodes, out);
    return;
  }
  // Without the snapshot's Nodes, node peers cannot be decided; domain names never can (DNS is not in a
  // snapshot). They match no pod or IP range here, and the verdicts they could change carry a caveat.
  if (nodeSelector !== undefined) unmodelled.push({ kind: 'nodes', path: `${path}.nodes` });
  else if (dig(raw, 'domainNames') !== undefined) unmodelled.push({ kind: 'domainNames', path: `${path}.domainNames` });
}

/** A `nodes` peer: the addresses of the snapshot's Nodes its selector matches (one block per IP family), which
 *  match those IPs as endpoints and the host-network pods that share them. */
function compileNodePeer(selector: Selector, path: string, cache: CompileCache, nodes: ReadonlyMap<string, NodeModel>, out: PeerModel[]): void {
  const addresses: { family: 4 | 6; value: bigint }[] = [];
  const names: string[] = [];
  for (const node of nodes.values()) {
    if (!selector.matches(node.labels)) continue;
    names.push(node.name);
    for (const text of node.ips) {
      const ip = parseIp(text);
      if (ip) addresses.push(ip);
    }
  }
  for (const family of [4, 6] as const) {
    const own = addresses.filter((a) => a.family === family);
    if (own.length === 0) continue;
    const key = `nodes:${selector.key}|${family}|+pods`;
    let set = cache.ipBlocks.get(key);
    if (!set) {
      set = IpSet.of(family, own.map((a) => ({ first: a.value, last: a.value })));
      cache.ipBlocks.set(key, set);
    }
    // `cidr` names what the block stands for (node names), for explanations and diffs; it is not a CIDR.
    out.push({ kind: 'ipBlock', key, cidr: `nodes ${names.join(',')}`, except: [], set, matchesPods: true, path });
  }
}

/** v1alpha1 `ports` (portNumber / portRange / namedPort) or v1alpha2 `protocols` (tcp/udp/sctp with a
 *  destination port or range, or destinationNamedPort). Absent: every port of every protocol. */
function compilePorts(raw: unknown): PortModel[] | null {
  const v1 = asArray(dig(raw, 'ports'));
  const v2 = asArray(dig(raw, 'protocols'));
  if (!v1 && !v2) return null;
  const out: PortModel[] = [];
  const named = (name: string) => {
    // A named port matches a container port of that name whatever its protocol.
    for (const protocol of PROTOCOLS) out.push({ protocol, port: name });
  };
  for (const entry of v1 ?? []) {
    const number = asObject(dig(entry, 'portNumber'));
    const range = asObject(dig(entry, 'portRange'));
    const name = asString(dig(entry, 'namedPort'));
    if (number) out.push({ protocol: protocolOf(number.protocol), port: asNumber(number.port) ?? 0 });
    else if (range) out.push({ protocol: protocolOf(range.protocol), port: asNumber(range.start) ?? 0, endPort: asNumber(range.end) ?? 0 });
    else if (name !== undefined) named(name);
  }
  for (const entry of v2 ?? []) {
    const name = asString(dig(entry, 'destinationNamedPort'));
    if (name !== undefined) {
      named(name);
      continue;
    }
    for (const [key, protocol] of [['tcp', 'TCP'], ['udp', 'UDP'], ['sctp', 'SCTP']] as const) {
      const block = dig(entry, key);
      if (block === undefined) continue;
      const port = dig(block, 'destinationPort');
      const number = asNumber(dig(port, 'number'));
      const range = asObject(dig(port, 'range'));
      if (number !== undefined) out.push({ protocol, port: number });
      else if (range) out.push({ protocol, port: asNumber(range.start) ?? 0, endPort: asNumber(range.end) ?? 0 });
      else out.push({ protocol });
    }
  }
  return out;
}

function protocolOf(value: unknown): Protocol {
  const text = asString(value);
  return isProtocol(text) ? text : 'TCP';
}
