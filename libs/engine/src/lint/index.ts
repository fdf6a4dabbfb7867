// Public surface of the lint module (re-exported by the engine's index).
export * from './types.js';
export { lint, reachesThreshold, compareFindings, type LintInput, type LintOptions } from './lint.js';
export { LINT_RULES } from './rules.js';
export { parseSuppressions, SUPPRESSIONS_KIND } from './suppressions.js';
export { formatLint, lintJson, lintSarif, lintText, LINT_FORMATS, type LintFormat, type LintToolInfo } from './format.js';
