// Every allowed connection between peers (workloads or pods, and IP atoms), enumerated from the factorised
// analysis in output order: by source name, then destination name (byte order).
import type { ConnectionSet } from '../algebra/connection-set.js';
import type { IpFamily } from '../algebra/ip-set.js';
import { workloadPods } from '../model/workloads.js';
import type { PodModel, Snapshot, Workload } from '../model/types.js';
import { analyze } from './analyze.js';
import { hasBit, ReachCandidates } from './candidates.js';
import type { Analysis, IpAtom } from './types.js';

export type Granularity = 'workload' | 'pod';

export type Peer =
  | { readonly type: 'workload'; readonly name: string; readonly workload: Workload; readonly classId: number }
  | {
      readonly type: 'pod';
      readonly name: string;
      readonly workload: Workload;
      readonly pod: PodModel;
      readonly classId: number;
    }
  | {
      readonly type: 'ip';
      readonly name: string;
      readonly family: IpFamily;
      readonly first: bigint;
      readonly last: bigint;
      /** Index in `Analysis.srcAtoms` (as a source) or `Analysis.dstAtoms` (as a destination). */
      readonly atom: number;
    };

export interface ConnectivityRow {
  readonly src: Peer;
  readonly dst: Peer;
  readonly conn: ConnectionSet;
}

export interface ConnectivityOptions {
  readonly granularity?: Granularity;
}

export function ensureAnalysis(input: Snapshot | Analysis): Analysis {
  return 'classToClass' in input ? input : analyze(input);
}

/** The pod/workload peers of an analysis, sorted by name. */
export function clusterPeers(analysis: Analysis, granularity: Granularity = 'workload'): Peer[] {
  const out: Peer[] = [];
  for (const w of analysis.snapshot.workloads) {
    if (granularity === 'workload') {
      out.push({ type: 'workload', name: w.displayName, workload: w, classId: analysis.workloadClass[w.id] });
      continue;
    }
    const classes = analysis.podClasses[w.id];
    workloadPods(w).forEach((pod, i) => {
      out.push({
        type: 'pod',
        name: `${pod.namespace}/${pod.name}[Pod]`,
        workload: w,
        pod,
        classId: classes[Math.min(i, classes.length - 1)],
      });
    });
  }
  return out.sort((a, b) => compare(a.name, b.name));
}

export function atomPeers(atoms: readonly IpAtom[]): Peer[] {
  return atoms.map((a, atom) => ({ type: 'ip', name: `${a.text}[External]`, family: a.family, first: a.first, last: a.last, atom }));
}

/** Allowed connections of one ordered pair of peers (a source IP peer must come from `srcAtoms`, a
 *  destination one from `dstAtoms`). Two IP peers: nothing is analysed between them. */
export function pairConnections(analysis: Analysis, src: Peer, dst: Peer): ConnectionSet | undefined {
  if (src.type === 'ip') return dst.type === 'ip' ? undefined : analysis.atomToClass(src.atom, dst.classId);
  if (dst.type === 'ip') return analysis.classToAtom(src.classId, dst.atom);
  return analysis.classToClass(src.classId, dst.classId);
}

export function* iterateConnectivity(input: Snapshot | Analysis, options: ConnectivityOptions = {}): Generator<ConnectivityRow> {
  const analysis = ensureAnalysis(input);
  const peers = clusterPeers(analysis, options.granularity ?? 'workload');
  const sources = [...peers, ...atomPeers(analysis.srcAtoms)].sort((a, b) => compare(a.name, b.name));
  const destinations = [...peers, ...atomPeers(analysis.dstAtoms)].sort((a, b) => compare(a.name, b.name));
  // Each destination's entity (class, or classes + destination atom): only candidates are looked up.
  const classCount = analysis.classes.length;
  const destinationEntity = Int32Array.from(destinations, (d) => (d.type === 'ip' ? classCount + d.atom : d.classId));
  const candidates = new ReachCandidates(analysis);
  const open = new Uint32Array(candidates.words);
  let openFor: Peer | undefined;
  for (const src of sources) {
    // Sources of one class often follow each other (pods of a workload): reuse the candidates.
    const sameAs = openFor !== undefined && src.type !== 'ip' && openFor.type !== 'ip' && openFor.classId === src.classId;
    if (!sameAs) {
      if (src.type === 'ip') candidates.fromAtom(src.atom, open);
      else candidates.fromClass(src.classId, open);
      openFor = src;
    }
    for (let j = 0; j < destinations.length; j++) {
      if (!hasBit(open, destinationEntity[j])) continue;
      const dst = destinations[j];
      if (src === dst || (src.type === 'ip' && dst.type === 'ip')) continue;
      const conn = pairConnections(analysis, src, dst);
      if (conn && !conn.isEmpty) yield { src, dst, conn };
    }
  }
}

export function connectivity(input: Snapshot | Analysis, options: ConnectivityOptions = {}): ConnectivityRow[] {
  return [...iterateConnectivity(input, options)];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
