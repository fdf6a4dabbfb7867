// One end of a reachability question, as the dashboard keeps it in the URL: a workload written as np-guard names
// it, `namespace/name[Kind]` (the kind optional), or an IP address. The two cannot be confused: an IP address
// (v4 or v6) has no `/`, a workload reference always has one.

export type PeerChoice =
  | { type: 'workload'; namespace: string; name: string; kind?: string }
  | { type: 'ip'; ip: string };

/** The `PeerInput` the API takes. */
export interface PeerInputValue {
  namespace?: string;
  name?: string;
  kind?: string;
  ip?: string;
}

const WORKLOAD_REF = /^([^/\s[\]]+)\/([^/\s[\]]+)(?:\[([^\]\s]+)\])?$/;

/** Reads a URL value; undefined when it is empty or neither form. */
export function parsePeer(text: string | null | undefined): PeerChoice | undefined {
  const value = text?.trim() ?? '';
  if (value === '') return undefined;
  if (value.includes('/')) {
    const match = WORKLOAD_REF.exec(value);
    if (!match) return undefined;
    const [, namespace = '', name = '', kind] = match;
    return kind ? { type: 'workload', namespace, name, kind } : { type: 'workload', namespace, name };
  }
  return { type: 'ip', ip: value };
}

export function formatPeer(peer: PeerChoice): string {
  if (peer.type === 'ip') return peer.ip;
  return `${peer.namespace}/${peer.name}${peer.kind ? `[${peer.kind}]` : ''}`;
}

export function toPeerInput(peer: PeerChoice): PeerInputValue {
  if (peer.type === 'ip') return { ip: peer.ip };
  return peer.kind
    ? { namespace: peer.namespace, name: peer.name, kind: peer.kind }
    : { namespace: peer.namespace, name: peer.name };
}
