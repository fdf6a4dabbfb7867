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

/** Destinations kept across all classes' rows in iterateConnectivity (~16 bytes each: the order slot and the
 *  connection reference): 4M ≈ 64 MB at most, 16 times what the L bench cluster keeps (241k). */
const MAX_KEPT_ROW_ENTRIES = 4_000_000;

export function* iterateConnectivity(input: Snapshot | Analysis, options: ConnectivityOptions = {}): Generator<ConnectivityRow> {
  for (const run of iterateConnectivityRuns(input, options)) {
    const { src, dsts, conns, count } = run;
    for (let i = 0; i < count; i++) yield { src, dst: dsts[i], conn: conns[i] };
  }
}

/**
 * One source's rows of `iterateConnectivity`: its first `count` destinations (name order) with their connections,
 * every one non-empty and never the source itself. The arrays are reused from one run to the next: read a run
 * before asking for the next one.
 */
export interface ConnectivityRun {
  readonly src: Peer;
  readonly count: number;
  readonly dsts: readonly Peer[];
  readonly conns: readonly ConnectionSet[];
}

/**
 * `iterateConnectivity`'s rows, also readable source by source (`runs`): formatters that know it (the np-guard
 * connlist and exposure reports) skip one row object per pair. Each iteration starts over.
 */
export class ConnectivityListing implements Iterable<ConnectivityRow> {
  constructor(
    private readonly input: Snapshot | Analysis,
    private readonly options: ConnectivityOptions = {},
  ) {}

  [Symbol.iterator](): Generator<ConnectivityRow> {
    return iterateConnectivity(this.input, this.options);
  }

  runs(): Generator<ConnectivityRun> {
    return iterateConnectivityRuns(this.input, this.options);
  }
}

/** The rows of `iterateConnectivity` (by source name, then destination name) as one run per source with a row. */
export function* iterateConnectivityRuns(input: Snapshot | Analysis, options: ConnectivityOptions = {}): Generator<ConnectivityRun> {
  const analysis = ensureAnalysis(input);
  const peers = clusterPeers(analysis, options.granularity ?? 'workload');
  const sources = [...peers, ...atomPeers(analysis.srcAtoms)].sort((a, b) => compare(a.name, b.name));
  const destinations = [...peers, ...atomPeers(analysis.dstAtoms)].sort((a, b) => compare(a.name, b.name));
  // Each destination's entity (class, or classes + destination atom): only candidates are looked up.
  const classCount = analysis.classes.length;
  const destinationEntity = Int32Array.from(destinations, (d) => (d.type === 'ip' ? classCount + d.atom : d.classId));
  const candidates = new ReachCandidates(analysis);
  const open = new Uint32Array(candidates.words);
  const positions = new DestinationPositions(destinationEntity, classCount + analysis.dstAtoms.length);
  let openFor: Peer | undefined;
  let order: Int32Array | undefined;
  // A class source's connections toward its candidate destinations (aligned with `order`), each destination
  // entity looked up once; kept per class whose sources come in several runs of name order (workloads of one
  // class need not follow each other; a workload's pods do).
  const runsPerClass = new Int32Array(classCount);
  let previousClass = -1;
  for (const p of sources) {
    const classId = p.type === 'ip' ? -1 : p.classId;
    if (classId >= 0 && classId !== previousClass) runsPerClass[classId]++;
    previousClass = classId;
  }
  // Bounded: kept rows hold up to classes x destinations entries (adversarial name orders interleave every class);
  // past the budget a class's row is rebuilt for each of its runs, as it was before the rows were kept.
  const rows = new Map<number, { order: Int32Array; conns: ConnectionSet[] }>();
  let keptEntries = 0;
  const entityConn: ConnectionSet[] = new Array(classCount + analysis.dstAtoms.length);
  const entityRow = new Int32Array(classCount + analysis.dstAtoms.length).fill(-1);
  let rowSerial = 0;
  const rowConns: ConnectionSet[] = [];
  let conns: ConnectionSet[] | undefined;
  // One source's rows, reused for every run.
  const runDsts: Peer[] = [];
  const runConns: ConnectionSet[] = [];
  const run: ConnectivityRun = { src: sources[0], count: 0, dsts: runDsts, conns: runConns };
  for (const src of sources) {
    // Sources of one class often follow each other (pods of a workload): reuse the candidates.
    const sameAs = openFor !== undefined && src.type !== 'ip' && openFor.type !== 'ip' && openFor.classId === src.classId;
    if (!sameAs) {
      openFor = src;
      conns = undefined;
      const kept = src.type === 'ip' ? undefined : rows.get(src.classId);
      if (kept) ({ order, conns } = kept);
      else {
        if (src.type === 'ip') candidates.fromAtom(src.atom, open);
        else candidates.fromClass(src.classId, open);
        order = positions.of(open);
        if (order && src.type !== 'ip') {
          conns = new Array<ConnectionSet>(order.length);
          if (analysis.classRow) {
            // Each destination entity of the row looked up once, all in one call.
            analysis.classRow(src.classId, positions.entities, positions.entityCount, rowConns);
            for (let i = 0; i < positions.entityCount; i++) entityConn[positions.entities[i]] = rowConns[i];
            for (let k = 0; k < order.length; k++) conns[k] = entityConn[destinationEntity[order[k]]];
          } else {
            const serial = rowSerial++;
            for (let k = 0; k < order.length; k++) {
              const e = destinationEntity[order[k]];
              if (entityRow[e] !== serial) {
                entityRow[e] = serial;
                entityConn[e] = e < classCount ? analysis.classToClass(src.classId, e) : analysis.classToAtom(src.classId, e - classCount);
              }
              conns[k] = entityConn[e];
            }
          }
          if (runsPerClass[src.classId] > 1 && keptEntries + order.length <= MAX_KEPT_ROW_ENTRIES) {
            keptEntries += order.length;
            rows.set(src.classId, { order, conns });
          }
        }
      }
    }
    let count = 0;
    if (conns) {
      const row = conns;
      for (let k = 0; k < order!.length; k++) {
        const dst = destinations[order![k]];
        const conn = row[k];
        if (src !== dst && !conn.isEmpty) {
          runDsts[count] = dst;
          runConns[count++] = conn;
        }
      }
    } else {
      const visit = (j: number): void => {
        const dst = destinations[j];
        if (src === dst || (src.type === 'ip' && dst.type === 'ip')) return;
        const conn = pairConnections(analysis, src, dst);
        if (conn && !conn.isEmpty) {
          runDsts[count] = dst;
          runConns[count++] = conn;
        }
      };
      if (order) for (let k = 0; k < order.length; k++) visit(order[k]);
      else for (let j = 0; j < destinations.length; j++) if (hasBit(open, destinationEntity[j])) visit(j);
    }
    if (count > 0) {
      (run as { src: Peer }).src = src;
      (run as { count: number }).count = count;
      yield run;
    }
  }
}

