// Workloads from Pods and controllers, named as np-guard names them, with the top-level controller.
//
// - A Pod is named by its first `controller: true` ownerReference (empty kind shown as Pod; Node owners
//   ignored); pods of one owner make one workload. A Pod without owner is its own workload `[Pod]`.
// - A controller stands for its pods (template labels and ports) unless the input holds objects it owns
//   (a kubectl dump): then those represent it and it is not a separate peer. An old ReplicaSet revision
//   (explicit `replicas: 0` and an owner present in the input) stands for nothing.
// - Ownership is followed only through objects present in the input (kind + name, and uid when both have one).
import { isProtocol, type Protocol } from '../algebra/connection-set.js';
import type { ContainerPort } from '../algebra/rule-ports.js';
import type { KubeObject, ParsedObject } from '../manifest/types.js';
import { DEFAULT_NAMESPACE } from './namespaces.js';
import { asNumber, asObject, asString, dig, labelRecord } from './raw.js';
import { serviceAccountOf } from './service-accounts.js';
import type { Labels } from '../algebra/selector.js';
import type { NodeModel, OwnerRef, PodModel, Workload } from './types.js';
import { WORKLOAD_KINDS } from '../manifest/kinds.js';
import type { LabelDeriver } from '../cni-profiles/derived-labels.js';


interface ControllerRef {
  readonly kind: string;
  readonly name: string;
  readonly uid?: string;
}

type MutableWorkload = Omit<Workload, 'id' | 'pods'> & { pods: PodModel[] };

