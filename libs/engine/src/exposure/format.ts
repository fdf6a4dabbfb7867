// np-guard's `list --exposure` report: the plain connlist followed by the exposure section (FORMAT.md 10).
// txt and json are byte-exact np-guard (IPv6 left out, as np-guard does); csv and md follow np-guard's
// layout and include IPv6.
import type { ConnectivityRow } from '../analysis/connectivity.js';
import { connString } from '../output/conn-string.js';
import { connlistChunks, goString, isIpv6Row, type ConnlistStats } from '../output/connlist.js';
import type { ExposureLine, ExposureResult } from './types.js';

export type ExposureFormat = 'txt' | 'json' | 'csv' | 'md';
export const EXPOSURE_FORMATS: readonly ExposureFormat[] = ['txt', 'json', 'csv', 'md'];

const HEADER = 'Exposure Analysis Result:';
const EGRESS_HEADER = 'Egress Exposure:';
const INGRESS_HEADER = 'Ingress Exposure:';
const UNPROTECTED_HEADER = 'Workloads not protected by network policies:';

/** One exposure line: the workload, the other end, the connection text. */
interface ReportLine {
  readonly workload: string;
  readonly other: string;
  readonly conn: string;
}

interface Sections {
  readonly egress: readonly ReportLine[];
  readonly ingress: readonly ReportLine[];
  readonly unprotected: readonly string[];
  /** Longest workload name with a line (txt pads to it). */
  readonly width: number;
}

function sections(result: ExposureResult, npGuard: boolean, stats?: ConnlistStats): Sections {
  const egress: ReportLine[] = [];
  const ingress: ReportLine[] = [];
  const unprotected: string[] = [];
  let width = 0;
  const keep = (l: ExposureLine) => {
    const dropped = npGuard && l.target.type === 'ip' && l.target.family === 6;
    if (dropped && stats) stats.ipv6RowsOmitted++;
    return !dropped;
  };
  for (const w of result.workloads) {
    for (const l of w.egress.lines.filter(keep)) egress.push({ workload: w.workload, other: l.target.name, conn: l.connection.text });
    for (const l of w.ingress.lines.filter(keep)) ingress.push({ workload: w.workload, other: l.target.name, conn: l.connection.text });
    if (!w.egress.protected) unprotected.push(`${w.workload} is not protected on Egress`);
    if (!w.ingress.protected) unprotected.push(`${w.workload} is not protected on Ingress`);
    width = Math.max(width, w.workload.length);
  }
  const byWorkloadThenOther = (a: ReportLine, b: ReportLine) => compare(a.workload, b.workload) || compare(a.other, b.other);
  egress.sort(byWorkloadThenOther);
  ingress.sort(byWorkloadThenOther);
  unprotected.sort(compare);
  return { egress, ingress, unprotected, width };
}

/** The report as chunks: connlist rows stream first (txt), the exposure section follows. */
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
      yield txtExposure(sections(result, npGuard, stats));
      return;
    }
    case 'json':
      yield json(keptRows(rows, npGuard, stats, result.showsIcmp), sections(result, npGuard, stats));
      return;
    case 'csv':
      yield csv(keptRows(rows, npGuard, stats, result.showsIcmp), sections(result, npGuard, stats));
      return;
    case 'md':
      yield md(keptRows(rows, npGuard, stats, result.showsIcmp), sections(result, npGuard, stats));
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

function keptRows(rows: Iterable<ConnectivityRow>, npGuard: boolean, stats: ConnlistStats, icmp: boolean | undefined): ReportLine[] {
  const out: ReportLine[] = [];
  for (const row of rows) {
    if (npGuard && isIpv6Row(row)) {
      stats.ipv6RowsOmitted++;
      continue;
    }
    stats.rows++;
    out.push({ workload: row.src.name, other: row.dst.name, conn: connString(row.conn, icmp) });
  }
  return out;
}

