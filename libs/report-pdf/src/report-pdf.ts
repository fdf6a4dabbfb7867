// The compliance report as PDF, made with pdfkit (pure JS, no browser). Byte-deterministic: CreationDate is
// the report's generation time (pdfkit derives the document ID from the info dictionary), no ModDate, the
// standard Helvetica fonts (nothing embedded), and the same drawing calls for the same report.
import PDFDocument from 'pdfkit';
import { snapshotLine, zonesOrigin, zonesText, type ComplianceReport, type ControlStatus } from '@netpol-atlas/engine';

const STATUS_LABEL: Record<ControlStatus, string> = { pass: 'PASS', fail: 'FAIL', 'not-applicable': 'N/A', manual: 'MANUAL' };
const STATUS_COLOUR: Record<ControlStatus, string> = { pass: '#1a7f37', fail: '#cf222e', 'not-applicable': '#57606a', manual: '#9a6700' };

export function reportPdf(report: ComplianceReport): Promise<Uint8Array> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    compress: true,
    info: {
      Title: `${report.framework.title} network segmentation report`,
      Author: 'Netpol Atlas',
      Subject: `${report.framework.id} ${report.framework.version}`,
      Creator: 'Netpol Atlas',
      Producer: 'Netpol Atlas (PDFKit)',
      CreationDate: new Date(report.generatedAt),
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
  });

  doc.font('Helvetica-Bold').fontSize(18).text(`${report.framework.title} — network segmentation report`);
  doc.moveDown(0.5);
  const s = report.summary;
  doc.font('Helvetica').fontSize(10).fillColor('#1b1f24');
  doc.text(`Verdict: ${s.verdict.toUpperCase()} (${s.pass} pass, ${s.fail} fail, ${s.manual} manual, ${s['not-applicable']} not applicable)`);
  doc.text(`Framework: ${report.framework.id} ${report.framework.version}`);
  doc.text(`Generated: ${report.generatedAt} by engine ${report.engineVersion}`);
  // The md and html reports' line (the capture time, or that it was not given, among them), from the same engine function.
  const snapText = snapshotLine(report);
  if (snapText) doc.text(`Snapshot: ${snapText}`);
  // The md and html reports' words (the intents' version among them), from the same engine function.
  const origin = zonesOrigin(report);
  if (origin.cde) doc.text(origin.cde);
  doc.text(`Zones${origin.intents ? ` (${origin.intents})` : ''}: ${zonesText(report)}`);
  doc.moveDown();

  for (const c of report.controls) {
    doc.font('Helvetica-Bold').fontSize(10).fillColor(STATUS_COLOUR[c.status]).text(`${STATUS_LABEL[c.status].padEnd(7)} `, { continued: true });
    doc.fillColor('#1b1f24').text(`${c.id} ${c.title}`);
    doc.font('Helvetica').fontSize(9).text(c.summary, { indent: 20 });
  }
  if (report.changes) {
    doc.moveDown().font('Helvetica-Bold').fontSize(12).text('Changes since the previous report');
    doc.font('Helvetica').fontSize(9);
    if (report.changes.flipped.length === 0) doc.text('No control changed status.');
    for (const f of report.changes.flipped) doc.text(`${f.control}: ${STATUS_LABEL[f.from]} -> ${STATUS_LABEL[f.to]}`);
    for (const v of report.changes.newViolations) doc.text(`New violation (${v.control}): ${v.subject}${v.peer ? ` -> ${v.peer}` : ''} ${v.ports ?? ''}`);
  }

  for (const c of report.controls) {
    doc.addPage();
    doc.font('Helvetica-Bold').fontSize(13).fillColor('#1b1f24').text(`${c.id} ${c.title} — `, { continued: true });
    doc.fillColor(STATUS_COLOUR[c.status]).text(STATUS_LABEL[c.status]);
    doc.fillColor('#1b1f24').font('Helvetica-Oblique').fontSize(9).text(`${c.reference}. ${c.requirement}`);
    doc.moveDown(0.5).font('Helvetica').fontSize(9);
    doc.text(`Evidence needed: ${c.evidenceNeeded}`);
    doc.text(`How it is decided: ${c.decision}`);
    doc.text(`Result: ${c.summary}`);
    const counts = Object.entries(c.counts).map(([k, v]) => `${k} ${v}`).join(', ');
    if (counts) doc.text(`Counts: ${counts}`);
    for (const e of c.exceptions) doc.text(`Exception applied: ${e.path} ${e.from} -> ${e.to}, owner ${e.owner}, expires ${e.expires}: ${e.justification}`);
    if (c.evidence.length > 0) doc.moveDown(0.5).font('Helvetica-Bold').text(`Evidence (${c.evidence.length} rows)`);
    c.evidence.forEach((e, i) => {
      doc.font('Helvetica-Bold').fontSize(8).text(`${i + 1}. [${e.status}] ${e.subject}${e.peer ? ` -> ${e.peer}` : ''}${e.ports ? `  ${e.ports}` : ''}${e.zones ? `  (${e.zones})` : ''}`);
      doc.font('Helvetica').text(e.detail, { indent: 12 });
    });
  }
  doc.end();
  return done;
}