/**
 * The destinations (positions in name order) of the entities a bitset holds, ascending. At 50k pods a source
 * reaches a few percent of ~12k destinations: gathering them through the set bits instead of testing every
 * destination saves the 144M-step pair loop. Dense bitsets (few policies) keep the plain scan (`of` gives undefined).
 */
class DestinationPositions {
  /** Entity e's destinations are positions[start[e] .. start[e + 1]). */
  private readonly start: Int32Array;
  private readonly positions: Int32Array;
  private readonly picked: Int32Array;
  /** After `of` gave positions: the entities they belong to, ascending (`entityCount` of them; scratch). */
  readonly entities: Int32Array;
  entityCount = 0;

  constructor(destinationEntity: Int32Array, private readonly universe: number) {
    const entityCount = universe;
    const start = new Int32Array(entityCount + 1);
    for (let j = 0; j < destinationEntity.length; j++) start[destinationEntity[j] + 1]++;
    for (let e = 0; e < entityCount; e++) start[e + 1] += start[e];
    const cursor = start.slice(0, entityCount);
    const positions = new Int32Array(destinationEntity.length);
    for (let j = 0; j < destinationEntity.length; j++) positions[cursor[destinationEntity[j]]++] = j;
    this.start = start;
    this.positions = positions;
    this.picked = new Int32Array(destinationEntity.length);
    this.entities = new Int32Array(destinationEntity.length);
  }

  of(bits: Uint32Array): Int32Array | undefined {
    const limit = this.picked.length >>> 3;
    let count = 0;
    let entities = 0;
    for (let w = 0; w < bits.length; w++) {
      let word = bits[w];
      while (word !== 0) {
        const low = word & -word;
        word ^= low;
        const e = (w << 5) + 31 - Math.clz32(low);
        if (e >= this.universe) continue;
        const end = this.start[e + 1];
        if (count + end - this.start[e] > limit) return undefined;
        if (end > this.start[e]) this.entities[entities++] = e;
        for (let k = this.start[e]; k < end; k++) this.picked[count++] = this.positions[k];
      }
    }
    this.entityCount = entities;
    return this.picked.slice(0, count).sort();
  }
}

export function connectivity(input: Snapshot | Analysis, options: ConnectivityOptions = {}): ConnectivityRow[] {
  return [...iterateConnectivity(input, options)];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
