// Calico (projectcalico.org/v3, and the crd.projectcalico.org/v1 CRDs Calico stores when it has no API server):
// NetworkPolicy and GlobalNetworkPolicy compiled into tiers; Tier, NetworkSet, GlobalNetworkSet read by them;
// HostEndpoint stored and named as a caveat (host protection is modelled in part: caveats/caveats.ts). Staged kinds: see pending.ts.
import type { Dialect, DialectKind } from '../types.js';
import { compileCalicoPolicy } from './compile.js';
import { checkCalicoObject } from './validate.js';

const SERVED: Readonly<Record<string, string>> = { 'projectcalico.org': 'v3', 'crd.projectcalico.org': 'v1' };
const kind = (group: string, name: string, role: DialectKind['role'], namespaced: boolean): DialectKind => ({
  group,
  kind: name,
  role,
  namespaced,
  projection: 'spec-whole',
  servedVersion: SERVED[group],
});

const calicoKinds = (group: string): DialectKind[] => [
  kind(group, 'NetworkPolicy', 'policy', true),
  kind(group, 'GlobalNetworkPolicy', 'policy', false),
  kind(group, 'Tier', 'auxiliary', false),
  kind(group, 'NetworkSet', 'auxiliary', true),
  kind(group, 'GlobalNetworkSet', 'auxiliary', false),
  { ...kind(group, 'HostEndpoint', 'auxiliary', false), unmodelledEffect: true },
];

export const calico: Dialect = {
  id: 'calico',
  title: 'Calico (projectcalico.org/v3, and the crd.projectcalico.org/v1 CRDs it stores)',
  kinds: [...calicoKinds('projectcalico.org'), ...calicoKinds('crd.projectcalico.org')],
  validate: checkCalicoObject,
  compile: compileCalicoPolicy,
};
