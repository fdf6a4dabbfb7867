// np-guard's `list --exposure` report: the plain connlist followed by the exposure section (FORMAT.md 10).
// txt and json are byte-exact np-guard (IPv6 left out, as np-guard does); csv and md follow np-guard's
// layout and include IPv6.
import type { ConnectionSet } from '../algebra/connection-set.js';
import { ConnectivityListing, type ConnectivityRow, type Peer } from '../analysis/connectivity.js';
import { connString } from '../output/conn-string.js';
import { connlistChunks, goString, isIpv6Row, type ConnlistStats } from '../output/connlist.js';
import type { ExposureLine, ExposureResult } from './types.js';

export type ExposureFormat = 'txt' | 'json' | 'csv' | 'md';
export const EXPOSURE_FORMATS: readonly ExposureFormat[] = ['txt', 'json', 'csv', 'md'];

const HEADER = 'Exposure Analysis Result:';
const EGRESS_HEADER = 'Egress Exposure:';
const INGRESS_HEADER = 'Ingress Exposure:';
const UNPROTECTED_HEADER = 'Workloads not protected by network policies:';
/** csv and md: an entire-cluster line decided through peers that never match a host-network pod (np-guard's txt and
 *  json keep np-guard's `entire-cluster`). Sorts where `entire-cluster` does (a space before any name character). */
const ENTIRE_CLUSTER_EXCEPT_HOST_NETWORK = 'entire-cluster except host-network pods';

/** One exposure line: the workload, the other end, the connection text. */
interface ReportLine {
  workload: string;
  other: string;
  conn: string;
}

/**
 * One direction's lines in report order (by workload, then other end), IPv6 ones left out for np-guard formats.
 * The exposure result is already in that order (workloads by name, each one's lines by target name), so lines
 * stream from it without being collected; a result out of that order is collected and sorted (stable) instead.
 */
class DirectionLines {
  /** Lines the report shows. */
  readonly count: number;
  private readonly sorted: ReportLine[] | undefined;

  constructor(
    private readonly result: ExposureResult,
    private readonly direction: 'egress' | 'ingress',
    private readonly npGuard: boolean,
    stats?: ConnlistStats,
  ) {
    let count = 0;
    let ordered = true;
    let workload: string | undefined;
    let other = '';
    for (const w of result.workloads) {
      for (const l of w[direction].lines) {
        if (this.dropped(l)) {
          if (stats) stats.ipv6RowsOmitted++;
          continue;
        }
        count++;
        if (workload !== undefined && (compare(workload, w.workload) || compare(other, l.target.name)) > 0) ordered = false;
        workload = w.workload;
        other = l.target.name;
      }
    }
    this.count = count;
    if (!ordered) this.sorted = Array.from(this.stream(), (l) => ({ ...l })).sort(byWorkloadThenOther);
  }

  /** The lines workload by workload, in report order: each group's `count` other ends and connection texts
   *  (the group and its arrays are reused: read one before asking for the next). */
  *groups(): Generator<Readonly<LineGroup>> {
    const group: LineGroup = { workload: '', count: 0, others: [], conns: [] };
    if (this.sorted) {
      for (const l of this.sorted) {
        if (group.count > 0 && l.workload !== group.workload) {
          yield group;
          group.count = 0;
        }
        group.workload = l.workload;
        group.others[group.count] = l.other;
        group.conns[group.count++] = l.conn;
      }
      if (group.count > 0) yield group;
      return;
    }
    for (const w of this.result.workloads) {
      group.workload = w.workload;
      group.count = 0;
      for (const l of w[this.direction].lines) {
        if (this.dropped(l)) continue;
        group.others[group.count] = !this.npGuard && l.target.type === 'entire-cluster' && l.target.exceptHostNetwork ? ENTIRE_CLUSTER_EXCEPT_HOST_NETWORK : l.target.name;
        group.conns[group.count++] = l.connection.text;
      }
      if (group.count > 0) yield group;
    }
  }

