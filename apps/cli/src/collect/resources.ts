import { registeredKinds } from '@netpol-atlas/engine';
// The resource types `netpol collect` reads: what analysis needs (namespaces, nodes, pods and their controllers, services,
// NetworkPolicies) plus the policy CRDs / aggregated APIs that exist only on some clusters.

export interface ResourceType {
  /** API group; '' for the core group. */
  readonly group: string;
  readonly version: string;
  /** Plural resource name as used in URLs, e.g. `networkpolicies`. */
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

/** Built-in types: expected on every cluster, listed directly (a 403/404 is reported as missing). */
export const BUILTIN_RESOURCES: readonly ResourceType[] = [
  { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true },
  { group: '', version: 'v1', resource: 'services', kind: 'Service', namespaced: true },
  // Calico's `serviceAccounts.selector` matches a pod's ServiceAccount by its labels.
  { group: '', version: 'v1', resource: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true },
  // Cluster-scoped: listed once whatever the namespace scope; host-network pods and cluster policies' node peers need them.
  { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false },
  { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true },
  { group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet', namespaced: true },
  { group: 'apps', version: 'v1', resource: 'statefulsets', kind: 'StatefulSet', namespaced: true },
  { group: 'apps', version: 'v1', resource: 'daemonsets', kind: 'DaemonSet', namespaced: true },
  { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', namespaced: true },
  { group: 'batch', version: 'v1', resource: 'cronjobs', kind: 'CronJob', namespaced: true },
  { group: 'networking.k8s.io', version: 'v1', resource: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true },
];

export const NAMESPACES: ResourceType = { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false };

/**
 * Optional policy APIs (every kind the engine's dialect registry knows beyond networking.k8s.io), found through discovery (`GET /apis/<group>/<version>`); absent ones are skipped.
 * Scope and kind come from the discovery document when it has them; these values are the documented defaults.
 */
export const OPTIONAL_RESOURCES: readonly ResourceType[] = registeredKinds()
  .filter((k) => k.dialect.id !== 'networking-v1')
  .map((k) => ({ group: k.group, version: k.servedVersion, resource: pluralOf(k.kind), kind: k.kind, namespaced: k.namespaced }));

/** Kubernetes' plural for these kinds: lower case, `y` → `ies`, else `s`. */
function pluralOf(kind: string): string {
  const lower = kind.toLowerCase();
  return lower.endsWith('y') ? `${lower.slice(0, -1)}ies` : `${lower}s`;
}

export function groupVersion(type: Pick<ResourceType, 'group' | 'version'>): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

/** kubectl's name for a resource type: `pods`, `cronjobs.batch`, `networkpolicies.projectcalico.org`. */
export function displayName(type: ResourceType): string {
  return type.group === '' ? type.resource : `${type.resource}.${type.group}`;
}

/** URL path of the discovery document of a group version. */
export function discoveryPath(type: Pick<ResourceType, 'group' | 'version'>): string {
  return type.group === '' ? `/api/${type.version}` : `/apis/${type.group}/${type.version}`;
}

/** URL path listing a type, across all namespaces when `namespace` is undefined (or the type is cluster-scoped). */
export function listPath(type: ResourceType, namespace?: string): string {
  const base = discoveryPath(type);
  return type.namespaced && namespace !== undefined
    ? `${base}/namespaces/${encodeURIComponent(namespace)}/${type.resource}`
    : `${base}/${type.resource}`;
}
