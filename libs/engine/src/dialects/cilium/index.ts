// Cilium (cilium.io/v2): CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy and the CiliumCIDRGroup objects their
// CIDR rules reference. Policies share the namespaced layer with Kubernetes NetworkPolicy (compile.ts).
import type { Dialect, DialectKind } from '../types.js';
import { compileCiliumPolicy } from './compile.js';
import { CILIUM_POLICY_SCHEMA, checkCiliumPolicy } from './validate.js';

const GROUP = 'cilium.io';
const policy = (kind: string, namespaced: boolean): DialectKind => ({ group: GROUP, kind, role: 'policy', namespaced, projection: 'spec-whole', servedVersion: 'v2' });

export const cilium: Dialect = {
  id: 'cilium',
  title: 'Cilium (cilium.io/v2)',
  kinds: [
    policy('CiliumNetworkPolicy', true),
    policy('CiliumClusterwideNetworkPolicy', false),
    { group: GROUP, kind: 'CiliumCIDRGroup', role: 'auxiliary', namespaced: false, projection: 'spec-whole', servedVersion: 'v2alpha1' },
  ],
  schemas: { CiliumNetworkPolicy: CILIUM_POLICY_SCHEMA, CiliumClusterwideNetworkPolicy: CILIUM_POLICY_SCHEMA },
  validate: checkCiliumPolicy,
  compile: (object, id, context) => compileCiliumPolicy(object, id, context),
};