/** Go's `%-<width>s \t<arrow> \t<other> : <conn>`. */
function txtExposure(s: Sections): string {
  const lineText = (l: ReportLine, arrow: string) => `${l.workload.padEnd(s.width)} \t${arrow} \t${l.other} : ${l.conn}`;
  let out = `${HEADER}\n`;
  if (s.egress.length > 0) out += `${EGRESS_HEADER}\n${s.egress.map((l) => lineText(l, '=>')).join('\n')}\n`;
  if (s.ingress.length > 0) {
    out += `${s.egress.length > 0 ? '\n' : ''}${INGRESS_HEADER}\n${s.ingress.map((l) => lineText(l, '<=')).join('\n')}\n`;
  }
  if (s.unprotected.length > 0) out += `\n${UNPROTECTED_HEADER}\n${s.unprotected.join('\n')}\n`;
  return out;
}

/** Go's `json.MarshalIndent(v, "", "  ")`; an empty connlist is `[]`, an empty exposure list `null`. */
function json(connlist: readonly ReportLine[], s: Sections): string {
  const triple = (src: string, dst: string, conn: string, indent: string) =>
    `${indent}{\n${indent}  "src": ${goString(src)},\n${indent}  "dst": ${goString(dst)},\n${indent}  "conn": ${goString(conn)}\n${indent}}`;
  const list = (items: string[], indent: string, empty: string) =>
    items.length === 0 ? empty : `[\n${items.join(',\n')}\n${indent}]`;
  const connItems = connlist.map((l) => triple(l.workload, l.other, l.conn, '    '));
  const egressItems = s.egress.map((l) => triple(l.workload, l.other, l.conn, '      '));
  const ingressItems = s.ingress.map((l) => triple(l.other, l.workload, l.conn, '      '));
  return (
    `{\n  "connlist_results": ${list(connItems, '  ', '[]')},\n` +
    `  "exposure_results": {\n` +
    `    "egress_exposure": ${list(egressItems, '    ', 'null')},\n` +
    `    "ingress_exposure": ${list(ingressItems, '    ', 'null')}\n` +
    `  }\n}`
  );
}

/** np-guard's csv: the connlist table, then a section row and one table per direction (ingress: dst first). */
function csv(connlist: readonly ReportLine[], s: Sections): string {
  const row = (cells: string[]) => `${cells.map(csvField).join(',')}\n`;
  let out = row(['src', 'dst', 'conn']) + connlist.map((l) => row([l.workload, l.other, l.conn])).join('');
  out += row([HEADER, '', '']);
  if (s.egress.length > 0) {
    out += row([EGRESS_HEADER, '', '']) + row(['src', 'dst', 'conn']) + s.egress.map((l) => row([l.workload, l.other, l.conn])).join('');
  }
  if (s.ingress.length > 0) {
    out += row([INGRESS_HEADER, '', '']) + row(['dst', 'src', 'conn']) + s.ingress.map((l) => row([l.workload, l.other, l.conn])).join('');
  }
  return out;
}

/** np-guard's md: `| src | dst | conn |` tables under `##`/`###` headers, lines joined by `\n`. */
function md(connlist: readonly ReportLine[], s: Sections): string {
  const header = (a: string, b: string) => `| ${a} | ${b} | conn |\n|-----|-----|------|`;
  const mdRow = (l: ReportLine) => `| ${mdCell(l.workload)} | ${mdCell(l.other)} | ${mdCell(l.conn)} |`;
  const sub = (lines: readonly ReportLine[], title: string, a: string, b: string) =>
    lines.length === 0 ? '' : `### ${title}\n${header(a, b)}\n${lines.map(mdRow).join('\n')}\n`;
  const all = [header('src', 'dst'), ...connlist.map(mdRow), `## ${HEADER}`];
  all.push(sub(s.egress, EGRESS_HEADER, 'src', 'dst'), sub(s.ingress, INGRESS_HEADER, 'dst', 'src'));
  return all.join('\n');
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
