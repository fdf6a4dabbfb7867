import { describe, expect, it } from 'vitest';
import { PortSet } from './port-set.js';
import { ConnectionSet } from './connection-set.js';
import { cutAtoms, formatIp, formatIpRange, ipBlockSet, IpSet, parseCidr, parseIp } from './ip-set.js';
import { Selector } from './selector.js';
import { namedPortMap, RulePorts } from './rule-ports.js';

describe('PortSet', () => {
  it.each([
    [[{ from: 1, to: 5 }, { from: 6, to: 9 }], '1-9'],
    [[{ from: 80, to: 80 }, { from: 443, to: 443 }, { from: 79, to: 81 }], '79-81,443'],
    [[{ from: 0, to: 70000 }], '1-65535'],
    [[{ from: 10, to: 5 }], ''],
  ])('normalises %j to %s', (ranges, text) => {
    expect(PortSet.of(ranges).key).toBe(text);
  });

  it.each([
    ['union', '1-10', '5-20', '1-20'],
    ['union', '1-10', '12-20', '1-10,12-20'],
    ['intersect', '1-10,20-30', '5-25', '5-10,20-25'],
    ['intersect', '1-10', '11-20', ''],
    ['subtract', '1-100', '50', '1-49,51-100'],
    ['subtract', '1-65535', '1-65535', ''],
  ])('%s %s %s = %s', (op, a, b, expected) => {
    const pa = parse(a);
    const pb = parse(b);
    const result = op === 'union' ? pa.union(pb) : op === 'intersect' ? pa.intersect(pb) : pa.subtract(pb);
    expect(result.key).toBe(expected);
  });

  it('knows the full and empty sets and containment', () => {
    expect(PortSet.of([{ from: 1, to: 65535 }]).isAll).toBe(true);
    expect(PortSet.range(1, 65535)).toBe(PortSet.ALL);
    expect(PortSet.EMPTY.complement().isAll).toBe(true);
    expect(parse('8080,9090').contains(9090)).toBe(true);
    expect(parse('8080,9090').contains(9091)).toBe(false);
  });
});

describe('unions at once', () => {
  // Seeded sets of touching, overlapping and disjoint ranges near both ends of 1-65535 (ICMP points included),
  // checked against a port-by-port reference: the merge walk of `union` and the sorted merge of `unionAll`.
  let seed = 0x5eed;
  const next = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  const randomSet = (): PortSet => {
    const ranges: { from: number; to: number }[] = [];
    const count = next(6);
    for (let i = 0; i < count; i++) {
      const from = next(4) === 0 ? 65535 - next(40) : 1 + next(120);
      ranges.push({ from, to: from + next(10) });
    }
    return PortSet.of(ranges);
  };
  const reference = (sets: readonly PortSet[]): string => {
    const ports: number[] = [];
    // The random ranges lie in 1-130 and 65495-65535: nothing between needs testing.
    for (let port = 1; port <= 65535; port = port === 200 ? 65400 : port + 1) if (sets.some((set) => set.contains(port))) ports.push(port);
    return PortSet.of(ports.map((port) => ({ from: port, to: port }))).key;
  };

  it('unions two sets and many sets exactly, whatever their order', () => {
    for (let round = 0; round < 60; round++) {
      const sets = Array.from({ length: 1 + next(7) }, randomSet);
      const expected = reference(sets);
      expect(sets.reduce((a, b) => a.union(b), PortSet.EMPTY).key).toBe(expected);
      expect(PortSet.unionAll(sets).key).toBe(expected);
      expect(PortSet.unionAll([...sets].reverse()).key).toBe(expected);
      // Subset tests against the subtraction they stand for.
      for (let i = 1; i < sets.length; i++) {
        expect(sets[i].isSubsetOf(sets[i - 1])).toBe(sets[i].subtract(sets[i - 1]).isEmpty);
        expect(sets[i].isSubsetOf(PortSet.unionAll(sets))).toBe(true);
      }
    }
    expect(PortSet.unionAll([])).toBe(PortSet.EMPTY);
    expect(PortSet.unionAll([parse('1-100'), PortSet.ALL, parse('7')])).toBe(PortSet.ALL);
    expect(PortSet.unionAll([parse('1-100'), parse('101-65535'), parse('7')])).toBe(PortSet.ALL);
  });

  it('unions connection sets and rule ports per protocol, named references once', () => {
    for (let round = 0; round < 30; round++) {
      const connections = Array.from({ length: 3 + next(5) }, () => ConnectionSet.of({ TCP: randomSet(), UDP: randomSet(), ICMP: next(3) === 0 ? randomSet() : PortSet.EMPTY }));
      const chained = connections.reduce((a, b) => a.union(b), ConnectionSet.NONE);
      expect(ConnectionSet.unionAll(connections).key).toBe(chained.key);
      expect(connections[0].isSubsetOf(chained)).toBe(true);
      expect(connections[0].isSubsetOf(connections[1])).toBe(connections[0].subtract(connections[1]).isEmpty);
      expect(chained.isSubsetOf(connections[0])).toBe(chained.subtract(connections[0]).isEmpty);
      const names = ['http', 'dns', 'metrics'];
      const rulePorts = connections.map((c) => RulePorts.of(c, next(2) === 0 ? [] : [{ protocol: next(2) === 0 ? 'TCP' : 'UDP', name: names[next(3)] }]));
      expect(RulePorts.unionAll(rulePorts).key).toBe(rulePorts.reduce((a, b) => a.union(b), RulePorts.NONE).key);
    }
    expect(ConnectionSet.unionAll([ConnectionSet.ALL_PORTS, ConnectionSet.ALL_ICMP])).toBe(ConnectionSet.ALL);
    expect(RulePorts.unionAll([RulePorts.NONE, RulePorts.of(ConnectionSet.ALL_PORTS), RulePorts.of(ConnectionSet.ALL_ICMP)])).toBe(RulePorts.ALL);
    expect(RulePorts.unionAll([])).toBe(RulePorts.NONE);
  });
});