export function buildWorkloads(objects: readonly ParsedObject[], nodes: ReadonlyMap<string, NodeModel> = NO_NODES, deriveLabels?: LabelDeriver): Workload[] {
  lastLabels = undefined; // sameLabels' key list cache lives for one build
  const controllers: ParsedObject[] = [];
  const pods: ParsedObject[] = [];
  // Indexed loops in this file: it runs once per snapshot, largely before the optimiser kicks in, where
  // `for…of` allocates an iterator result per step.
  for (let i = 0; i < objects.length; i++) {
    const o = objects[i];
    const kind = o.object.kind;
    if (kind === 'Pod') {
      if (!o.object.metadata.name.startsWith('virt-launcher-')) pods.push(o);
    } else if (WORKLOAD_KINDS.has(kind)) controllers.push(o);
  }
  const index = new ObjectIndex<ParsedObject>();
  for (let i = 0; i < controllers.length; i++) {
    const c = controllers[i];
    index.setIfAbsent(namespaceOf(c), c.object.kind, c.object.metadata.name, c);
  }
  const present = (ns: string, ref: ControllerRef): ParsedObject | undefined => {
    const found = index.get(ns, ref.kind, ref.name);
    if (!found) return undefined;
    const uid = asString(found.object.metadata.uid);
    return ref.uid && uid && ref.uid !== uid ? undefined : found;
  };

  const retired = new Set<ParsedObject>();
  for (let i = 0; i < controllers.length; i++) {
    const c = controllers[i];
    // `replicas: 0` first: rare, and cheaper to read than the owner lookup.
    const spec = asObject(c.object.spec);
    if (!spec || !Object.prototype.hasOwnProperty.call(spec, 'replicas') || spec.replicas !== 0) continue;
    const ref = controllerRef(c);
    if (ref && present(namespaceOf(c), ref)) retired.add(c);
  }
  // Controllers that something in the input represents (a pod, or a controller it owns).
  const covered = new Set<ParsedObject>();
  const markAncestors = (o: ParsedObject, first: ControllerRef | undefined): void => {
    let current = o;
    let ref = first;
    while (ref) {
      const owner = present(namespaceOf(current), ref);
      // An owner already covered has had its own ancestors marked (this also ends ownership cycles).
      if (!owner || covered.has(owner)) return;
      covered.add(owner);
      current = owner;
      ref = controllerRef(owner);
    }
  };
  // Each pod's controller reference and namespace, read once (metadata objects come in many shapes: each read is
  // a slow lookup).
  const podRefs: (ControllerRef | undefined)[] = new Array(pods.length);
  const podNamespaces: string[] = new Array(pods.length);
  for (let i = 0; i < pods.length; i++) {
    podRefs[i] = controllerRef(pods[i]);
    podNamespaces[i] = namespaceOf(pods[i]);
  }
  // Pods of one owner usually come one after another: after the first, its owner chain is already covered.
  for (let i = 0; i < pods.length; i++) {
    const ref = podRefs[i];
    const prev = i > 0 ? podRefs[i - 1] : undefined;
    if (ref && prev && ref.name === prev.name && ref.kind === prev.kind && ref.uid === prev.uid && podNamespaces[i] === podNamespaces[i - 1]) continue;
    markAncestors(pods[i], ref);
  }
  for (let i = 0; i < controllers.length; i++) {
    const c = controllers[i];
    if (!retired.has(c)) markAncestors(c, controllerRef(c));
  }

  const chain: ParsedObject[] = [];
  const topLevel = (o: ParsedObject, self: OwnerRef): OwnerRef => {
    let top = self;
    let current: ParsedObject | undefined = o;
    // Owner chains are short: a reused list, not a set per workload.
    const seen = chain;
    seen.length = 0;
    while (current && !seen.includes(current)) {
      seen.push(current);
      const ref = controllerRef(current);
      if (!ref) break;
      top = { kind: ref.kind || 'Pod', name: ref.name };
      current = present(namespaceOf(current), ref);
    }
    return top;
  };

  const byKey = new ObjectIndex<MutableWorkload>();
  const all: MutableWorkload[] = [];
  const sharedPorts: SharedPorts = { byKey: new Map(), recent: [] };
  let last: MutableWorkload | undefined; // pods of one owner usually come one after another
  pods.forEach((p, i) => {
    const ns = podNamespaces[i];
    const ref = podRefs[i];
    const name = ref ? ref.name : p.object.metadata.name;
    const kind = ref ? ref.kind || 'Pod' : 'Pod';
    const existing = last && last.name === name && last.kind === kind && last.namespace === ns ? last : byKey.get(ns, kind, name);
    if (existing) {
      existing.pods.push(podModel(p, ns, sharedPorts, existing.pods[0], nodes, deriveLabels));
      last = existing;
      return;
    }
    const pod = podModel(p, ns, sharedPorts, undefined, nodes, deriveLabels);
    const created: MutableWorkload = {
      namespace: ns,
      name,
      kind,
      displayName: displayName(ns, name, kind),
      topLevel: topLevel(p, { kind: 'Pod', name: p.object.metadata.name }),
      labels: pod.labels,
      ports: pod.ports,
      hostNetwork: pod.hostNetwork,
      serviceAccount: pod.serviceAccount,
      pods: [pod],
      replicas: 0,
      source: p.source,
    };
    byKey.set(ns, kind, name, created);
    all.push(created);
    last = created;
  });
  for (let i = 0; i < controllers.length; i++) {
    const c = controllers[i];
    if (retired.has(c) || covered.has(c)) continue;
    const ns = namespaceOf(c);
    const kind = c.object.kind;
    const name = c.object.metadata.name;
    if (byKey.get(ns, kind, name)) continue;
    const template = podTemplate(c);
    const created: MutableWorkload = {
      namespace: ns,
      name,
      kind,
      displayName: displayName(ns, name, kind),
      topLevel: topLevel(c, { kind, name }),
      labels: deriveLabels ? deriveLabels(labelRecord(dig(template, 'metadata', 'labels')), ns, serviceAccountOf(dig(template, 'spec'), undefined)) : labelRecord(dig(template, 'metadata', 'labels')),
      ports: containerPorts(dig(template, 'spec')),
      hostNetwork: dig(template, 'spec', 'hostNetwork') === true,
      serviceAccount: serviceAccountOf(dig(template, 'spec'), undefined),
      pods: [],
      replicas: declaredReplicas(c),
      source: c.source,
    };
    byKey.set(ns, kind, name, created);
    all.push(created);
  }
  const list = all.sort((a, b) => compareStrings(a.displayName, b.displayName));
  list.forEach((w, id) => {
    const mutable = w as { id?: number; replicas: number };
    mutable.id = id;
    if (w.pods.length > 0) mutable.replicas = w.pods.length;
  });
  return list as unknown as Workload[];
}

