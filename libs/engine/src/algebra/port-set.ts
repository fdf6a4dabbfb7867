// Sets of ports 1-65535 as sorted, disjoint, non-touching inclusive ranges. Immutable values.

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

export interface PortRange {
  readonly from: number;
  readonly to: number;
}

export class PortSet {
  /** Flat [from0, to0, from1, to1, ...], ascending, disjoint, never touching. */
  private constructor(private readonly bounds: readonly number[]) {}

  static readonly EMPTY = new PortSet([]);
  static readonly ALL = new PortSet([MIN_PORT, MAX_PORT]);

  /** Builds a set from any ranges: clamps to 1-65535, drops empty ranges, merges overlaps. */
  static of(ranges: Iterable<PortRange>): PortSet {
    const list = [...ranges]
      .map((r) => ({ from: Math.max(MIN_PORT, r.from), to: Math.min(MAX_PORT, r.to) }))
      .filter((r) => r.from <= r.to)
      .sort((a, b) => a.from - b.from || a.to - b.to);
    const bounds: number[] = [];
    for (const r of list) {
      const n = bounds.length;
      if (n > 0 && r.from <= bounds[n - 1] + 1) {
        if (r.to > bounds[n - 1]) bounds[n - 1] = r.to;
      } else bounds.push(r.from, r.to);
    }
    return PortSet.fromBounds(bounds);
  }

  static range(from: number, to: number = from): PortSet {
    return PortSet.of([{ from, to }]);
  }

  private static fromBounds(bounds: number[]): PortSet {
    if (bounds.length === 0) return PortSet.EMPTY;
    if (bounds.length === 2 && bounds[0] === MIN_PORT && bounds[1] === MAX_PORT) return PortSet.ALL;
    return new PortSet(bounds);
  }

  get isEmpty(): boolean {
    return this.bounds.length === 0;
  }

  get isAll(): boolean {
    return this.bounds.length === 2 && this.bounds[0] === MIN_PORT && this.bounds[1] === MAX_PORT;
  }

  ranges(): PortRange[] {
    const out: PortRange[] = [];
    for (let i = 0; i < this.bounds.length; i += 2) out.push({ from: this.bounds[i], to: this.bounds[i + 1] });
    return out;
  }

  /** Start of each range and one past its end: the cut points this set induces. */
  cutPoints(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.bounds.length; i += 2) out.push(this.bounds[i], this.bounds[i + 1] + 1);
    return out;
  }

  contains(port: number): boolean {
    for (let i = 0; i < this.bounds.length; i += 2) {
      if (port < this.bounds[i]) return false;
      if (port <= this.bounds[i + 1]) return true;
    }
    return false;
  }

  union(other: PortSet): PortSet {
    if (this.isEmpty || other.isAll) return other;
    if (other.isEmpty || this.isAll) return this;
    // Both bound lists are sorted: one merge walk, without range objects or a sort.
    const a = this.bounds;
    const b = other.bounds;
    const out: number[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      let from: number;
      let to: number;
      if (j >= b.length || (i < a.length && a[i] <= b[j])) {
        from = a[i];
        to = a[i + 1];
        i += 2;
      } else {
        from = b[j];
        to = b[j + 1];
        j += 2;
      }
      appendRange(out, from, to);
    }
    return PortSet.fromBounds(out);
  }

  /** The union of many sets at once: their ranges sorted once and merged (a chain of pairwise unions over k
   *  sets of n ranges each re-copies the growing result, k² n). */
  static unionAll(sets: readonly PortSet[]): PortSet {
    let only: PortSet | undefined;
    let count = 0;
    for (let s = 0; s < sets.length; s++) {
      const set = sets[s];
      if (set.isAll) return set;
      if (set.isEmpty) continue;
      only = set;
      count++;
    }
    if (count <= 1) return only ?? PortSet.EMPTY;
    if (count === 2) {
      let first: PortSet | undefined;
      for (let s = 0; s < sets.length; s++) {
        if (sets[s].isEmpty) continue;
        if (first === undefined) first = sets[s];
        else return first.union(sets[s]);
      }
    }
    // Every range packed as from·2¹⁶ + to (both below 2¹⁶) and sorted numerically by the typed array's own
    // sort (no comparator calls), then one merge walk.
    let total = 0;
    for (let s = 0; s < sets.length; s++) total += sets[s].bounds.length >> 1;
    const packed = new Float64Array(total);
    let k = 0;
    for (let s = 0; s < sets.length; s++) {
      const bounds = sets[s].bounds;
      for (let i = 0; i < bounds.length; i += 2) packed[k++] = bounds[i] * 65536 + bounds[i + 1];
    }
    packed.sort();
    const out: number[] = [];
    for (let i = 0; i < packed.length; i++) {
      const from = Math.floor(packed[i] / 65536);
      appendRange(out, from, packed[i] - from * 65536);
    }
    return PortSet.fromBounds(out);
  }

  intersect(other: PortSet): PortSet {
    if (this.isEmpty || other.isAll) return this;
    if (other.isEmpty || this.isAll) return other;
    const a = this.bounds;
    const b = other.bounds;
    const out: number[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      const from = Math.max(a[i], b[j]);
      const to = Math.min(a[i + 1], b[j + 1]);
      if (from <= to) out.push(from, to);
      if (a[i + 1] < b[j + 1]) i += 2;
      else j += 2;
    }
    return PortSet.fromBounds(out);
  }

  /** Whether every port of this set is in `other`: one walk of both bound lists, nothing allocated (what
   *  `subtract(other).isEmpty` answers). */
  isSubsetOf(other: PortSet): boolean {
    if (this.isEmpty || other.isAll) return true;
    const a = this.bounds;
    const b = other.bounds;
    let j = 0;
    for (let i = 0; i < a.length; i += 2) {
      // The first range of `other` ending at or after this range's start must hold all of it.
      while (j < b.length && b[j + 1] < a[i]) j += 2;
      if (j >= b.length || b[j] > a[i] || b[j + 1] < a[i + 1]) return false;
    }
    return true;
  }

  /** Ports of this set that are not in `other`. */
  subtract(other: PortSet): PortSet {
    if (this.isEmpty || other.isEmpty) return this;
    return this.intersect(other.complement());
  }

  complement(): PortSet {
    const out: number[] = [];
    let next = MIN_PORT;
    for (let i = 0; i < this.bounds.length; i += 2) {
      if (this.bounds[i] > next) out.push(next, this.bounds[i] - 1);
      next = this.bounds[i + 1] + 1;
    }
    if (next <= MAX_PORT) out.push(next, MAX_PORT);
    return PortSet.fromBounds(out);
  }

  equals(other: PortSet): boolean {
    return this.key === other.key;
  }

  /** `N` or `A-B` items joined by commas: np-guard's port list (also a canonical key). */
  get key(): string {
    if (this.cachedKey !== undefined) return this.cachedKey;
    const parts: string[] = [];
    for (let i = 0; i < this.bounds.length; i += 2) {
      const from = this.bounds[i];
      const to = this.bounds[i + 1];
      parts.push(from === to ? String(from) : `${from}-${to}`);
    }
    this.cachedKey = parts.join(',');
    return this.cachedKey;
  }

  private cachedKey?: string;

  toString(): string {
    return this.key;
  }
}

/** Appends range [from, to] to flat bounds whose last range starts at or before `from`, merging when they
 *  overlap or touch. */
function appendRange(out: number[], from: number, to: number): void {
  const n = out.length;
  if (n > 0 && from <= out[n - 1] + 1) {
    if (to > out[n - 1]) out[n - 1] = to;
  } else out.push(from, to);
}
