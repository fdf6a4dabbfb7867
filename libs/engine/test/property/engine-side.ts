// The engine under test, seen through its public API only. Kept apart from the naive evaluator's files so
// the import-graph test can check that the oracle never reaches the engine's model / algebra / analysis.
import {
  analyze,
  buildSnapshot,
  clusterPeers,
  connectivity,
  evaluate,
  type ConnectivityRow,
  type IpAtom,
  type Peer,
  type PeerSpec,
  type Protocol,
  type Snapshot,
  type ConnectionSet,
} from '../../src/index.js';
import type { EngineOptions } from '../../src/model/types.js';
import type { ParsedObject } from '../../src/manifest/types.js';
import type { NaivePeer, NaivePod } from './naive-evaluator.js';
import { formatIp, parseIp } from './naive-ip.js';

export interface EngineView {
  readonly snapshot: Snapshot;
  /** Pod-granularity connectivity rows, grouped for lookup. */
  readonly podRows: ReadonlyMap<string, ConnectivityRow>;
  readonly ipRows: readonly ConnectivityRow[];
  /** IP atoms as a source (cut by ingress ipBlocks) and as a destination (egress ipBlocks). */
  readonly srcAtoms: readonly IpAtom[];
  readonly dstAtoms: readonly IpAtom[];
  /** Pod peers as the engine enumerates them: a Pod object, or a synthetic replica of a controller. */
  readonly podPeers: readonly { key: string; namespace: string; pod: string; synthetic: boolean; workload: string }[];
  readonly issues: readonly unknown[];
}

export const workloadKey = (p: { namespace: string; kind: string; name: string }) => `${p.namespace}/${p.kind}/${p.name}`;
const podPeerKey = (p: Peer) => (p.type === 'pod' ? `${workloadKey(p.workload)}#${p.pod.name}` : '');

export function engineView(objects: readonly ParsedObject[], options: EngineOptions = {}): EngineView {
  const { snapshot, issues } = buildSnapshot(objects, options);
  const analysis = analyze(snapshot);
  const podRows = new Map<string, ConnectivityRow>();
  const ipRows: ConnectivityRow[] = [];
  for (const row of connectivity(analysis, { granularity: 'pod' })) {
    if (row.src.type === 'ip' || row.dst.type === 'ip') ipRows.push(row);
    else podRows.set(`${podPeerKey(row.src)} -> ${podPeerKey(row.dst)}`, row);
  }
  const podPeers = clusterPeers(analysis, 'pod').flatMap((peer) =>
    peer.type === 'pod'
      ? [{ key: podPeerKey(peer), namespace: peer.pod.namespace, pod: peer.pod.name, synthetic: peer.pod.synthetic, workload: workloadKey(peer.workload) }]
      : [],
  );
  return { snapshot, podRows, ipRows, srcAtoms: analysis.srcAtoms, dstAtoms: analysis.dstAtoms, podPeers, issues };
}

/** The engine's pod peers that stand for one naive peer: the Pod object itself, or a controller's replicas. */
export function enginePodsOf(view: EngineView, peer: NaivePod): string[] {
  if (peer.kind === 'Pod') return view.podPeers.filter((p) => !p.synthetic && p.namespace === peer.namespace && p.pod === peer.name).map((p) => p.key);
  return view.podPeers.filter((p) => p.synthetic && p.workload === workloadKey(peer)).map((p) => p.key);
}

export function peerSpec(peer: NaivePeer): PeerSpec {
  if ('ip' in peer) return { ip: peer.ip };
  return peer.kind === 'Pod' ? { namespace: peer.namespace, pod: peer.name } : { namespace: peer.namespace, name: peer.name, kind: peer.kind };
}

export function engineAllows(view: EngineView, source: NaivePeer, destination: NaivePeer, protocol: Protocol, port: number): boolean {
  return evaluate(view.snapshot, peerSpec(source), peerSpec(destination), port, protocol).allowed;
}

/** evaluate() with a port name, resolved by the engine on the destination's container ports. */
export function engineAllowsNamed(view: EngineView, source: NaivePeer, destination: NaivePeer, portName: string): boolean {
  return evaluate(view.snapshot, peerSpec(source), peerSpec(destination), portName).allowed;
}

/** `allowed: null` when no IP atom of the analysis covers the address (the atoms must partition each family). */
export interface RowVerdict {
  readonly pair: string;
  readonly allowed: boolean | null;
}

/**
 * What the pod-granularity rows say for one pair of naive peers: for each engine pod pair that stands for it
 * (distinct pods only: a pod to itself is never listed), whether the row's connection set holds the port.
 */
export function rowVerdicts(
  view: EngineView,
  source: NaivePeer,
  destination: NaivePeer,
  protocol: Protocol,
  port: number,
): RowVerdict[] {
  return rowVerdictsFor(view, source, destination, (conn) => conn.contains(protocol, port));
}

/** rowVerdicts for any connection question (a port, an ICMP type and code): `holds` reads a row's connection set. */
export function rowVerdictsFor(view: EngineView, source: NaivePeer, destination: NaivePeer, holds: (conn: ConnectionSet) => boolean): RowVerdict[] {
  if ('ip' in source || 'ip' in destination) {
    const ip = parseIp('ip' in source ? source.ip : (destination as { ip: string }).ip)!;
    const pod = ('ip' in source ? destination : source) as NaivePod;
    // The rows list IPv6 ranges only when some ipBlock is IPv6 (np-guard lists none); otherwise evaluate() alone speaks.
    const atoms = ('ip' in source ? view.srcAtoms : view.dstAtoms).filter((a) => a.family === ip.family);
    if (atoms.length === 0) return [];
    if (!atoms.some((a) => a.first <= ip.value && ip.value <= a.last)) return [{ pair: `(no ${'ip' in source ? 'source' : 'destination'} IP atom holds ${formatIp(ip)})`, allowed: null }];
    const podKeys = enginePodsOf(view, pod);
    return podKeys.map((podKey) => {
      const row = view.ipRows.find((r) => {
        const ipPeer = 'ip' in source ? r.src : r.dst;
        const podPeer = 'ip' in source ? r.dst : r.src;
        return ipPeer.type === 'ip' && ipPeer.family === ip.family && ipPeer.first <= ip.value && ip.value <= ipPeer.last && podPeerKey(podPeer) === podKey;
      });
      return { pair: 'ip' in source ? `${source.ip} -> ${podKey}` : `${podKey} -> ${(destination as { ip: string }).ip}`, allowed: row ? holds(row.conn) : false };
    });
  }
  const out: RowVerdict[] = [];
  for (const s of enginePodsOf(view, source)) {
    for (const d of enginePodsOf(view, destination)) {
      if (s === d) continue;
      const pair = `${s} -> ${d}`;
      const row = view.podRows.get(pair);
      out.push({ pair, allowed: row ? holds(row.conn) : false });
    }
  }
  return out;
}
