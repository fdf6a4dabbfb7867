// Runs every lint rule over a snapshot (its model, its computed reachability and its parsed objects), applies
// suppressions and returns the findings in a stable order.
import { analyze } from '../compliance/engine-api.js';
import type { Analysis } from '../compliance/engine-api.js';
import type { ParsedObject } from '../manifest/types.js';
import type { Snapshot } from '../compliance/engine-api.js';
import { compareText } from './query.js';
import { LINT_RULES } from './rules.js';
import { isExpired, suppressionMatches } from './suppressions.js';
import { LINT_SEVERITIES, type LintFinding, type LintResult, type LintSeverity, type SuppressedFinding, type Suppression } from './types.js';

export interface LintOptions {
  readonly suppressions?: readonly Suppression[];
  /** Where the suppressions came from (expired ones are reported there). */
  readonly suppressionsFile?: string;
  /** The time expiries are judged at (ISO text): the snapshot's or the report's time, never the clock here. */
  readonly at?: string;
  /** Only these rule ids. */
  readonly rules?: readonly string[];
}

export interface LintInput {
  readonly snapshot: Snapshot;
  readonly analysis?: Analysis;
  readonly objects?: readonly ParsedObject[];
}

export function lint(input: LintInput, options: LintOptions = {}): LintResult {
  const analysis = input.analysis ?? analyze(input.snapshot);
  const context = { snapshot: input.snapshot, analysis, objects: input.objects ?? [] };
  const rules = options.rules ? LINT_RULES.filter((r) => options.rules?.includes(r.id)) : LINT_RULES;
  const all: LintFinding[] = [];
  for (const rule of rules) all.push(...rule.check(context));
  const at = options.at ? Date.parse(options.at) : Number.NaN;
  const active = (options.suppressions ?? []).filter((s) => Number.isNaN(at) || !isExpired(s, at));
  const findings: LintFinding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const finding of all) {
    const suppression = active.find((s) => suppressionMatches(s, finding));
    if (suppression) suppressed.push({ finding, suppression });
    else findings.push(finding);
  }
  if (!Number.isNaN(at)) {
    (options.suppressions ?? []).forEach((s, i) => {
      if (!isExpired(s, at)) return;
      findings.push({
        rule: 'suppression-expired',
        severity: 'warning',
        object: { kind: 'LintSuppressions', namespace: '', name: s.object },
        path: `suppressions[${i}]`,
        ...(options.suppressionsFile ? { file: options.suppressionsFile } : {}),
        message: `the suppression of ${s.rule} for ${s.object} expired on ${s.expires}`,
        explanation: `Reason given: ${s.reason}. An expired suppression no longer hides its findings.`,
        fix: 'Fix the findings, or renew the suppression with a new expiry and reason.',
      });
    });
  }
  return { findings: findings.sort(compareFindings), suppressed: suppressed.sort((a, b) => compareFindings(a.finding, b.finding)), rules };
}

export function compareFindings(a: LintFinding, b: LintFinding): number {
  return (
    compareText(a.file ?? '', b.file ?? '') ||
    (a.document ?? 0) - (b.document ?? 0) ||
    compareText(a.object.kind, b.object.kind) ||
    compareText(a.object.namespace, b.object.namespace) ||
    compareText(a.object.name, b.object.name) ||
    compareText(a.path, b.path) ||
    compareText(a.rule, b.rule) ||
    compareText(a.message, b.message)
  );
}

/** True when some finding is at or above the threshold. */
export function reachesThreshold(findings: readonly LintFinding[], threshold: LintSeverity): boolean {
  const min = LINT_SEVERITIES.indexOf(threshold);
  return findings.some((f) => LINT_SEVERITIES.indexOf(f.severity) >= min);
}
