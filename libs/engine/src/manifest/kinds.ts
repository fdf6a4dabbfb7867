import { apiGroupOf, registeredKind, registeredKinds } from '../dialects/registry.js';
import { closestField } from './schema/field-schema.js';

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
  /** The read kind of the same API group this unknown kind is a typo of: an error, not a warning (a misspelt
   *  NetworkPolicy silently dropped would make every verdict wrong). */
  readonly misspeltOf?: string;
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
  const misspeltOf = misspeltKind(group, kind);
  return misspeltOf ? { support: 'unknown', misspeltOf } : { support: 'unknown' };
}

// Real kinds of the groups the engine reads that it does not use: never a typo, whatever they are close to.
const OTHER_REAL_KINDS: ReadonlySet<string> = new Set([
  'ConfigMap', 'Secret', 'Endpoints', 'Event', 'LimitRange', 'PersistentVolume', 'PersistentVolumeClaim', 'PodTemplate',
  'ResourceQuota', 'Binding', 'ComponentStatus', 'ControllerRevision', 'Ingress', 'IngressClass', 'ServiceCIDR',
  'IPAddress', 'PodSecurityPolicy', 'NetworkPolicy', 'Profile', 'WorkloadEndpoint', 'IPPool', 'IPReservation',
  'BGPPeer', 'BGPFilter', 'BGPConfiguration', 'FelixConfiguration', 'ClusterInformation', 'HostEndpoint',
  'CiliumNode', 'CiliumEndpoint', 'CiliumIdentity', 'CiliumEndpointSlice', 'CiliumNodeConfig', 'CiliumEnvoyConfig',
  'CiliumPodIPPool', 'StagedKubernetesNetworkPolicy', 'StagedNetworkPolicy', 'StagedGlobalNetworkPolicy',
]);

/** Kinds read per API group (core and dialect kinds), built once. */
let readKindsByGroup: Map<string, string[]> | undefined;

function readKinds(group: string): readonly string[] | undefined {
  if (!readKindsByGroup) {
    readKindsByGroup = new Map(Object.entries(CORE).map(([g, kinds]) => [g, [...kinds]]));
    for (const registered of registeredKinds()) {
      const kinds = readKindsByGroup.get(registered.group) ?? [];
      kinds.push(registered.kind);
      readKindsByGroup.set(registered.group, kinds);
    }
  }
  return readKindsByGroup.get(group);
}

/** The read kind of `group` that `kind` is a typo of (case or small edit distance), or its plural written as a kind
 *  (`NetworkPolicies`, `GlobalNetworkPolicies`: the resource name, 3 edits away, which kubectl refuses as a kind too),
 *  for a group the engine reads; undefined for unknown groups (CRDs we do not model stay warnings) and for real kinds
 *  it does not use. */
export function misspeltKind(group: string, kind: string): string | undefined {
  const known = readKinds(group);
  if (!known || OTHER_REAL_KINDS.has(kind) || isListKind(kind)) return undefined;
  const close = closestField(kind, known);
  if (close) return close;
  for (const singular of singularForms(kind)) {
    if (known.includes(singular)) return singular;
    // The plural of a real kind this group has and the engine does not read (ConfigMaps): not ours to correct.
    if (OTHER_REAL_KINDS.has(singular)) return undefined;
    const meant = closestField(singular, known);
    if (meant) return meant;
  }
  return undefined;
}

/** What an English plural (Policies, Services, Pods) would be in the singular, most specific ending first. */
function singularForms(kind: string): string[] {
  const forms: string[] = [];
  if (/ies$/i.test(kind) && kind.length > 4) forms.push(`${kind.slice(0, -3)}${kind.endsWith('IES') ? 'Y' : 'y'}`);
  if (/es$/i.test(kind) && kind.length > 3) forms.push(kind.slice(0, -2));
  if (/s$/i.test(kind) && kind.length > 2) forms.push(kind.slice(0, -1));
  return forms;
}

/** `kind: List` or any `XxxList` kind (PodList, NamespaceList, ...). */
export function isListKind(kind: string): boolean {
  return kind === 'List' || (kind.length > 4 && kind.endsWith('List'));
}
