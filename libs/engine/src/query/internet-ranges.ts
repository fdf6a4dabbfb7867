// Which IP ranges reach beyond private address space: an "internet-exposed" workload accepts connections from a
// range holding at least one address outside the non-public blocks below (RFC 6890 special-purpose registries:
// private, shared, loopback, link-local, multicast, reserved; IPv6 unique-local, link-local, multicast, loopback).
import { parseCidr, type IpFamily } from '../algebra/ip-set.js';

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
