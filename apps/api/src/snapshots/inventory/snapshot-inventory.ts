// What a snapshot contains, derived from its stored (projected) objects: namespaces, workloads, policies and the
// counts stored with every snapshot. Pure functions; SnapshotInventoryService caches them per content hash.
// When the engine's model (`loadSnapshot`) exposes the same lists, this module is the one place to swap.
//
// Counting rules (README "Snapshot counts"):
// - namespaces: the Namespace objects plus every namespace an object lives in, counted once.
// - workloads: top-level controllers, i.e. Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController,
//   Job, CronJob and Pod objects with no controller owner present in the snapshot (a ReplicaSet owned by a
//   Deployment, or a Pod owned by a ReplicaSet, is part of its owner's workload).
// - pods: the number of Pod objects when the snapshot has any (a live cluster); for a manifest-only snapshot
//   (no Pod objects) the sum over top-level controllers of spec.replicas (default 1), with DaemonSet,
//   Job and CronJob counting 1 each.
// - policies: NetworkPolicy objects and the other policy kinds (AdminNetworkPolicy, BaselineAdminNetworkPolicy,
//   Calico and Cilium network policies).
import type { KubeObject } from '@netpol-atlas/engine';
import type { SnapshotCounts } from '../snapshot-counts.js';

export interface LabelPair {
  readonly key: string;
  readonly value: string;
}

export interface NamespaceItem {
  readonly name: string;
  readonly labels: readonly LabelPair[];
}

export interface WorkloadItem {
  readonly namespace: string;
  readonly kind: string;
  readonly name: string;
  /** Declared spec.replicas (default 1) for Deployment, StatefulSet, ReplicaSet, ReplicationController; else null. */
  readonly replicas: number | null;
  /** Labels of the pods it runs (what policies select). */
  readonly labels: readonly LabelPair[];
}

export interface PolicyItem {
  /** null for cluster-scoped kinds (AdminNetworkPolicy, GlobalNetworkPolicy, …). */
  readonly namespace: string | null;
  readonly kind: string;
  readonly name: string;
  readonly policyTypes: readonly string[];
}

export interface SnapshotInventory {
  readonly namespaces: readonly NamespaceItem[];
  readonly workloads: readonly WorkloadItem[];
  readonly policies: readonly PolicyItem[];
  readonly counts: SnapshotCounts;
}

const REPLICATED_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);
const WORKLOAD_KINDS = new Set([...REPLICATED_KINDS, 'DaemonSet', 'Job', 'CronJob', 'Pod']);
const POLICY_KINDS = new Set([
  'NetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'GlobalNetworkPolicy',
  'CiliumNetworkPolicy',
  'CiliumClusterwideNetworkPolicy',
]);

/** Sort key used for every list here: code-unit order of the fields joined by NUL (= tuple order). */
export const sortKey = (...parts: readonly (string | null)[]) => parts.map((part) => part ?? '').join('\u0000');

const byKey = <T>(keyOf: (item: T) => string) => (a: T, b: T) => {
  const ka = keyOf(a);
  const kb = keyOf(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

export const namespaceKey = (item: NamespaceItem) => item.name;
export const workloadKey = (item: WorkloadItem) => sortKey(item.namespace, item.kind, item.name);
export const policyKey = (item: PolicyItem) => sortKey(item.namespace, item.kind, item.name);

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function labelPairs(value: unknown): LabelPair[] {
  return Object.entries(record(value))
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .map(([key, labelValue]) => ({ key, value: labelValue }))
    .sort(byKey((pair) => pair.key));
}

function podTemplateLabels(object: KubeObject): LabelPair[] {
  const spec = record(object.spec);
  if (object.kind === 'Pod') return labelPairs(object.metadata.labels);
  const template = object.kind === 'CronJob' ? record(record(record(spec.jobTemplate).spec).template) : record(spec.template);
  return labelPairs(record(template.metadata).labels);
}

function declaredReplicas(object: KubeObject): number | null {
  if (!REPLICATED_KINDS.has(object.kind)) return null;
  const replicas = record(object.spec).replicas;
  return typeof replicas === 'number' && Number.isInteger(replicas) && replicas >= 0 ? replicas : 1;
}

function policyTypes(object: KubeObject): string[] {
  const spec = record(object.spec);
  if (Array.isArray(spec.policyTypes) && spec.policyTypes.every((type) => typeof type === 'string')) {
    return [...(spec.policyTypes as string[])];
  }
  // Kubernetes' default: Ingress always, Egress when egress rules are present.
  const ingress = object.kind === 'NetworkPolicy' || spec.ingress !== undefined;
  return [...(ingress ? ['Ingress'] : []), ...(spec.egress !== undefined ? ['Egress'] : [])];
}

/** True when a controller owner of `object` is itself in the snapshot. */
function hasControllerInSnapshot(object: KubeObject, present: ReadonlySet<string>): boolean {
  const namespace = object.metadata.namespace ?? '';
  return (object.metadata.ownerReferences ?? []).some(
    (owner) => owner.controller === true && present.has(sortKey(namespace, owner.kind ?? '', owner.name)),
  );
}

export function inventoryOf(objects: readonly KubeObject[]): SnapshotInventory {
  const namespaceLabels = new Map<string, LabelPair[]>();
  const present = new Set<string>();
  for (const object of objects) {
    if (object.kind === 'Namespace') namespaceLabels.set(object.metadata.name, labelPairs(object.metadata.labels));
    present.add(sortKey(object.metadata.namespace ?? '', object.kind, object.metadata.name));
  }
  for (const object of objects) {
    const namespace = object.metadata.namespace;
    if (namespace && !namespaceLabels.has(namespace)) namespaceLabels.set(namespace, []);
  }

  const workloads: WorkloadItem[] = [];
  const policies: PolicyItem[] = [];
  let podObjects = 0;
  let declaredPods = 0;
  for (const object of objects) {
    if (object.kind === 'Pod') podObjects++;
    if (WORKLOAD_KINDS.has(object.kind) && !hasControllerInSnapshot(object, present)) {
      const replicas = declaredReplicas(object);
      declaredPods += replicas ?? 1;
      workloads.push({
        namespace: object.metadata.namespace ?? '',
        kind: object.kind,
        name: object.metadata.name,
        replicas,
        labels: podTemplateLabels(object),
      });
    }
    if (POLICY_KINDS.has(object.kind)) {
      policies.push({
        namespace: object.metadata.namespace ?? null,
        kind: object.kind,
        name: object.metadata.name,
        policyTypes: policyTypes(object),
      });
    }
  }

  const namespaces = [...namespaceLabels].map(([name, labels]) => ({ name, labels })).sort(byKey(namespaceKey));
  workloads.sort(byKey(workloadKey));
  policies.sort(byKey(policyKey));
  return {
    namespaces,
    workloads,
    policies,
    counts: {
      namespaces: namespaces.length,
      pods: podObjects > 0 ? podObjects : declaredPods,
      workloads: workloads.length,
      policies: policies.length,
    },
  };
}