describe('ConnectionSet', () => {
  it('combines per protocol', () => {
    const a = ConnectionSet.of({ TCP: parse('80'), UDP: parse('53') });
    const b = ConnectionSet.of({ TCP: parse('80-90') });
    expect(a.intersect(b).key).toBe('TCP:80|UDP:|SCTP:');
    expect(a.union(b).key).toBe('TCP:80-90|UDP:53|SCTP:');
    expect(ConnectionSet.ALL.subtract(a).contains('TCP', 80)).toBe(false);
    expect(ConnectionSet.ALL.subtract(a).contains('SCTP', 80)).toBe(true);
    // Every port of the three port protocols is not everything: ICMP is not a port protocol.
    expect(ConnectionSet.of({ TCP: PortSet.ALL, UDP: PortSet.ALL, SCTP: PortSet.ALL }).isAll).toBe(false);
    expect(ConnectionSet.of({ TCP: PortSet.ALL, UDP: PortSet.ALL, SCTP: PortSet.ALL }).portsAll).toBe(true);
    expect(ConnectionSet.ALL_PORTS.union(ConnectionSet.ALL_ICMP)).toBe(ConnectionSet.ALL);
    expect(a.intersect(ConnectionSet.NONE).isEmpty).toBe(true);
  });

  it('holds ICMP types and codes per family', () => {
    const echo = ConnectionSet.icmp('ICMP', 8);
    expect(echo.containsIcmp('ICMP', 8, 0)).toBe(true);
    expect(echo.containsIcmp('ICMP', 8, 255)).toBe(true);
    expect(echo.containsIcmp('ICMP', 0, 0)).toBe(false);
    expect(echo.containsIcmp('ICMP', 9, 0)).toBe(false);
    expect(echo.containsIcmp('ICMPv6', 8, 0)).toBe(false);
    expect(echo.contains('TCP', 8)).toBe(false);
    const unreachable = ConnectionSet.icmp('ICMP', 3, 1);
    expect(unreachable.containsIcmp('ICMP', 3, 1)).toBe(true);
    expect(unreachable.containsIcmp('ICMP', 3, 0)).toBe(false);
    expect(ConnectionSet.ALL.containsIcmp('ICMPv6', 128, 0)).toBe(true);
    expect(ConnectionSet.ALL.subtract(echo).containsIcmp('ICMP', 8, 0)).toBe(false);
    expect(ConnectionSet.ALL.subtract(echo).containsIcmp('ICMP', 0, 0)).toBe(true);
    expect(ConnectionSet.ALL.subtract(ConnectionSet.ALL_ICMP).portsAll).toBe(true);
    expect(ConnectionSet.ALL.subtract(ConnectionSet.ALL_ICMP).containsIcmp('ICMP', 8, 0)).toBe(false);
    expect(echo.key).toBe('TCP:|UDP:|SCTP:|ICMP:2049-2304|ICMPv6:');
    // Keys of sets without ICMP are unchanged (interned sets, cached tables).
    expect(ConnectionSet.of({ TCP: parse('80') }).key).toBe('TCP:80|UDP:|SCTP:');
  });
});

