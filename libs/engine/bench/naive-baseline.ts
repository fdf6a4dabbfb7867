// The naive baseline for the S ratio: what computing the complete result pair by pair would cost. Running all
// 1M pod pairs × every port boundary naively takes hours, so a seeded sample of pairs is timed and the total
// extrapolated (the report says so). The sampled verdicts double as a spot check against the engine.
import type { KubeObject } from '../src/manifest/types.js';
import { allowed, buildNaiveCluster, PROTOCOLS, type NaiveCluster, type NaivePod, type Protocol } from '../test/property/naive-evaluator.js';
import { cidrFirst, cidrLast, familyBits, formatIp, parseCidr, type IpFamily } from '../test/property/naive-ip.js';
import type { Random } from './random.js';

type Obj = Record<string, unknown>;
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Obj => (v && typeof v === 'object' ? (v as Obj) : {});

/** Start of every elementary port interval: the verdict is constant between two consecutive starts. */
export function portBoundaries(cluster: NaiveCluster): number[] {
  const starts = new Set<number>([1]);
  for (const policy of cluster.policies) {
    const spec = obj(policy.spec);
    for (const rule of [...arr(spec.ingress), ...arr(spec.egress)]) {
      for (const entry of arr(obj(rule).ports).map(obj)) {
        if (typeof entry.port !== 'number') continue;
        starts.add(entry.port);
        const last = typeof entry.endPort === 'number' ? entry.endPort : entry.port;
        if (last < 65535) starts.add(last + 1);
      }
    }
  }
  for (const pod of cluster.pods) {
    for (const p of pod.ports) {
      starts.add(p.port);
      if (p.port < 65535) starts.add(p.port + 1);
    }
  }
  return [...starts].sort((a, b) => a - b);
}

/** One representative address per elementary IP interval cut at every ipBlock boundary. */
export function ipRepresentatives(cluster: NaiveCluster): string[] {
  const starts: Record<IpFamily, Set<bigint>> = { 4: new Set([0n]), 6: new Set([0n]) };
  for (const policy of cluster.policies) {
    const spec = obj(policy.spec);
    for (const rule of [...arr(spec.ingress), ...arr(spec.egress)]) {
      const r = obj(rule);
      for (const peer of [...arr(r.from), ...arr(r.to)]) {
        const block = obj(obj(peer).ipBlock);
        for (const text of [block.cidr, ...arr(block.except)]) {
          const cidr = typeof text === 'string' ? parseCidr(text) : undefined;
          if (!cidr) continue;
          starts[cidr.family].add(cidrFirst(cidr));
          if (cidrLast(cidr) + 1n < 1n << BigInt(familyBits(cidr.family))) starts[cidr.family].add(cidrLast(cidr) + 1n);
        }
      }
    }
  }
  return ([4, 6] as const).flatMap((family) => [...starts[family]].sort((a, b) => (a < b ? -1 : 1)).map((value) => formatIp({ family, value })));
}

export interface NaiveSample {
  readonly source: NaivePod | { ip: string };
  readonly destination: NaivePod | { ip: string };
  readonly protocol: Protocol;
  readonly port: number;
  readonly allowed: boolean;
}

export interface NaiveEstimate {
  readonly podPairs: number;
  readonly ipPairs: number;
  readonly portsPerProtocol: number;
  readonly ipAtoms: number;
  readonly sampledPairs: number;
  readonly sampleMs: number;
  /** Extrapolated time for every pod pair and every pod/IP-atom pair, at every port boundary of all protocols. */
  readonly estimatedTotalMs: number;
  readonly samples: NaiveSample[];
}

export function naiveEstimate(objects: readonly KubeObject[], random: Random, sampleSize: number): NaiveEstimate {
  const cluster = buildNaiveCluster(objects);
  const ports = portBoundaries(cluster);
  const ips = ipRepresentatives(cluster);
  const pods = cluster.pods;
  const samples: NaiveSample[] = [];
  const checkPair = (source: NaiveSample['source'], destination: NaiveSample['destination']) => {
    for (const protocol of PROTOCOLS) {
      for (const port of ports) samples.push({ source, destination, protocol, port, allowed: allowed(cluster, source, destination, protocol, port) });
    }
  };
  const podSample = Math.ceil(sampleSize * 0.8);
  const start = performance.now();
  for (let i = 0; i < podSample; i++) checkPair(random.pick(pods), random.pick(pods));
  const podMs = performance.now() - start;
  const ipStart = performance.now();
  for (let i = podSample; i < sampleSize; i++) {
    const pod = random.pick(pods);
    const ip = { ip: random.pick(ips) };
    if (random.chance(0.5)) checkPair(pod, ip);
    else checkPair(ip, pod);
  }
  const ipMs = performance.now() - ipStart;
  const podPairs = pods.length * pods.length;
  const ipPairs = 2 * pods.length * ips.length;
  const ipSample = sampleSize - podSample;
  return {
    podPairs,
    ipPairs,
    portsPerProtocol: ports.length,
    ipAtoms: ips.length,
    sampledPairs: sampleSize,
    sampleMs: podMs + ipMs,
    estimatedTotalMs: (podMs / podSample) * podPairs + (ipSample > 0 ? (ipMs / ipSample) * ipPairs : 0),
    samples,
  };
}
