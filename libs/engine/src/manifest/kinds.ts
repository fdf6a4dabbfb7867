import { apiGroupOf, registeredKind } from '../dialects/registry.js';

// Which kinds the engine reads. Keyed by API group + kind, so Calico's `projectcalico.org` NetworkPolicy
// is never mistaken for the Kubernetes one.

export type KindSupport =
  /** Read, validated and analysed. */
  | 'modelled'
  /** Kept in `objects` (e.g. for storage) but not analysed yet: a NOT_MODELLED warning. */
  | 'not-modelled'
  /** Dropped with an UNKNOWN_KIND warning. */
  | 'unknown';

export type ModelledKind =
  | 'Namespace'
  | 'Node'
  | 'Pod'
  | 'ServiceAccount'
  | 'Service'
  | 'ReplicationController'
  | 'Deployment'
  | 'ReplicaSet'
  | 'StatefulSet'
  | 'DaemonSet'
  | 'Job'
  | 'CronJob'
  | 'NetworkPolicy';

export const WORKLOAD_KINDS: ReadonlySet<string> = new Set([
  'ReplicationController',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
]);

// The core kinds analysis reads (workloads, namespaces, services). Policy kinds come from the dialect registry.
const CORE: Readonly<Record<string, readonly string[]>> = {
  '': ['Namespace', 'Node', 'Pod', 'Service', 'ReplicationController', 'ServiceAccount'],
  apps: ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'],
  // Old dumps (np-guard's corpus among them) still carry these under extensions/v1beta1.
  extensions: ['Deployment', 'ReplicaSet', 'DaemonSet'],
  batch: ['Job', 'CronJob'],
};

export function apiGroup(apiVersion: string): string {
  return apiGroupOf(apiVersion);
}

export interface KindClass {
  readonly support: KindSupport;
  /** Why an unknown kind is dropped, when it is worth saying more than "not used". */
  readonly note?: string;
}

export function classifyKind(apiVersion: string, kind: string): KindClass {
  const group = apiGroupOf(apiVersion);
  if (CORE[group]?.includes(kind)) return { support: 'modelled' };
  const registered = registeredKind(apiVersion, kind);
  if (registered) {
    if (registered.versions && !registered.versions.includes(apiVersion)) {
      return { support: 'unknown', note: `only ${registered.versions.join(', ')} ${kind} is read, not ${apiVersion}` };
    }
    return { support: registered.modelled ? 'modelled' : 'not-modelled' };
  }
  if (group === 'extensions' && kind === 'NetworkPolicy') {
    return { support: 'unknown', note: 'extensions/v1beta1 NetworkPolicy is gone from Kubernetes; use networking.k8s.io/v1' };
  }
  return { support: 'unknown' };
}

/** `kind: List` or any `XxxList` kind (PodList, NamespaceList, ...). */
export function isListKind(kind: string): boolean {
  return kind === 'List' || (kind.length > 4 && kind.endsWith('List'));
}
