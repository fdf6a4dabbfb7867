// Diff reports: np-guard's txt / csv / md (FORMAT.md 9.2, 9.4, byte for byte) and a structured JSON form.
import { type ConnectionSet, ICMP_FAMILIES, type IcmpFamily, type Protocol, icmpText } from '../algebra/connection-set.js';
import { connString } from '../output/conn-string.js';
import { ipRangeName } from './ip-range.js';
import { peerName } from './peers.js';
import type { ConnectivityDiff, PairChange } from './types.js';

export type DiffFormat = 'txt' | 'json' | 'csv' | 'md';
export const DIFF_FORMATS: readonly DiffFormat[] = ['txt', 'json', 'csv', 'md'];

export interface DiffFormatOptions {
  /** Column labels of the old and new side; np-guard's library default is `ref1`/`ref2`. */
  readonly labels?: readonly [string, string];
}

const DEFAULT_LABELS: readonly [string, string] = ['ref1', 'ref2'];

interface NpGuardRow {
  readonly type: string;
  readonly src: string;
  readonly dst: string;
  readonly old: string;
  readonly new: string;
  readonly info: string;
}

/** np-guard's `workloads-diff-info` value, or '' (only on added/removed lines with a one-sided workload). */
export function workloadsDiffInfo(change: PairChange): string {
  const names = change.workloadsOnlyInOneSide;
  if (names.length === 0 || change.type === 'changed') return '';
  return `workload ${names.join(' and ')} ${change.type}`;
}

function npGuardRows(diff: ConnectivityDiff): NpGuardRow[] {
  // np-guard's connlist has no IPv6 ranges, so its diff formats cannot show them either
  const isV6 = (c: PairChange) =>
    (c.src.kind === 'ip' && c.src.range.family === 6) || (c.dst.kind === 'ip' && c.dst.range.family === 6);
  return diff.pairs
    .filter((c) => !isV6(c))
    .map((c) => ({
      type: c.type,
      src: peerName(c.src),
      dst: peerName(c.dst),
      old: connString(c.old, diff.showsIcmp),
      new: connString(c.new, diff.showsIcmp),
      info: workloadsDiffInfo(c),
    }));
}

function formatTxt(rows: readonly NpGuardRow[], [l1, l2]: readonly [string, string]): string {
  if (rows.length === 0) return '';
  const lines = rows.map((r) => {
    const base = `diff-type: ${r.type}, source: ${r.src}, destination: ${r.dst}, ${l1}: ${r.old}, ${l2}: ${r.new}`;
    return r.info ? `${base}, workloads-diff-info: ${r.info}` : base;
  });
  return 'Connectivity diff:\n' + lines.map((l) => l + '\n').join('');
}

/** Quoting as Go's encoding/csv writer does it. */
function csvField(field: string): string {
  const needsQuotes =
    field !== '' && (field === '\\.' || /[,"\r\n]/.test(field) || /^\s/u.test(field));
  return needsQuotes ? '"' + field.replaceAll('"', '""') + '"' : field;
}

function formatCsv(rows: readonly NpGuardRow[], [l1, l2]: readonly [string, string]): string {
  if (rows.length === 0) return '';
  const header = ['diff-type', 'source', 'destination', l1, l2, 'workloads-diff-info'];
  const body = rows.map((r) => [r.type, r.src, r.dst, r.old, r.new, r.info]);
  return [header, ...body].map((cells) => cells.map(csvField).join(',') + '\n').join('');
}

function formatMd(rows: readonly NpGuardRow[], [l1, l2]: readonly [string, string]): string {
  if (rows.length === 0) return '';
  const lines = [
    `| diff-type | source | destination | ${l1} | ${l2} | workloads-diff-info |`,
    '|-----------|--------|-------------|------|------|---------------------|',
    ...rows.map((r) => `| ${r.type} | ${r.src} | ${r.dst} | ${r.old} | ${r.new} | ${r.info} |`),
  ];
  return lines.join('\n');
}

export interface PortRangeJson {
  readonly protocol: Protocol;
  readonly from: number;
  readonly to: number;
}

/** ICMP has no ports: its messages as text, e.g. `ICMP type 8` or `ICMPv6` (every message). */
export interface IcmpJson {
  readonly protocol: IcmpFamily;
  readonly messages: string;
}

// np-guard's text order (SCTP, TCP, UDP), which this JSON has always used; ICMP after the port protocols.
const JSON_PROTOCOLS: readonly Protocol[] = ['SCTP', 'TCP', 'UDP'];

export function connToJson(c: ConnectionSet): (PortRangeJson | IcmpJson)[] {
  const ports = JSON_PROTOCOLS.flatMap((protocol) => c.ports(protocol).ranges().map((r) => ({ protocol, from: r.from, to: r.to })));
  const icmp = ICMP_FAMILIES.filter((f) => !c.ports(f).isEmpty).map((f) => ({ protocol: f, messages: icmpText(f, c.ports(f)) }));
  return [...ports, ...icmp];
}

/** The structured form: the same pairs with port sets, plus workloads, IP re-cuts and causes when present. */
export function diffToJson(diff: ConnectivityDiff, extra: Record<string, unknown> = {}): unknown {
  return {
    counts: diff.counts,
    pairs: diff.pairs.map((c) => ({
      type: c.type,
      source: peerName(c.src),
      destination: peerName(c.dst),
      old: connString(c.old, diff.showsIcmp),
      new: connString(c.new, diff.showsIcmp),
      gained: connToJson(c.gained),
      lost: connToJson(c.lost),
      ...(c.workloadsOnlyInOneSide.length > 0 ? { workloadsDiffInfo: workloadsDiffInfo(c) } : {}),
      ...(c.causes ? { causes: c.causes } : {}),
      ...(c.jointCauses ? { jointCauses: c.jointCauses } : {}),
    })),
    workloads: {
      added: diff.workloads.added.map((w) => w.key),
      removed: diff.workloads.removed.map((w) => w.key),
    },
    ipRanges: {
      sources: {
        onlyOld: diff.ipRanges.sources.onlyOld.map(ipRangeName),
        onlyNew: diff.ipRanges.sources.onlyNew.map(ipRangeName),
      },
      destinations: {
        onlyOld: diff.ipRanges.destinations.onlyOld.map(ipRangeName),
        onlyNew: diff.ipRanges.destinations.onlyNew.map(ipRangeName),
      },
    },
    ...extra,
  };
}

/** Renders a diff. txt/csv/md follow np-guard exactly (empty diff: zero bytes); json has no final newline. */
export function formatDiff(diff: ConnectivityDiff, format: DiffFormat, options: DiffFormatOptions = {}): string {
  const labels = options.labels ?? DEFAULT_LABELS;
  switch (format) {
    case 'txt':
      return formatTxt(npGuardRows(diff), labels);
    case 'csv':
      return formatCsv(npGuardRows(diff), labels);
    case 'md':
      return formatMd(npGuardRows(diff), labels);
    case 'json':
      return JSON.stringify(diffToJson(diff), null, 2);
  }
}
