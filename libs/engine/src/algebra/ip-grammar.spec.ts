import { describe, expect, it } from 'vitest';
import { parseCidr as validateCidr } from '../manifest/validate/cidr.js';
import { isIpGrammarError, parseCidrText, parseIpAddress } from './ip-grammar.js';
import { parseCidr, parseIp } from './ip-set.js';

describe("one IP grammar (Go's netip.ParseAddr / net.ParseCIDR)", () => {
  it.each([
    ['10.0.0.1', 4, 0x0a000001n],
    ['0.0.0.0', 4, 0n],
    ['255.255.255.255', 4, 0xffffffffn],
    ['::', 6, 0n],
    ['::1', 6, 1n],
    ['2001:db8::', 6, 0x20010db8n << 96n],
    ['::ffff:192.168.0.1', 6, 0xffffc0a80001n],
    ['::ffff:c0a8:1', 6, 0xffffc0a80001n],
    ['1:2:3:4:5:6:1.2.3.4', 6, 0x0001000200030004000500060102_0304n],
    ['0001:0db8::', 6, 0x00010db8n << 96n],
    ['FE80::AB', 6, (0xfe80n << 112n) | 0xabn],
  ])('accepts %s', (text, family, value) => {
    expect(parseIpAddress(text)).toEqual({ family, value });
    expect(parseIp(text)).toEqual({ family, value });
  });

  it.each([
    ['010.0.0.1', 'leading zero'],
    ['1.2.3.00', 'leading zero'],
    ['999.1.1.1', '>255'],
    ['256.0.0.1', '>255'],
    ['1.2.3', 'too short'],
    ['1.2.3.4.5', 'too long'],
    ['1..2.3', 'at least one digit'],
    [' 1.2.3.4', 'unexpected character'],
    ['1.2.3.4 ', 'unexpected character'],
    ['fe80::1%eth0', 'zones'],
    ['1.2.3.4%eth0', 'unexpected character'],
    ['::ffff:010.1.1.1', 'leading zero'],
    ['1::2::3', 'multiple ::'],
    ['12345::', 'at most 4 hex digits'],
    ['1:2:3:4:5:6:7', 'too short'],
    ['1:2:3:4:5:6:7:8:9', 'trailing garbage'],
    ['1:2:3:4::5:6:7:8', 'at least one field of zeros'],
    ['1:2:3:4:1.2.3.4', 'final 2 fields'],
    ['g::1', 'at least one digit'],
    ['', 'empty'],
  ])('refuses %s (%s)', (text, why) => {
    const parsed = parseIpAddress(text);
    expect(isIpGrammarError(parsed)).toBe(true);
    expect((parsed as { error: string }).error).toContain(why);
    expect(parseIp(text)).toBeUndefined();
  });

  it('reads the dotted and the hex IPv4-mapped CIDR forms alike', () => {
    const dotted = parseCidrText('::ffff:192.168.0.0/112');
    expect(dotted).toEqual(parseCidrText('::ffff:c0a8:0/112'));
    expect(dotted).toMatchObject({ family: 6, prefix: 112, first: 0xffffc0a80000n, last: 0xffffc0a8ffffn });
  });

  it.each(['010.0.0.0/8', '10.0.0.0/33', '::/129', '10.0.0.0', '10.0.0.0/', '10.0.0.0/-1', 'fe80::1%eth0/64', '10.0.0.0/8 ', '10.0.0.0/1.5'])(
    'refuses the CIDR %s in validation and in the algebra alike',
    (text) => {
      expect(isIpGrammarError(parseCidrText(text))).toBe(true);
      expect('error' in validateCidr(text)).toBe(true);
      expect(parseCidr(text)).toBeUndefined();
    },
  );

  it.each(['10.0.0.0/8', '10.1.2.3/8', '0.0.0.0/0', '::/0', '2001:db8::/32', '::ffff:192.168.0.0/112', '10.0.0.0/008'])(
    'accepts the CIDR %s in validation and in the algebra alike',
    (text) => {
      const parsed = parseCidrText(text);
      expect(isIpGrammarError(parsed)).toBe(false);
      expect(validateCidr(text)).toEqual(parsed);
      expect(parseCidr(text)).toEqual({ family: (parsed as { family: number }).family, first: (parsed as { first: bigint }).first, last: (parsed as { last: bigint }).last });
    },
  );

  it('masks host bits as Kubernetes does', () => {
    expect(parseCidrText('10.1.2.3/8')).toEqual({ family: 4, first: 0x0a000000n, last: 0x0affffffn, prefix: 8 });
  });
});
