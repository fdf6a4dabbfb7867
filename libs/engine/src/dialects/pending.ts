// Dialects whose kinds are registered (stored, projected, named in caveats) but not compiled yet. Their
// projection is decided here once, because stored evidence is projected once: policies and the objects their
// rules reference keep their whole `spec`.
import { promoteStaged } from './calico/staged.js';
import type { Dialect, DialectKind } from './types.js';

const SERVED: Readonly<Record<string, string>> = { 'projectcalico.org': 'v3', 'crd.projectcalico.org': 'v1', 'policy.networking.k8s.io': 'v1alpha1' };
const policy = (group: string, kind: string, namespaced: boolean, servedVersion = SERVED[group]): DialectKind => ({ group, kind, role: 'policy', namespaced, projection: 'spec-whole', servedVersion });

/** Calico's staged policies: never enforced (a preview of what enforcing them would change), so stored and named
 *  as caveats ("staged, not enforced") rather than compiled. */
const calicoStagedKinds = (group: string): DialectKind[] => [
  policy(group, 'StagedNetworkPolicy', true),
  policy(group, 'StagedGlobalNetworkPolicy', false),
  policy(group, 'StagedKubernetesNetworkPolicy', true),
];

export const calicoStaged: Dialect = {
  id: 'calico-staged',
  title: 'Calico staged policies (projectcalico.org/v3): not enforced',
  kinds: [...calicoStagedKinds('projectcalico.org'), ...calicoStagedKinds('crd.projectcalico.org')],
  promote: promoteStaged,
};
