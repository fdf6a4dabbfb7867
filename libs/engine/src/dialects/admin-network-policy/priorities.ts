// Two AdminNetworkPolicies (or two ClusterNetworkPolicies of one tier) with the same priority: the API says which
// one wins is undefined, so every verdict they both decide may differ between implementations. A warning on each.
import type { Issue } from '../../manifest/types.js';
import type { PolicyModel } from '../../model/types.js';

export function equalPriorityWarnings(policies: readonly PolicyModel[]): Issue[] {
  const groups = new Map<string, PolicyModel[]>();
  for (const policy of policies) {
    // The BaselineAdminNetworkPolicy is a singleton without a priority.
    if (policy.kind === 'BaselineAdminNetworkPolicy') continue;
    const key = `${policy.kind}\u0000${policy.tier.name}\u0000${policy.priority}`;
    const group = groups.get(key);
    if (group) group.push(policy);
    else groups.set(key, [policy]);
  }
  const issues: Issue[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    for (const policy of group) {
      const others = group.filter((p) => p !== policy).map((p) => p.fullName);
      const source = policy.source;
      issues.push({
        code: 'EQUAL_PRIORITY',
        severity: 'warning',
        message:
          `${policy.kind} ${policy.fullName} has priority ${policy.priority}, like ${others.join(', ')} in the ${policy.tier.name} tier: ` +
          'which of them applies first is undefined (the verdicts assume name order)',
        file: source?.file ?? '',
        document: source?.document ?? 0,
        path: source?.pathPrefix ? `${source.pathPrefix}.spec.priority` : 'spec.priority',
        ...(source?.line !== undefined ? { line: source.line } : {}),
      });
    }
  }
  return issues;
}
