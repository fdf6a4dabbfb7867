// IP ranges of a diff as inclusive bigint intervals per address family, with np-guard's printed form.
// Parsing and printing of addresses is the algebra's (one implementation).
import { formatIp, formatIpRange, parseIp, type IpFamily } from '../algebra/ip-set.js';

export type { IpFamily };
export { formatIp };

export interface IpRange {
  readonly family: IpFamily;
  readonly first: bigint;
  readonly last: bigint;
}

/** np-guard's peer name for a range: `first-last[External]`. */
export function ipRangeName(range: IpRange): string {
  return `${formatIpRange(range.family, range.first, range.last)}[External]`;
}

/** Parses `a.b.c.d-e.f.g.h` (optionally followed by `[External]`), or a v6 pair. */
export function parseIpRangeName(text: string): IpRange | undefined {
  const m = text.replace(/\[External\]$/, '').match(/^([^-]+)-([^-]+)$/);
  if (!m) return undefined;
  const first = parseIp(m[1]);
  const last = parseIp(m[2]);
  if (!first || !last || first.family !== last.family || first.value > last.value) return undefined;
  return { family: first.family, first: first.value, last: last.value };
}

export function compareIpRanges(a: IpRange, b: IpRange): number {
  if (a.family !== b.family) return a.family - b.family;
  if (a.first !== b.first) return a.first < b.first ? -1 : 1;
  if (a.last !== b.last) return a.last < b.last ? -1 : 1;
  return 0;
}
