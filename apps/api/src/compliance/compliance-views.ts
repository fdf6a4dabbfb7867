// Stored reports and engine results as GraphQL shapes.
import type { LintResult as EngineLint } from '@netpol-atlas/engine';
import type { ComplianceReportRecord, LintFinding, LintResult } from './compliance.models.js';
import type { StoredReportMeta } from './compliance.repository.js';
import type { ReportView } from './report-view.js';

export function toLintResult(result: EngineLint): Omit<LintResult, 'cniProfile'> {
  const count = (s: string) => result.findings.filter((f) => f.severity === s).length;
  return { result, errors: count('error'), warnings: count('warning'), info: count('info') };
}

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

const SEVERITY_ORDER = ['error', 'warning', 'info'];
const severityRank = (severity: string) => {
  const rank = SEVERITY_ORDER.indexOf(severity);
  return rank < 0 ? SEVERITY_ORDER.length : rank;
};
const findingOrders = new WeakMap<EngineLint, readonly number[]>();

/**
 * The findings' indexes as a reader goes through them: errors first, then warnings and info, by rule, in the lint's
 * order within a rule. Computed once per lint result (an immutable, cached value).
 */
export function findingOrder(result: EngineLint): readonly number[] {
  let order = findingOrders.get(result);
  if (!order) {
    const f = result.findings;
    order = f.map((_, i) => i).sort((a, b) => severityRank(f[a].severity) - severityRank(f[b].severity) || (f[a].rule < f[b].rule ? -1 : f[a].rule > f[b].rule ? 1 : a - b));
    findingOrders.set(result, order);
  }
  return order;
}

/** Distinct rules, or namespaces (cluster-scoped objects' '' left out), of the findings, sorted. */
export function findingValues(result: EngineLint, field: 'rule' | 'namespace'): string[] {
  const values = new Set(result.findings.map((f) => (field === 'rule' ? f.rule : f.object.namespace)));
  values.delete('');
  return [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
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
