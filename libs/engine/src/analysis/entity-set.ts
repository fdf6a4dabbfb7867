// Immutable sets of entity ids (classes, then IP atoms): a sorted array when sparse, a bitset when dense.

export class EntitySet {
  private constructor(
    /** Sorted member ids (sparse form), or undefined when `bits` holds the set. */
    private readonly sorted: Int32Array | undefined,
    private readonly bits: Uint32Array | undefined,
    readonly size: number,
  ) {}

  static readonly EMPTY = new EntitySet(new Int32Array(0), undefined, 0);

  /** `ids` ascending and distinct; `universe` = number of possible ids. */
  static fromSorted(ids: readonly number[] | Int32Array, universe: number): EntitySet {
    if (ids.length === 0) return EntitySet.EMPTY;
    if (ids.length * 32 < universe) return new EntitySet(Int32Array.from(ids), undefined, ids.length);
    const bits = new Uint32Array((universe + 31) >>> 5);
    for (let i = 0; i < ids.length; i++) bits[ids[i] >>> 5] |= 1 << (ids[i] & 31);
    return new EntitySet(undefined, bits, ids.length);
  }

  /** The members ascending when the set is held sparse (read only), else undefined (a bitset: ask `has`). */
  get sparseMembers(): Int32Array | undefined {
    return this.sorted;
  }

  has(id: number): boolean {
    if (this.bits) return ((this.bits[id >>> 5] ?? 0) & (1 << (id & 31))) !== 0;
    const a = this.sorted!;
    let lo = 0;
    let hi = a.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = a[mid];
      if (v === id) return true;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  /** Sets the members' bits in `out` (a bitset over at least the set's universe): word by word when dense. */
  addTo(out: Uint32Array): void {
    if (this.bits) {
      const bits = this.bits;
      const words = Math.min(bits.length, out.length);
      for (let w = 0; w < words; w++) out[w] |= bits[w];
      return;
    }
    const a = this.sorted!;
    for (let i = 0; i < a.length; i++) out[a[i] >>> 5] |= 1 << (a[i] & 31);
  }

  *members(): Generator<number> {
    if (this.sorted) {
      yield* this.sorted;
      return;
    }
    const bits = this.bits!;
    for (let w = 0; w < bits.length; w++) {
      let word = bits[w];
      while (word !== 0) {
        const low = word & -word;
        yield (w << 5) + (31 - Math.clz32(low));
        word ^= low;
      }
    }
  }
}
