import { describe, expect, it } from 'vitest';
import { ConnectionSet } from '../algebra/connection-set.js';
import { PortSet } from '../algebra/port-set.js';
import { connString, parseConnString, shownConnections } from './conn-string.js';

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

describe('shownConnections: the set connString shows', () => {
  const tcp80 = ConnectionSet.single('TCP', PortSet.range(80));
  const sets = [
    ConnectionSet.NONE,
    ConnectionSet.ALL,
    ConnectionSet.ALL_PORTS,
    ConnectionSet.ALL_ICMP,
    tcp80,
    tcp80.union(ConnectionSet.ALL_ICMP),
    tcp80.union(ConnectionSet.icmp('ICMP')),
    tcp80.union(ConnectionSet.icmp('ICMP', 8)),
    ConnectionSet.icmp('ICMP', 8),
    ConnectionSet.ALL.subtract(ConnectionSet.icmp('ICMP', 8)),
    ConnectionSet.ALL_PORTS.union(ConnectionSet.icmp('ICMPv6')),
  ];
  it('prints as the set itself, and is idempotent', () => {
    for (const set of sets) {
      expect(connString(shownConnections(set))).toBe(connString(set));
      expect(shownConnections(shownConnections(set)).key).toBe(shownConnections(set).key);
    }
  });
  it('two sets print alike exactly when their shown sets are equal', () => {
    for (const x of sets) {
      for (const y of sets) expect(shownConnections(x).equals(shownConnections(y))).toBe(connString(x) === connString(y));
    }
  });
  it('drops whole-family ICMP beside ports only', () => {
    expect(shownConnections(ConnectionSet.ALL).key).toBe(ConnectionSet.ALL_PORTS.key);
    expect(shownConnections(tcp80.union(ConnectionSet.ALL_ICMP)).key).toBe(tcp80.key);
    expect(shownConnections(ConnectionSet.ALL_ICMP)).toBe(ConnectionSet.ALL_ICMP);
    expect(shownConnections(tcp80.union(ConnectionSet.icmp('ICMP', 8))).containsIcmp('ICMP', 8, 0)).toBe(true);
  });
});

describe('connString naming ICMP (snapshots whose policies decide ICMP on their own)', () => {
  const tcp80 = ConnectionSet.single('TCP', PortSet.range(80));
  const sets = [
    ConnectionSet.NONE,
    ConnectionSet.ALL,
    ConnectionSet.ALL_PORTS,
    ConnectionSet.ALL_ICMP,
    tcp80,
    tcp80.union(ConnectionSet.ALL_ICMP),
    tcp80.union(ConnectionSet.icmp('ICMP')),
    tcp80.union(ConnectionSet.icmp('ICMP', 8)),
    ConnectionSet.icmp('ICMP', 8),
    ConnectionSet.ALL.subtract(tcp80),
    ConnectionSet.ALL.subtract(ConnectionSet.icmp('ICMP', 8)),
    ConnectionSet.ALL_PORTS.union(ConnectionSet.icmp('ICMPv6')),
  ];
  it('names whole-family ICMP beside ports, and says All Connections only when ICMP is allowed too', () => {
    expect(connString(ConnectionSet.ALL, true)).toBe('All Connections');
    expect(connString(ConnectionSet.NONE, true)).toBe('No Connections');
    expect(connString(tcp80, true)).toBe('TCP 80');
    expect(connString(tcp80.union(ConnectionSet.ALL_ICMP), true)).toBe('ICMP,ICMPv6,TCP 80');
    expect(connString(tcp80.union(ConnectionSet.icmp('ICMP')), true)).toBe('ICMP,TCP 80');
    expect(connString(ConnectionSet.ALL_PORTS, true)).toBe('SCTP 1-65535,TCP 1-65535,UDP 1-65535');
    expect(connString(ConnectionSet.ALL_PORTS.union(ConnectionSet.icmp('ICMPv6')), true)).toBe('ICMPv6,SCTP 1-65535,TCP 1-65535,UDP 1-65535');
    expect(connString(ConnectionSet.ALL.subtract(tcp80), true)).toBe('ICMP,ICMPv6,SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535');
  });
  it('is the np-guard text wherever that already named everything', () => {
    const same = [ConnectionSet.NONE, ConnectionSet.ALL, ConnectionSet.ALL_ICMP, tcp80, ConnectionSet.icmp('ICMP', 8), tcp80.union(ConnectionSet.icmp('ICMP', 8))];
    for (const set of same) expect(connString(set, true)).toBe(connString(set));
  });
  it('shows every set as it is: distinct sets print distinctly, and the text parses back to the set', () => {
    for (const set of sets) {
      expect(shownConnections(set, true)).toBe(set);
      expect(parseConnString(connString(set, true)).key).toBe(set.key);
    }
    for (const x of sets) for (const y of sets) expect(connString(x, true) === connString(y, true)).toBe(x.equals(y));
  });
});
