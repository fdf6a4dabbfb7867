// Lint suppressions: a versioned YAML file (`kind: LintSuppressions`), each entry a rule, an object, a reason
// and an optional expiry. An expired suppression stops applying and is itself reported.
import type { Issue, SourceDocument } from '../manifest/types.js';
import { parseExpiry, readConfigDocument } from '../intents/config-document.js';
import type { LintFinding, Suppression } from './types.js';

export const SUPPRESSIONS_KIND = 'LintSuppressions';

export function parseSuppressions(source: SourceDocument): { suppressions: Suppression[]; issues: Issue[] } {
  const { value, checker } = readConfigDocument(source, SUPPRESSIONS_KIND);
  const suppressions: Suppression[] = [];
  if (value) {
    checker.unknownKeys(value, [], ['apiVersion', 'kind', 'metadata', 'suppressions']);
    checker.array(value.suppressions, ['suppressions'], true).forEach((item, i) => {
      const path = ['suppressions', i];
      const entry = checker.object(item, path);
      if (!entry) return;
      checker.unknownKeys(entry, path, ['rule', 'object', 'reason', 'expires']);
      const rule = checker.string(entry.rule, [...path, 'rule']);
      const object = checker.string(entry.object, [...path, 'object']);
      const reason = checker.string(entry.reason, [...path, 'reason']);
      const expires = entry.expires === undefined ? undefined : checker.time(entry.expires, [...path, 'expires']);
      if (rule && object && reason) suppressions.push({ rule, object, reason, ...(expires ? { expires } : {}) });
    });
  }
  return { suppressions, issues: checker.issues };
}

/** `*`, `namespace/name`, `Kind/namespace/name` (cluster-scoped: `Kind//name` or `Kind/name`). */
export function suppressionMatches(s: Suppression, finding: LintFinding): boolean {
  if (s.rule !== '*' && s.rule !== finding.rule) return false;
  if (s.object === '*') return true;
  const { kind, namespace, name } = finding.object;
  const candidates = [`${namespace}/${name}`, `${kind}/${namespace}/${name}`];
  if (!namespace) candidates.push(name, `${kind}/${name}`);
  return candidates.includes(s.object);
}

export function isExpired(s: Suppression, at: number): boolean {
  if (!s.expires) return false;
  const expiry = parseExpiry(s.expires);
  return expiry !== undefined && expiry < at;
}
