// CIDR parsing for ipBlock validation (ip-num does the address syntax).
import { IPv4CidrRange, IPv6CidrRange, Validator } from 'ip-num';

export interface ParsedCidr {
  readonly family: 4 | 6;
  readonly first: bigint;
  readonly last: bigint;
  readonly prefix: number;
}

export function parseCidr(text: string): ParsedCidr | { readonly error: string } {
  if (text.includes(':')) {
    const [valid, problems] = Validator.isValidIPv6CidrNotation(text);
    if (!valid) return { error: problems.join('; ') || 'invalid IPv6 CIDR' };
    const range = IPv6CidrRange.fromCidr(text);
    return { family: 6, first: range.getFirst().getValue(), last: range.getLast().getValue(), prefix: Number(range.getPrefix().getValue()) };
  }
  const [valid, problems] = Validator.isValidIPv4CidrNotation(text);
  if (!valid) return { error: problems.join('; ') || 'invalid IPv4 CIDR' };
  const range = IPv4CidrRange.fromCidr(text);
  return { family: 4, first: range.getFirst().getValue(), last: range.getLast().getValue(), prefix: Number(range.getPrefix().getValue()) };
}

/** As the API server checks `except`: same family, its network inside `cidr`, and a longer prefix. */
export function isStrictSubset(inner: ParsedCidr, outer: ParsedCidr): boolean {
  return inner.family === outer.family && inner.first >= outer.first && inner.first <= outer.last && inner.prefix > outer.prefix;
}
