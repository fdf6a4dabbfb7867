import { describe, expect, it } from 'vitest';
import { namespace, pod, policy, snapshotOf } from '../../test/builders.js';
import { ConnectionSet } from '../algebra/connection-set.js';
import { PortSet } from '../algebra/port-set.js';
import { analyze } from '../analysis/analyze.js';
import { connectivity } from '../analysis/connectivity.js';
import { connRanges, connString, parseConnString } from './conn-string.js';
import { formatConnlist, type ConnlistStats } from './connlist.js';

describe('connString (FORMAT.md 4)', () => {
  const tcp = (text: string) => parseConnString(`TCP ${text}`);
  it.each([
    [ConnectionSet.ALL, 'All Connections'],
    [ConnectionSet.NONE, 'No Connections'],
    [tcp('8080'), 'TCP 8080'],
    [tcp('8000,8090'), 'TCP 8000,8090'],
    [tcp('9001-9090'), 'TCP 9001-9090'],
    [ConnectionSet.of({ TCP: PortSet.range(10053, 10054), UDP: PortSet.range(10053) }), 'TCP 10053-10054,UDP 10053'],
    [ConnectionSet.of({ TCP: PortSet.ALL }), 'TCP 1-65535'],
    [
      ConnectionSet.of({ TCP: PortSet.ALL, SCTP: PortSet.ALL, UDP: PortSet.ALL.subtract(PortSet.range(5353)) }),
      'SCTP 1-65535,TCP 1-65535,UDP 1-5352,5354-65535',
    ],
  ])('%s → %s', (conn, text) => {
    expect(connString(conn)).toBe(text);
    expect(parseConnString(text).key).toBe(conn.key);
  });

  it('gives plain-data ranges in TCP, UDP, SCTP order', () => {
    expect(connRanges(parseConnString('SCTP 9,TCP 1-2,UDP 53'))).toEqual([
      { protocol: 'TCP', from: 1, to: 2 },
      { protocol: 'UDP', from: 53, to: 53 },
      { protocol: 'SCTP', from: 9, to: 9 },
    ]);
  });
});

describe('connlist formats', () => {
  const snapshot = snapshotOf([
    namespace('ns'),
    pod('ns', 'a', { labels: { app: 'a' } }),
    pod('ns', 'b', { labels: { app: 'b' } }),
    policy('ns', 'p', {
      podSelector: { matchLabels: { app: 'a' } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'b' } } }], ports: [{ port: 80 }, { port: 443 }] }],
      egress: [{ to: [{ ipBlock: { cidr: '2001:db8::/32' } }], ports: [{ port: 443 }] }],
    }),
  ]);
  const rows = connectivity(analyze(snapshot));

  it('txt and json leave IPv6 rows out and count them', () => {
    const stats: ConnlistStats = { ipv6RowsOmitted: 0, rows: 0 };
    const txt = formatConnlist(rows, 'txt', stats);
    expect(txt).toBe(
      [
        '0.0.0.0-255.255.255.255[External] => ns/b[Pod] : All Connections',
        'ns/b[Pod] => 0.0.0.0-255.255.255.255[External] : All Connections',
        'ns/b[Pod] => ns/a[Pod] : TCP 80,443',
        '',
      ].join('\n'),
    );
    expect(stats.ipv6RowsOmitted).toBeGreaterThan(0);
    const json = formatConnlist(rows, 'json');
    expect(JSON.parse(json)).toHaveLength(3);
    expect(json.endsWith('}\n]')).toBe(true);
    expect(json).toContain('  {\n    "src": "0.0.0.0-255.255.255.255[External]",\n    "dst": "ns/b[Pod]",\n    "conn": "All Connections"\n  }');
  });

  it('csv, md and dot include IPv6', () => {
    const csv = formatConnlist(rows, 'csv');
    expect(csv.split('\n')[0]).toBe('src,dst,conn');
    expect(csv).toContain('ns/a[Pod],2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff[External],TCP 443\n');
    expect(csv).toContain('ns/b[Pod],ns/a[Pod],"TCP 80,443"\n');
    const md = formatConnlist(rows, 'md');
    expect(md.startsWith('| src | dst | conn |\n|-----|-----|------|\n')).toBe(true);
    expect(md).toContain('| ns/b[Pod] | ns/a[Pod] | TCP 80,443 |');
    expect(md.endsWith('\n')).toBe(false);
    const dot = formatConnlist(rows, 'dot');
    expect(dot).toContain('"ns/b[Pod]" -> "ns/a[Pod]" [label="TCP 80,443"]');
    expect(dot).toContain('subgraph "cluster_ns"');
    expect(dot).toContain('"2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff[External]" [label=');
  });

  it('an empty result is zero bytes in txt and [] in json', () => {
    const empty = snapshotOf([pod('ns', 'a'), policy('ns', 'deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })]);
    const none = connectivity(analyze(empty));
    expect(formatConnlist(none, 'txt')).toBe('');
    expect(formatConnlist(none, 'json')).toBe('[]');
  });
});
