// Which destinations a source can possibly reach, as bitsets over destination entities, computed from the
// profiles' peer sets instead of testing every (source, destination) pair: a pair can only be allowed when
// the source's egress is open toward the destination (not isolated, a base matching every class/atom, or a
// peer set containing it) and the destination's ingress is open toward the source (the same, per
// destination profile). A superset: the exact connections are still looked up for every candidate, and
// tiered profiles (deny / pass / several tiers) count as open to everything.
import type { Analysis } from './types.js';

export class ReachCandidates {
  private readonly classCount: number;
  /** Words of a bitset over destination entities (classes, then destination atoms). */
  readonly words: number;
  /** Per source entity of the ingress side (classes, then source atoms): the ingress-used peer sets holding it. */
  private readonly ingressSetsOf: readonly (readonly number[] | undefined)[];
  /** Per peer set id: the destination classes whose ingress profile holds that set. */
  private readonly ingressSetDestinations = new Map<number, Int32Array>();
  /** Destination classes open to every source class / every source atom (not isolated, or a matching base). */
  private readonly openToClasses: Uint32Array;
  private readonly openToAtoms: Uint32Array;

  constructor(private readonly analysis: Analysis) {
    const classes = analysis.classes;
    this.classCount = classes.length;
    this.words = (this.classCount + analysis.dstAtoms.length + 31) >>> 5;
    this.openToClasses = new Uint32Array(this.words);
    this.openToAtoms = new Uint32Array(this.words);
    const profileClasses = new Map<number, number[]>();
    for (let d = 0; d < classes.length; d++) {
      const profile = classes[d].ingressProfile;
      const table = profile < 0 ? undefined : analysis.ingressProfiles[profile];
      if (!table || !table.unionOnly || !table.classBase.isEmpty) setBit(this.openToClasses, d);
      if (!table || !table.unionOnly || !table.atomBase.isEmpty) setBit(this.openToAtoms, d);
      if (table?.unionOnly) {
        const list = profileClasses.get(profile);
        if (list) list.push(d);
        else profileClasses.set(profile, [d]);
      }
    }
    // Destination atoms have no ingress side: only the source's egress decides them.
    for (let a = 0; a < analysis.dstAtoms.length; a++) setBit(this.openToClasses, this.classCount + a);
    const setDestinations = new Map<number, number[]>();
    for (const [profile, list] of profileClasses) {
      for (const { set } of analysis.ingressProfiles[profile].sets) {
        const out = setDestinations.get(set);
        if (out) for (const d of list) out.push(d);
        else setDestinations.set(set, list.slice());
      }
    }
    const ingressSetsOf: number[][] = new Array(this.classCount + analysis.srcAtoms.length);
    for (const [set, destinations] of setDestinations) {
      this.ingressSetDestinations.set(set, Int32Array.from(destinations));
      for (const entity of analysis.peerSets[set].members()) (ingressSetsOf[entity] ??= []).push(set);
    }
    this.ingressSetsOf = ingressSetsOf;
  }

  /** Destination entities a source class may reach (bitset of `words` words, written into `out`). */
  fromClass(src: number, out: Uint32Array): Uint32Array {
    this.ingressOpen(src, this.openToClasses, out);
    const profile = this.analysis.classes[src].egressProfile;
    const table = profile < 0 ? undefined : this.analysis.egressProfiles[profile];
    if (!table || !table.unionOnly) return out;
    const egress = new Uint32Array(this.words);
    if (!table.classBase.isEmpty) for (let d = 0; d < this.classCount; d++) setBit(egress, d);
    if (!table.atomBase.isEmpty) for (let a = 0; a < this.analysis.dstAtoms.length; a++) setBit(egress, this.classCount + a);
    for (const { set } of table.sets) this.analysis.peerSets[set].addTo(egress);
    for (let w = 0; w < out.length; w++) out[w] &= egress[w];
    return out;
  }

  /** Destination classes a source atom (index in `srcAtoms`) may reach. */
  fromAtom(atom: number, out: Uint32Array): Uint32Array {
    return this.ingressOpen(this.classCount + atom, this.openToAtoms, out);
  }

  private ingressOpen(srcEntity: number, open: Uint32Array, out: Uint32Array): Uint32Array {
    out.set(open);
    const sets = this.ingressSetsOf[srcEntity];
    if (sets) for (const set of sets) for (const d of this.ingressSetDestinations.get(set)!) setBit(out, d);
    return out;
  }
}

export function hasBit(bits: Uint32Array, i: number): boolean {
  return (bits[i >>> 5] & (1 << (i & 31))) !== 0;
}

/** Calls `visit` with each set bit's index below `limit`, ascending (the hottest loops inline this instead of paying a
 *  call per bit). */
export function forEachBit(bits: Uint32Array, visit: (i: number) => void, limit = Number.POSITIVE_INFINITY): void {
  for (let w = 0; w < bits.length; w++) {
    let word = bits[w];
    while (word !== 0) {
      const low = word & -word;
      word ^= low;
      const i = (w << 5) + 31 - Math.clz32(low);
      if (i < limit) visit(i);
    }
  }
}

function setBit(bits: Uint32Array, i: number): void {
  bits[i >>> 5] |= 1 << (i & 31);
}
