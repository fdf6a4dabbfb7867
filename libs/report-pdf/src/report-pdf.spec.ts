// The PDF is byte-deterministic: the same report gives the same bytes whatever the clock says (pdfkit would
// otherwise stamp the current time and derive the document ID from it), and its dates are the report's.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import { analyze, buildReport, buildSnapshot, cdeIntents, formatReport, parseManifests, type ComplianceReport, type SegmentationIntents } from '@netpol-atlas/engine';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { reportPdf } from './index.js';

const DEMO = path.resolve(import.meta.dirname, '../../../apps/api/data/demo');

/** The text lines the PDF draws: pdfkit writes each line as one `[<hex> kerning <hex> …] TJ` in a deflated stream. */
function pdfTextLines(pdf: Uint8Array): string[] {
  const bytes = Buffer.from(pdf);
  const raw = bytes.toString('latin1');
  const lines: string[] = [];
  for (const start of raw.matchAll(/stream\r?\n/g)) {
    const from = start.index + start[0].length;
    let content: string;
    try {
      content = inflateSync(bytes.subarray(from, raw.indexOf('endstream', from))).toString('latin1');
    } catch {
      continue; // not a deflated stream
    }
    for (const tj of content.matchAll(/\[([^\]]*)\] TJ/g)) lines.push([...tj[1].matchAll(/<([0-9a-f]*)>/g)].map((hex) => Buffer.from(hex[1], 'hex').toString('latin1')).join(''));
  }
  return lines;
}

function demoReport(generatedAt: string): ComplianceReport {
  const documents = readdirSync(DEMO)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => ({ path: f, text: readFileSync(path.join(DEMO, f), 'utf8') }));
  const parsed = parseManifests(documents);
  const { snapshot } = buildSnapshot(parsed.objects);
  return buildReport({
    snapshot,
    analysis: analyze(snapshot),
    objects: parsed.objects,
    framework: 'pci-dss-4.0',
    intents: cdeIntents() as SegmentationIntents,
    declared: false,
    generatedAt,
    engineVersion: '2',
  });
}

describe('reportPdf', () => {
  afterEach(() => vi.useRealTimers());

  it('gives the same bytes for the same report at any wall-clock time, dated by the report', async () => {
    const report = demoReport('2026-12-01T00:00:00.000Z');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-05-05T05:05:05Z'));
    const first = Buffer.from(await reportPdf(report));
    vi.setSystemTime(new Date('2031-06-06T06:06:06Z'));
    const second = Buffer.from(await reportPdf(report));
    expect(first.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(first.equals(second)).toBe(true);
    const text = first.toString('latin1');
    expect(text).toMatch(/\/CreationDate \d+ 0 R/);
    expect(text).toContain('(D:20261201000000Z)');
    expect(text).not.toContain('/ModDate');
    expect(text).not.toContain('2030');
    expect(text).not.toContain('2031');
  });

  it('says where the zones come from as the md report does: the CDE selector in plain words, or the intents with their version', async () => {
    const convention = demoReport('2026-12-01T00:00:00.000Z');
    const lines = pdfTextLines(await reportPdf(convention));
    const cde = lines.indexOf('CDE: namespaces labelled pci=cde (default convention; set --cde or intents to change)');
    expect(cde).toBeGreaterThan(0);
    expect(lines[cde + 1]).toMatch(/^Zones: cde = production\//);
    expect(lines.join('\n')).not.toContain('CDE convention');

    const withIntents = { ...convention, intents: { ...convention.intents, name: 'demo-pci', source: 'file' as const, version: '7' } };
    const intentsLines = pdfTextLines(await reportPdf(withIntents));
    expect(intentsLines.find((line) => line.startsWith('Zones'))).toMatch(/^Zones \(intents demo-pci \(version 7\)\): cde = production\//);
    expect(intentsLines.some((line) => line.startsWith('CDE:'))).toBe(false);
  });

  it('prints the Snapshot line of the md report: the capture time, or that it was not given', async () => {
    const convention = demoReport('2026-12-01T00:00:00.000Z');
    const snapshotLine = async (snapshot: ComplianceReport['snapshot']) => {
      const report = { ...convention, snapshot };
      const md = formatReport(report, 'md').split('\n').find((line) => line.startsWith('- Snapshot: '))!;
      // pdfkit wraps a long line at a space (kept at the end of the line): the drawn lines from `Snapshot:` to the
      // next field, joined again.
      const lines = pdfTextLines(await reportPdf(report));
      const from = lines.findIndex((line) => line.startsWith('Snapshot: '));
      const to = lines.findIndex((line, i) => i > from && /^(CDE|Zones)\b/.test(line));
      return { md: md.slice(2), pdf: lines.slice(from, to).map((line) => line.trimEnd()).join(' ') };
    };
    const sha = 'a'.repeat(64);
    const captured = await snapshotLine({ cluster: 'demo', capturedAt: '2026-11-30T08:15:00.000Z', contentSha256: sha });
    expect(captured.md).toBe(`Snapshot: cluster demo, captured 2026-11-30T08:15:00.000Z, content SHA-256 ${sha}`);
    expect(captured.pdf).toBe(captured.md);
    const notGiven = await snapshotLine({ cluster: 'demo', contentSha256: sha });
    expect(notGiven.md).toContain('capture time: not given (use --captured-at)');
    expect(notGiven.pdf).toBe(notGiven.md);
  });

  it('a report generated at another time is another document (the ID follows the report, not the clock)', async () => {
    const a = Buffer.from(await reportPdf(demoReport('2026-12-01T00:00:00.000Z'))).toString('latin1');
    const b = Buffer.from(await reportPdf(demoReport('2026-12-02T00:00:00.000Z'))).toString('latin1');
    const id = (pdf: string) => /\/ID \[<([0-9a-f]+)>/.exec(pdf)?.[1];
    expect(id(a)).toMatch(/^[0-9a-f]{32}$/);
    expect(id(a)).not.toBe(id(b));
  });
});
