// Report formats: json (the report as data), md, html (self-contained, printable) and csv (the evidence rows).
// Pure functions of the report: same report, same bytes (every time printed is the report's own).
import { DEFAULT_CDE_SELECTOR, parseCdeSelector } from '../intents/zones.js';
import type { ComplianceReport, ControlResult, ControlStatus, EvidenceRow } from './types.js';

export const REPORT_TEXT_FORMATS = ['json', 'md', 'html', 'csv'] as const;
export type ReportTextFormat = (typeof REPORT_TEXT_FORMATS)[number];

const STATUS_LABEL: Record<ControlStatus, string> = { pass: 'PASS', fail: 'FAIL', 'not-applicable': 'N/A', manual: 'MANUAL' };

export function formatReport(report: ComplianceReport, format: ReportTextFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'md':
      return reportMarkdown(report);
    case 'html':
      return reportHtml(report);
    case 'csv':
      return reportCsv(report);
  }
}

/** The report's `Snapshot:` line after the label (cluster, snapshot id, capture time, content hash, CNI profile), the
 *  same in md, html and pdf. */
export function snapshotLine(r: ComplianceReport): string {
  const s = r.snapshot;
  // The profile only when one was chosen (recorded): a report without one stays the bytes it always was.
  return [
    s.cluster ? `cluster ${s.cluster}` : '',
    s.id ? `snapshot ${s.id}` : '',
    // A report on bare manifests (the CLI without --captured-at) does not know when they were captured: it says so.
    s.capturedAt ? `captured ${s.capturedAt}` : s.contentSha256 ? 'capture time: not given (use --captured-at)' : '',
    s.contentSha256 ? `content SHA-256 ${s.contentSha256}` : '',
    s.cniProfile ? `CNI profile ${s.cniProfile}` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/**
 * Where a report's zones come from, in words an auditor reads without the docs, the same in md, html and pdf:
 * `intents demo (version 3)`, or for a report without intents the label selector that drew its CDE,
 * `CDE: namespaces labelled pci=cde (default convention; set --cde or intents to change)`.
 */
export function zonesOrigin(r: ComplianceReport): { readonly intents?: string; readonly cde?: string } {
  const i = r.intents;
  if (i.source === 'file') return { intents: `intents ${i.name}${i.version ? ` (version ${i.version})` : ''}` };
  // cdeIntents() names its intents `cde <selector>`; the report keeps only that name.
  const selector = i.name.replace(/^cde /, '');
  const parsed = parseCdeSelector(selector);
  if (!parsed) return { cde: `CDE: ${selector}` };
  const pods = parsed.podSelector !== undefined;
  const labels = Object.entries((pods ? parsed.podSelector : parsed.namespaceSelector)?.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  // A selector the user gave is theirs even when it is the default's.
  const isDefault = !i.selectorGiven && !pods && labels.length === 1 && labels[0] === DEFAULT_CDE_SELECTOR;
  return {
    cde: `CDE: ${pods ? 'pods' : 'namespaces'} labelled ${labels.join(' and ')} (${isDefault ? 'default convention; set --cde or intents to change' : 'chosen with --cde'})`,
  };
}

/** `cde = production/api, production/db; web = …`: each zone with its members. */
export function zonesText(r: ComplianceReport): string {
  return r.intents.zones.map((z) => `${z.name} = ${z.members.join(', ') || '(empty)'}`).join('; ');
}

function md(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function reportMarkdown(r: ComplianceReport): string {
  const out: string[] = [];
  out.push(`# ${r.framework.title} — network segmentation report`, '');
  out.push(`- Verdict: **${r.summary.verdict.toUpperCase()}** (${r.summary.pass} pass, ${r.summary.fail} fail, ${r.summary.manual} manual, ${r.summary['not-applicable']} not applicable)`);
  out.push(`- Framework: ${r.framework.id} ${r.framework.version}`);
  out.push(`- Generated: ${r.generatedAt} by engine ${r.engineVersion}`);
  if (snapshotLine(r)) out.push(`- Snapshot: ${snapshotLine(r)}`);
  const origin = zonesOrigin(r);
  if (origin.cde) out.push(`- ${origin.cde}`);
  out.push(`- Zones${origin.intents ? ` (${origin.intents})` : ''}: ${zonesText(r)}`);
  out.push('', '| control | reference | title | status | summary |', '|---|---|---|---|---|');
  for (const c of r.controls) out.push(`| ${c.id} | ${md(c.reference)} | ${md(c.title)} | **${STATUS_LABEL[c.status]}** | ${md(c.summary)} |`);
  if (r.changes) {
    out.push('', '## Changes since the previous report', '');
    out.push(`Previous report: ${r.changes.previousReportId ?? '(unnamed)'} generated ${r.changes.previousGeneratedAt}.`, '');
    out.push(r.changes.flipped.length ? r.changes.flipped.map((f) => `- ${f.control}: ${STATUS_LABEL[f.from]} → ${STATUS_LABEL[f.to]}`).join('\n') : '- no control changed status');
    for (const v of r.changes.newViolations) out.push(`- new violation (${v.control}): ${evidenceText(v)}`);
    for (const v of r.changes.resolvedViolations) out.push(`- resolved (${v.control}): ${evidenceText(v)}`);
  }
  for (const c of r.controls) {
    out.push('', `## ${c.id} ${c.title} — ${STATUS_LABEL[c.status]}`, '');
    out.push(`*${c.reference}.* ${c.requirement}`, '');
    out.push(`- Evidence needed: ${c.evidenceNeeded}`, `- How it is decided: ${c.decision}`, `- Result: ${c.summary}`);
    const counts = Object.entries(c.counts).map(([k, v]) => `${k} ${v}`).join(', ');
    if (counts) out.push(`- Counts: ${counts}`);
    for (const e of c.exceptions) out.push(`- Exception applied: ${e.path} ${e.from} → ${e.to}, owner ${e.owner}, expires ${e.expires} (${e.connections} connection(s)): ${md(e.justification)}`);
    if (c.evidence.length > 0) {
      out.push('', '| # | status | subject | peer | zones | ports | explanation |', '|---|---|---|---|---|---|---|');
      c.evidence.forEach((e, i) => out.push(`| ${i + 1} | ${e.status} | ${md(e.subject)} | ${md(e.peer ?? '')} | ${md(e.zones ?? '')} | ${md(e.ports ?? '')} | ${md(e.detail)} |`));
    }
  }
  return `${out.join('\n')}\n`;
}

function evidenceText(e: EvidenceRow): string {
  return `${e.subject}${e.peer ? ` → ${e.peer}` : ''}${e.ports ? ` ${e.ports}` : ''}: ${e.detail}`;
}

function h(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const CSS = `body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b1f24;margin:2rem auto;max-width:72rem;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.2rem}
table{border-collapse:collapse;width:100%;margin:.6rem 0}th,td{border:1px solid #d0d7de;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}.meta{color:#57606a}.status{font-weight:700;white-space:nowrap}
.pass{color:#1a7f37}.fail{color:#cf222e}.manual{color:#9a6700}.not-applicable{color:#57606a}.info{color:#57606a}
code{font-size:.92em}section{break-inside:avoid-page}
@media print{body{margin:0;max-width:none;font-size:11px}h2{break-after:avoid}tr{break-inside:avoid}a{color:inherit}}`;

export function reportHtml(r: ComplianceReport): string {
  const out: string[] = [];
  out.push('<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">');
  out.push(`<title>${h(r.framework.title)} — network segmentation report</title>`, `<style>${CSS}</style>`, '</head>', '<body>');
  out.push(`<h1>${h(r.framework.title)} — network segmentation report</h1>`);
  out.push(
    `<p class="meta">Verdict: <span class="status ${r.summary.verdict === 'pass' ? 'pass' : r.summary.verdict === 'fail' ? 'fail' : 'manual'}">${h(r.summary.verdict.toUpperCase())}</span> · ` +
      `${r.summary.pass} pass, ${r.summary.fail} fail, ${r.summary.manual} manual, ${r.summary['not-applicable']} not applicable</p>`,
  );
  out.push('<ul class="meta">');
  out.push(`<li>Framework: ${h(r.framework.id)} ${h(r.framework.version)}</li>`);
  out.push(`<li>Generated: ${h(r.generatedAt)} by engine ${h(r.engineVersion)}</li>`);
  if (snapshotLine(r)) out.push(`<li>Snapshot: ${h(snapshotLine(r))}</li>`);
  const origin = zonesOrigin(r);
  if (origin.cde) out.push(`<li>${h(origin.cde)}</li>`);
  out.push(`<li>Zones${origin.intents ? ` (${h(origin.intents)})` : ''}: ${r.intents.zones.map((z) => `<b>${h(z.name)}</b> = ${h(z.members.join(', ') || '(empty)')}`).join('; ')}</li>`);
  out.push('</ul>');
  out.push('<table><thead><tr><th>control</th><th>reference</th><th>title</th><th>status</th><th>summary</th></tr></thead><tbody>');
  for (const c of r.controls) {
    out.push(`<tr><td><a href="#c-${h(anchor(c))}">${h(c.id)}</a></td><td>${h(c.reference)}</td><td>${h(c.title)}</td><td class="status ${c.status}">${STATUS_LABEL[c.status]}</td><td>${h(c.summary)}</td></tr>`);
  }
  out.push('</tbody></table>');
  if (r.changes) {
    out.push('<section><h2>Changes since the previous report</h2>');
    out.push(`<p>Previous report: ${h(r.changes.previousReportId ?? '(unnamed)')} generated ${h(r.changes.previousGeneratedAt)}.</p><ul>`);
    if (r.changes.flipped.length === 0) out.push('<li>No control changed status.</li>');
    for (const f of r.changes.flipped) out.push(`<li>${h(f.control)}: ${STATUS_LABEL[f.from]} → ${STATUS_LABEL[f.to]}</li>`);
    for (const v of r.changes.newViolations) out.push(`<li class="fail">New violation (${h(v.control)}): ${h(evidenceText(v))}</li>`);
    for (const v of r.changes.resolvedViolations) out.push(`<li class="pass">Resolved (${h(v.control)}): ${h(evidenceText(v))}</li>`);
    out.push('</ul></section>');
  }
  for (const c of r.controls) out.push(...controlHtml(c));
  out.push('</body>', '</html>', '');
  return out.join('\n');
}

function anchor(c: ControlResult): string {
  return c.id.replace(/[^A-Za-z0-9.-]/g, '_');
}

function controlHtml(c: ControlResult): string[] {
  const out: string[] = [];
  out.push(`<section id="c-${h(anchor(c))}"><h2>${h(c.id)} ${h(c.title)} — <span class="status ${c.status}">${STATUS_LABEL[c.status]}</span></h2>`);
  out.push(`<p><i>${h(c.reference)}.</i> ${h(c.requirement)}</p>`);
  out.push('<ul>');
  out.push(`<li>Evidence needed: ${h(c.evidenceNeeded)}</li>`, `<li>How it is decided: ${h(c.decision)}</li>`, `<li>Result: ${h(c.summary)}</li>`);
  const counts = Object.entries(c.counts).map(([k, v]) => `${k} ${v}`).join(', ');
  if (counts) out.push(`<li>Counts: ${h(counts)}</li>`);
  for (const e of c.exceptions) {
    out.push(`<li>Exception applied: ${h(e.path)} ${h(e.from)} → ${h(e.to)}, owner ${h(e.owner)}, expires ${h(e.expires)} (${e.connections} connection(s)): ${h(e.justification)}</li>`);
  }
  out.push('</ul>');
  if (c.evidence.length > 0) {
    out.push('<table><thead><tr><th>#</th><th>status</th><th>subject</th><th>peer</th><th>zones</th><th>ports</th><th>explanation</th></tr></thead><tbody>');
    c.evidence.forEach((e, i) => {
      out.push(
        `<tr><td>${i + 1}</td><td class="status ${e.status}">${h(e.status)}</td><td>${h(e.subject)}</td><td>${h(e.peer ?? '')}</td><td>${h(e.zones ?? '')}</td><td>${h(e.ports ?? '')}</td><td>${h(e.detail)}</td></tr>`,
      );
    });
    out.push('</tbody></table>');
  }
  out.push('</section>');
  return out;
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 (CRLF line ends): one line per evidence row, with its control's status. */
export function reportCsv(r: ComplianceReport): string {
  const lines = [['framework', 'control', 'control_status', 'row', 'kind', 'status', 'subject', 'peer', 'zones', 'ports', 'detail'].join(',')];
  for (const c of r.controls) {
    c.evidence.forEach((e, i) => {
      lines.push([r.framework.id, c.id, c.status, String(i + 1), e.kind, e.status, e.subject, e.peer ?? '', e.zones ?? '', e.ports ?? '', e.detail].map(csvField).join(','));
    });
  }
  return `${lines.join('\r\n')}\r\n`;
}
