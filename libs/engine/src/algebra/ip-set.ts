// IP address sets per family (IPv4 and IPv6 kept apart) as sorted, disjoint, non-touching bigint intervals,
// plus CIDR parsing (ip-grammar.ts: Go's grammar), np-guard's atom cutting and address formatting.
import { isIpGrammarError, parseCidrText, parseIpAddress, type IpFamily } from './ip-grammar.js';

export type { IpFamily };

export interface IpInterval {
  readonly first: bigint;
  readonly last: bigint;
}

const V4_MAX = (1n << 32n) - 1n;
const V6_MAX = (1n << 128n) - 1n;

export function familyMax(family: IpFamily): bigint {
  return family === 4 ? V4_MAX : V6_MAX;
}

export class IpSet {
  private constructor(
    readonly family: IpFamily,
    readonly intervals: readonly IpInterval[],
  ) {}

  static empty(family: IpFamily): IpSet {
    return new IpSet(family, []);
  }

  static all(family: IpFamily): IpSet {
    return new IpSet(family, [{ first: 0n, last: familyMax(family) }]);
  }

  static of(family: IpFamily, intervals: Iterable<IpInterval>): IpSet {
    const sorted = [...intervals]
      .filter((i) => i.first <= i.last)
      .sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
    const out: { first: bigint; last: bigint }[] = [];
    for (const i of sorted) {
      const prev = out[out.length - 1];
      if (prev && i.first <= prev.last + 1n) {
        if (i.last > prev.last) prev.last = i.last;
      } else out.push({ first: i.first, last: i.last });
    }
    return new IpSet(family, out);
  }

  get isEmpty(): boolean {
    return this.intervals.length === 0;
  }

  union(other: IpSet): IpSet {
    return IpSet.of(this.family, [...this.intervals, ...other.intervals]);
  }

  subtract(other: IpSet): IpSet {
    if (other.family !== this.family) return this;
    const out: IpInterval[] = [];
    for (const piece of this.intervals) {
      let start = piece.first;
      for (const cut of other.intervals) {
        if (cut.last < start || cut.first > piece.last) continue;
        if (cut.first > start) out.push({ first: start, last: cut.first - 1n });
        start = cut.last + 1n;
        if (start > piece.last) break;
      }
      if (start <= piece.last) out.push({ first: start, last: piece.last });
    }
    return IpSet.of(this.family, out);
  }

  containsAddress(family: IpFamily, value: bigint): boolean {
    return this.containsInterval(family, value, value);
  }

  /** Whether the whole interval lies inside this set (np-guard: an atom matches an ipBlock only if contained). */
  containsInterval(family: IpFamily, first: bigint, last: bigint): boolean {
    if (family !== this.family) return false;
    for (const i of this.intervals) {
      if (i.first <= first && last <= i.last) return true;
      if (i.first > first) return false;
    }
    return false;
  }
}

export interface ParsedAddress {
  readonly family: IpFamily;
  readonly value: bigint;
}

/** IPv4 or IPv6 text in Go's grammar (ip-grammar.ts); undefined when it is not an address. */
export function parseIp(text: string): ParsedAddress | undefined {
  const parsed = parseIpAddress(text);
  return isIpGrammarError(parsed) ? undefined : parsed;
}

export interface ParsedCidr {
  readonly family: IpFamily;
  readonly first: bigint;
  readonly last: bigint;
}

/** `addr/len` in Go's grammar (host bits are masked off, as Kubernetes does); undefined when malformed. */
export function parseCidr(text: string): ParsedCidr | undefined {
  const parsed = parseCidrText(text);
  return isIpGrammarError(parsed) ? undefined : { family: parsed.family, first: parsed.first, last: parsed.last };
}

/** An ipBlock's addresses: `cidr` minus every `except` of the same family. Undefined when `cidr` is malformed. */
export function ipBlockSet(cidr: string, except: readonly string[] = []): IpSet | undefined {
  const base = parseCidr(cidr);
  if (!base) return undefined;
  let set = IpSet.of(base.family, [base]);
  for (const text of except) {
    const cut = parseCidr(text);
    if (cut && cut.family === base.family) set = set.subtract(IpSet.of(cut.family, [cut]));
  }
  return set;
}

/**
 * np-guard's atoms: the family's whole space cut at the start of every interval of every set and just after
 * its end, so each given set is exactly a union of atoms. Adjacent atoms are never merged.
 */
export function cutAtoms(family: IpFamily, sets: Iterable<IpSet>): IpInterval[] {
  const max = familyMax(family);
  const cuts = new Set<bigint>([0n]);
  for (const set of sets) {
    if (set.family !== family) continue;
    for (const i of set.intervals) {
      cuts.add(i.first);
      if (i.last < max) cuts.add(i.last + 1n);
    }
  }
  const points = [...cuts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return points.map((first, k) => ({ first, last: k + 1 < points.length ? points[k + 1] - 1n : max }));
}

export function formatIp(family: IpFamily, value: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 255n)).join('.');
  }
  return formatIpv6(value);
}

/** RFC 5952 text: lowercase hex, no leading zeros, the longest run (≥ 2) of zero groups written `::`. */
function formatIpv6(value: bigint): string {
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((value >> shift) & 0xffffn));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** np-guard's IP peer name: `first-last` (also for a single address). */
export function formatIpRange(family: IpFamily, first: bigint, last: bigint): string {
  return `${formatIp(family, first)}-${formatIp(family, last)}`;
}
