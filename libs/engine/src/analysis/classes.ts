// Identity classes: pods grouped by what selectors and named ports can observe of them.
import { parseIp, type IpSet } from '../algebra/ip-set.js';
import { namedPortMap, type ContainerPort } from '../algebra/rule-ports.js';
import type { Labels, Selector } from '../algebra/selector.js';
import type { PodModel, RuleModel, Snapshot } from '../model/types.js';

export interface ClassSeed {
  readonly id: number;
  readonly namespace: string;
  readonly labels: Labels;
  readonly namedPorts: ReadonlyMap<string, ContainerPort>;
  readonly namedPortSignature: number;
  /** Keys of the pod-matching ipBlock sets containing one of the pod's IPs. */
  readonly ipBlockKeys: ReadonlySet<string>;
  /** IPs of the class's first pod: every pod of the class is in the same address sets (what matchers test). */
  readonly ips: readonly string[];
  /** The service account of the class's pods when some policy selects by it (Calico), else of its first pod. */
  readonly serviceAccount: string | null;
  /** Whether the class's pods use hostNetwork: told apart only when some policy's subject or pod peer excludes
   *  host-network pods (AdminNetworkPolicy and its kin) or the snapshot has host endpoints, else always false. */
  readonly hostNetwork: boolean;
  /** The node of the class's pods: told apart only when the snapshot has host endpoints (they police what their
   *  node forwards), else absent. */
  readonly node?: string;
}

export interface ClassAssignment {
  readonly classes: ClassSeed[];
  readonly workloadClass: Int32Array;
  readonly podClasses: Int32Array[];
}

/** What the policies read: label keys of every pod selector (and dialect matcher), the names of every named port,
 *  whether some policy selects by service account and whether some subject or pod peer excludes host-network pods. */
export function observedFeatures(snapshot: Snapshot): { keys: string[]; portNames: string[]; serviceAccounts: boolean; hostNetwork: boolean } {
  const keys = new Set<string>();
  let serviceAccounts = false;
  let hostNetwork = false;
  const portNames = new Set<string>();
  const seenSelectors = new Set<Selector>();
  const seenRules = new Set<readonly RuleModel[]>(); // equal specs share their compiled rule lists
  const addKeys = (selector: Selector) => {
    if (seenSelectors.has(selector)) return;
    seenSelectors.add(selector);
    for (let i = 0; i < selector.requirements.length; i++) keys.add(selector.requirements[i].key);
  };
  const policies = snapshot.policies;
  for (let p = 0; p < policies.length; p++) {
    const policy = policies[p];
    addKeys(policy.podSelector);
    if (policy.subjectServiceAccounts && !policy.subjectIgnoresServiceAccount) serviceAccounts = true;
    if (policy.subjectExcludesHostNetwork) hostNetwork = true;
    for (let d = 0; d < 2; d++) {
      const rules = d === 0 ? policy.ingress.rules : policy.egress.rules;
      if (seenRules.has(rules)) continue;
      seenRules.add(rules);
      for (const rule of rules) {
        for (const peer of rule.peers ?? []) {
          if (peer.kind === 'pods') {
            if (peer.podSelector) addKeys(peer.podSelector);
            if (peer.excludesHostNetwork) hostNetwork = true;
          } else if (peer.kind === 'matcher') for (const key of peer.labelKeys) keys.add(key);
        }
        for (const ref of rule.allowed.named) portNames.add(ref.name);
        if (rule.unmodelledPeers?.some((p) => p.kind === 'serviceAccounts')) serviceAccounts = true;
      }
    }
  }
  return { keys: [...keys].sort(), portNames: [...portNames].sort(), serviceAccounts, hostNetwork };
}

