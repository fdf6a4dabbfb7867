// A deliberately naive NetworkPolicy evaluator: one connection at a time, every policy and rule re-read on every
// call. It shares only the parser's output types with the engine; selectors, ports, CIDRs and isolation are
// written again here, straight from the Kubernetes NetworkPolicy reference, so the property test compares two
// independent readings of the semantics. Obviously correct and slow on purpose: do not optimise.
import type { KubeObject } from '../../src/manifest/types.js';
import { cidrContains, parseCidr, parseIp, type IpAddress } from './naive-ip.js';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

export interface NaiveContainerPort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: Protocol;
}

/** A pod, or a controller that stands for pods not present in the input (its pod template). */
export interface NaivePod {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly ports: readonly NaiveContainerPort[];
  /** How many pods it is: 1 for a Pod, the declared replicas (default 1) for a controller. */
  readonly replicas: number;
  /** A Pod's `status.podIPs` (or `podIP`); cluster-policy `networks` match them. */
  readonly ips?: readonly string[];
  /** `spec.hostNetwork` (of the pod template for a controller): cluster policies neither select it nor match it
   *  by a `namespaces` / `pods` peer (network-policy-api: "host-networked pods are not included"). */
  readonly hostNetwork?: boolean;
  /** A Pod's `spec.nodeName` (Calico host endpoints police what their node forwards). */
  readonly node?: string;
}

export interface NaiveIp {
  readonly ip: string;
}

export type NaivePeer = NaivePod | NaiveIp;

export interface NaiveCluster {
  /** Labels of every namespace that is declared or used, including `kubernetes.io/metadata.name`. */
  readonly namespaceLabels: ReadonlyMap<string, Readonly<Record<string, string>>>;
  readonly pods: readonly NaivePod[];
  readonly policies: readonly KubeObject[];
  /** AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy objects (policy.networking.k8s.io). */
  readonly clusterPolicies: readonly KubeObject[];
}

const CONTROLLER_KINDS = new Set([
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'ReplicationController',
]);

// Loose views of the parsed JSON. The parser validated the shapes; the naive code only reads them.
type Json = Record<string, unknown>;
const asObject = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const asArray = (v: unknown): unknown[] | undefined => (Array.isArray(v) ? v : undefined);
const asLabels = (v: unknown): Record<string, string> => ({ ...((asObject(v) as Record<string, string>) ?? {}) });
const namespaceOf = (o: KubeObject): string => o.metadata.namespace ?? 'default';

function containerPorts(podSpec: unknown): NaiveContainerPort[] {
  const ports: NaiveContainerPort[] = [];
  for (const container of asArray(asObject(podSpec)?.containers) ?? []) {
    for (const raw of asArray(asObject(container)?.ports) ?? []) {
      const p = asObject(raw) ?? {};
      ports.push({
        name: typeof p.name === 'string' ? p.name : undefined,
        port: Number(p.containerPort),
        protocol: ((p.protocol as Protocol | undefined) ?? 'TCP') as Protocol,
      });
    }
  }
  return ports;
}

function podTemplate(o: KubeObject): Json | undefined {
  const spec = asObject(o.spec);
  if (o.kind === 'CronJob') return asObject(asObject(asObject(spec?.jobTemplate)?.spec)?.template);
  return asObject(spec?.template);
}

function controllerOwner(o: KubeObject): { kind: string; name: string } | undefined {
  const ref = o.metadata.ownerReferences?.find((r) => r.controller === true);
  return ref ? { kind: ref.kind ?? '', name: ref.name } : undefined;
}

