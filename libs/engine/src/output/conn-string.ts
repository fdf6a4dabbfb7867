// np-guard's `<conn>` text (FORMAT.md section 4) and plain-data port ranges.
import { ConnectionSet, ICMP_FAMILIES, icmpPoints, icmpText, PROTOCOLS, type IcmpFamily, type Protocol } from '../algebra/connection-set.js';
import { PortSet } from '../algebra/port-set.js';
import type { Snapshot } from '../model/types.js';

export const ALL_CONNECTIONS = 'All Connections';
export const NO_CONNECTIONS = 'No Connections';

/** Dialects whose rules can allow or deny ICMP on their own (protocol ICMP, `icmps`, `notProtocol`, a Deny next
 *  to an Allow of every port). np-guard reads NetworkPolicy and AdminNetworkPolicy only, and its goldens pin
 *  their text, so those keep np-guard's format. */
const ICMP_DIALECTS: ReadonlySet<string> = new Set(['calico', 'cilium']);

/** Whether connection texts of this snapshot name ICMP whenever it is allowed (see `connString`): a Calico or
 *  Cilium policy is present. NetworkPolicy-only snapshots print as np-guard does. */
export function showsIcmp(snapshot: Snapshot): boolean {
  return snapshot.policies.some((p) => isIcmpDialect(p.dialect));
}

/** Whether a policy of this dialect decides ICMP apart from ports (see `showsIcmp`). */
export function isIcmpDialect(dialect: string): boolean {
  return ICMP_DIALECTS.has(dialect);
}

/** `All Connections`, `No Connections`, or `<PROTOCOL> <ports>` groups sorted as strings (SCTP, TCP, UDP).
 *  np-guard's format describes TCP, UDP and SCTP: NetworkPolicy gives ICMP all or nothing, and the text leaves it
 *  out then (`All Connections` = every port of the three). ICMP groups (`ICMP type 8`) appear when ICMP is partly
 *  allowed, or is all that is.
 *  `icmp` (a snapshot where `showsIcmp`): ICMP is always named when allowed (`ICMP,TCP 80`), and `All Connections`
 *  means every port and all ICMP; a policy there can decide ICMP apart from ports, so leaving it out would mislead. */
export function connString(conn: ConnectionSet, icmp = false): string {
  if (conn.isAll) return ALL_CONNECTIONS;
  if (conn.isEmpty) return NO_CONNECTIONS;
  if (icmp) return [...portGroups(conn), ...icmpGroups(conn)].sort().join(',');
  const icmpPartial = ICMP_FAMILIES.some((f) => !conn.ports(f).isEmpty && !conn.ports(f).isAll);
  if (conn.portsAll && !icmpPartial) return ALL_CONNECTIONS;
  const ports = portGroups(conn);
  const icmpTexts = ports.length === 0 || icmpPartial ? icmpGroups(conn) : [];
  return [...ports, ...icmpTexts].sort().join(',');
}

function portGroups(conn: ConnectionSet): string[] {
  return PROTOCOLS.filter((p) => !conn.ports(p).isEmpty).map((p) => `${p} ${conn.ports(p).key}`);
}

function icmpGroups(conn: ConnectionSet): string[] {
  return ICMP_FAMILIES.filter((f) => !conn.ports(f).isEmpty).map((f) => icmpText(f, conn.ports(f)));
}

/** The connections `connString` shows: whole-family ICMP next to ports is left out of the text (np-guard's
 *  NetworkPolicy model has no ICMP, and a port-less rule allows all of it), so it is left out here too.
 *  `connString(shownConnections(c, icmp), icmp) === connString(c, icmp)`, and two sets show the same text exactly
 *  when their shown sets are equal: what the diff compares, so it never reports a change its text cannot show.
 *  With `icmp` the text shows every set as it is. */
export function shownConnections(conn: ConnectionSet, icmp = false): ConnectionSet {
  if (icmp || conn.isEmpty) return conn;
  const portsEmpty = PROTOCOLS.every((p) => conn.ports(p).isEmpty);
  const icmpWhole = ICMP_FAMILIES.every((f) => conn.ports(f).isEmpty || conn.ports(f).isAll);
  if (portsEmpty || !icmpWhole) return conn;
  return ConnectionSet.of({ TCP: conn.tcp, UDP: conn.udp, SCTP: conn.sctp });
}

/** Inverse of `connString` (for tests and tools that read np-guard output). */
export function parseConnString(text: string): ConnectionSet {
  if (text === ALL_CONNECTIONS) return ConnectionSet.ALL;
  if (text === NO_CONNECTIONS || text === '') return ConnectionSet.NONE;
  const parts: Partial<Record<Protocol, { from: number; to: number }[]>> = {};
  const icmp: Partial<Record<IcmpFamily, PortSet>> = {};
  let current: Protocol | undefined;
  let family: IcmpFamily | undefined;
  for (const token of text.split(',')) {
    const i = /^(?:(ICMPv6|ICMP)(?: |$))?(?:type (\d+)(?:-(\d+)| code (\d+)(?:-(\d+))?)?)?$/.exec(token);
    if (i && (i[1] || (family && !/^\d/.test(token)))) {
      if (i[1]) family = i[1] as IcmpFamily;
      current = undefined;
      const f = family!;
      let set: PortSet;
      if (i[2] === undefined) set = PortSet.ALL;
      else if (i[4] !== undefined) set = PortSet.of([...Array(Number(i[5] ?? i[4]) - Number(i[4]) + 1).keys()].flatMap((d) => icmpPoints(Number(i[2]), Number(i[4]) + d).ranges()));
      else {
        const to = Number(i[3] ?? i[2]);
        set = PortSet.of([...Array(to - Number(i[2]) + 1).keys()].flatMap((d) => icmpPoints(Number(i[2]) + d).ranges()));
      }
      icmp[f] = (icmp[f] ?? PortSet.EMPTY).union(set);
      continue;
    }
    family = undefined;
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
    ...icmp,
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