export function assignClasses(snapshot: Snapshot, ipBlocks: ReadonlyMap<string, IpSet>): ClassAssignment {
  // `hostNetwork`: pods are told apart by it only when a policy reads it (no cost to clusters without one).
  const { keys, portNames, serviceAccounts, hostNetwork: readsHostNetwork } = observedFeatures(snapshot);
  // Host endpoints police pods by their node (and leave host-network pods to the host): pods are told apart by both.
  const splitNode = (snapshot.hostEndpoints ?? []).length > 0;
  const splitHostNetwork = readsHostNetwork || splitNode;
  const byKey = new Map<string, number>();
  const signatures = new Map<string, number>();
  const classes: ClassSeed[] = [];
  // Pods are told apart by the blocks containing their IPs when some block matches pods (`ipBlocks` holds only those).
  const matchIps = ipBlocks.size > 0;

  const hasOwn = Object.prototype.hasOwnProperty;
  // Port lists are shared between pods with equal ports (see buildWorkloads): one signature per list.
  const signatureOf = new Map<readonly ContainerPort[], string>();
  // Likewise one named-port map per shared list (classes only read it).
  const namedPortsOf = new Map<readonly ContainerPort[], ReadonlyMap<string, ContainerPort>>();
  const classOf = (
    namespace: string,
    labels: Labels,
    ports: readonly ContainerPort[],
    ips: readonly string[],
    serviceAccount: string | null,
    podHostNetwork: boolean,
    podNode: string | undefined,
  ): number => {
    const node = splitNode ? podNode : undefined;
    const hostNetwork = splitHostNetwork && podHostNetwork;
    let signature = signatureOf.get(ports);
    if (signature === undefined) {
      signature = '';
      for (let n = 0; n < portNames.length; n++) {
        const name = portNames[n];
        const p = ports.find((x) => x.name === name);
        signature += p ? `${p.protocol}/${p.port};` : ';';
      }
      signatureOf.set(ports, signature);
    }
    let key = namespace;
    for (let i = 0; i < keys.length; i++) key += hasOwn.call(labels, keys[i]) ? `\u0001${labels[keys[i]]}` : '\u0002';
    key += `\u0000${signature}`;
    // Pods are told apart by service account only when a policy selects by it.
    if (serviceAccounts) key += serviceAccount === null ? '\u0000\u0002' : `\u0000\u0001${serviceAccount}`;
    if (hostNetwork) key += '\u0000\u0004';
    if (node !== undefined) key += `\u0000\u0005${node}`;
    const blockKeys = matchIps && ips.length > 0 ? ipBlocksContaining(ips, ipBlocks) : NO_BLOCKS;
    if (blockKeys.size > 0) key += `\u0000${[...blockKeys].sort().join('\u0003')}`;
    const found = byKey.get(key);
    if (found !== undefined) return found;
    let sigId = signatures.get(signature);
    if (sigId === undefined) {
      sigId = signatures.size;
      signatures.set(signature, sigId);
    }
    const id = classes.length;
    let namedPorts = namedPortsOf.get(ports);
    if (!namedPorts) namedPortsOf.set(ports, (namedPorts = namedPortMap(ports)));
    classes.push({ id, namespace, labels, namedPorts, namedPortSignature: sigId, ipBlockKeys: blockKeys, ips, serviceAccount, hostNetwork, ...(node !== undefined ? { node } : {}) });
    byKey.set(key, id);
    return id;
  };

  const workloadClass = new Int32Array(snapshot.workloads.length);
  const podClasses: Int32Array[] = [];
  const workloads = snapshot.workloads;
  for (let wi = 0; wi < workloads.length; wi++) {
    const w = workloads[wi];
    if (w.pods.length === 0) {
      workloadClass[w.id] = classOf(w.namespace, w.labels, w.ports, [], w.serviceAccount, w.hostNetwork, undefined);
      podClasses.push(Int32Array.of(workloadClass[w.id]));
      continue;
    }
    const ids = new Int32Array(w.pods.length);
    // Replicas share their ports list and agree on the observed label keys (even when, like StatefulSet pods,
    // they differ elsewhere): compare with the previous pod instead of building its key.
    let lastLabels: Labels | undefined;
    let lastPorts: readonly ContainerPort[] | undefined;
    let lastClass = -1;
    let lastAccount: string | null = null;
    let lastHostNetwork = false;
    let lastNode: string | undefined;
    for (let i = 0; i < w.pods.length; i++) {
      const pod: PodModel = w.pods[i];
      if (!matchIps && pod.ports === lastPorts && lastLabels && sameObserved(pod.labels, lastLabels, keys) && (!serviceAccounts || pod.serviceAccount === lastAccount) && (!splitHostNetwork || pod.hostNetwork === lastHostNetwork) && (!splitNode || pod.node === lastNode)) {
        ids[i] = lastClass;
        continue;
      }
      ids[i] = lastClass = classOf(pod.namespace, pod.labels, pod.ports, pod.ips, pod.serviceAccount, pod.hostNetwork, pod.node);
      lastNode = pod.node;
      lastLabels = pod.labels;
      lastAccount = pod.serviceAccount;
      lastHostNetwork = pod.hostNetwork;
      lastPorts = pod.ports;
    }
    workloadClass[w.id] = ids[0];
    podClasses.push(ids);
  }
  return { classes, workloadClass, podClasses };
}

const NO_BLOCKS: ReadonlySet<string> = new Set();

/** Whether two label sets agree (presence and value) on every key in `keys`. */
function sameObserved(a: Labels, b: Labels, keys: readonly string[]): boolean {
  if (a === b) return true;
  const hasOwn = Object.prototype.hasOwnProperty;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i];
    const inA = hasOwn.call(a, k);
    if (inA !== hasOwn.call(b, k) || (inA && a[k] !== b[k])) return false;
  }
  return true;
}

function ipBlocksContaining(ips: readonly string[], ipBlocks: ReadonlyMap<string, IpSet>): ReadonlySet<string> {
  const out = new Set<string>();
  for (const text of ips) {
    const ip = parseIp(text);
    if (!ip) continue;
    for (const [key, set] of ipBlocks) if (set.containsAddress(ip.family, ip.value)) out.add(key);
  }
  return out;
}
