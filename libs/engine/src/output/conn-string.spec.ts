import { describe, expect, it } from 'vitest';
import { ConnectionSet } from '../algebra/connection-set.js';
import { PortSet } from '../algebra/port-set.js';
import { connString, parseConnString } from './conn-string.js';

describe('connString with ICMP', () => {
  const tcp80 = ConnectionSet.single('TCP', PortSet.range(80));
  it('keeps np-guard text when ICMP is all or nothing beside ports', () => {
    expect(connString(ConnectionSet.ALL)).toBe('All Connections');
    expect(connString(ConnectionSet.ALL_PORTS)).toBe('All Connections');
    expect(connString(tcp80)).toBe('TCP 80');
    expect(connString(tcp80.union(ConnectionSet.ALL_ICMP))).toBe('TCP 80');
    expect(connString(ConnectionSet.ALL.subtract(tcp80))).toBe('SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535');
  });
  it('names ICMP when it is partial or all that is allowed', () => {
    expect(connString(ConnectionSet.icmp('ICMP', 8))).toBe('ICMP type 8');
    expect(connString(ConnectionSet.icmp('ICMP', 3, 1))).toBe('ICMP type 3 code 1');
    expect(connString(ConnectionSet.ALL_ICMP)).toBe('ICMP,ICMPv6');
    expect(connString(tcp80.union(ConnectionSet.icmp('ICMPv6', 128)))).toBe('ICMPv6 type 128,TCP 80');
    expect(connString(ConnectionSet.ALL.subtract(ConnectionSet.icmp('ICMP', 8)))).toBe(
      'ICMP type 0-7,type 9-255,ICMPv6,SCTP 1-65535,TCP 1-65535,UDP 1-65535',
    );
  });
  it('parses what it prints', () => {
    for (const set of [
      ConnectionSet.icmp('ICMP', 8),
      ConnectionSet.icmp('ICMP', 3, 1),
      ConnectionSet.ALL_ICMP,
      tcp80.union(ConnectionSet.icmp('ICMPv6', 128)),
      ConnectionSet.ALL.subtract(ConnectionSet.icmp('ICMP', 8)),
    ]) {
      expect(parseConnString(connString(set)).key).toBe(set.key);
    }
  });
});
