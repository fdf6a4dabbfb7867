// A stored report's view: what the GraphQL report shapes read without its evidence rows (summary, controls with their
// row counts, flips, the recorded CNI profile), stored beside the report (`report_views`) when it is generated. A
// report's canonical JSON is tens of MB at 50k pods (one control's rows): the reports list, the dashboard's compliance
// page and a report's header read this small view instead of the report, and the rows a client pages through are
// sliced from the report in a render thread (`reportRows`), never parsed on the event loop.
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
export const REPORT_VIEW_VERSION = 1;

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

/** Each request's rows (an unknown control or no changes: none). */
export function reportRows(report: ComplianceReport, requests: readonly ReportRowsRequest[]): ReportRow[][] {
  return requests.map((request) => {
    if ('changes' in request) return (report.changes?.[request.changes] ?? []).map(toReportRow);
    const control = report.controls.find((c) => c.id === request.control);
    return (control?.evidence.slice(request.start, request.start + request.count) ?? []).map(toReportRow);
  });
}
