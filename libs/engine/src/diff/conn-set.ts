// Per-protocol port sets as sorted, disjoint, non-touching inclusive ranges: the value a diff compares
// ("different" means different sets of (protocol, port), never different strings).

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export const PROTOCOLS: readonly Protocol[] = ['SCTP', 'TCP', 'UDP'];
export const MIN_PORT = 1;
export const MAX_PORT = 65535;

export interface PortRange {
  readonly from: number;
  readonly to: number;
}

/** Normalised: each list ascending, disjoint and with no two ranges touching. */
export type ConnSet = Readonly<Record<Protocol, readonly PortRange[]>>;

export const EMPTY_CONN: ConnSet = Object.freeze({ SCTP: [], TCP: [], UDP: [] });
const ALL_PORTS: readonly PortRange[] = Object.freeze([{ from: MIN_PORT, to: MAX_PORT }]);
export const ALL_CONN: ConnSet = Object.freeze({ SCTP: ALL_PORTS, TCP: ALL_PORTS, UDP: ALL_PORTS });

/** Sort, clamp to 1-65535 and merge overlapping or touching ranges. */
export function normalizeRanges(ranges: readonly PortRange[]): PortRange[] {
  const sorted = ranges
    .map((r) => ({ from: Math.max(MIN_PORT, r.from), to: Math.min(MAX_PORT, r.to) }))
    .filter((r) => r.from <= r.to)
    .sort((a, b) => a.from - b.from || a.to - b.to);
  const out: PortRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.from <= last.to + 1) {
      if (r.to > last.to) out[out.length - 1] = { from: last.from, to: r.to };
    } else out.push(r);
  }
  return out;
}

export function connSet(parts: Partial<Record<Protocol, readonly PortRange[]>>): ConnSet {
  return {
    SCTP: normalizeRanges(parts.SCTP ?? []),
    TCP: normalizeRanges(parts.TCP ?? []),
    UDP: normalizeRanges(parts.UDP ?? []),
  };
}

function subtractRanges(a: readonly PortRange[], b: readonly PortRange[]): PortRange[] {
  const out: PortRange[] = [];
  let j = 0;
  for (const r of a) {
    let from = r.from;
    while (j < b.length && b[j].to < from) j++;
    let k = j;
    while (k < b.length && b[k].from <= r.to) {
      if (b[k].from > from) out.push({ from, to: b[k].from - 1 });
      from = Math.max(from, b[k].to + 1);
      k++;
    }
    if (from <= r.to) out.push({ from, to: r.to });
  }
  return out;
}

function intersectRanges(a: readonly PortRange[], b: readonly PortRange[]): PortRange[] {
  const out: PortRange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const from = Math.max(a[i].from, b[j].from);
    const to = Math.min(a[i].to, b[j].to);
    if (from <= to) out.push({ from, to });
    if (a[i].to < b[j].to) i++;
    else j++;
  }
  return out;
}

export function subtractConn(a: ConnSet, b: ConnSet): ConnSet {
  return { SCTP: subtractRanges(a.SCTP, b.SCTP), TCP: subtractRanges(a.TCP, b.TCP), UDP: subtractRanges(a.UDP, b.UDP) };
}

export function intersectConn(a: ConnSet, b: ConnSet): ConnSet {
  return { SCTP: intersectRanges(a.SCTP, b.SCTP), TCP: intersectRanges(a.TCP, b.TCP), UDP: intersectRanges(a.UDP, b.UDP) };
}

export function unionConn(a: ConnSet, b: ConnSet): ConnSet {
  return connSet({ SCTP: [...a.SCTP, ...b.SCTP], TCP: [...a.TCP, ...b.TCP], UDP: [...a.UDP, ...b.UDP] });
}

export function isEmptyConn(c: ConnSet): boolean {
  return c.SCTP.length === 0 && c.TCP.length === 0 && c.UDP.length === 0;
}

export function equalConn(a: ConnSet, b: ConnSet): boolean {
  return PROTOCOLS.every((p) => {
    const x = a[p];
    const y = b[p];
    return x.length === y.length && x.every((r, i) => r.from === y[i].from && r.to === y[i].to);
  });
}

/** A stable key, equal exactly when the sets are equal (normalised input). */
export function connKey(c: ConnSet): string {
  return PROTOCOLS.map((p) => p + ':' + c[p].map((r) => `${r.from}-${r.to}`).join(',')).join(';');
}

function formatRanges(ranges: readonly PortRange[]): string {
  return ranges.map((r) => (r.from === r.to ? String(r.from) : `${r.from}-${r.to}`)).join(',');
}

/** np-guard's conn string (FORMAT.md section 4): `All Connections`, `No Connections` or `TCP 80,UDP 53`. */
export function formatConnNpGuard(c: ConnSet): string {
  if (isEmptyConn(c)) return 'No Connections';
  if (equalConn(c, ALL_CONN)) return 'All Connections';
  return PROTOCOLS.filter((p) => c[p].length > 0)
    .map((p) => `${p} ${formatRanges(c[p])}`)
    .join(',');
}

/** Parses np-guard's conn string (the inverse of `formatConnNpGuard`); undefined when malformed. */
export function parseConnNpGuard(text: string): ConnSet | undefined {
  if (text === 'All Connections') return ALL_CONN;
  if (text === 'No Connections') return EMPTY_CONN;
  const parts: Record<Protocol, PortRange[]> = { SCTP: [], TCP: [], UDP: [] };
  let current: Protocol | undefined;
  for (const token of text.split(',')) {
    const m = token.match(/^(?:(TCP|UDP|SCTP) )?(\d+)(?:-(\d+))?$/);
    if (!m) return undefined;
    if (m[1]) current = m[1] as Protocol;
    if (!current) return undefined;
    const from = Number(m[2]);
    parts[current].push({ from, to: m[3] === undefined ? from : Number(m[3]) });
  }
  return connSet(parts);
}
