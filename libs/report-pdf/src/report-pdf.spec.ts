// The PDF is byte-deterministic: the same report gives the same bytes whatever the clock says (pdfkit would
// otherwise stamp the current time and derive the document ID from it), and its dates are the report's.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { analyze, buildReport, buildSnapshot, cdeIntents, parseManifests, type ComplianceReport, type SegmentationIntents } from '@netpol-atlas/engine';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { reportPdf } from './index.js';

const DEMO = path.resolve(import.meta.dirname, '../../../apps/api/data/demo');

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

  it('a report generated at another time is another document (the ID follows the report, not the clock)', async () => {
    const a = Buffer.from(await reportPdf(demoReport('2026-12-01T00:00:00.000Z'))).toString('latin1');
    const b = Buffer.from(await reportPdf(demoReport('2026-12-02T00:00:00.000Z'))).toString('latin1');
    const id = (pdf: string) => /\/ID \[<([0-9a-f]+)>/.exec(pdf)?.[1];
    expect(id(a)).toMatch(/^[0-9a-f]{32}$/);
    expect(id(a)).not.toBe(id(b));
  });
});
