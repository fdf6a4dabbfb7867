// A report's view is the same whether made from the report as built (the model thread, at generation) or from its
// stored canonical JSON (a report stored before views, read back): the JCS sorts object keys, so the view must not
// depend on the order the engine wrote them in.
import { canonicalJson, type ComplianceReport } from '@netpol-atlas/engine';
import { describe, expect, it } from 'vitest';
import { ROW_PAGE_ROWS, reportViewOf, rowPagesOf, rowsFromPages, storedReportViewOf, type ReportRowsRequest } from './report-view.js';

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
  controls: [
    control('1.2.1', { namespaces: 4, missing: 1 }, 5),
    control('1.3.1', { connections: 9, conforming: 7, violations: 2 }, 0),
    control('1.4.1', { connections: 120 }, 2 * ROW_PAGE_ROWS + 20),
  ],
  changes: { previousReportId: 'p', flipped: [{ control: '1.2.1', from: 'pass', to: 'fail' }], newViolations: [], resolvedViolations: [] },
} as unknown as ComplianceReport;

describe('reportViewOf', () => {
  it('gives the same view from the built report and from its stored canonical JSON, counts in key order', () => {
    const stored = JSON.parse(canonicalJson(built)) as ComplianceReport;
    expect(reportViewOf(built)).toEqual(reportViewOf(stored));
    expect(JSON.stringify(reportViewOf(built))).toBe(JSON.stringify(reportViewOf(stored)));
    expect(reportViewOf(built).controls.map((c) => c.counts.map((n) => n.key))).toEqual([['missing', 'namespaces'], ['conforming', 'connections', 'violations'], ['connections']]);
    expect(reportViewOf(built).controls.map((c) => c.evidenceCount)).toEqual([5, 0, 2 * ROW_PAGE_ROWS + 20]);
    expect(reportViewOf(built).recordedCniProfile).toBeNull();
  });

  // The rows a request reads from the stored pages (as the repository answers them: the named list, pages from..to
  // in order) are the report's rows sliced directly.
  const stored = storedReportViewOf(built);
  const read = (request: ReportRowsRequest) => {
    const { list, from, to } = rowPagesOf(request);
    const pages = stored.rowPages.filter((p) => p.list === list && p.page >= from && (to === undefined || p.page <= to)).sort((a, b) => a.page - b.page);
    return rowsFromPages(request, pages);
  };

  it('stores each control in pages of ROW_PAGE_ROWS; the view is the one reportViewOf makes', () => {
    expect(stored.viewJson).toBe(JSON.stringify(reportViewOf(built)));
    expect(stored.rowPages.map((p) => `${p.list}#${p.page}`)).toEqual(['control:1.2.1#0', 'control:1.4.1#0', 'control:1.4.1#1', 'control:1.4.1#2']);
    expect(stored.rowPages.map((p) => (JSON.parse(p.rowsJson) as unknown[]).length)).toEqual([5, ROW_PAGE_ROWS, ROW_PAGE_ROWS, 20]);
  });

  it('reads a page of rows within a stored page, across pages, past the end; an unknown control and empty changes have none', () => {
    expect(read({ control: '1.2.1', start: 1, count: 2 })).toEqual([
      { kind: 'connection', status: 'pass', subject: 'w1', peer: null, zones: null, ports: 'TCP 443', detail: 'row 1' },
      { kind: 'connection', status: 'fail', subject: 'w2', peer: null, zones: null, ports: 'TCP 443', detail: 'row 2' },
    ]);
    expect(read({ control: '1.2.1', start: 4, count: 10 }).map((r) => r.subject)).toEqual(['w4']);
    const big = built.controls[2]!.evidence;
    for (const [start, count] of [[0, 101], [ROW_PAGE_ROWS - 1, 2], [ROW_PAGE_ROWS, ROW_PAGE_ROWS], [37, 100], [2 * ROW_PAGE_ROWS + 19, 5], [2 * ROW_PAGE_ROWS + 20, 5], [500, 3]] as const) {
      expect(read({ control: '1.4.1', start, count }).map((r) => r.subject), `${start}+${count}`).toEqual(big.slice(start, start + count).map((r) => r.subject));
    }
    expect(read({ control: 'nope', start: 0, count: 10 })).toEqual([]);
    expect(read({ changes: 'newViolations' })).toEqual([]);
  });

  it('stores the changes in pages and reads every page of them', () => {
    const rows = built.controls[2]!.evidence.slice(0, ROW_PAGE_ROWS + 3);
    const withChanges = { ...built, changes: { ...built.changes!, newViolations: rows, resolvedViolations: rows.slice(0, 1) } } as ComplianceReport;
    const view = storedReportViewOf(withChanges);
    const pagesOf = (list: string) => view.rowPages.filter((p) => p.list === list);
    expect(pagesOf('changes:newViolations').map((p) => p.page)).toEqual([0, 1]);
    expect(rowsFromPages({ changes: 'newViolations' }, pagesOf('changes:newViolations')).map((r) => r.subject)).toEqual(rows.map((r) => r.subject));
    expect(rowsFromPages({ changes: 'resolvedViolations' }, pagesOf('changes:resolvedViolations')).map((r) => r.detail)).toEqual(['row 0']);
  });
});