/** Reads parsed objects into the naive model: pods, plus controllers that nothing in the input is owned by. */
export function buildNaiveCluster(objects: readonly KubeObject[]): NaiveCluster {
  const namespaceLabels = new Map<string, Record<string, string>>();
  const useNamespace = (name: string) => {
    if (!namespaceLabels.has(name)) namespaceLabels.set(name, { 'kubernetes.io/metadata.name': name });
  };
  for (const o of objects) {
    if (o.kind === 'Namespace') {
      namespaceLabels.set(o.metadata.name, { 'kubernetes.io/metadata.name': o.metadata.name, ...asLabels(o.metadata.labels) });
    }
  }
  const ownedControllers = new Set<string>();
  for (const o of objects) {
    const owner = controllerOwner(o);
    if (owner) ownedControllers.add(`${namespaceOf(o)}/${owner.kind}/${owner.name}`);
  }
  const pods: NaivePod[] = [];
  const policies: KubeObject[] = [];
  const clusterPolicies: KubeObject[] = [];
  for (const o of objects) {
    if (o.apiVersion.startsWith('policy.networking.k8s.io/')) {
      clusterPolicies.push(o);
      continue;
    }
    const namespace = namespaceOf(o);
    if (o.kind === 'Pod') {
      useNamespace(namespace);
      const status = asObject(o.status) ?? {};
      const listed = (asArray(status.podIPs) ?? []).map((e) => asObject(e)?.ip).filter((ip): ip is string => typeof ip === 'string');
      const ips = listed.length > 0 ? listed : typeof status.podIP === 'string' ? [status.podIP] : [];
      const hostNetwork = asObject(o.spec)?.hostNetwork === true;
      const node = asObject(o.spec)?.nodeName;
      pods.push({ kind: 'Pod', namespace, name: o.metadata.name, labels: asLabels(o.metadata.labels), ports: containerPorts(o.spec), replicas: 1, ips, hostNetwork, ...(typeof node === 'string' && node !== '' ? { node } : {}) });
    } else if (CONTROLLER_KINDS.has(o.kind) && !ownedControllers.has(`${namespace}/${o.kind}/${o.metadata.name}`)) {
      useNamespace(namespace);
      const template = podTemplate(o);
      pods.push({
        kind: o.kind,
        namespace,
        name: o.metadata.name,
        labels: asLabels(asObject(template?.metadata)?.labels),
        ports: containerPorts(template?.spec),
        replicas: typeof asObject(o.spec)?.replicas === 'number' ? (asObject(o.spec)!.replicas as number) : 1,
        hostNetwork: asObject(template?.spec)?.hostNetwork === true,
      });
    } else if (o.kind === 'NetworkPolicy') {
      useNamespace(namespace);
      policies.push(o);
    }
  }
  return { namespaceLabels, pods, policies, clusterPolicies };
}

