// Labels a CNI derives for every pod and matches selectors against. Cilium's security identity is the pod's labels
// plus `io.kubernetes.pod.namespace`, `io.cilium.k8s.policy.serviceaccount`, `io.cilium.k8s.policy.cluster` and the
// namespace's labels as `io.cilium.k8s.namespace.labels.<key>`; every selector (a NetworkPolicy's too) sees them.
import type { Labels } from '../algebra/selector.js';
import { CILIUM_DEFAULT_CLUSTER, type CniProfile } from './profiles.js';

export const CILIUM_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
export const CILIUM_SERVICE_ACCOUNT_LABEL = 'io.cilium.k8s.policy.serviceaccount';
export const CILIUM_CLUSTER_LABEL = 'io.cilium.k8s.policy.cluster';
export const CILIUM_NAMESPACE_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels.';

/** A pod's labels as the profile's plugin sees them, given its service account (model/service-accounts.ts; null:
 *  not recorded, so no service-account label: no selector on it matches the pod). */
export type LabelDeriver = (labels: Labels, namespace: string, serviceAccount: string | null) => Labels;

/** The deriver of a profile (undefined: labels as written), given each namespace's labels. */
export function labelDeriver(
  profile: CniProfile,
  namespaceLabels: (namespace: string) => Labels,
  clusterName = CILIUM_DEFAULT_CLUSTER,
): LabelDeriver | undefined {
  if (profile.derivedLabels !== 'cilium') return undefined;
  const byNamespace = new Map<string, Labels>();
  // Equal inputs share one derived record (replicas of a workload), so identity comparisons stay cheap.
  const shared = new Map<Labels, Map<string, Labels>>();
  return (labels, namespace, serviceAccount) => {
    let perLabels = shared.get(labels);
    if (!perLabels) shared.set(labels, (perLabels = new Map()));
    const key = `${namespace}\u0000${serviceAccount ?? '\u0000'}`;
    const cached = perLabels.get(key);
    if (cached) return cached;
    let nsPart = byNamespace.get(namespace);
    if (!nsPart) {
      const out = Object.create(null) as Record<string, string>;
      const nsLabels = namespaceLabels(namespace);
      for (const k of Object.keys(nsLabels).sort()) out[`${CILIUM_NAMESPACE_LABELS_PREFIX}${k}`] = nsLabels[k];
      out[CILIUM_NAMESPACE_LABEL] = namespace;
      out[CILIUM_CLUSTER_LABEL] = clusterName;
      byNamespace.set(namespace, (nsPart = out));
    }
    const derived = Object.create(null) as Record<string, string>;
    for (const k of Object.keys(labels)) derived[k] = labels[k];
    for (const k of Object.keys(nsPart)) derived[k] = nsPart[k];
    if (serviceAccount !== null) derived[CILIUM_SERVICE_ACCOUNT_LABEL] = serviceAccount;
    perLabels.set(key, derived);
    return derived;
  };
}