  /** The lines, through one reused object (copy what must outlive the next step). */
  *lines(): Generator<Readonly<ReportLine>> {
    if (this.sorted) yield* this.sorted;
    else yield* this.stream();
  }

  private *stream(): Generator<Readonly<ReportLine>> {
    const line: ReportLine = { workload: '', other: '', conn: '' };
    for (const w of this.result.workloads) {
      line.workload = w.workload;
      for (const l of w[this.direction].lines) {
        if (this.dropped(l)) continue;
        line.other = !this.npGuard && l.target.type === 'entire-cluster' && l.target.exceptHostNetwork ? ENTIRE_CLUSTER_EXCEPT_HOST_NETWORK : l.target.name;
        line.conn = l.connection.text;
        yield line;
      }
    }
  }

  private dropped(l: ExposureLine): boolean {
    return this.npGuard && l.target.type === 'ip' && l.target.family === 6;
  }
}

/** Consecutive report lines of one workload. */
interface LineGroup {
  workload: string;
  count: number;
  others: string[];
  conns: string[];
}

interface Sections {
  readonly egress: DirectionLines;
  readonly ingress: DirectionLines;
  readonly unprotected: readonly string[];
  /** Longest workload name with a line (txt pads to it). */
  readonly width: number;
}

function sections(result: ExposureResult, npGuard: boolean, stats?: ConnlistStats): Sections {
  const unprotected: string[] = [];
  let width = 0;
  for (const w of result.workloads) {
    if (!w.egress.protected) unprotected.push(`${w.workload} is not protected on Egress`);
    if (!w.ingress.protected) unprotected.push(`${w.workload} is not protected on Ingress`);
    width = Math.max(width, w.workload.length);
  }
  unprotected.sort(compare);
  return { egress: new DirectionLines(result, 'egress', npGuard, stats), ingress: new DirectionLines(result, 'ingress', npGuard, stats), unprotected, width };
}

function byWorkloadThenOther(a: ReportLine, b: ReportLine): number {
  return compare(a.workload, b.workload) || compare(a.other, b.other);
}

/** The report as chunks of about 64 KiB: connlist rows stream first, the exposure section follows; no format
 *  holds the whole report (at 50k pods it is hundreds of MB). */
export function* exposureReportChunks(
  rows: Iterable<ConnectivityRow>,
  result: ExposureResult,
  format: ExposureFormat,
  stats: ConnlistStats = { ipv6RowsOmitted: 0, rows: 0 },
): Generator<string> {
  const npGuard = format === 'txt' || format === 'json';
  switch (format) {
    case 'txt': {
      let any = false;
      for (const chunk of connlistChunks(rows, 'txt', stats, result.showsIcmp)) {
        any ||= chunk !== '';
        yield chunk;
      }
      if (any) yield '\n';
      yield* txtExposure(sections(result, npGuard, stats));
      return;
    }
    case 'json':
      yield* json(keptRows(rows, npGuard, stats, result.showsIcmp), () => sections(result, npGuard, stats));
      return;
    case 'csv':
      yield* csv(keptRows(rows, npGuard, stats, result.showsIcmp), () => sections(result, npGuard, stats));
      return;
    case 'md':
      yield* md(keptRows(rows, npGuard, stats, result.showsIcmp), () => sections(result, npGuard, stats));
      return;
  }
}

export function formatExposureReport(
  rows: Iterable<ConnectivityRow>,
  result: ExposureResult,
  format: ExposureFormat,
  stats?: ConnlistStats,
): string {
  return [...exposureReportChunks(rows, result, format, stats)].join('');
}

