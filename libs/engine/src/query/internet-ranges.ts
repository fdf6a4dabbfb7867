// Which IP ranges reach beyond private address space: an "internet-exposed" workload accepts connections from a
// range holding at least one address outside the non-public blocks below (RFC 6890 special-purpose registries:
// private, shared, loopback, link-local, multicast, reserved; IPv6 unique-local, link-local, multicast, loopback).
import { formatIp, parseCidr, parseIp, type IpFamily } from '../algebra/ip-set.js';

const NON_PUBLIC: Readonly<Record<IpFamily, readonly string[]>> = {
  4: ['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16', '224.0.0.0/4', '240.0.0.0/4'],
  6: ['::/128', '::1/128', 'fc00::/7', 'fe80::/10', 'ff00::/8'],
};

const BLOCKS: Readonly<Record<IpFamily, readonly { first: bigint; last: bigint }[]>> = {
  4: sortedBlocks(NON_PUBLIC[4]),
  6: sortedBlocks(NON_PUBLIC[6]),
};

function sortedBlocks(cidrs: readonly string[]) {
  return cidrs
    .map((cidr) => {
      const parsed = parseCidr(cidr);
      if (!parsed) throw new Error(`bad CIDR ${cidr}`);
      return { first: parsed.first, last: parsed.last };
    })
    .sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
}

/** True when [first, last] holds an address outside every non-public block. */
export function hasPublicAddress(family: IpFamily, first: bigint, last: bigint): boolean {
  let next = first; // the lowest address not yet known to be non-public
  for (const block of BLOCKS[family]) {
    if (block.last < next) continue;
    if (block.first > next) return true;
    next = block.last + 1n;
    if (next > last) return false;
  }
  return next <= last;
}

/** `first-last` (or one address) → its bounds; undefined when not a range of one family. */
function parseRange(text: string): { family: IpFamily; first: bigint; last: bigint } | undefined {
  const [firstText, lastText = firstText] = text.split('-');
  const first = parseIp(firstText);
  const last = parseIp(lastText);
  if (!first || !last || first.family !== last.family || first.value > last.value) return undefined;
  return { family: first.family, first: first.value, last: last.value };
}

/** CIDR notation when [first, last] is exactly one CIDR block, else `first-last`. */
export function rangeText(family: IpFamily, first: bigint, last: bigint): string {
  const bits = family === 4 ? 32 : 128;
  const size = last - first + 1n;
  const hostBits = size.toString(2).length - 1;
  if (size === 1n << BigInt(hostBits) && (first & (size - 1n)) === 0n) return `${formatIp(family, first)}/${bits - hostBits}`;
  return `${formatIp(family, first)}-${formatIp(family, last)}`;
}

/**
 * The truly public parts of allowed source ranges (`first-last` texts): each range minus the non-public blocks,
 * one entry per remaining interval (adjacent ones merged), in CIDR notation where an interval is one CIDR block.
 */
export function publicRanges(ranges: readonly string[]): string[] {
  const parsed = ranges.map(parseRange).filter((range) => range !== undefined);
  parsed.sort((a, b) => a.family - b.family || (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const intervals: { family: IpFamily; first: bigint; last: bigint }[] = [];
  for (const range of parsed) {
    let next = range.first;
    for (const block of BLOCKS[range.family]) {
      if (next > range.last) break;
      if (block.last < next) continue;
      if (block.first > range.last) break;
      if (block.first > next) intervals.push({ family: range.family, first: next, last: block.first - 1n });
      next = block.last + 1n;
    }
    if (next <= range.last) intervals.push({ family: range.family, first: next, last: range.last });
  }
  const merged: typeof intervals = [];
  for (const interval of intervals) {
    const previous = merged.at(-1);
    if (previous && previous.family === interval.family && previous.last + 1n >= interval.first) {
      if (interval.last > previous.last) previous.last = interval.last;
    } else merged.push({ ...interval });
  }
  return merged.map((interval) => rangeText(interval.family, interval.first, interval.last));
}
