// whoCanReach / reachableFrom over the factorised analysis (the GraphQL fields and `netpol who-can-reach` /
// `netpol reachable-from` print the same JSON): one lookup per workload and per IP atom (no policy is
// evaluated again). Peers resolve as `netpol eval` resolves them (the engine's resolvePeer), so the answers agree
// with `reachability` for every pair. Results are merged per top-level controller (ports united).
import { ConnectionSet, type Protocol } from '../algebra/connection-set.js';
import { EvaluateError, resolvePeer, type PeerSpec } from '../analysis/evaluate.js';
import { tracePair, workloadEndpoint, type Endpoint } from '../analysis/trace.js';
import type { Analysis, IpAtom } from '../analysis/types.js';
import type { Workload } from '../model/types.js';
import { workloadPods } from '../model/workloads.js';
import { showsIcmp } from '../output/conn-string.js';
import { compareText, ipRangeKey, ipRangePeer, reachablePeer, topLevelPeer, workloadKey, type NetworkPeer, type ReachablePeer } from './peers.js';

/** An asked peer located in the analysis: an identity class (a workload or one pod), or one IP address. */
type Located =
  | { readonly type: 'class'; readonly classId: number; readonly endpoint: Endpoint; readonly workload: Workload; readonly isWorkload: boolean }
  | { readonly type: 'ip'; readonly endpoint: Extract<Endpoint, { type: 'ip' }> };

function locate(analysis: Analysis, spec: PeerSpec): Located {
  const resolved = resolvePeer(analysis.snapshot, spec);
  const { endpoint, workload } = resolved;
  if (endpoint.type === 'ip') return { type: 'ip', endpoint };
  if (!workload) throw new Error(`peer ${endpoint.name} has no workload`);
  if (resolved.isWorkload) return { type: 'class', classId: analysis.workloadClass[workload.id], endpoint, workload, isWorkload: true };
  // One pod: its own class (pods of one workload can differ on labels no selector reads… or on ones it does).
  const classes = analysis.podClasses[workload.id];
  const index = workloadPods(workload).findIndex((pod) => `${pod.namespace}/${pod.name}` === endpoint.podKey);
  const classId = classes.length > 0 && index >= 0 ? classes[Math.min(index, classes.length - 1)] : analysis.workloadClass[workload.id];
  return { type: 'class', classId, endpoint, workload, isWorkload: false };
}

/** The asked port on the destination: a number, or a named container port of a pod destination. */
export function targetPort(dst: Endpoint, port: string, protocol: Protocol): number {
  const text = port.trim();
  if (/^\d+$/.test(text)) {
    const value = Number(text);
    if (value < 1 || value > 65535) throw new EvaluateError('INVALID_PORT', `port ${text} is not in 1-65535`);
    return value;
  }
  if (dst.type !== 'pod') throw new EvaluateError('UNKNOWN_PORT_NAME', `a named port (${text}) needs a pod destination, not an IP`);
  const named = dst.namedPorts.get(text);
  if (!named) throw new EvaluateError('UNKNOWN_PORT_NAME', `${dst.name} has no container port named ${text}`);
  if (named.protocol !== protocol) throw new EvaluateError('UNKNOWN_PORT_NAME', `${dst.name} port ${text} is ${named.protocol}, not ${protocol}`);
  return named.port;
}

/** Index of the atom holding one address, or -1. */
function atomOf(atoms: readonly IpAtom[], endpoint: Extract<Endpoint, { type: 'ip' }>): number {
  return atoms.findIndex((atom) => atom.family === endpoint.family && atom.first <= endpoint.first && endpoint.last <= atom.last);
}

class Results {
  private readonly byKey = new Map<string, { peer: NetworkPeer; conn: ConnectionSet }>();

  /** `icmp`: the snapshot `showsIcmp`, so the texts name ICMP. */
  constructor(private readonly icmp: boolean) {}

  add(key: string, peer: NetworkPeer, conn: ConnectionSet): void {
    if (conn.isEmpty) return;
    const entry = this.byKey.get(key);
    if (entry) entry.conn = entry.conn.union(conn);
    else this.byKey.set(key, { peer, conn });
  }

  addWorkload(w: Workload, conn: ConnectionSet): void {
    this.add(workloadKey(w.namespace, w.topLevel.kind, w.topLevel.name), topLevelPeer(w), conn);
  }

  addAtom(atom: IpAtom, conn: ConnectionSet): void {
    this.add(ipRangeKey(atom.family, atom.first, atom.last), ipRangePeer(atom.text), conn);
  }

  list(): ReachablePeer[] {
    return [...this.byKey.entries()].sort(([a], [b]) => compareText(a, b)).map(([, { peer, conn }]) => reachablePeer(peer, conn, this.icmp));
  }
}

/** Every other workload and IP range allowed to reach `to` on the port (no port: on any port); with all the ports
 *  each may use. */
export function whoCanReach(analysis: Analysis, to: PeerSpec, port: string | undefined, protocol: Protocol = 'TCP'): ReachablePeer[] {
  const dst = locate(analysis, to);
  const portNumber = port === undefined ? undefined : targetPort(dst.endpoint, port, protocol);
  const results = new Results(showsIcmp(analysis.snapshot));
  const sources = analysis.snapshot.workloads.filter((w) => !(dst.type === 'class' && dst.isWorkload && w === dst.workload));
  if (dst.type === 'class') {
    for (const w of sources) results.addWorkload(w, keep(analysis.classToClass(analysis.workloadClass[w.id], dst.classId), protocol, portNumber));
    analysis.srcAtoms.forEach((atom, i) => results.addAtom(atom, keep(analysis.atomToClass(i, dst.classId), protocol, portNumber)));
    return results.list();
  }
  const atom = atomOf(analysis.dstAtoms, dst.endpoint);
  for (const w of sources) {
    const conn = atom >= 0 ? analysis.classToAtom(analysis.workloadClass[w.id], atom) : traced(analysis, workloadEndpoint(w), dst.endpoint);
    results.addWorkload(w, keep(conn, protocol, portNumber));
  }
  return results.list();
}

/** Every other workload and IP range `from` may reach, with the allowed ports. */
export function reachableFrom(analysis: Analysis, from: PeerSpec): ReachablePeer[] {
  const src = locate(analysis, from);
  const results = new Results(showsIcmp(analysis.snapshot));
  const destinations = analysis.snapshot.workloads.filter((w) => !(src.type === 'class' && src.isWorkload && w === src.workload));
  if (src.type === 'class') {
    for (const w of destinations) results.addWorkload(w, analysis.classToClass(src.classId, analysis.workloadClass[w.id]));
    analysis.dstAtoms.forEach((atom, i) => results.addAtom(atom, analysis.classToAtom(src.classId, i)));
    return results.list();
  }
  const atom = atomOf(analysis.srcAtoms, src.endpoint);
  for (const w of destinations) {
    const conn = atom >= 0 ? analysis.atomToClass(atom, analysis.workloadClass[w.id]) : traced(analysis, src.endpoint, workloadEndpoint(w));
    results.addWorkload(w, conn);
  }
  return results.list();
}

/** The whole connection set when it contains the asked port (or no port was asked), else nothing. */
function keep(conn: ConnectionSet, protocol: Protocol, port: number | undefined): ConnectionSet {
  return port === undefined || conn.contains(protocol, port) ? conn : ConnectionSet.NONE;
}

/** An address outside every analysed IP atom (an IP family no ipBlock mentions): walk the policies directly. */
function traced(analysis: Analysis, src: Endpoint, dst: Endpoint): ConnectionSet {
  return tracePair(analysis.snapshot, src, dst).allowed;
}