/** namespace → kind → name → value, without building a composite string key per lookup. */
class ObjectIndex<T> {
  private readonly byNamespace = new Map<string, Map<string, Map<string, T>>>();

  get(namespace: string, kind: string, name: string): T | undefined {
    return this.byNamespace.get(namespace)?.get(kind)?.get(name);
  }

  /** Sets the value unless the key has one already (the first kept). */
  setIfAbsent(namespace: string, kind: string, name: string, value: T): void {
    let byKind = this.byNamespace.get(namespace);
    if (!byKind) this.byNamespace.set(namespace, (byKind = new Map()));
    let byName = byKind.get(kind);
    if (!byName) byKind.set(kind, (byName = new Map()));
    if (!byName.has(name)) byName.set(name, value);
  }

  set(namespace: string, kind: string, name: string, value: T): void {
    let byKind = this.byNamespace.get(namespace);
    if (!byKind) this.byNamespace.set(namespace, (byKind = new Map()));
    let byName = byKind.get(kind);
    if (!byName) byKind.set(kind, (byName = new Map()));
    byName.set(name, value);
  }
}

/** How many synthetic replicas stand for a controller without Pod objects wherever pods are listed: its
 *  replicas are alike, and two of them show replica-to-replica traffic. A controller's replica count is never
 *  materialised (a workload of 10⁹ replicas costs what one of 2 costs); `podCount` gives the number. */
export const LISTED_REPLICAS = 2;

/** The pods a workload is made of: its Pod objects, or (at most LISTED_REPLICAS) synthetic replicas
 *  `<name>-<i>` of a controller. */
export function workloadPods(w: Workload): readonly PodModel[] {
  if (w.pods.length > 0) return w.pods;
  const out: PodModel[] = [];
  for (let i = 0; i < Math.min(LISTED_REPLICAS, Math.max(1, w.replicas)); i++) out.push(syntheticPod(w, i));
  return out;
}

/** The number of pods a workload stands for: its Pod objects, or the controller's declared count (at least 1). */
export function podCount(w: Workload): number {
  return w.pods.length > 0 ? w.pods.length : Math.max(1, w.replicas);
}

/** Replica `i` of a controller that stands for its pods (template labels and ports). */
export function syntheticPod(w: Workload, i: number): PodModel {
  return { name: `${w.name}-${i}`, namespace: w.namespace, labels: w.labels, ports: w.ports, hostNetwork: w.hostNetwork, serviceAccount: w.serviceAccount, ips: [], synthetic: true };
}

export function namespaceOf(o: ParsedObject): string {
  return o.object.metadata.namespace || DEFAULT_NAMESPACE;
}

export function displayName(namespace: string, name: string, kind: string): string {
  return `${namespace}/${name}[${kind}]`;
}

/** A pod's model. `sibling` is the first pod of the same workload: when labels or ports are equal to its,
 *  the pod shares its objects (most replicas are identical, and later steps compare by identity first). */
function podModel(
  p: ParsedObject,
  namespace: string,
  sharedPorts: SharedPorts,
  sibling: PodModel | undefined,
  nodes: ReadonlyMap<string, NodeModel>,
  deriveLabels?: LabelDeriver,
): PodModel {
  const spec = p.object.spec;
  const serviceAccount = serviceAccountOf(spec, p.object.status);
  const raw = p.object.metadata.labels;
  let labels: Labels;
  // A replica whose labels equal its first sibling's (all strings then) shares them without a string check first.
  if (sibling && !deriveLabels && asObject(raw) && sameLabels(sibling.labels, raw as Labels)) labels = sibling.labels;
  else {
    labels = deriveLabels ? deriveLabels(labelRecord(raw), namespace, serviceAccount) : labelRecord(raw);
    if (sibling && sameLabels(sibling.labels, labels)) labels = sibling.labels;
  }
  const hostNetwork = asObject(spec)?.hostNetwork === true;
  return {
    name: p.object.metadata.name,
    namespace,
    labels,
    ports: sibling && containerPortsEqual(spec, sibling.ports) ? sibling.ports : sharedContainerPorts(spec, sharedPorts),
    hostNetwork,
    serviceAccount,
    ips: hostNetwork ? hostNetworkIps(p.object.status, asString(dig(spec, 'nodeName')), nodes) : podIps(p.object.status),
    synthetic: false,
    ...(asString(dig(spec, 'nodeName')) ? { node: asString(dig(spec, 'nodeName')) } : {}),
    source: p.source,
  };
}

