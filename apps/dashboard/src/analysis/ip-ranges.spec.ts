import { describe, expect, it } from 'vitest';
import { parseAddress, rangeToCidr } from './ip-ranges.js';

describe('rangeToCidr', () => {
  it('writes exact CIDR blocks in CIDR notation', () => {
    expect(rangeToCidr('0.0.0.0-255.255.255.255')).toBe('0.0.0.0/0');
    expect(rangeToCidr('10.0.0.0-10.255.255.255')).toBe('10.0.0.0/8');
    expect(rangeToCidr('172.16.0.0-172.31.255.255')).toBe('172.16.0.0/12');
    expect(rangeToCidr('8.8.8.8-8.8.8.8')).toBe('8.8.8.8/32');
    expect(rangeToCidr('::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toBe('::/0');
    expect(rangeToCidr('fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')).toBe('fc00::/7');
  });

  it('keeps ranges that are not one block (np-guard notation)', () => {
    expect(rangeToCidr('0.0.0.0-9.255.255.255')).toBe('0.0.0.0-9.255.255.255');
    expect(rangeToCidr('11.0.0.0-172.15.255.255')).toBe('11.0.0.0-172.15.255.255');
    expect(rangeToCidr('10.0.0.1-10.0.0.2')).toBe('10.0.0.1-10.0.0.2');
    expect(rangeToCidr('not-an-ip')).toBe('not-an-ip');
    expect(rangeToCidr('10.0.0.9-10.0.0.1')).toBe('10.0.0.9-10.0.0.1');
  });

  it('parses IPv4, IPv6 and IPv4-mapped addresses', () => {
    expect(parseAddress('192.168.0.1')).toEqual({ family: 4, value: 3232235521n });
    expect(parseAddress('::1')).toEqual({ family: 6, value: 1n });
    expect(parseAddress('::ffff:1.2.3.4')).toEqual({ family: 6, value: 0xffff01020304n });
    expect(parseAddress('1:2:3:4:5:6:7:8:9')).toBeUndefined();
    expect(parseAddress('256.0.0.1')).toBeUndefined();
  });
});
