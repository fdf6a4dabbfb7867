// The engine's one IP and CIDR grammar, Go's (net/netip ParseAddr, net.ParseCIDR), which the API server uses:
// - IPv4: four decimal fields 0-255, no leading zeros (`010.0.0.1` is refused);
// - IPv6: hex fields of at most 4 digits, one `::`, an embedded dotted IPv4 in the last 32 bits
//   (`::ffff:192.168.0.1`);
// - no zones (`fe80::1%eth0`), no surrounding spaces;
// - CIDR: `address/bits`, bits decimal digits up to 32 or 128 (host bits are allowed and masked off).
// Validation (manifest/validate) and the algebra's parsing (ip-set.ts) both use it, so what validates is
// exactly what the analysis can read.

export type IpFamily = 4 | 6;

export interface IpAddressValue {
  readonly family: IpFamily;
  readonly value: bigint;
}

export interface CidrValue {
  readonly family: IpFamily;
  /** First and last address of the block (host bits of the text masked off). */
  readonly first: bigint;
  readonly last: bigint;
  readonly prefix: number;
}

export interface IpGrammarError {
  readonly error: string;
}

export function isIpGrammarError(value: unknown): value is IpGrammarError {
  return typeof value === 'object' && value !== null && 'error' in value;
}

const FAMILY_BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

/** An IPv4 or IPv6 address as Go's netip.ParseAddr reads it, without a zone. */
export function parseIpAddress(text: string): IpAddressValue | IpGrammarError {
  if (text.length === 0) return { error: 'empty address' };
  if (text.length > 64) return { error: 'too long to be an IP address' };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '.') {
      const v4 = parseIpv4(text);
      return typeof v4 === 'string' ? { error: v4 } : { family: 4, value: v4 };
    }
    if (c === ':') {
      const v6 = parseIpv6(text);
      return typeof v6 === 'string' ? { error: v6 } : { family: 6, value: v6 };
    }
    if (c === '%') return { error: 'missing IPv6 address' };
  }
  return { error: 'unable to parse IP' };
}

/** `address/bits` as Go's net.ParseCIDR reads it. */
export function parseCidrText(text: string): CidrValue | IpGrammarError {
  const slash = text.indexOf('/');
  if (slash < 0) return { error: 'no "/" (a CIDR is address/prefix-length)' };
  const address = parseIpAddress(text.slice(0, slash));
  if (isIpGrammarError(address)) return address;
  const bitsText = text.slice(slash + 1);
  const bits = FAMILY_BITS[address.family];
  if (!/^[0-9]{1,3}$/.test(bitsText) || Number(bitsText) > bits) {
    return { error: `prefix length must be a decimal number from 0 to ${bits}` };
  }
  const prefix = Number(bitsText);
  const hostMask = (1n << BigInt(bits - prefix)) - 1n;
  const first = address.value & ~hostMask & ((1n << BigInt(bits)) - 1n);
  return { family: address.family, first, last: first | hostMask, prefix };
}

function parseIpv4(text: string): bigint | string {
  let value = 0;
  let fields = 0;
  let digits = 0;
  let field = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : -1;
    if (c >= 48 && c <= 57) {
      if (digits === 1 && field === 0) return 'IPv4 field has octet with leading zero';
      field = field * 10 + (c - 48);
      digits++;
      if (field > 255) return 'IPv4 field has value >255';
      continue;
    }
    if (c !== 46 && c !== -1) return `unexpected character "${text[i]}"`;
    if (digits === 0) return 'IPv4 field must have at least one digit';
    fields++;
    if (fields > 4) return 'IPv4 address too long';
    value = value * 256 + field;
    field = 0;
    digits = 0;
  }
  if (fields < 4) return 'IPv4 address too short';
  return BigInt(value);
}

function parseIpv6(input: string): bigint | string {
  const bytes = new Uint8Array(16);
  let s = input;
  let ellipsis = -1;
  if (s.startsWith('::')) {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return 0n;
  }
  let i = 0;
  while (i < 16) {
    let off = 0;
    let acc = 0;
    for (; off < s.length; off++) {
      const digit = hexDigit(s.charCodeAt(off));
      if (digit < 0) break;
      if (off > 3) return 'each colon-separated field must have at most 4 hex digits';
      acc = acc * 16 + digit;
    }
    if (off === 0) return 'each colon-separated field must have at least one digit';
    if (off < s.length && s[off] === '.') {
      if (ellipsis < 0 && i !== 12) return 'embedded IPv4 address must replace the final 2 fields of the address';
      if (i + 4 > 16) return 'too many hex fields to fit an embedded IPv4 at the end of the address';
      const v4 = parseIpv4(s);
      if (typeof v4 === 'string') return v4;
      const n = Number(v4);
      bytes[i] = n >>> 24;
      bytes[i + 1] = (n >>> 16) & 255;
      bytes[i + 2] = (n >>> 8) & 255;
      bytes[i + 3] = n & 255;
      i += 4;
      s = '';
      break;
    }
    bytes[i] = acc >> 8;
    bytes[i + 1] = acc & 255;
    i += 2;
    s = s.slice(off);
    if (s.length === 0) break;
    if (s[0] !== ':') return s[0] === '%' ? 'zones are not allowed' : `unexpected character "${s[0]}", want colon`;
    if (s.length === 1) return 'colon must be followed by more characters';
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) return 'multiple :: in address';
      ellipsis = i;
      s = s.slice(1);
      if (s.length === 0) break;
    }
  }
  if (s.length !== 0) return s[0] === '%' ? 'zones are not allowed' : 'trailing garbage after address';
  if (i < 16) {
    if (ellipsis < 0) return 'address string too short';
    const gap = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) bytes[j + gap] = bytes[j];
    for (let j = ellipsis + gap - 1; j >= ellipsis; j--) bytes[j] = 0;
  } else if (ellipsis >= 0) return 'the :: must expand to at least one field of zeros';
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}
