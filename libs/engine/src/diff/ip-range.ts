// IP ranges as inclusive bigint intervals per address family, with np-guard's printed form.

export type IpFamily = 4 | 6;

export interface IpRange {
  readonly family: IpFamily;
  readonly first: bigint;
  readonly last: bigint;
}

const V4_MAX = (1n << 32n) - 1n;
const V6_MAX = (1n << 128n) - 1n;

export function familyMax(family: IpFamily): bigint {
  return family === 4 ? V4_MAX : V6_MAX;
}

export function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(Number(part));
  }
  return value;
}

/** Parses full or `::`-compressed IPv6 text (an embedded IPv4 tail is accepted). */
export function parseIpv6(text: string): bigint | undefined {
  let body = text;
  const v4Tail = text.match(/^(.*:)(\d+\.\d+\.\d+\.\d+)$/);
  if (v4Tail) {
    const v4 = parseIpv4(v4Tail[2]);
    if (v4 === undefined) return undefined;
    body = v4Tail[1] + (v4 >> 16n).toString(16) + ':' + (v4 & 0xffffn).toString(16);
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const split = (s: string) => (s === '' ? [] : s.split(':'));
  const left = split(halves[0]);
  const right = halves.length === 2 ? split(halves[1]) : [];
  const zeros = 8 - left.length - right.length;
  if (halves.length === 2 ? zeros < 1 : zeros !== 0) return undefined;
  let value = 0n;
  for (const g of [...left, ...Array<string>(halves.length === 2 ? zeros : 0).fill('0'), ...right]) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    value = (value << 16n) | BigInt(parseInt(g, 16));
  }
  return value;
}

export function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join('.');
}

/** RFC 5952 text: lower case, longest run (>= 2) of zero groups compressed. */
export function formatIpv6(value: bigint): string {
  const groups: number[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(Number((value >> s) & 0xffffn));
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
  return hex.slice(0, bestStart).join(':') + '::' + hex.slice(bestStart + bestLen).join(':');
}

export function formatIp(family: IpFamily, value: bigint): string {
  return family === 4 ? formatIpv4(value) : formatIpv6(value);
}

/** np-guard's peer name for a range: `first-last[External]`. */
export function ipRangeName(range: IpRange): string {
  return `${formatIp(range.family, range.first)}-${formatIp(range.family, range.last)}[External]`;
}

/** Parses `a.b.c.d-e.f.g.h` (optionally followed by `[External]`), or a v6 pair. */
export function parseIpRangeName(text: string): IpRange | undefined {
  const m = text.replace(/\[External\]$/, '').match(/^([^-]+)-([^-]+)$/);
  if (!m) return undefined;
  for (const family of [4, 6] as const) {
    const parse = family === 4 ? parseIpv4 : parseIpv6;
    const first = parse(m[1]);
    const last = parse(m[2]);
    if (first !== undefined && last !== undefined && first <= last) return { family, first, last };
  }
  return undefined;
}

export function compareIpRanges(a: IpRange, b: IpRange): number {
  if (a.family !== b.family) return a.family - b.family;
  if (a.first !== b.first) return a.first < b.first ? -1 : 1;
  if (a.last !== b.last) return a.last < b.last ? -1 : 1;
  return 0;
}
