// Workloads from Pods and controllers, named as np-guard names them, with the top-level controller.
//
// - A Pod is named by its first `controller: true` ownerReference (empty kind shown as Pod; Node owners
//   ignored); pods of one owner make one workload. A Pod without owner is its own workload `[Pod]`.
// - A controller stands for its pods (template labels and ports) unless the input holds objects it owns
//   (a kubectl dump): then those represent it and it is not a separate peer. An old ReplicaSet revision
//   (explicit `replicas: 0` and an owner present in the input) stands for nothing.
// - Ownership is followed only through objects present in the input (kind + name, and uid when both have one).
import { isProtocol } from '../algebra/connection-set.js';
import type { ContainerPort } from '../algebra/rule-ports.js';
import type { ParsedObject } from '../manifest/types.js';
import { DEFAULT_NAMESPACE } from './policies.js';
import { asNumber, asObject, asString, dig, labelRecord } from './raw.js';
import type { OwnerRef, PodModel, Workload } from './types.js';

export const CONTROLLER_KINDS: ReadonlySet<string> = new Set([
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'ReplicationController',
]);

interface ControllerRef {
  readonly kind: string;
  readonly name: string;
  readonly uid?: string;
}

type MutableWorkload = Omit<Workload, 'id' | 'pods'> & { pods: PodModel[] };

export function buildWorkloads(objects: readonly ParsedObject[]): Workload[] {
  const controllers = objects.filter((o) => CONTROLLER_KINDS.has(o.object.kind));
  const pods = objects.filter((o) => o.object.kind === 'Pod' && !o.object.metadata.name.startsWith('virt-launcher-'));
  const index = new Map<string, ParsedObject>();
  for (const c of controllers) {
    const key = objectKey(namespaceOf(c), c.object.kind, c.object.metadata.name);
    if (!index.has(key)) index.set(key, c);
  }
  const present = (ns: string, ref: ControllerRef): ParsedObject | undefined => {
    const found = index.get(objectKey(ns, ref.kind, ref.name));
    if (!found) return undefined;
    const uid = asString(found.object.metadata.uid);
    return ref.uid && uid && ref.uid !== uid ? undefined : found;
  };

  const retired = new Set<ParsedObject>();
  for (const c of controllers) {
    const ref = controllerRef(c);
    if (ref && present(namespaceOf(c), ref) && asNumber(dig(c.object.spec, 'replicas')) === 0) retired.add(c);
  }
  // Controllers that something in the input represents (a pod, or a controller it owns).
  const covered = new Set<ParsedObject>();
  const markAncestors = (o: ParsedObject): void => {
    let current = o;
    let ref = controllerRef(o);
    while (ref) {
      const owner = present(namespaceOf(current), ref);
      // An owner already covered has had its own ancestors marked (this also ends ownership cycles).
      if (!owner || covered.has(owner)) return;
      covered.add(owner);
      current = owner;
      ref = controllerRef(owner);
    }
  };
  for (const p of pods) markAncestors(p);
  for (const c of controllers) if (!retired.has(c)) markAncestors(c);

  const topLevel = (o: ParsedObject, self: OwnerRef): OwnerRef => {
    let top = self;
    let current: ParsedObject | undefined = o;
    const seen = new Set<ParsedObject>();
    while (current && !seen.has(current)) {
      seen.add(current);
      const ref = controllerRef(current);
      if (!ref) break;
      top = { kind: ref.kind || 'Pod', name: ref.name };
      current = present(namespaceOf(current), ref);
    }
    return top;
  };

  const byKey = new Map<string, MutableWorkload>();
  const sharedPorts = new Map<string, ContainerPort[]>();
  for (const p of pods) {
    const ns = namespaceOf(p);
    const ref = controllerRef(p);
    const name = ref ? ref.name : p.object.metadata.name;
    const kind = ref ? ref.kind || 'Pod' : 'Pod';
    const pod = podModel(p, ns, sharedPorts);
    const key = objectKey(ns, kind, name);
    const existing = byKey.get(key);
    if (existing) {
      existing.pods.push(pod);
      continue;
    }
    byKey.set(key, {
      namespace: ns,
      name,
      kind,
      displayName: displayName(ns, name, kind),
      topLevel: topLevel(p, { kind: 'Pod', name: p.object.metadata.name }),
      labels: pod.labels,
      ports: pod.ports,
      hostNetwork: pod.hostNetwork,
      pods: [pod],
      replicas: 0,
      source: p.source,
    });
  }
  for (const c of controllers) {
    if (retired.has(c) || covered.has(c)) continue;
    const ns = namespaceOf(c);
    const kind = c.object.kind;
    const name = c.object.metadata.name;
    const key = objectKey(ns, kind, name);
    if (byKey.has(key)) continue;
    const template = podTemplate(c);
    byKey.set(key, {
      namespace: ns,
      name,
      kind,
      displayName: displayName(ns, name, kind),
      topLevel: topLevel(c, { kind, name }),
      labels: labelRecord(dig(template, 'metadata', 'labels')),
      ports: containerPorts(dig(template, 'spec')),
      hostNetwork: dig(template, 'spec', 'hostNetwork') === true,
      pods: [],
      replicas: declaredReplicas(c),
      source: c.source,
    });
  }
  const list = [...byKey.values()].sort((a, b) => compareStrings(a.displayName, b.displayName));
  list.forEach((w, id) => {
    const mutable = w as { id?: number; replicas: number };
    mutable.id = id;
    if (w.pods.length > 0) mutable.replicas = w.pods.length;
  });
  return list as unknown as Workload[];
}

