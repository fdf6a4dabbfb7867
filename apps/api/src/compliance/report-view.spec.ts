// A report's view is the same whether made from the report as built (the model thread, at generation) or from its
// stored canonical JSON (a report stored before views, read back): the JCS sorts object keys, so the view must not
// depend on the order the engine wrote them in.
import { canonicalJson, type ComplianceReport } from '@netpol-atlas/engine';
import { describe, expect, it } from 'vitest';
import { reportRows, reportViewOf } from './report-view.js';

const control = (id: string, counts: Record<string, number>, evidence: number) => ({
  id,
  reference: `Req. ${id}`,
  title: 't',
  requirement: 'r',
  evidenceNeeded: 'e',
  decision: 'd',
  checks: [],
  scope: 'cde',
  status: 'fail',
  summary: 's',
  counts,
  evidence: Array.from({ length: evidence }, (_, i) => ({ control: id, kind: 'connection', status: i % 2 ? 'pass' : 'fail', subject: `w${i}`, detail: `row ${i}`, ...(i % 3 ? { ports: 'TCP 443' } : {}) })),
  exceptions: [],
});

// Keys in the engine's order, not sorted: `namespaces` before `missing`, `connections` before `conforming`.
const built = {
  summary: { verdict: 'fail', pass: 1, fail: 2, manual: 0, 'not-applicable': 0, controls: 3 },
  snapshot: { cluster: 'c' },
  controls: [control('1.2.1', { namespaces: 4, missing: 1 }, 5), control('1.3.1', { connections: 9, conforming: 7, violations: 2 }, 0)],
  changes: { previousReportId: 'p', flipped: [{ control: '1.2.1', from: 'pass', to: 'fail' }], newViolations: [], resolvedViolations: [] },
} as unknown as ComplianceReport;

describe('reportViewOf', () => {
  it('gives the same view from the built report and from its stored canonical JSON, counts in key order', () => {
    const stored = JSON.parse(canonicalJson(built)) as ComplianceReport;
    expect(reportViewOf(built)).toEqual(reportViewOf(stored));
    expect(JSON.stringify(reportViewOf(built))).toBe(JSON.stringify(reportViewOf(stored)));
    expect(reportViewOf(built).controls.map((c) => c.counts.map((n) => n.key))).toEqual([['missing', 'namespaces'], ['conforming', 'connections', 'violations']]);
    expect(reportViewOf(built).controls.map((c) => c.evidenceCount)).toEqual([5, 0]);
    expect(reportViewOf(built).recordedCniProfile).toBeNull();
  });

  it('slices pages of a control and the changes; an unknown control has no rows', () => {
    const [page, past, unknown, changes] = reportRows(built, [
      { control: '1.2.1', start: 1, count: 2 },
      { control: '1.2.1', start: 4, count: 10 },
      { control: 'nope', start: 0, count: 10 },
      { changes: 'newViolations' },
    ]);
    expect(page).toEqual([
      { kind: 'connection', status: 'pass', subject: 'w1', peer: null, zones: null, ports: 'TCP 443', detail: 'row 1' },
      { kind: 'connection', status: 'fail', subject: 'w2', peer: null, zones: null, ports: 'TCP 443', detail: 'row 2' },
    ]);
    expect(past!.map((r) => r.subject)).toEqual(['w4']);
    expect(unknown).toEqual([]);
    expect(changes).toEqual([]);
  });
});
