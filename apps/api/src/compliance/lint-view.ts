// The lint as GraphQL reads it, computed where the lint is held (the snapshot's model thread): its counts and filter
// choices, and findings a page at a time. The whole result never crosses to the event loop: at 50k pods it is ~17k
// findings (74 MB as JSON), whose structured clone and revival held the event loop ~0.56 s on the first visit.
import type { LintResult as EngineLint } from '@netpol-atlas/engine';

export type EngineFinding = EngineLint['findings'][number];

/** Counts and the filters' choices. */
export interface LintSummary {
  readonly errors: number;
  readonly warnings: number;
  readonly info: number;
  /** Rules with some finding, sorted. */
  readonly rules: readonly string[];
  /** Namespaces of objects with some finding, sorted (cluster-scoped objects left out). */
  readonly namespaces: readonly string[];
}

/** Which findings, from where, in which order. */
export interface LintFindingsQuery {
  /** `lint`: the lint's own order (every finding); `reading`: errors, warnings, info, by rule (findingOrder). */
  readonly order: 'lint' | 'reading';
  /** Position in the selected list of the first finding answered. */
  readonly start: number;
  /** Findings answered at most. */
  readonly count: number;
  readonly severity?: string | null;
  readonly rule?: string | null;
  readonly namespace?: string | null;
}

export interface LintFindings {
  /** Findings the filters select. */
  readonly total: number;
  /** From `start`, at most `count`. */
  readonly findings: readonly EngineFinding[];
}

export function lintSummary(result: EngineLint): LintSummary {
  let errors = 0;
  let warnings = 0;
  let info = 0;
  for (const f of result.findings) {
    if (f.severity === 'error') errors++;
    else if (f.severity === 'warning') warnings++;
    else if (f.severity === 'info') info++;
  }
  return { errors, warnings, info, rules: findingValues(result, 'rule'), namespaces: findingValues(result, 'namespace') };
}

export function lintFindings(result: EngineLint, query: LintFindingsQuery): LintFindings {
  const findings = result.findings;
  const order = query.order === 'reading' ? findingOrder(result) : findings.map((_, i) => i);
  const selected =
    query.severity || query.rule || query.namespace
      ? order.filter((i) => {
          const f = findings[i];
          return (!query.severity || f.severity === query.severity) && (!query.rule || f.rule === query.rule) && (!query.namespace || f.object.namespace === query.namespace);
        })
      : order;
  return { total: selected.length, findings: selected.slice(query.start, query.start + query.count).map((i) => findings[i]) };
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