/** The connlist rows as report lines, through one reused object; each connection set's text is made once. */
function* keptRows(rows: Iterable<ConnectivityRow>, npGuard: boolean, stats: ConnlistStats, icmp: boolean | undefined): Generator<Readonly<ReportLine>> {
  const texts = new Map<ConnectionSet, string>();
  const line: ReportLine = { workload: '', other: '', conn: '' };
  if (rows instanceof ConnectivityListing) {
    // Source by source: no row object per pair.
    for (const { src, count, dsts, conns } of rows.runs()) {
      const srcIpv6 = npGuard && isIpv6Peer(src);
      for (let i = 0; i < count; i++) {
        const dst = dsts[i];
        if (srcIpv6 || (npGuard && isIpv6Peer(dst))) {
          stats.ipv6RowsOmitted++;
          continue;
        }
        stats.rows++;
        let conn = texts.get(conns[i]);
        if (conn === undefined) {
          if (texts.size >= MEMO_LIMIT) texts.clear();
          texts.set(conns[i], (conn = connString(conns[i], icmp)));
        }
        line.workload = src.name;
        line.other = dst.name;
        line.conn = conn;
        yield line;
      }
    }
    return;
  }
  for (const row of rows) {
    if (npGuard && isIpv6Row(row)) {
      stats.ipv6RowsOmitted++;
      continue;
    }
    stats.rows++;
    let conn = texts.get(row.conn);
    if (conn === undefined) {
      if (texts.size >= MEMO_LIMIT) texts.clear();
      texts.set(row.conn, (conn = connString(row.conn, icmp)));
    }
    line.workload = row.src.name;
    line.other = row.dst.name;
    line.conn = conn;
    yield line;
  }
}

function isIpv6Peer(peer: Peer): boolean {
  return peer.type === 'ip' && peer.family === 6;
}

const MEMO_LIMIT = 1 << 16;
const CHUNK = 1 << 16;

/** Strings joined into chunks of about 64 KiB: one yield (and one write) per chunk, not per line. */
class Chunker {
  private chunk = '';

  /** Appends; returns a full chunk to yield, or undefined. */
  add(text: string): string | undefined {
    this.chunk += text;
    if (this.chunk.length < CHUNK) return undefined;
    const full = this.chunk;
    this.chunk = '';
    return full;
  }

  rest(): string {
    const rest = this.chunk;
    this.chunk = '';
    return rest;
  }
}

/** Go's `%-<width>s \t<arrow> \t<other> : <conn>`. */
function* txtExposure(s: Sections): Generator<string> {
  const out = new Chunker();
  const direction = function* (lines: DirectionLines, arrow: string) {
    let first = true;
    let chunk = '';
    for (const { workload, count, others, conns } of lines.groups()) {
      // `\n<padded> \t<arrow> \t` before each line but the section's first.
      const head = `\n${workload.padEnd(s.width)} \t${arrow} \t`;
      for (let i = 0; i < count; i++) {
        chunk += first ? head.slice(1) : head;
        first = false;
        chunk += others[i];
        chunk += ' : ';
        chunk += conns[i];
        if (chunk.length >= CHUNK) {
          const full = out.add(chunk);
          chunk = '';
          if (full) yield full;
        }
      }
    }
    const full = out.add(chunk);
    if (full) yield full;
  };
  out.add(`${HEADER}\n`);
  if (s.egress.count > 0) {
    out.add(`${EGRESS_HEADER}\n`);
    yield* direction(s.egress, '=>');
    out.add('\n');
  }
  if (s.ingress.count > 0) {
    out.add(`${s.egress.count > 0 ? '\n' : ''}${INGRESS_HEADER}\n`);
    yield* direction(s.ingress, '<=');
    out.add('\n');
  }
  if (s.unprotected.length > 0) out.add(`\n${UNPROTECTED_HEADER}\n${s.unprotected.join('\n')}\n`);
  yield out.rest();
}

