// Stored reports and engine results as GraphQL shapes.
import type { LintResult as EngineLint } from '@netpol-atlas/engine';
import type { ComplianceReportRecord, LintFinding } from './compliance.models.js';
import type { StoredReportMeta } from './compliance.repository.js';
import type { ReportView } from './report-view.js';

export function toLintFinding(f: EngineLint['findings'][number]): LintFinding {
  return {
    rule: f.rule,
    severity: f.severity,
    kind: f.object.kind,
    namespace: f.object.namespace,
    name: f.object.name,
    path: f.path,
    message: f.message,
    explanation: f.explanation,
    fix: f.fix,
  };
}

/** A stored report as GraphQL shows it, from its view (report-view.ts): its rows are read when asked for. */
export function toReportRecord(stored: StoredReportMeta, view: ReportView): ComplianceReportRecord {
  return {
    id: stored.id,
    cluster: stored.clusterName,
    snapshotId: stored.snapshotId,
    snapshotSha256: stored.snapshotSha256,
    framework: stored.frameworkId,
    frameworkVersion: stored.frameworkVersion,
    engineVersion: stored.engineVersion,
    intentsId: stored.intentsId,
    intentsVersion: stored.intentsVersion,
    generatedAt: stored.generatedAt,
    reportSha256: stored.reportSha256,
    signature: stored.signature,
    recordedCniProfile: view.recordedCniProfile,
    summary: { ...view.summary },
    controls: view.controls.map((c) => ({ ...c, counts: c.counts.map((n) => ({ ...n })), exceptions: c.exceptions.map((e) => ({ ...e })), reportId: stored.id })),
    changes: view.changes
      ? { previousReportId: view.changes.previousReportId, flipped: view.changes.flipped.map((f) => ({ ...f })), reportId: stored.id }
      : null,
    evidenceUrl: `/api/v1/reports/${stored.id}/evidence.zip`,
  };
}
