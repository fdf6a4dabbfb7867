// Pure helpers of the workload page: which connectivity rows go out of / into a workload, and the first port of a
// connection text (to link a verdict).
import type { ConnectivityRow, NetworkPeer } from '../../api/types.js';

export interface WorkloadId {
  namespace: string;
  kind: string;
  name: string;
}

export function sameWorkload(a: { namespace: string | null; kind: string | null; name: string | null }, b: WorkloadId): boolean {
  return a.namespace === b.namespace && a.kind === b.kind && a.name === b.name;
}

const isWorkload = (peer: NetworkPeer, workload: WorkloadId) => peer.type === 'WORKLOAD' && sameWorkload(peer, workload);

/** Rows leaving the workload (it is `from`) and rows reaching it (it is `to`), each in the API's order. */
export function splitByDirection(rows: readonly ConnectivityRow[], workload: WorkloadId): { outbound: ConnectivityRow[]; inbound: ConnectivityRow[] } {
  return {
    outbound: rows.filter((row) => isWorkload(row.from, workload)),
    inbound: rows.filter((row) => isWorkload(row.to, workload)),
  };
}

/** The first port of np-guard connection text: `TCP 53,443,UDP 53` → TCP 53; `All Connections` → TCP 1. */
export function firstPort(portsText: string): { protocol: 'TCP' | 'UDP' | 'SCTP'; port: number } | undefined {
  if (portsText === 'All Connections') return { protocol: 'TCP', port: 1 };
  const match = /^(TCP|UDP|SCTP) (\d+)/.exec(portsText);
  return match ? { protocol: match[1] as 'TCP' | 'UDP' | 'SCTP', port: Number(match[2]) } : undefined;
}
