// Which ports and IPs to ask about for one generated cluster: every boundary where a verdict can change.
// Computed from the generated objects themselves, so neither evaluator chooses its own test points.
import { cidrFirst, cidrLast, familyBits, formatIp, parseCidr, type IpFamily } from './naive-ip.js';

type Obj = Record<string, unknown>;

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const asObj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});

const POLICY_KINDS = new Set(['NetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy']);

function policySpecs(objects: readonly Obj[]): Obj[] {
  return objects.filter((o) => POLICY_KINDS.has(String(o.kind))).map((o) => asObj(o.spec));
}

/** Port numbers of one port entry of any kind: NetworkPolicy `port`/`endPort`, AdminNetworkPolicy `portNumber` /
 *  `portRange`, ClusterNetworkPolicy `tcp|udp|sctp.destinationPort.number|range`. */
function entryPorts(entry: Obj): number[] {
  const out: number[] = [];
  const push = (v: unknown) => typeof v === 'number' && out.push(v);
  push(entry.port);
  push(entry.endPort);
  push(asObj(entry.portNumber).port);
  push(asObj(entry.portRange).start);
  push(asObj(entry.portRange).end);
  for (const key of ['tcp', 'udp', 'sctp']) {
    const port = asObj(asObj(entry[key]).destinationPort);
    push(port.number);
    push(asObj(port.range).start);
    push(asObj(port.range).end);
  }
  return out;
}

function ruleLists(spec: Obj): Obj[] {
  return [...asArray(spec.ingress), ...asArray(spec.egress)].map(asObj);
}

function containerPortNumbers(objects: readonly Obj[]): number[] {
  const numbers: number[] = [];
  for (const o of objects) {
    const spec = asObj(o.spec);
    const podSpec = o.kind === 'Pod' ? spec : asObj(asObj(spec.template).spec);
    for (const c of asArray(podSpec.containers)) for (const p of asArray(asObj(c).ports)) numbers.push(Number(asObj(p).containerPort));
  }
  return numbers;
}

/** Ports mentioned ± 1, endPort ± 1, container (named-port) numbers ± 1, and the ends of the range. */
export function probePorts(objects: readonly Obj[]): number[] {
  const ports = new Set<number>([1, 65535]);
  const around = (n: number) => [n - 1, n, n + 1].forEach((p) => ports.add(p));
  for (const spec of policySpecs(objects)) {
    for (const rule of ruleLists(spec)) {
      for (const entry of [...asArray(rule.ports), ...asArray(rule.protocols)].map(asObj)) entryPorts(entry).forEach(around);
    }
  }
  containerPortNumbers(objects).forEach(around);
  return [...ports].filter((p) => p >= 1 && p <= 65535).sort((a, b) => a - b);
}

/** First and last address of every ipBlock cidr and except, and their outside neighbours, plus two plain hosts. */
export function probeIps(objects: readonly Obj[]): string[] {
  const ips = new Map<string, { family: IpFamily; value: bigint }>();
  const add = (family: IpFamily, value: bigint) => {
    if (value < 0n || value >= 1n << BigInt(familyBits(family))) return;
    ips.set(`${family}:${value}`, { family, value });
  };
  add(4, 0x08080808n); // 8.8.8.8
  add(6, (0x2606n << 112n) | 1n); // 2606::1
  for (const spec of policySpecs(objects)) {
    for (const rule of ruleLists(spec)) {
      for (const peer of [...asArray(rule.from), ...asArray(rule.to)].map(asObj)) {
        const block = asObj(peer.ipBlock);
        for (const text of [block.cidr, ...asArray(block.except), ...asArray(peer.networks)]) {
          if (typeof text !== 'string') continue;
          const cidr = parseCidr(text);
          if (!cidr) continue;
          for (const v of [cidrFirst(cidr) - 1n, cidrFirst(cidr), cidrLast(cidr), cidrLast(cidr) + 1n]) add(cidr.family, v);
        }
      }
    }
  }
  return [...ips.values()]
    .sort((a, b) => a.family - b.family || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
    .map((ip) => formatIp(ip));
}
