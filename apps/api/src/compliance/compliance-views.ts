// Stored reports and engine results as GraphQL shapes.
import type { ComplianceReport, EvidenceRow as EngineRow, LintResult as EngineLint } from '@netpol-atlas/engine';
import type { ComplianceReportRecord, EvidenceRow, LintResult } from './compliance.models.js';
import type { StoredReport } from './reports.service.js';

export function toLintResult(result: EngineLint): Omit<LintResult, 'cniProfile'> {
  const count = (s: string) => result.findings.filter((f) => f.severity === s).length;
  return {
    findings: result.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      kind: f.object.kind,
      namespace: f.object.namespace,
      name: f.object.name,
      path: f.path,
      message: f.message,
      explanation: f.explanation,
      fix: f.fix,
    })),
    errors: count('error'),
    warnings: count('warning'),
    info: count('info'),
  };
}

const toRow = (e: EngineRow): EvidenceRow => ({ kind: e.kind, status: e.status, subject: e.subject, peer: e.peer ?? null, zones: e.zones ?? null, ports: e.ports ?? null, detail: e.detail });

export function toReportRecord(stored: StoredReport): ComplianceReportRecord {
  const report = JSON.parse(stored.reportJcs) as ComplianceReport;
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
    recordedCniProfile: report.snapshot.cniProfile ?? null,
    summary: {
      verdict: report.summary.verdict,
      pass: report.summary.pass,
      fail: report.summary.fail,
      manual: report.summary.manual,
      notApplicable: report.summary['not-applicable'],
    },
    controls: report.controls.map((c) => ({
      id: c.id,
      reference: c.reference,
      title: c.title,
      requirement: c.requirement,
      evidenceNeeded: c.evidenceNeeded,
      decision: c.decision,
      status: c.status,
      summary: c.summary,
      counts: Object.entries(c.counts).map(([key, value]) => ({ key, value })),
      exceptions: c.exceptions.map((e) => ({ ...e })),
      rows: c.evidence.map(toRow),
    })),
    changes: report.changes
      ? {
          previousReportId: report.changes.previousReportId ?? null,
          flipped: report.changes.flipped.map((f) => ({ ...f })),
          newViolations: report.changes.newViolations.map(toRow),
          resolvedViolations: report.changes.resolvedViolations.map(toRow),
        }
      : null,
    evidenceUrl: `/api/v1/reports/${stored.id}/evidence.zip`,
  };
}
