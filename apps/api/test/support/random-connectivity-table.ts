// Seeded random connectivity tables (analysis/connectivity-table.ts) for property tests of what the API derives from
// them: workloads in a few namespaces, some controllers with several np-guard workloads (ReplicaSets), IP peers on
// either side of rows, a handful of connection texts.
import type { ConnectivityTable, TablePeer } from '../../src/analysis/connectivity-table.js';

function random(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

const CONNS = ['All Connections', 'TCP 80', 'UDP 53', 'TCP 1-65535', 'SCTP 1-65535,UDP 1-65535', 'TCP 80,UDP 53', 'SCTP 1-65535,TCP 1-65535,UDP 1-65535'];

export function randomTable(seed: number): ConnectivityTable {
  const next = random(seed);
  const peers: TablePeer[] = [];
  const namespaces = ['alpha', 'beta', 'gamma', 'delta', 'empty'].slice(0, 2 + next(4));
  const workloads = 3 + next(12);
  for (let w = 0; w < workloads; w++) {
    const namespace = namespaces[next(namespaces.length)];
    const topName = `app${next(6)}`;
    // One to three np-guard workloads (ReplicaSets) per controller.
    const replicaSets = 1 + (next(3) === 0 ? next(3) : 0);
    for (let r = 0; r < replicaSets; r++) {
      peers.push({ type: 'workload', name: `${namespace}/${topName}-${w}${r}[ReplicaSet]`, namespace, kind: 'ReplicaSet', workloadName: `${topName}-${w}${r}`, topKind: 'Deployment', topName });
    }
  }
  // Two adjacent ranges (np-guard's view merges them) and one apart.
  for (const i of [0, 1, 4]) {
    const first = BigInt(i * 256);
    peers.push({ type: 'ip', name: `10.0.${i}.0-10.0.${i}.255[External]`, range: `10.0.${i}.0-10.0.${i}.255`, family: 4, first, last: first + 255n });
  }
  const src: number[] = [];
  const dst: number[] = [];
  const conn: number[] = [];
  const rows = next(80);
  for (let i = 0; i < rows; i++) {
    const a = next(peers.length);
    const b = next(peers.length);
    if (peers[a].type === 'ip' && peers[b].type === 'ip') continue;
    src.push(a);
    dst.push(b);
    conn.push(next(CONNS.length));
  }
  return { peers, conns: CONNS, src: Uint32Array.from(src), dst: Uint32Array.from(dst), conn: Uint32Array.from(conn), showsIcmp: seed % 2 === 0 };
}

