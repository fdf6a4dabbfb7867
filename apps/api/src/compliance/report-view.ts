// A stored report's view: what the GraphQL report shapes read without its evidence rows (summary, controls with their
// row counts, flips, the recorded CNI profile), stored beside the report (`report_views`) when it is generated, and
// its rows in pages of ROW_PAGE_ROWS (`report_row_pages`). A report's canonical JSON is tens of MB at 50k pods (one
// control's rows): the reports list, the dashboard's compliance page and a report's header read the small view, and a
// page of evidence rows reads the one to three stored pages it covers, never the report.
import type { ComplianceReport, ControlResult, EvidenceRow as EngineRow } from '@netpol-atlas/engine';

/** A row as GraphQL shows it (compliance.models.ts EvidenceRow). */
export interface ReportRow {
  readonly kind: string;
  readonly status: string;
  readonly subject: string;
  readonly peer: string | null;
  readonly zones: string | null;
  readonly ports: string | null;
  readonly detail: string;
}

/** A control without its evidence rows (their count instead), its counts as GraphQL lists them. */
export type ReportControlView = Pick<ControlResult, 'id' | 'reference' | 'title' | 'requirement' | 'evidenceNeeded' | 'decision' | 'status' | 'summary' | 'exceptions'> & {
  readonly counts: readonly { readonly key: string; readonly value: number }[];
  /** Evidence rows of the control (paged from the report). */
  readonly evidenceCount: number;
};

export interface ReportView {
  readonly summary: { readonly verdict: string; readonly pass: number; readonly fail: number; readonly manual: number; readonly notApplicable: number };
  /** `snapshot.cniProfile` of the report: the profile the cluster had chosen (null: the content implied one). */
  readonly recordedCniProfile: string | null;
  readonly controls: readonly ReportControlView[];
  readonly changes: {
    readonly previousReportId: string | null;
    readonly flipped: readonly { readonly control: string; readonly from: string; readonly to: string }[];
  } | null;
}

/** The view's layout (`report_views.view_version`): a report whose stored views are of other layouts gets one of this
 *  layout, computed from its report, when it is first read. */
export const REPORT_VIEW_VERSION = 2;

export function reportViewOf(report: ComplianceReport): ReportView {
  return {
    summary: {
      verdict: report.summary.verdict,
      pass: report.summary.pass,
      fail: report.summary.fail,
      manual: report.summary.manual,
      notApplicable: report.summary['not-applicable'],
    },
    recordedCniProfile: report.snapshot.cniProfile ?? null,
    controls: report.controls.map((c) => ({
      id: c.id,
      reference: c.reference,
      title: c.title,
      requirement: c.requirement,
      evidenceNeeded: c.evidenceNeeded,
      decision: c.decision,
      status: c.status,
      summary: c.summary,
      // In the stored JSON's key order (JCS: code units), whether made from the report or from its stored text.
      counts: Object.keys(c.counts)
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
        .map((key) => ({ key, value: c.counts[key]! })),
      exceptions: c.exceptions.map((e) => ({ ...e })),
      evidenceCount: c.evidence.length,
    })),
    changes: report.changes
      ? {
          previousReportId: report.changes.previousReportId ?? null,
          flipped: report.changes.flipped.map((f) => ({ control: f.control, from: f.from, to: f.to })),
        }
      : null,
  };
}

const toReportRow = (e: EngineRow): ReportRow => ({
  kind: e.kind,
  status: e.status,
  subject: e.subject,
  peer: e.peer ?? null,
  zones: e.zones ?? null,
  ports: e.ports ?? null,
  detail: e.detail,
});

/** Rows a GraphQL request reads from one report: a page of a control's evidence, or a list of the changes. */
export type ReportRowsRequest =
  | { readonly control: string; readonly start: number; readonly count: number }
  | { readonly changes: 'newViolations' | 'resolvedViolations' };

/** Rows per stored page: a GraphQL page of up to 100 rows reads at most 3 pages (~0.5 MB at 50k pods). */
export const ROW_PAGE_ROWS = 50;

/** One stored page of a list of rows: `control:<id>` (its evidence) or `changes:<newViolations|resolvedViolations>`. */
export interface ReportRowPage {
  readonly list: string;
  /** 0, 1, …: rows page × ROW_PAGE_ROWS onwards. */
  readonly page: number;
  /** The page's rows (ReportRow[]) as JSON. */
  readonly rowsJson: string;
}

/** What is stored beside a report (in the same transaction): its view and its rows in pages. */
export interface StoredReportView {
  readonly viewJson: string;
  readonly rowPages: readonly ReportRowPage[];
}

export function storedReportViewOf(report: ComplianceReport): StoredReportView {
  const rowPages: ReportRowPage[] = [];
  const paged = (list: string, rows: readonly EngineRow[]) => {
    for (let page = 0; page * ROW_PAGE_ROWS < rows.length; page++) {
      rowPages.push({ list, page, rowsJson: JSON.stringify(rows.slice(page * ROW_PAGE_ROWS, (page + 1) * ROW_PAGE_ROWS).map(toReportRow)) });
    }
  };
  for (const control of report.controls) paged(`control:${control.id}`, control.evidence);
  if (report.changes) {
    paged('changes:newViolations', report.changes.newViolations);
    paged('changes:resolvedViolations', report.changes.resolvedViolations);
  }
  return { viewJson: JSON.stringify(reportViewOf(report)), rowPages };
}

/** The stored pages a request reads: `list`, pages `from` to `to` (inclusive; undefined: to the last). */
export function rowPagesOf(request: ReportRowsRequest): { readonly list: string; readonly from: number; readonly to?: number } {
  if ('changes' in request) return { list: `changes:${request.changes}`, from: 0 };
  const from = Math.floor(request.start / ROW_PAGE_ROWS);
  return { list: `control:${request.control}`, from, to: Math.max(from, Math.floor((request.start + request.count - 1) / ROW_PAGE_ROWS)) };
}

/** The request's rows from the pages rowPagesOf named (in page order; a missing list or page: no rows). */
export function rowsFromPages(request: ReportRowsRequest, pages: readonly { readonly page: number; readonly rowsJson: string }[]): ReportRow[] {
  const rows: ReportRow[] = [];
  for (const p of pages) rows.push(...(JSON.parse(p.rowsJson) as ReportRow[]));
  if ('changes' in request) return rows;
  const skip = request.start - rowPagesOf(request).from * ROW_PAGE_ROWS;
  return rows.slice(skip, skip + request.count);
}