describe('IP sets', () => {
  it('parses CIDRs of both families and masks host bits', () => {
    expect(parseCidr('10.1.2.3/8')).toEqual({ family: 4, first: 0x0a000000n, last: 0x0affffffn });
    expect(parseCidr('0.0.0.0/0')).toEqual({ family: 4, first: 0n, last: 0xffffffffn });
    const v6 = parseCidr('2001:db8::/32');
    expect(v6?.family).toBe(6);
    expect(formatIp(6, v6!.last)).toBe('2001:db8:ffff:ffff:ffff:ffff:ffff:ffff');
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('10.0.0.0')).toBeUndefined();
    expect(parseIp('not-an-ip')).toBeUndefined();
  });

  it('formats IPv6 per RFC 5952', () => {
    expect(formatIp(6, 0n)).toBe('::');
    expect(formatIp(6, 1n)).toBe('::1');
    expect(formatIp(6, parseIp('2001:db8:0:0:1:0:0:1')!.value)).toBe('2001:db8::1:0:0:1');
    expect(formatIp(6, parseIp('2001:db8:0:1:1:1:1:1')!.value)).toBe('2001:db8:0:1:1:1:1:1');
  });

  it('subtracts excepts and tests containment of whole intervals', () => {
    const block = ipBlockSet('0.0.0.0/0', ['10.0.0.0/8', '172.16.0.0/12'])!;
    expect(block.intervals.map((i) => formatIpRange(4, i.first, i.last))).toEqual([
      '0.0.0.0-9.255.255.255',
      '11.0.0.0-172.15.255.255',
      '172.32.0.0-255.255.255.255',
    ]);
    expect(block.containsAddress(4, parseIp('8.8.8.8')!.value)).toBe(true);
    expect(block.containsAddress(4, parseIp('172.31.255.255')!.value)).toBe(false);
    expect(block.containsAddress(4, parseIp('172.32.0.0')!.value)).toBe(true);
    expect(block.containsInterval(4, 0n, 0xffffffffn)).toBe(false);
    expect(block.containsAddress(6, 5n)).toBe(false);
  });

  it("cuts np-guard's atoms (FORMAT.md 3, cases/ipblockstest)", () => {
    const block = ipBlockSet('0.0.0.0/0', ['10.0.0.0/8', '172.21.0.0/16', '172.30.0.0/16'])!;
    expect(cutAtoms(4, [block]).map((a) => formatIpRange(4, a.first, a.last))).toEqual([
      '0.0.0.0-9.255.255.255',
      '10.0.0.0-10.255.255.255',
      '11.0.0.0-172.20.255.255',
      '172.21.0.0-172.21.255.255',
      '172.22.0.0-172.29.255.255',
      '172.30.0.0-172.30.255.255',
      '172.31.0.0-255.255.255.255',
    ]);
    expect(cutAtoms(4, []).length).toBe(1);
    expect(cutAtoms(6, [IpSet.all(6)]).length).toBe(1);
  });
});

describe('Selector', () => {
  const labels = { app: 'web', tier: 'front' };
  it.each([
    [{}, true],
    [{ matchLabels: { app: 'web' } }, true],
    [{ matchLabels: { app: 'web', tier: 'back' } }, false],
    [{ matchExpressions: [{ key: 'app', operator: 'In', values: ['db', 'web'] }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'In', values: ['db'] }] }, false],
    [{ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['db'] }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] }, false],
    [{ matchExpressions: [{ key: 'missing', operator: 'NotIn', values: ['x'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'missing', operator: 'Exists' }] }, false],
    [{ matchExpressions: [{ key: 'missing', operator: 'DoesNotExist' }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
    [{ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }] }, false],
  ])('%j matches {app:web,tier:front}: %s', (spec, expected) => {
    expect(Selector.compile(spec).matches(labels)).toBe(expected);
  });

  it('has canonical keys', () => {
    const a = Selector.compile({ matchLabels: { b: '1', a: '2' } });
    const b = Selector.compile({ matchExpressions: [{ key: 'a', operator: 'In', values: ['2'] }], matchLabels: { b: '1' } });
    expect(a.key).toBe(b.key);
    expect(Selector.compile({}).isEverything).toBe(true);
    expect(Selector.compile(null)).toBe(Selector.EVERYTHING);
    expect(a.toString()).toBe('a=2,b=1');
  });
});

describe('RulePorts', () => {
  it('resolves named ports on the destination, protocol included', () => {
    const ports = namedPortMap([
      { name: 'http', port: 8080, protocol: 'TCP' },
      { name: 'dns', port: 53, protocol: 'UDP' },
    ]);
    const rule = RulePorts.of(ConnectionSet.NONE, [
      { protocol: 'TCP', name: 'http' },
      { protocol: 'TCP', name: 'dns' },
      { protocol: 'TCP', name: 'missing' },
    ]);
    expect(rule.resolve(ports).key).toBe('TCP:8080|UDP:|SCTP:');
    expect(rule.resolve(undefined).isEmpty).toBe(true);
    expect(RulePorts.of(ConnectionSet.ALL, [{ protocol: 'TCP', name: 'x' }])).toBe(RulePorts.ALL);
  });
});

function parse(text: string): PortSet {
  if (text === '') return PortSet.EMPTY;
  return PortSet.of(
    text.split(',').map((part) => {
      const [from, to] = part.split('-').map(Number);
      return { from, to: to ?? from };
    }),
  );
}
