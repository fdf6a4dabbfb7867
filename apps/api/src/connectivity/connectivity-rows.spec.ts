// GraphQL `connectivity` pages from the stored columns against the obvious way (the merged row objects filtered and
// paged by key, as the resolver did before the rows became a stored artefact), on seeded random tables: every
// filter, both IP-range views, page by page with the cursors.
import { connString, parseConnString, type Protocol } from '@netpol-atlas/engine';
import { describe, expect, it } from 'vitest';
import { compareKeys, connectionFromSortedList } from '../graphql/connection.js';
import type { TablePeer } from '../analysis/connectivity-table.js';
import { portRanges } from '@netpol-atlas/engine';
import { randomTable } from '../../test/support/random-connectivity-table.js';
import { connectivityPage, decodeRowColumns, encodeRowColumns, tableRowColumns, tableRowColumnsMergedIp, type RowFilter } from './connectivity-rows.js';
import type { NetworkPeer } from '../analysis/analysis.models.js';
import { rowsWithMergedIpRanges, workloadRows, type WorkloadRow } from '../../test/support/workload-rows-reference.js';

const FILTERS: RowFilter[] = [
  {},
  { fromNamespace: 'alpha' },
  { toNamespace: 'beta' },
  { fromNamespace: 'beta', toNamespace: 'beta' },
  { workload: 'app1' },
  { workload: 'alpha/app2' },
  { port: 80 },
  { port: 53, protocol: 'UDP' },
  { port: 9000, protocol: 'SCTP' },
  { fromNamespace: 'alpha', port: 80 },
];

/** The filter as the resolver applied it to the row objects. */
function filterRows(rows: readonly WorkloadRow[], filter: RowFilter): readonly WorkloadRow[] {
  const { fromNamespace, toNamespace, workload, port, protocol } = filter;
  const [wNamespace, wName] = workload?.includes('/') ? workload.split('/', 2) : [null, workload ?? null];
  const isWorkload = (peer: NetworkPeer) => peer.name === wName && (wNamespace === null || peer.namespace === wNamespace);
  const protocols: readonly Protocol[] = protocol ? [protocol] : ['TCP', 'UDP', 'SCTP'];
  if (fromNamespace == null && toNamespace == null && wName == null && port == null) return rows;
  return rows.filter(
    (row) =>
      (fromNamespace == null || row.from.namespace === fromNamespace) &&
      (toNamespace == null || row.to.namespace === toNamespace) &&
      (wName == null || isWorkload(row.from) || isWorkload(row.to)) &&
      (port == null || protocols.some((p) => row.conn.contains(p, port))),
  );
}

const asBefore = (row: WorkloadRow, icmp: boolean) => ({ from: row.from, to: row.to, ports: portRanges(row.conn), portsText: connString(row.conn, icmp) });

describe('connectivityPage', () => {
  it('pages every filter as the merged rows did, in both IP-range views, on 300 seeded random tables; stored and read back the same', () => {
    let rowsSeen = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const table = randomTable(seed);
      for (const merged of [false, true]) {
        const rows = merged ? rowsWithMergedIpRanges(table) : workloadRows(table).rows;
        const data = merged ? tableRowColumnsMergedIp(table) : tableRowColumns(table);
        const stored = decodeRowColumns(encodeRowColumns(data));
        expect(stored).toEqual(data);
        for (const filter of FILTERS) {
          const expected = filterRows(rows, filter);
          let after: string | null = null;
          for (let pages = 0; ; pages++) {
            const before = connectionFromSortedList(expected, { first: 3, after }, 'connectivity', (row) => row.key);
            const now = connectivityPage(stored, filter, { first: 3, after });
            const label = `seed ${seed} merged ${merged} ${JSON.stringify(filter)} page ${pages}`;
            expect(now.totalCount, label).toBe(before.totalCount);
            expect(now.pageInfo, label).toEqual(before.pageInfo);
            expect(now.edges.map((e) => e.cursor), label).toEqual(before.edges.map((e) => e.cursor));
            expect(now.edges.map((e) => e.node), label).toEqual(before.edges.map((e) => asBefore(e.node, table.showsIcmp)));
            rowsSeen += now.edges.length;
            if (!now.pageInfo.hasNextPage) break;
            after = now.pageInfo.endCursor;
          }
        }
      }
    }
    expect(rowsSeen).toBeGreaterThan(10_000);
  });
});

describe('connectivity rows of a default-allow cluster', () => {
  it('merges 17.6M pairs, past the 2^24 entries of a JavaScript Map (pairs were keyed in one)', () => {
    // 4,200 Deployments, each reaching every other: 4,200 × 4,199 API rows. The first three have two ReplicaSets (one
    // allowing TCP 80, the other UDP 53): their rows are the union; every other row is TCP 80.
    const controllers = 4_200;
    const split = 3;
    const peers: TablePeer[] = [];
    const nameOf = (c: number) => `app-${String(c).padStart(4, '0')}`;
    for (let c = 0; c < controllers; c++) {
      const namespace = `ns-${String(c % 50).padStart(2, '0')}`;
      const topName = nameOf(c);
      for (const r of c < split ? ['a', 'b'] : ['a']) peers.push({ type: 'workload', name: `${namespace}/${topName}-${r}[ReplicaSet]`, namespace, kind: 'ReplicaSet', workloadName: `${topName}-${r}`, topKind: 'Deployment', topName });
    }
    peers.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const p = peers.length;
    const rows = p * (p - 1);
    const src = new Uint32Array(rows);
    const dst = new Uint32Array(rows);
    const conn = new Uint32Array(rows);
    let i = 0;
    for (let s = 0; s < p; s++) {
      const udp = peers[s].name.endsWith('-b[ReplicaSet]') ? 1 : 0;
      for (let d = 0; d < p; d++) {
        if (s === d) continue;
        src[i] = s;
        dst[i] = d;
        conn[i] = udp;
        i++;
      }
    }
    const columns = tableRowColumns({ peers, conns: ['TCP 80', 'UDP 53'], src, dst, conn, showsIcmp: false });
    expect(columns.peers).toHaveLength(controllers);
    expect(columns.from.length).toBe(controllers * (controllers - 1));
    expect(columns.from.length).toBeGreaterThan(2 ** 24);
    // In key order: every source's destinations ascending, no row to itself; the connections as merged.
    const both = connString(parseConnString('TCP 80,UDP 53'), true);
    const tcp = connString(parseConnString('TCP 80'), true);
    let wrong = 0;
    for (let k = 0; k < columns.from.length; k++) {
      const from = columns.from[k];
      if (k > 0 && (from < columns.from[k - 1] || (from === columns.from[k - 1] && columns.to[k] <= columns.to[k - 1]))) wrong++;
      if (from === columns.to[k]) wrong++;
      const expected = columns.peers[from].name! < nameOf(split) ? both : tcp;
      if (columns.conns[columns.conn[k]] !== expected) wrong++;
    }
    expect(wrong).toBe(0);
    expect([...columns.peerKeys]).toEqual([...columns.peerKeys].sort(compareKeys));
  }, 60_000);
});