/** Equal keys in the same order with equal values (order kept so that sharing is never observable). Walks `b`'s
 *  own keys against `a`'s list, without building `b`'s key list (once per pod). */
function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  if (a === b) return true;
  // `a` is a workload's first pod's labels, compared with each of its replicas: its key list is read once.
  if (a !== lastLabels) {
    lastLabels = a;
    lastKeys = Object.keys(a);
  }
  const ak = lastKeys;
  const hasOwn = Object.prototype.hasOwnProperty;
  let i = 0;
  for (const k in b) {
    if (!hasOwn.call(b, k)) continue;
    if (i >= ak.length || ak[i] !== k || a[k] !== b[k]) return false;
    i++;
  }
  return i === ak.length;
}

let lastLabels: Readonly<Record<string, string>> | undefined;
let lastKeys: readonly string[] = [];

function podIps(status: unknown): readonly string[] {
  const o = asObject(status);
  if (!o) return NO_IPS;
  if (Array.isArray(o.podIPs)) {
    let listed: string[] | undefined;
    for (let i = 0; i < o.podIPs.length; i++) {
      const ip = asObject(o.podIPs[i])?.ip;
      if (typeof ip === 'string') (listed ??= []).push(ip);
    }
    if (listed) return listed;
  }
  return typeof o.podIP === 'string' ? [o.podIP] : NO_IPS;
}

const NO_IPS: readonly string[] = [];
const NO_NODES: ReadonlyMap<string, NodeModel> = new Map();

/** A host-network pod has its node's addresses: its own status when it has one, else `status.hostIP`, else
 *  the addresses of the Node it runs on (`spec.nodeName`). */
function hostNetworkIps(status: unknown, nodeName: string | undefined, nodes: ReadonlyMap<string, NodeModel>): readonly string[] {
  const own = podIps(status);
  if (own.length > 0) return own;
  const hostIP = asObject(status)?.hostIP;
  if (typeof hostIP === 'string' && hostIP !== '') return [hostIP];
  return (nodeName !== undefined ? nodes.get(nodeName)?.ips : undefined) ?? NO_IPS;
}

/** The first `controller: true` ownerReference, unless its kind is Node (static pods). */
function controllerRef(o: ParsedObject): ControllerRef | undefined {
  const refs = o.object.metadata.ownerReferences;
  if (!refs) return undefined;
  for (let i = 0; i < refs.length; i++) {
    const ref = refs[i];
    if (ref?.controller !== true) continue;
    if (ref.kind === 'Node') return undefined;
    // The reference as read when it names its kind (it has the fields ControllerRef reads): no copy per pod.
    return typeof ref.kind === 'string' ? (ref as ControllerRef) : { kind: '', name: ref.name, uid: ref.uid };
  }
  return undefined;
}

function podTemplate(c: ParsedObject): unknown {
  if (c.object.kind === 'CronJob') return dig(c.object.spec, 'jobTemplate', 'spec', 'template');
  return dig(c.object.spec, 'template');
}

const REPLICATED_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);

/** `spec.replicas` as the API server defaults it, for the kinds that have one (null for the others). */
export function specReplicas(object: KubeObject | undefined): number | null {
  if (!object || !REPLICATED_KINDS.has(object.kind)) return null;
  const replicas = asNumber(dig(object.spec, 'replicas'));
  return replicas !== undefined && Number.isInteger(replicas) && replicas >= 0 ? replicas : 1;
}