/** Label selector semantics: every matchLabels pair and every matchExpressions requirement must hold. */
export function selectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  const sel = asObject(selector) ?? {};
  for (const [key, value] of Object.entries(asObject(sel.matchLabels) ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const raw of asArray(sel.matchExpressions) ?? []) {
    const req = asObject(raw) ?? {};
    const key = String(req.key);
    const values = (asArray(req.values) ?? []).map(String);
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (req.operator) {
      case 'In':
        if (!has || !values.includes(labels[key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        throw new Error(`naive evaluator: unknown operator ${String(req.operator)}`);
    }
  }
  return true;
}

type Direction = 'Ingress' | 'Egress';

/** policyTypes as the API server defaults it: Ingress always, Egress when there is at least one egress rule. */
export function policyApplies(policy: KubeObject, direction: Direction): boolean {
  const spec = asObject(policy.spec) ?? {};
  const types = asArray(spec.policyTypes);
  if (types && types.length > 0) return types.includes(direction);
  if (direction === 'Ingress') return true;
  return (asArray(spec.egress) ?? []).length > 0;
}

const isIp = (peer: NaivePeer): peer is NaiveIp => 'ip' in peer;

function peerMatches(cluster: NaiveCluster, rawPeer: unknown, policyNamespace: string, other: NaivePeer): boolean {
  const peer = asObject(rawPeer) ?? {};
  const ipBlock = asObject(peer.ipBlock);
  if (ipBlock) {
    // ipBlock describes addresses outside the cluster's pods: it never matches a pod (np-guard's reading).
    if (!isIp(other)) return false;
    const ip = parseIp(other.ip) as IpAddress;
    const cidr = parseCidr(String(ipBlock.cidr));
    if (!cidr || !cidrContains(cidr, ip)) return false;
    return !(asArray(ipBlock.except) ?? []).some((e) => {
      const except = parseCidr(String(e));
      return except !== undefined && cidrContains(except, ip);
    });
  }
  if (isIp(other)) return false; // pod and namespace selectors name pods only
  const namespaceOk =
    peer.namespaceSelector === undefined
      ? other.namespace === policyNamespace
      : selectorMatches(peer.namespaceSelector, cluster.namespaceLabels.get(other.namespace) ?? {});
  const podOk = peer.podSelector === undefined || selectorMatches(peer.podSelector, other.labels);
  return namespaceOk && podOk;
}

function portEntryMatches(rawEntry: unknown, protocol: Protocol, port: number, destination: NaivePeer): boolean {
  const entry = asObject(rawEntry) ?? {};
  if ((entry.protocol ?? 'TCP') !== protocol) return false;
  if (entry.port === undefined) return true; // protocol only: every port
  if (typeof entry.port === 'number') {
    const last = typeof entry.endPort === 'number' ? entry.endPort : entry.port;
    return port >= entry.port && port <= last;
  }
  // A named port is looked up on the destination pod; an IP has no container ports, so it never resolves.
  if (isIp(destination)) return false;
  return destination.ports.some((cp) => cp.name === entry.port && cp.protocol === protocol && cp.port === port);
}

export function rulePortsMatch(rawPorts: unknown, protocol: Protocol, port: number, destination: NaivePeer): boolean {
  const entries = asArray(rawPorts);
  if (!entries || entries.length === 0) return true;
  return entries.some((e) => portEntryMatches(e, protocol, port, destination));
}

/**
 * One side of a connection: does `subject`'s policy set (ingress when subject is the destination, egress when it is
 * the source) allow traffic with `other`? A side that no policy isolates allows everything.
 */
function sideAllows(
  cluster: NaiveCluster,
  direction: Direction,
  subject: NaivePod,
  other: NaivePeer,
  destination: NaivePeer,
  protocol: Protocol,
  port: number,
): boolean {
  const selecting = cluster.policies.filter(
    (p) =>
      namespaceOf(p) === subject.namespace &&
      selectorMatches(asObject(p.spec)?.podSelector, subject.labels) &&
      policyApplies(p, direction),
  );
  if (selecting.length === 0) return true;
  for (const policy of selecting) {
    const spec = asObject(policy.spec) ?? {};
    const rules = asArray(direction === 'Ingress' ? spec.ingress : spec.egress) ?? [];
    for (const rawRule of rules) {
      const rule = asObject(rawRule) ?? {};
      const peers = asArray(direction === 'Ingress' ? rule.from : rule.to);
      const peerOk = !peers || peers.length === 0 || peers.some((p) => peerMatches(cluster, p, namespaceOf(policy), other));
      if (peerOk && rulePortsMatch(rule.ports, protocol, port, destination)) return true;
    }
  }
  return false;
}

// The cluster-wide tiers, read straight from the network-policy-api reference: the admin tier (AdminNetworkPolicy
// and ClusterNetworkPolicy tier Admin) by ascending priority, first matching rule of a policy wins, Allow/Accept
// and Deny decide, Pass skips the rest of the tier; then NetworkPolicy; then the baseline tier
// (BaselineAdminNetworkPolicy, ClusterNetworkPolicy tier Baseline); then allowed. Equal priorities: by name.
type Tier = 'admin' | 'baseline';

function tierOf(policy: KubeObject): Tier {
  if (policy.kind === 'AdminNetworkPolicy') return 'admin';
  if (policy.kind === 'BaselineAdminNetworkPolicy') return 'baseline';
  return asObject(policy.spec)?.tier === 'Baseline' ? 'baseline' : 'admin';
}

function subjectSelects(cluster: NaiveCluster, policy: KubeObject, pod: NaivePod): boolean {
  if (pod.hostNetwork) return false; // "host-networked pods are not included in subject selection"
  const subject = asObject(asObject(policy.spec)?.subject) ?? {};
  const nsLabels = cluster.namespaceLabels.get(pod.namespace) ?? {};
  if (subject.namespaces !== undefined) return selectorMatches(subject.namespaces, nsLabels);
  const pods = asObject(subject.pods);
  if (!pods) return false;
  return selectorMatches(pods.namespaceSelector, nsLabels) && selectorMatches(pods.podSelector, pod.labels);
}

function clusterPeerMatches(cluster: NaiveCluster, rawPeer: unknown, other: NaivePeer): boolean {
  const peer = asObject(rawPeer) ?? {};
  const networks = asArray(peer.networks);
  if (networks) {
    // Networks hold every address in them, pods' included (a pod without a known IP is in none).
    const addresses = isIp(other) ? [other.ip] : (other.ips ?? []);
    return addresses.some((text) => {
      const ip = parseIp(text);
      return ip !== undefined && networks.some((n) => {
        const cidr = parseCidr(String(n));
        return cidr !== undefined && cidrContains(cidr, ip);
      });
    });
  }
  if (isIp(other)) return false;
  if (other.hostNetwork) return false; // "host-networked pods are not included in this type of peer"
  const nsLabels = cluster.namespaceLabels.get(other.namespace) ?? {};
  if (peer.namespaces !== undefined) return selectorMatches(peer.namespaces, nsLabels);
  const pods = asObject(peer.pods);
  if (!pods) return false; // nodes, domainNames: not in this model
  return selectorMatches(pods.namespaceSelector, nsLabels) && selectorMatches(pods.podSelector, other.labels);
}

/** Whether one cluster-policy rule's ports (v1alpha1 `ports` or v1alpha2 `protocols`) include the port. */
function clusterPortsMatch(rule: Json, protocol: Protocol, port: number, destination: NaivePeer): boolean {
  const named = (name: unknown) => !isIp(destination) && destination.ports.some((cp) => cp.name === name && cp.protocol === protocol && cp.port === port);
  const v1 = asArray(rule.ports);
  const v2 = asArray(rule.protocols);
  if (!v1 && !v2) return true;
  for (const raw of v1 ?? []) {
    const e = asObject(raw) ?? {};
    const number = asObject(e.portNumber);
    const range = asObject(e.portRange);
    if (number && number.protocol === protocol && number.port === port) return true;
    if (range && range.protocol === protocol && port >= Number(range.start) && port <= Number(range.end)) return true;
    if (e.namedPort !== undefined && named(e.namedPort)) return true;
  }
  for (const raw of v2 ?? []) {
    const e = asObject(raw) ?? {};
    if (e.destinationNamedPort !== undefined) {
      if (named(e.destinationNamedPort)) return true;
      continue;
    }
    const block = asObject(e[protocol.toLowerCase()]);
    if (!block) continue;
    const dp = asObject(block.destinationPort);
    if (!dp) return true;
    if (typeof dp.number === 'number' && dp.number === port) return true;
    const range = asObject(dp.range);
    if (range && port >= Number(range.start) && port <= Number(range.end)) return true;
  }
  return false;
}

/** The first matching rule's action of the tier's policies selecting `subject`, in priority then name order. */
function tierAction(
  cluster: NaiveCluster,
  tier: Tier,
  direction: Direction,
  subject: NaivePod,
  other: NaivePeer,
  destination: NaivePeer,
  protocol: Protocol,
  port: number,
): string | undefined {
  const priority = (p: KubeObject) => Number(asObject(p.spec)?.priority ?? 0);
  const policies = cluster.clusterPolicies
    .filter((p) => tierOf(p) === tier && subjectSelects(cluster, p, subject))
    .sort((a, b) => priority(a) - priority(b) || (a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0));
  for (const policy of policies) {
    const spec = asObject(policy.spec) ?? {};
    for (const raw of asArray(direction === 'Ingress' ? spec.ingress : spec.egress) ?? []) {
      const rule = asObject(raw) ?? {};
      const peers = asArray(direction === 'Ingress' ? rule.from : rule.to) ?? [];
      if (peers.some((p) => clusterPeerMatches(cluster, p, other)) && clusterPortsMatch(rule, protocol, port, destination)) {
        return String(rule.action);
      }
    }
  }
  return undefined;
}

function tieredSideAllows(
  cluster: NaiveCluster,
  direction: Direction,
  subject: NaivePod,
  other: NaivePeer,
  destination: NaivePeer,
  protocol: Protocol,
  port: number,
): boolean {
  const admin = tierAction(cluster, 'admin', direction, subject, other, destination, protocol, port);
  if (admin === 'Allow' || admin === 'Accept') return true;
  if (admin === 'Deny') return false;
  // Nothing in the admin tier, or Pass: NetworkPolicy decides when one selects the subject.
  const isolated = cluster.policies.some(
    (p) => namespaceOf(p) === subject.namespace && selectorMatches(asObject(p.spec)?.podSelector, subject.labels) && policyApplies(p, direction),
  );
  if (isolated) return sideAllows(cluster, direction, subject, other, destination, protocol, port);
  const baseline = tierAction(cluster, 'baseline', direction, subject, other, destination, protocol, port);
  return baseline !== 'Deny';
}

/**
 * Is a connection from `source` to `destination` on `protocol`/`port` allowed? Both the source's egress and the
 * destination's ingress must allow it; an IP end has no policies, so only the pod side counts. A pod to itself is
 * always allowed; a controller "to itself" means two of its replicas, which the policies decide (one replica:
 * the same pod, allowed).
 */
export function allowed(cluster: NaiveCluster, source: NaivePeer, destination: NaivePeer, protocol: Protocol, port: number): boolean {
  if (isIp(source) && isIp(destination)) throw new Error('naive evaluator: IP to IP is outside the model');
  if (!isIp(source) && !isIp(destination) && source === destination && source.replicas < 2) return true;
  const egressOk = isIp(source) || tieredSideAllows(cluster, 'Egress', source, destination, destination, protocol, port);
  const ingressOk = isIp(destination) || tieredSideAllows(cluster, 'Ingress', destination, source, destination, protocol, port);
  return egressOk && ingressOk;
}

/** Finds a pod (or template-standing controller) by namespace and name, optionally kind. */
export function findPod(cluster: NaiveCluster, namespace: string, name: string, kind?: string): NaivePod {
  const found = cluster.pods.filter((p) => p.namespace === namespace && p.name === name && (!kind || p.kind === kind));
  if (found.length !== 1) throw new Error(`naive evaluator: ${found.length} peers named ${namespace}/${name}${kind ? `[${kind}]` : ''}`);
  return found[0];
}
