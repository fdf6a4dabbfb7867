// Reports of the CI gate: a terse text summary, and a Markdown summary ready to post as a PR comment
// (verdict, counts, the top changes with their causes, the object changes).
import type { CheckResult } from './check.js';
import { connString } from '../output/conn-string.js';
import { causeTexts, objectChangeLines } from './format-explained.js';
import type { ObjectChange } from './object-diff.js';
import { peerName } from './peers.js';
import type { ConnectivityDiff, PairChange } from './types.js';

export interface CheckReportInput {
  readonly diff: ConnectivityDiff;
  readonly changes: readonly ObjectChange[];
  readonly check: CheckResult;
  /** Rows of the "top changes" table (default 25); forbidden changes come first. */
  readonly topLimit?: number;
}

function verdictText(check: CheckResult): string {
  const n = check.forbidden.length;
  return check.passed
    ? `PASS: no forbidden connectivity change (fail-on: ${check.failOn})`
    : `FAIL: ${n} forbidden connectivity change${n === 1 ? '' : 's'} (fail-on: ${check.failOn})`;
}

function countsText(diff: ConnectivityDiff): string {
  const c = diff.counts;
  return `pairs added: ${c.added}, removed: ${c.removed}, changed: ${c.changed}; workloads added: ${c.workloadsAdded}, removed: ${c.workloadsRemoved}`;
}

function topChanges(input: CheckReportInput): PairChange[] {
  const forbidden = new Set(input.check.forbidden);
  const ordered = [...input.check.forbidden, ...input.diff.pairs.filter((p) => !forbidden.has(p))];
  return ordered.slice(0, input.topLimit ?? 25);
}

export function formatCheckTxt(input: CheckReportInput): string {
  const lines = [verdictText(input.check), countsText(input.diff)];
  const forbidden = new Set(input.check.forbidden);
  for (const p of input.diff.pairs) {
    const mark = forbidden.has(p) ? '!' : ' ';
    lines.push(`${mark} ${p.type}: ${peerName(p.src)} => ${peerName(p.dst)}: ${connString(p.old, input.diff.showsIcmp)} -> ${connString(p.new, input.diff.showsIcmp)}`);
    for (const t of causeTexts(p)) lines.push(`      caused by: ${t}`);
  }
  return lines.map((l) => l + '\n').join('');
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const code = (text: string) => '`' + text.replaceAll('`', "'") + '`';

export function formatCheckMd(input: CheckReportInput): string {
  const { diff, check } = input;
  const c = diff.counts;
  const out = [
    `### Netpol Atlas connectivity check: ${check.passed ? 'PASS' : 'FAIL'}`,
    '',
    check.passed
      ? `No forbidden connectivity change (\`--fail-on ${check.failOn}\`).`
      : `**${check.forbidden.length} forbidden connectivity change${check.forbidden.length === 1 ? '' : 's'}** (\`--fail-on ${check.failOn}\`).`,
    '',
    '| pairs added | pairs removed | pairs changed | workloads added | workloads removed |',
    '|---:|---:|---:|---:|---:|',
    `| ${c.added} | ${c.removed} | ${c.changed} | ${c.workloadsAdded} | ${c.workloadsRemoved} |`,
  ];
  const top = topChanges(input);
  if (top.length > 0) {
    const forbidden = new Set(check.forbidden);
    out.push('', `#### Top changes (${top.length} of ${diff.pairs.length})`, '');
    out.push('| | change | source | destination | before | after | caused by |', '|---|---|---|---|---|---|---|');
    for (const p of top) {
      out.push(
        `| ${forbidden.has(p) ? 'forbidden' : ''} | ${p.type} | ${code(peerName(p.src))} | ${code(peerName(p.dst))} | ` +
          `${connString(p.old, diff.showsIcmp)} | ${connString(p.new, diff.showsIcmp)} | ${cell(causeTexts(p).join('<br>'))} |`,
      );
    }
  }
  const changeLines = objectChangeLines(input.changes);
  if (changeLines.length > 0) {
    out.push('', '#### Object changes', '', ...changeLines.map((l) => `- ${cell(l)}`));
  }
  return out.join('\n') + '\n';
}
