// Dialects whose kinds are registered (stored, projected, named in caveats) but not compiled yet. Their
// projection is decided here once, because stored evidence is projected once: policies and the objects their
// rules reference keep their whole `spec`.
import type { Dialect, DialectKind } from './types.js';

const SERVED: Readonly<Record<string, string>> = { 'projectcalico.org': 'v3', 'crd.projectcalico.org': 'v1', 'policy.networking.k8s.io': 'v1alpha1' };
const policy = (group: string, kind: string, namespaced: boolean, servedVersion = SERVED[group]): DialectKind => ({ group, kind, role: 'policy', namespaced, projection: 'spec-whole', servedVersion });
const auxiliary = (group: string, kind: string, namespaced: boolean, servedVersion = SERVED[group]): DialectKind => ({ group, kind, role: 'auxiliary', namespaced, projection: 'spec-whole', servedVersion });

const calicoKinds = (group: string): DialectKind[] => [
  policy(group, 'NetworkPolicy', true),
  policy(group, 'GlobalNetworkPolicy', false),
  policy(group, 'StagedNetworkPolicy', true),
  policy(group, 'StagedGlobalNetworkPolicy', false),
  policy(group, 'StagedKubernetesNetworkPolicy', true),
  auxiliary(group, 'Tier', false),
  auxiliary(group, 'NetworkSet', true),
  auxiliary(group, 'GlobalNetworkSet', false),
  auxiliary(group, 'HostEndpoint', false),
];

export const calico: Dialect = {
  id: 'calico',
  title: 'Calico (projectcalico.org/v3, and the crd.projectcalico.org/v1 CRDs it stores)',
  kinds: [...calicoKinds('projectcalico.org'), ...calicoKinds('crd.projectcalico.org')],
};
