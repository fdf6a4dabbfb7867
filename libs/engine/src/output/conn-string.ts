// np-guard's `<conn>` text (FORMAT.md section 4) and plain-data port ranges.
import { ConnectionSet, PROTOCOLS, type Protocol } from '../algebra/connection-set.js';
import { PortSet } from '../algebra/port-set.js';

export const ALL_CONNECTIONS = 'All Connections';
export const NO_CONNECTIONS = 'No Connections';

/** `All Connections`, `No Connections`, or `<PROTOCOL> <ports>` groups sorted as strings (SCTP, TCP, UDP). */
export function connString(conn: ConnectionSet): string {
  if (conn.isAll) return ALL_CONNECTIONS;
  if (conn.isEmpty) return NO_CONNECTIONS;
  return PROTOCOLS.filter((p) => !conn.ports(p).isEmpty)
    .map((p) => `${p} ${conn.ports(p).key}`)
    .sort()
    .join(',');
}

/** Inverse of `connString` (for tests and tools that read np-guard output). */
export function parseConnString(text: string): ConnectionSet {
  if (text === ALL_CONNECTIONS) return ConnectionSet.ALL;
  if (text === NO_CONNECTIONS || text === '') return ConnectionSet.NONE;
  const parts: Partial<Record<Protocol, { from: number; to: number }[]>> = {};
  let current: Protocol | undefined;
  for (const token of text.split(',')) {
    const m = /^(TCP|UDP|SCTP) (.*)$/.exec(token);
    const range = m ? m[2] : token;
    if (m) current = m[1] as Protocol;
    if (!current) throw new Error(`not a conn string: ${text}`);
    const [from, to] = range.split('-').map(Number);
    (parts[current] ??= []).push({ from, to: to ?? from });
  }
  return ConnectionSet.of({
    TCP: PortSet.of(parts.TCP ?? []),
    UDP: PortSet.of(parts.UDP ?? []),
    SCTP: PortSet.of(parts.SCTP ?? []),
  });
}

export interface ConnRangeOut {
  readonly protocol: Protocol;
  readonly from: number;
  readonly to: number;
}

/** Plain-data ranges, TCP then UDP then SCTP, ascending. */
export function connRanges(conn: ConnectionSet): ConnRangeOut[] {
  return PROTOCOLS.flatMap((protocol) => conn.ports(protocol).ranges().map((r) => ({ protocol, from: r.from, to: r.to })));
}