/** The labels of a controller's pod template (a CronJob's job template's). */
export function podTemplateLabels(object: KubeObject): Record<string, string> {
  return labelRecord(dig(podTemplate({ object } as ParsedObject), 'metadata', 'labels'));
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

/** Visits `spec.containers[].ports[]` with a number (protocol defaults to TCP, an absent name is ''), in order,
 *  without allocating; stops when `visit` returns false. */
function visitContainerPorts(podSpec: unknown, visit: (port: number, protocol: Protocol, name: string) => boolean): void {
  const containers = asObject(podSpec)?.containers;
  if (!Array.isArray(containers)) return;
  for (let c = 0; c < containers.length; c++) {
    const ports = asObject(containers[c])?.ports;
    if (!Array.isArray(ports)) continue;
    for (let k = 0; k < ports.length; k++) {
      const o = asObject(ports[k]);
      const port = o?.containerPort;
      if (typeof port !== 'number') continue;
      const protocol = isProtocol(o!.protocol) ? o!.protocol : 'TCP';
      if (!visit(port, protocol, typeof o!.name === 'string' ? o!.name : '')) return;
    }
  }
}

/** `spec.containers[].ports[]` (protocol defaults to TCP). Equal port lists share one array (`shared`), since
 *  thousands of replicas usually declare the same ports. */
export function containerPorts(podSpec: unknown, shared?: Map<string, ContainerPort[]>): ContainerPort[] {
  let out: ContainerPort[] | undefined;
  let key = '';
  visitContainerPorts(podSpec, (port, protocol, name) => {
    key += `${name}/${port}/${protocol};`;
    (out ??= []).push({ port, protocol, ...(name ? { name } : {}) });
    return true;
  });
  if (!out) return NO_PORTS;
  if (!shared) return out;
  const existing = shared.get(key);
  if (existing) return existing;
  shared.set(key, out);
  return out;
}

const NO_PORTS: ContainerPort[] = [];

/** `containerPorts(podSpec, shared)`, first compared (without allocating) with the lists it returned last: the
 *  first pods of neighbouring workloads often declare the same ports, and building the key text, the port
 *  objects and looking them up costs several times the walk. The lists compared are `shared`'s own (or NO_PORTS),
 *  so the answer is the one the lookup would give. */
function sharedContainerPorts(podSpec: unknown, shared: SharedPorts): ContainerPort[] {
  const recent = shared.recent;
  for (let i = 0; i < recent.length; i++) {
    const ports = recent[i];
    if (!containerPortsEqual(podSpec, ports)) continue;
    // Most recently used first: a cluster has a few port lists, a namespace's workloads mostly one or two.
    for (let j = i; j > 0; j--) recent[j] = recent[j - 1];
    recent[0] = ports;
    return ports;
  }
  const ports = containerPorts(podSpec, shared.byKey);
  if (recent.length < RECENT_PORT_LISTS) recent.push(ports);
  for (let j = recent.length - 1; j > 0; j--) recent[j] = recent[j - 1];
  recent[0] = ports;
  return ports;
}

/** Port lists shared between pods with equal ports (by their key text), and the last few handed out, most
 *  recently used first. */
interface SharedPorts {
  readonly byKey: Map<string, ContainerPort[]>;
  readonly recent: ContainerPort[][];
}

const RECENT_PORT_LISTS = 16;

/** Whether `containerPorts(podSpec)` would equal `expected`, without building it (the walk of
 *  `visitContainerPorts`, written out: it runs once per pod, and a callback would allocate a closure each time). */
function containerPortsEqual(podSpec: unknown, expected: readonly ContainerPort[]): boolean {
  let i = 0;
  const containers = asObject(podSpec)?.containers;
  if (Array.isArray(containers)) {
    for (let c = 0; c < containers.length; c++) {
      const ports = asObject(containers[c])?.ports;
      if (!Array.isArray(ports)) continue;
      for (let k = 0; k < ports.length; k++) {
        const o = asObject(ports[k]);
        const port = o?.containerPort;
        if (typeof port !== 'number') continue;
        const e = expected[i++];
        const protocol = isProtocol(o!.protocol) ? o!.protocol : 'TCP';
        if (e === undefined || e.port !== port || e.protocol !== protocol || (e.name ?? '') !== (typeof o!.name === 'string' ? o!.name : '')) return false;
      }
    }
  }
  return i === expected.length;
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

