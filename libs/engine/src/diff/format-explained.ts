// Reports of an explained diff (--explain): every np-guard line followed by the changes that caused it,
// then the object changes. The np-guard line text is unchanged, so tools that grep those lines still work.
import { connString } from '../output/conn-string.js';
import { type DiffFormat, type DiffFormatOptions, diffToJson, workloadsDiffInfo } from './format.js';
import type { ObjectChange } from './object-diff.js';
import { peerName } from './peers.js';
import type { ConnectivityDiff, PairChange } from './types.js';

export interface ExplainedDiffInput {
  readonly diff: ConnectivityDiff;
  readonly changes: readonly ObjectChange[];
  readonly unchecked?: readonly string[];
}

function npGuardLine(c: PairChange, [l1, l2]: readonly [string, string], icmp: boolean | undefined): string {
  const info = workloadsDiffInfo(c);
  const base =
    `diff-type: ${c.type}, source: ${peerName(c.src)}, destination: ${peerName(c.dst)}, ` +
    `${l1}: ${connString(c.old, icmp)}, ${l2}: ${connString(c.new, icmp)}`;
  return info ? `${base}, workloads-diff-info: ${info}` : base;
}

/** One line per cause; pairs no single change explains say so. */
export function causeTexts(c: PairChange): string[] {
  if (!c.causes) return [];
  if (c.causes.length > 0) return c.causes.map((cause) => cause.summary);
  if (c.jointCauses && c.jointCauses.length > 0) {
    return [`only jointly: ${c.jointCauses.map((cause) => cause.summary).join('; and ')}`];
  }
  return ['no single object change explains it alone'];
}

export function objectChangeLines(changes: readonly ObjectChange[]): string[] {
  return changes.flatMap((c) => (c.change === 'modified' ? c.fields.map((f) => f.summary) : [c.summary]));
}

function mdCell(text: string): string {
  return text.replaceAll('|', '\\|');
}

export function formatExplainedDiff(
  input: ExplainedDiffInput,
  format: DiffFormat,
  options: DiffFormatOptions = {},
): string {
  const labels = options.labels ?? (['ref1', 'ref2'] as const);
  const { diff, changes } = input;
  const changeLines = objectChangeLines(changes);
  const unchecked = input.unchecked ?? [];
  switch (format) {
    case 'json':
      return JSON.stringify(diffToJson(diff, { changes, unchecked }), null, 2);
    case 'txt': {
      const out: string[] = [diff.pairs.length > 0 ? 'Connectivity diff:' : 'Connectivity diff: no changes'];
      for (const c of diff.pairs) {
        out.push(npGuardLine(c, labels, diff.showsIcmp));
        for (const t of causeTexts(c)) out.push(`    caused by: ${t}`);
      }
      out.push('', changeLines.length > 0 ? 'Object changes:' : 'Object changes: none');
      for (const line of changeLines) out.push(`    ${line}`);
      if (unchecked.length > 0) out.push('', `Not checked as causes (limit reached): ${unchecked.join(', ')}`);
      return out.map((l) => l + '\n').join('');
    }
    case 'csv': {
      const field = (s: string) => (/[,"\r\n]/.test(s) || /^\s/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
      const rows = [['diff-type', 'source', 'destination', labels[0], labels[1], 'workloads-diff-info', 'causes']];
      for (const c of diff.pairs) {
        rows.push([c.type, peerName(c.src), peerName(c.dst), connString(c.old, diff.showsIcmp), connString(c.new, diff.showsIcmp), workloadsDiffInfo(c), causeTexts(c).join('; ')]);
      }
      return rows.map((r) => r.map(field).join(',') + '\n').join('');
    }
    case 'md': {
      const lines = [
        `| diff-type | source | destination | ${labels[0]} | ${labels[1]} | workloads-diff-info | causes |`,
        '|-----------|--------|-------------|------|------|---------------------|--------|',
        ...diff.pairs.map(
          (c) =>
            `| ${c.type} | ${peerName(c.src)} | ${peerName(c.dst)} | ${connString(c.old, diff.showsIcmp)} | ${connString(c.new, diff.showsIcmp)} | ${workloadsDiffInfo(c)} | ${mdCell(causeTexts(c).join('<br>'))} |`,
        ),
      ];
      if (changeLines.length > 0) lines.push('', '**Object changes**', '', ...changeLines.map((l) => `- ${mdCell(l)}`));
      return lines.join('\n') + '\n';
    }
  }
}
