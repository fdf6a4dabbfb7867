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
  for (const o of objects) {
    const namespace = namespaceOf(o);
    if (o.kind === 'Pod') {
      useNamespace(namespace);
      pods.push({ kind: 'Pod', namespace, name: o.metadata.name, labels: asLabels(o.metadata.labels), ports: containerPorts(o.spec), replicas: 1 });
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
      });
    } else if (o.kind === 'NetworkPolicy') {
      useNamespace(namespace);
      policies.push(o);
    }
  }
  return { namespaceLabels, pods, policies };
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
function policyApplies(policy: KubeObject, direction: Direction): boolean {
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

function rulePortsMatch(rawPorts: unknown, protocol: Protocol, port: number, destination: NaivePeer): boolean {
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

/**
 * Is a connection from `source` to `destination` on `protocol`/`port` allowed? Both the source's egress and the
 * destination's ingress must allow it; an IP end has no policies, so only the pod side counts. A pod to itself is
 * always allowed; a controller "to itself" means two of its replicas, which the policies decide (one replica:
 * the same pod, allowed).
 */
export function allowed(cluster: NaiveCluster, source: NaivePeer, destination: NaivePeer, protocol: Protocol, port: number): boolean {
  if (isIp(source) && isIp(destination)) throw new Error('naive evaluator: IP to IP is outside the model');
  if (!isIp(source) && !isIp(destination) && source === destination && source.replicas < 2) return true;
  const egressOk = isIp(source) || sideAllows(cluster, 'Egress', source, destination, destination, protocol, port);
  const ingressOk = isIp(destination) || sideAllows(cluster, 'Ingress', destination, source, destination, protocol, port);
  return egressOk && ingressOk;
}

/** Finds a pod (or template-standing controller) by namespace and name, optionally kind. */
export function findPod(cluster: NaiveCluster, namespace: string, name: string, kind?: string): NaivePod {
  const found = cluster.pods.filter((p) => p.namespace === namespace && p.name === name && (!kind || p.kind === kind));
  if (found.length !== 1) throw new Error(`naive evaluator: ${found.length} peers named ${namespace}/${name}${kind ? `[${kind}]` : ''}`);
  return found[0];
}
