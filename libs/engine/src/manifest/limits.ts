// Hostile-input limits shared by both readers.
import type { ParseOptions } from './types.js';

export const DEFAULT_MAX_ALIASES = 100;
export const DEFAULT_MAX_DEPTH = 64;
/** Objects per upload (every object after List flattening, of any kind): the work of a parse is bounded before it starts. */
export const MAX_OBJECTS = 200_000;
/** Issues a report (the REST body, GraphQL, the CLI) lists: the first ones, then a count of the rest. */
export const MAX_REPORTED_ISSUES = 1_000;

export interface Limits {
  readonly maxAliases: number;
  readonly maxDepth: number;
  readonly maxObjects: number;
}

/** At most `max` issues: every error first counted (up to `max`), then the earliest warnings; input order kept. */
export function limitIssues<T extends { readonly severity: string }>(issues: readonly T[], max = MAX_REPORTED_ISSUES): { issues: T[]; omitted: number } {
  if (issues.length <= max) return { issues: [...issues], omitted: 0 };
  let errorsLeft = max;
  let warningsLeft = Math.max(0, max - issues.filter((issue) => issue.severity === 'error').length);
  const kept = issues.filter((issue) => (issue.severity === 'error' ? errorsLeft-- > 0 : warningsLeft-- > 0));
  return { issues: kept, omitted: issues.length - kept.length };
}

export function resolveLimits(options: ParseOptions | undefined): Limits {
  return {
    maxAliases: options?.maxAliases ?? DEFAULT_MAX_ALIASES,
    maxDepth: options?.maxDepth ?? DEFAULT_MAX_DEPTH,
    maxObjects: options?.maxObjects ?? MAX_OBJECTS,
  };
}
