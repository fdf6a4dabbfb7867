// Identity classes: pods grouped by what selectors and named ports can observe of them.
import { parseIp, type IpSet } from '../algebra/ip-set.js';
import { namedPortMap, type ContainerPort } from '../algebra/rule-ports.js';
import type { Labels } from '../algebra/selector.js';
import type { PodModel, Snapshot } from '../model/types.js';

export interface ClassSeed {
  readonly id: number;
  readonly namespace: string;
  readonly labels: Labels;
  readonly namedPorts: ReadonlyMap<string, ContainerPort>;
  readonly namedPortSignature: number;
  /** With `ipBlockMatchesPods`: keys of the ipBlock sets containing one of the pod's IPs. */
  readonly ipBlockKeys: ReadonlySet<string>;
}

export interface ClassAssignment {
  readonly classes: ClassSeed[];
  readonly workloadClass: Int32Array;
  readonly podClasses: Int32Array[];
}

/** What the policies read: label keys of every pod selector and the names of every named port. */
export function observedFeatures(snapshot: Snapshot): { keys: string[]; portNames: string[] } {
  const keys = new Set<string>();
  const portNames = new Set<string>();
  for (const policy of snapshot.policies) {
    for (const k of policy.podSelector.keys()) keys.add(k);
    for (const rule of [...policy.ingress.rules, ...policy.egress.rules]) {
      for (const peer of rule.peers ?? []) if (peer.kind === 'pods' && peer.podSelector) for (const k of peer.podSelector.keys()) keys.add(k);
      for (const ref of rule.allowed.named) portNames.add(ref.name);
    }
  }
  return { keys: [...keys].sort(), portNames: [...portNames].sort() };
}

export function assignClasses(snapshot: Snapshot, ipBlocks: ReadonlyMap<string, IpSet>): ClassAssignment {
  const { keys, portNames } = observedFeatures(snapshot);
  const byKey = new Map<string, number>();
  const signatures = new Map<string, number>();
  const classes: ClassSeed[] = [];
  const matchIps = snapshot.options.ipBlockMatchesPods;

  const hasOwn = Object.prototype.hasOwnProperty;
  const classOf = (namespace: string, labels: Labels, ports: readonly ContainerPort[], ips: readonly string[]): number => {
    let signature = '';
    for (const name of portNames) {
      const p = ports.find((x) => x.name === name);
      signature += p ? `${p.protocol}/${p.port};` : ';';
    }
    let key = namespace;
    for (const k of keys) key += hasOwn.call(labels, k) ? `\u0001${labels[k]}` : '\u0002';
    key += `\u0000${signature}`;
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
    classes.push({ id, namespace, labels, namedPorts: namedPortMap(ports), namedPortSignature: sigId, ipBlockKeys: blockKeys });
    byKey.set(key, id);
    return id;
  };

  const workloadClass = new Int32Array(snapshot.workloads.length);
  const podClasses: Int32Array[] = [];
  for (const w of snapshot.workloads) {
    if (w.pods.length === 0) {
      workloadClass[w.id] = classOf(w.namespace, w.labels, w.ports, []);
      podClasses.push(Int32Array.of(workloadClass[w.id]));
      continue;
    }
    const ids = new Int32Array(w.pods.length);
    w.pods.forEach((pod: PodModel, i) => {
      ids[i] = classOf(pod.namespace, pod.labels, pod.ports, pod.ips);
    });
    workloadClass[w.id] = ids[0];
    podClasses.push(ids);
  }
  return { classes, workloadClass, podClasses };
}

const NO_BLOCKS: ReadonlySet<string> = new Set();

function ipBlocksContaining(ips: readonly string[], ipBlocks: ReadonlyMap<string, IpSet>): ReadonlySet<string> {
  const out = new Set<string>();
  for (const text of ips) {
    const ip = parseIp(text);
    if (!ip) continue;
    for (const [key, set] of ipBlocks) if (set.containsAddress(ip.family, ip.value)) out.add(key);
  }
  return out;
}
