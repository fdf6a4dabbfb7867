// The Findings page's logic: filters from the URL (applied by the API), the rule path a finding points into, where its
// object lives.
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

/**
 * The path inside the object: the API prefixes the object's place in the stored content (`[9].spec.egress[2]`),
 * which means nothing to a reader of the policy.
 */
export function fieldPathOf(path: string): string {
  return path.replace(/^\[\d+\]\.?/, '');
}

/** The rule a field path points into (`spec.ingress[0].from[1]` → `spec.ingress[0]`), '' when none. */
export function rulePathOf(path: string): string {
  return /^(?:spec|specs\[\d+\])\.(?:ingress|egress)(?:Deny)?\[\d+\]/.exec(fieldPathOf(path))?.[0] ?? '';
}

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'ReplicationController', 'Pod']);

/** The explorer page of a finding's object (a policy at its rule path, a workload, a namespace), if it has one. */
export function objectPath(snapshotId: string, f: FindingLike): string | undefined {
  // Every policy kind has a page (NetworkPolicy, AdminNetworkPolicy, GlobalNetworkPolicy, CiliumNetworkPolicy, …).
  if (f.kind.endsWith('Policy')) {
    const rule = rulePathOf(f.path);
    return paths.policy(snapshotId, { namespace: f.namespace || null, kind: f.kind, name: f.name }, rule ? { rule } : {});
  }
  if (WORKLOAD_KINDS.has(f.kind) && f.namespace) return paths.workload(snapshotId, { namespace: f.namespace, kind: f.kind, name: f.name });
  if (f.kind === 'Namespace') return paths.snapshot(snapshotId, { namespace: f.name });
  return undefined;
}