/** Go's `json.MarshalIndent(v, "", "  ")`; an empty connlist is `[]`, an empty exposure list `null`. */
function* json(connlist: Iterable<Readonly<ReportLine>>, sectionsOf: () => Sections): Generator<string> {
  const out = new Chunker();
  // Names and connection texts repeat on many lines: each is escaped once.
  const quoted = new Map<string, string>();
  const quote = (text: string) => {
    let q = quoted.get(text);
    if (q === undefined) {
      if (quoted.size >= MEMO_LIMIT) quoted.clear();
      quoted.set(text, (q = goString(text)));
    }
    return q;
  };
  const triple = (src: string, dst: string, conn: string, indent: string) =>
    `${indent}{\n${indent}  "src": ${quote(src)},\n${indent}  "dst": ${quote(dst)},\n${indent}  "conn": ${quote(conn)}\n${indent}}`;
  /** `[\n<items joined by ,\n>\n<indent>]`, or `empty`. */
  const list = function* (items: Iterable<Readonly<ReportLine>>, format: (l: Readonly<ReportLine>) => string, indent: string, empty: string) {
    let first = true;
    for (const l of items) {
      const full = out.add(`${first ? '[\n' : ',\n'}${format(l)}`);
      first = false;
      if (full) yield full;
    }
    out.add(first ? empty : `\n${indent}]`);
  };
  out.add('{\n  "connlist_results": ');
  yield* list(connlist, (l) => triple(l.workload, l.other, l.conn, '    '), '  ', '[]');
  // After the connlist rows, as before: their stats come first.
  const s = sectionsOf();
  out.add(',\n  "exposure_results": {\n    "egress_exposure": ');
  yield* list(s.egress.lines(), (l) => triple(l.workload, l.other, l.conn, '      '), '    ', 'null');
  out.add(',\n    "ingress_exposure": ');
  yield* list(s.ingress.lines(), (l) => triple(l.other, l.workload, l.conn, '      '), '    ', 'null');
  out.add('\n  }\n}');
  yield out.rest();
}

/** np-guard's csv: the connlist table, then a section row and one table per direction (ingress: dst first). */
function* csv(connlist: Iterable<Readonly<ReportLine>>, sectionsOf: () => Sections): Generator<string> {
  const out = new Chunker();
  const row = (a: string, b: string, c: string) => `${csvField(a)},${csvField(b)},${csvField(c)}\n`;
  const rows = function* (lines: Iterable<Readonly<ReportLine>>) {
    for (const l of lines) {
      const full = out.add(row(l.workload, l.other, l.conn));
      if (full) yield full;
    }
  };
  out.add(row('src', 'dst', 'conn'));
  yield* rows(connlist);
  const s = sectionsOf();
  out.add(row(HEADER, '', ''));
  if (s.egress.count > 0) {
    out.add(row(EGRESS_HEADER, '', '') + row('src', 'dst', 'conn'));
    yield* rows(s.egress.lines());
  }
  if (s.ingress.count > 0) {
    out.add(row(INGRESS_HEADER, '', '') + row('dst', 'src', 'conn'));
    yield* rows(s.ingress.lines());
  }
  yield out.rest();
}

/** np-guard's md: `| src | dst | conn |` tables under `##`/`###` headers, lines joined by `\n`. */
function* md(connlist: Iterable<Readonly<ReportLine>>, sectionsOf: () => Sections): Generator<string> {
  const out = new Chunker();
  const header = (a: string, b: string) => `| ${a} | ${b} | conn |\n|-----|-----|------|`;
  const rows = function* (lines: Iterable<Readonly<ReportLine>>) {
    for (const l of lines) {
      const full = out.add(`\n| ${mdCell(l.workload)} | ${mdCell(l.other)} | ${mdCell(l.conn)} |`);
      if (full) yield full;
    }
  };
  // The table's rows, `## header`, then per direction `### title\nheader\nrows\n` (or '' when empty), all joined by `\n`.
  const sub = function* (lines: DirectionLines, title: string, a: string, b: string) {
    if (lines.count === 0) return;
    out.add(`### ${title}\n${header(a, b)}`);
    yield* rows(lines.lines());
    out.add('\n');
  };
  out.add(header('src', 'dst'));
  yield* rows(connlist);
  const s = sectionsOf();
  out.add(`\n## ${HEADER}\n`);
  yield* sub(s.egress, EGRESS_HEADER, 'src', 'dst');
  out.add('\n');
  yield* sub(s.ingress, INGRESS_HEADER, 'dst', 'src');
  yield out.rest();
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) || text.startsWith(' ') ? `"${text.replace(/"/g, '""')}"` : text;
}

function mdCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
