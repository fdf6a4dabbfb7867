// Printed names and identity keys of diff peers.
import { ipRangeName } from './ip-range.js';
import type { DiffPeer, WorkloadPeer } from './types.js';

export function peerName(peer: DiffPeer): string {
  return peer.kind === 'workload' ? peer.key : ipRangeName(peer.range);
}

/** np-guard's workload name: `<namespace>/<name>[<Kind>]`. */
export function workloadKey(namespace: string, name: string, kind: string): string {
  return `${namespace}/${name}[${kind}]`;
}

export function workloadPeer(namespace: string, name: string, kind: string): WorkloadPeer {
  return { kind: 'workload', key: workloadKey(namespace, name, kind), namespace, name, workloadKind: kind };
}
