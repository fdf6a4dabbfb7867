// The Findings page's logic: filters from the URL, the rule path a finding points into, where its object lives.
import { paths } from '../../routes.js';

export interface FindingLike {
  readonly rule: string;
  readonly severity: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly path: string;
}

export interface FindingFilter {
  readonly severity: string;
  readonly rule: string;
  readonly namespace: string;
}

export const SEVERITIES = ['error', 'warning', 'info'] as const;

/** Every given filter must hold ('' = any). */
export function filterFindings<T extends FindingLike>(findings: readonly T[], filter: FindingFilter): T[] {
  return findings.filter(
    (f) =>
      (!filter.severity || f.severity === filter.severity) &&
      (!filter.rule || f.rule === filter.rule) &&
      (!filter.namespace || f.namespace === filter.namespace),
  );
}

/** Distinct values of one field, sorted (the filter's options); namespaces leave out cluster-scoped ''. */
export function distinct<T extends FindingLike>(findings: readonly T[], field: 'rule' | 'namespace'): string[] {
  return [...new Set(findings.map((f) => f[field]).filter((v) => v !== ''))].sort();
}

/** The rule a field path points into (`spec.ingress[0].from[1]` → `spec.ingress[0]`), '' when none. */
export function rulePathOf(path: string): string {
  return /^spec\.(ingress|egress)\[\d+\]/.exec(path)?.[0] ?? '';
}

const POLICY_KINDS = new Set(['NetworkPolicy']);
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'ReplicationController', 'Pod']);

/** The explorer page of a finding's object (a policy at its rule path, a workload, a namespace), if it has one. */
export function objectPath(snapshotId: string, f: FindingLike): string | undefined {
  if (POLICY_KINDS.has(f.kind) && f.namespace) {
    const rule = rulePathOf(f.path);
    return paths.policy(snapshotId, { namespace: f.namespace, name: f.name }, rule ? { rule } : {});
  }
  if (WORKLOAD_KINDS.has(f.kind) && f.namespace) return paths.workload(snapshotId, { namespace: f.namespace, kind: f.kind, name: f.name });
  if (f.kind === 'Namespace') return paths.snapshot(snapshotId, { namespace: f.name });
  return undefined;
}
