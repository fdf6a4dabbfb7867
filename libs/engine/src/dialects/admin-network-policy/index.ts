// AdminNetworkPolicy / BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1) and ClusterNetworkPolicy
// (v1alpha2): cluster administrators' guardrails around namespaced NetworkPolicies.
import type { Dialect, DialectKind } from '../types.js';
import { compileClusterPolicy } from './compile.js';
import { checkClusterPolicy } from './validate.js';
import { equalPriorityWarnings } from './priorities.js';

const GROUP = 'policy.networking.k8s.io';
const kind = (name: string, version: string): DialectKind => ({
  group: GROUP,
  kind: name,
  role: 'policy',
  namespaced: false,
  projection: 'spec-whole',
  versions: [`${GROUP}/${version}`],
  servedVersion: version,
});

export const adminNetworkPolicy: Dialect = {
  id: 'admin-network-policy',
  title: 'AdminNetworkPolicy / BaselineAdminNetworkPolicy / ClusterNetworkPolicy (policy.networking.k8s.io)',
  kinds: [kind('AdminNetworkPolicy', 'v1alpha1'), kind('BaselineAdminNetworkPolicy', 'v1alpha1'), kind('ClusterNetworkPolicy', 'v1alpha2')],
  validate: checkClusterPolicy,
  checkPolicies: equalPriorityWarnings,
  compile: (object, id, context) => compileClusterPolicy(object, id, context.cache, context.readIndex, context.nodes),
};
