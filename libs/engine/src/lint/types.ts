// Lint findings: plain data, located like manifest issues (file, document, field path, line), with a code per rule.
import type { Analysis } from '../compliance/engine-api.js';
import type { ParsedObject } from '../manifest/types.js';
import type { Snapshot } from '../compliance/engine-api.js';

export type LintSeverity = 'error' | 'warning' | 'info';

export const LINT_SEVERITIES: readonly LintSeverity[] = ['info', 'warning', 'error'];

export interface LintObjectRef {
  readonly kind: string;
  /** '' for cluster-scoped objects. */
  readonly namespace: string;
  readonly name: string;
}

export interface LintFinding {
  /** The rule id, e.g. `dns-unreachable` (stable API: suppressions, SARIF ruleId). */
  readonly rule: string;
  readonly severity: LintSeverity;
  readonly object: LintObjectRef;
  /** Field path inside the object, e.g. `spec.ingress[0].from[1]`; '' for the object itself. */
  readonly path: string;
  readonly file?: string;
  readonly document?: number;
  /** 1-based line of the object in its file, when known. */
  readonly line?: number;
  /** One sentence: what is wrong here. */
  readonly message: string;
  /** Why it matters. */
  readonly explanation: string;
  /** How to fix it. */
  readonly fix: string;
}

export interface LintRule {
  readonly id: string;
  readonly severity: LintSeverity;
  /** Short title (SARIF shortDescription). */
  readonly title: string;
  /** What the rule checks and why (SARIF fullDescription). */
  readonly description: string;
  check(context: LintContext): Iterable<LintFinding>;
}

export interface LintContext {
  readonly snapshot: Snapshot;
  readonly analysis: Analysis;
  /** Every parsed object (Services, DaemonSets, admin policies…): rules that read fields the model does not keep. */
  readonly objects: readonly ParsedObject[];
}

export interface Suppression {
  readonly rule: string;
  /** `kind/namespace/name`, `namespace/name` or `*`. */
  readonly object: string;
  readonly reason: string;
  /** `YYYY-MM-DD` (end of that day, UTC) or an RFC 3339 time; absent = never expires. */
  readonly expires?: string;
}

export interface SuppressedFinding {
  readonly finding: LintFinding;
  readonly suppression: Suppression;
}

export interface LintResult {
  /** Sorted by file, document, path, rule, object. */
  readonly findings: readonly LintFinding[];
  readonly suppressed: readonly SuppressedFinding[];
  /** Every rule that ran, sorted by id. */
  readonly rules: readonly LintRule[];
}