/** The pods a workload is made of: its Pod objects, or synthetic replicas `<name>-<i>` of a controller. */
export function workloadPods(w: Workload): readonly PodModel[] {
  if (w.pods.length > 0) return w.pods;
  const out: PodModel[] = [];
  for (let i = 0; i < Math.max(1, w.replicas); i++) out.push(syntheticPod(w, i));
  return out;
}

/** Replica `i` of a controller that stands for its pods (template labels and ports). */
export function syntheticPod(w: Workload, i: number): PodModel {
  return { name: `${w.name}-${i}`, namespace: w.namespace, labels: w.labels, ports: w.ports, hostNetwork: w.hostNetwork, ips: [], synthetic: true };
}

export function namespaceOf(o: ParsedObject): string {
  return o.object.metadata.namespace || DEFAULT_NAMESPACE;
}

export function displayName(namespace: string, name: string, kind: string): string {
  return `${namespace}/${name}[${kind}]`;
}

function podModel(p: ParsedObject, namespace: string, sharedPorts: Map<string, ContainerPort[]>): PodModel {
  return {
    name: p.object.metadata.name,
    namespace,
    labels: labelRecord(p.object.metadata.labels),
    ports: containerPorts(p.object.spec, sharedPorts),
    hostNetwork: asObject(p.object.spec)?.hostNetwork === true,
    ips: podIps(p.object.status),
    synthetic: false,
    source: p.source,
  };
}

function podIps(status: unknown): readonly string[] {
  const o = asObject(status);
  if (!o) return NO_IPS;
  const listed = Array.isArray(o.podIPs) ? o.podIPs.map((e) => asObject(e)?.ip).filter((ip): ip is string => typeof ip === 'string') : [];
  if (listed.length > 0) return listed;
  return typeof o.podIP === 'string' ? [o.podIP] : NO_IPS;
}

const NO_IPS: readonly string[] = [];

/** The first `controller: true` ownerReference, unless its kind is Node (static pods). */
function controllerRef(o: ParsedObject): ControllerRef | undefined {
  for (const ref of o.object.metadata.ownerReferences ?? []) {
    if (ref?.controller !== true) continue;
    if (ref.kind === 'Node') return undefined;
    return { kind: ref.kind ?? '', name: ref.name, uid: ref.uid };
  }
  return undefined;
}

function podTemplate(c: ParsedObject): unknown {
  if (c.object.kind === 'CronJob') return dig(c.object.spec, 'jobTemplate', 'spec', 'template');
  return dig(c.object.spec, 'template');
}

function declaredReplicas(c: ParsedObject): number {
  switch (c.object.kind) {
    case 'DaemonSet':
      return 1;
    case 'Job':
      return asNumber(dig(c.object.spec, 'parallelism')) ?? 1;
    case 'CronJob':
      return asNumber(dig(c.object.spec, 'jobTemplate', 'spec', 'parallelism')) ?? 1;
    default:
      return asNumber(dig(c.object.spec, 'replicas')) ?? 1;
  }
}

/** `spec.containers[].ports[]` (protocol defaults to TCP). Equal port lists share one array (`shared`), since
 *  thousands of replicas usually declare the same ports. */
export function containerPorts(podSpec: unknown, shared?: Map<string, ContainerPort[]>): ContainerPort[] {
  const containers = asObject(podSpec)?.containers;
  if (!Array.isArray(containers)) return NO_PORTS;
  let out: ContainerPort[] | undefined;
  let key = '';
  for (const container of containers) {
    const ports = asObject(container)?.ports;
    if (!Array.isArray(ports)) continue;
    for (const raw of ports) {
      const o = asObject(raw);
      const port = o?.containerPort;
      if (typeof port !== 'number') continue;
      const protocol = isProtocol(o!.protocol) ? o!.protocol : 'TCP';
      const name = typeof o!.name === 'string' ? o!.name : '';
      key += `${name}/${port}/${protocol};`;
      (out ??= []).push({ port, protocol, ...(name ? { name } : {}) });
    }
  }
  if (!out) return NO_PORTS;
  if (!shared) return out;
  const existing = shared.get(key);
  if (existing) return existing;
  shared.set(key, out);
  return out;
}

const NO_PORTS: ContainerPort[] = [];

function objectKey(namespace: string, kind: string, name: string): string {
  return `${namespace}\0${kind}\0${name}`;
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

