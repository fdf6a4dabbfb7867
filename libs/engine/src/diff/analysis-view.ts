// A snapshot's connectivity as plain diff rows (workload granularity), enumerated from the analysis. The
// factorised diff does not need it; it serves row-level consumers and the cross-checks in the tests.
import { ensureAnalysis, iterateConnectivity, type Peer } from '../analysis/connectivity.js';
import type { Analysis } from '../analysis/types.js';
import type { Snapshot } from '../model/types.js';
import { wholeIpv6Conn } from './ipv6-completion.js';
import { workloadPeer } from './peers.js';
import type { ConnRow, ConnectivityView, DiffPeer } from './types.js';

function toPeer(p: Peer): DiffPeer {
  if (p.type === 'ip') return { kind: 'ip', range: { family: p.family, first: p.first, last: p.last } };
  const w = p.workload;
  return { ...workloadPeer(w.namespace, w.name, w.kind), key: w.displayName };
}

export interface ConnectivityViewOptions {
  /** When the analysis cut no IPv6 atoms, add each workload's connections with the whole IPv6 space. */
  readonly completeIpv6?: boolean;
}

export function connectivityView(input: Snapshot | Analysis, options: ConnectivityViewOptions = {}): ConnectivityView {
  const analysis = ensureAnalysis(input);
  const rows: ConnRow[] = [];
  for (const row of iterateConnectivity(analysis, { granularity: 'workload' })) {
    rows.push({ src: toPeer(row.src), dst: toPeer(row.dst), conn: row.conn });
  }
  const hasV6 = analysis.srcAtoms.some((a) => a.family === 6) || analysis.dstAtoms.some((a) => a.family === 6);
  if (options.completeIpv6 && !hasV6) {
    const whole: DiffPeer = { kind: 'ip', range: { family: 6, first: 0n, last: (1n << 128n) - 1n } };
    for (const w of analysis.snapshot.workloads) {
      const peer = toPeer({ type: 'workload', name: w.displayName, workload: w, classId: analysis.workloadClass[w.id] });
      for (const direction of ['from-ip', 'to-ip'] as const) {
        const conn = wholeIpv6Conn(analysis, w, direction);
        if (conn.isEmpty) continue;
        rows.push(direction === 'from-ip' ? { src: whole, dst: peer, conn } : { src: peer, dst: whole, conn });
      }
    }
  }
  const workloads = analysis.snapshot.workloads.map((w) => ({ ...workloadPeer(w.namespace, w.name, w.kind), key: w.displayName }));
  return { rows, workloads };
}
