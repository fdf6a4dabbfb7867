// The normalised objects of one snapshot content: namespaces, workloads (named by their top-level controller),
// pods and policies, as rows for the `snapshot_*` tables, plus the counts stored with every snapshot. A pure
// function of the stored content (the projected objects in canonical order), built on the engine's model so the
// API lists exactly the workloads and pods that analysis sees.
//
// Rules (README "Snapshot counts"):
// - workloads: the engine's workloads grouped by top-level controller (a Deployment and its ReplicaSets are one
//   workload; a Pod whose controller is not in the snapshot is grouped under that controller's name; a Pod with
//   no controller is its own workload).
// - pods: the Pod objects, and for a controller that stands for its pods (no Pod objects in the input) the
//   replicas the engine lists for it (`<workload>-<i>`, synthetic, at most LISTED_REPLICAS: a controller's
//   replicas are never materialised one row each). `counts.pods` counts the Pod objects when there are any (a live
//   cluster), else the replicas controllers declare (a manifest-only snapshot), arithmetically.
// - namespaces: Namespace objects plus every namespace an object lives in.
// - policies: NetworkPolicy (analysed) and the other policy kinds (stored, not analysed yet).
import {
  apiGroupOf,
  buildSnapshot,
  registeredKind,
  parseManifests,
  WORKLOAD_KINDS,
  podCount,
  podTemplateLabels,
  specReplicas,
  workloadPods,
  type KubeObject,
  type ParsedObject,
  type Snapshot as EngineSnapshot,
  type Workload as EngineWorkload,
} from '@netpol-atlas/engine';
import type { SnapshotCounts } from '../snapshot-counts.js';

export type Labels = Readonly<Record<string, string>>;

export interface NamespaceRow {
  readonly name: string;
  /** Labels of the Namespace object as written ({} when only referenced). */
  readonly labels: Labels;
  /** True when the snapshot holds the Namespace object. */
  readonly declared: boolean;
}

export interface WorkloadRow {
  readonly namespace: string;
  /** Top-level controller kind (Deployment, StatefulSet, DaemonSet, CronJob, …) or Pod. */
  readonly kind: string;
  readonly name: string;
  /** Declared spec.replicas (default 1) of a Deployment, StatefulSet, ReplicaSet, ReplicationController; else null. */
  readonly replicas: number | null;
  /** Pods analysis counts for it (see `PodRow`). */
  readonly pods: number;
  /** Labels of its pods (what policies select): the controller's pod template, else its first pod's. */
  readonly labels: Labels;
}

export interface PodRow {
  readonly namespace: string;
  readonly name: string;
  /** A replica a controller stands for (no Pod object in the snapshot). */
  readonly synthetic: boolean;
  readonly workloadKind: string;
  readonly workloadName: string;
  readonly labels: Labels;
  readonly ips: readonly string[];
}

export interface PolicyRow {
  /** null for cluster-scoped kinds (AdminNetworkPolicy, GlobalNetworkPolicy, CiliumClusterwideNetworkPolicy, …). */
  readonly namespace: string | null;
  readonly kind: string;
  readonly apiVersion: string;
  readonly name: string;
  /** Ingress and/or Egress (in that order for analysed policies), Kubernetes defaults applied when omitted. */
  readonly policyTypes: readonly string[];
  /** The policy object's own labels. */
  readonly labels: Labels;
  /** True when the engine analyses this kind (networking.k8s.io/v1 NetworkPolicy). */
  readonly analysed: boolean;
}

export interface SnapshotObjects {
  readonly namespaces: readonly NamespaceRow[];
  readonly workloads: readonly WorkloadRow[];
  readonly pods: readonly PodRow[];
  readonly policies: readonly PolicyRow[];
  readonly counts: SnapshotCounts;
}

const DEFAULT_NAMESPACE = 'default';
/** Policies of every dialect come from the engine's registry (by API group + kind); cluster-scoped ones have no namespace. */
const policyKindOf = (object: KubeObject) => {
  const registered = registeredKind(object.apiVersion, object.kind);
  return registered?.role === 'policy' ? registered : undefined;
};
const isClusterScoped = (object: KubeObject) => {
  const registered = registeredKind(object.apiVersion, object.kind);
  return registered !== undefined && !registered.namespaced;
};

/** Code-unit order of tuples, the order of every list here (and of the `COLLATE "C"` columns). */
export function compareTuples(a: readonly (string | boolean)[], b: readonly (string | boolean)[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = String(a[i]);
    const y = String(b[i]);
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export const namespaceSortKey = (row: NamespaceRow) => [row.name];
export const workloadSortKey = (row: Pick<WorkloadRow, 'namespace' | 'kind' | 'name'>) => [row.namespace, row.kind, row.name];
export const podSortKey = (row: PodRow) => [row.namespace, row.name, row.synthetic];
export const policySortKey = (row: Pick<PolicyRow, 'namespace' | 'kind' | 'name' | 'apiVersion'>) => [row.namespace ?? '', row.kind, row.name, row.apiVersion];

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** String-valued labels with sorted keys (a plain object, so it serialises the same way every time). */
function sortedLabels(value: unknown): Labels {
  const out: Record<string, string> = {};
  for (const key of Object.keys(record(value)).sort()) {
    const labelValue = record(value)[key];
    if (typeof labelValue === 'string') out[key] = labelValue;
  }
  return out;
}

const objectKey = (namespace: string, kind: string, name: string) => `${namespace}\u0000${kind}\u0000${name}`;


/** policyTypes of a kind the engine does not analyse: as written, else Kubernetes' NetworkPolicy defaulting. */
function writtenPolicyTypes(object: KubeObject): string[] {
  const spec = record(object.spec);
  if (Array.isArray(spec.policyTypes) && spec.policyTypes.every((type) => typeof type === 'string')) {
    return [...new Set(spec.policyTypes as string[])];
  }
  const ingress = object.kind === 'NetworkPolicy' || spec.ingress !== undefined;
  return [...(ingress ? ['Ingress'] : []), ...(spec.egress !== undefined ? ['Egress'] : [])];
}

/** The engine's objects for `buildSnapshot`: content items, located as `items[i]` of the stored array. */
export function contentObjects(objects: readonly KubeObject[]): ParsedObject[] {
  return objects.map((object, index) => ({ object, source: { file: 'content', document: 0, pathPrefix: `items[${index}]` } }));
}

/** The objects of stored content bytes (a JSON array of projected objects, in canonical order). */
export function objectsFromContent(content: Buffer): KubeObject[] {
  // Wrapped as a List: the engine's JSON reader takes Kubernetes objects, not bare arrays.
  const parsed = parseManifests([{ path: 'content', text: `{"apiVersion":"v1","kind":"List","items":${content.toString('utf8')}}` }]);
  const error = parsed.issues.find((issue) => issue.severity === 'error');
  if (error) throw new Error(`stored content does not parse: ${error.message} at ${error.path}`);
  return parsed.objects.map((item) => item.object);
}

/** Rows of every table for `objects` (the stored content: projected, in canonical order). */
export function normaliseSnapshot(objects: readonly KubeObject[]): SnapshotObjects {
  const model = buildSnapshot(contentObjects(objects)).snapshot;
  const controllers = new Map<string, KubeObject>();
  const namespaceObjects = new Map<string, KubeObject>();
  const otherNamespaces = new Set<string>();
  for (const object of objects) {
    const namespace = object.metadata.namespace || DEFAULT_NAMESPACE;
    if (object.kind === 'Namespace') {
      if (!namespaceObjects.has(object.metadata.name)) namespaceObjects.set(object.metadata.name, object);
      continue;
    }
    if (WORKLOAD_KINDS.has(object.kind) || object.kind === 'Pod') {
      const key = objectKey(namespace, object.kind, object.metadata.name);
      if (!controllers.has(key)) controllers.set(key, object);
    }
    if (!isClusterScoped(object)) otherNamespaces.add(namespace);
  }

  const workloads = topLevelWorkloads(model.workloads, controllers);
  const pods = podRows(model.workloads);
  const policies = policyRows(objects, model);

  const names = new Set([...model.namespaces.keys(), ...namespaceObjects.keys(), ...otherNamespaces]);
  const namespaces = [...names]
    .map((name) => ({ name, labels: sortedLabels(namespaceObjects.get(name)?.metadata.labels), declared: namespaceObjects.has(name) }))
    .sort((a, b) => compareTuples(namespaceSortKey(a), namespaceSortKey(b)));

  return {
    namespaces,
    workloads,
    pods,
    policies,
    counts: { namespaces: namespaces.length, pods: countedPods(pods, model), workloads: workloads.length, policies: policies.length },
  };
}

/** `counts.pods`: the Pod objects when the snapshot has any (a live cluster), else the replicas controllers stand for. */
function countedPods(pods: readonly PodRow[], model: EngineSnapshot): number {
  const objects = pods.filter((pod) => !pod.synthetic).length;
  return objects > 0 ? objects : model.workloads.reduce((n, w) => n + podCount(w), 0);
}

/** Key of the API workload (top-level controller) an engine workload belongs to. */
export function topLevelKey(workload: EngineWorkload): string {
  return objectKey(workload.namespace, workload.topLevel.kind, workload.topLevel.name);
}

function topLevelWorkloads(engineWorkloads: readonly EngineWorkload[], controllers: ReadonlyMap<string, KubeObject>): WorkloadRow[] {
  const rows = new Map<string, { namespace: string; kind: string; name: string; pods: number; first: EngineWorkload }>();
  for (const workload of engineWorkloads) {
    const key = topLevelKey(workload);
    const pods = podCount(workload);
    const row = rows.get(key);
    if (row) row.pods += pods;
    else rows.set(key, { namespace: workload.namespace, kind: workload.topLevel.kind, name: workload.topLevel.name, pods, first: workload });
  }
  return [...rows.entries()]
    .map(([key, row]) => {
      const object = controllers.get(key);
      const labels = object && object.kind !== 'Pod' ? sortedLabels(podTemplateLabels(object)) : sortedLabels(row.first.labels);
      return { namespace: row.namespace, kind: row.kind, name: row.name, replicas: specReplicas(object), pods: row.pods, labels };
    })
    .sort((a, b) => compareTuples(workloadSortKey(a), workloadSortKey(b)));
}

function podRows(engineWorkloads: readonly EngineWorkload[]): PodRow[] {
  const rows = new Map<string, PodRow>();
  for (const workload of engineWorkloads) {
    for (const pod of workloadPods(workload)) {
      const row: PodRow = {
        namespace: pod.namespace,
        name: pod.name,
        synthetic: pod.synthetic,
        workloadKind: workload.topLevel.kind,
        workloadName: workload.topLevel.name,
        labels: sortedLabels(pod.labels),
        ips: [...pod.ips],
      };
      // The same Pod twice in the input (e.g. one file given twice): listed once.
      const key = podSortKey(row).join('\u0000');
      if (!rows.has(key)) rows.set(key, row);
    }
  }
  return [...rows.values()].sort((a, b) => compareTuples(podSortKey(a), podSortKey(b)));
}

function policyRows(objects: readonly KubeObject[], model: EngineSnapshot): PolicyRow[] {
  const analysedKey = (apiVersion: string, kind: string, namespace: string, name: string) => `${apiGroupOf(apiVersion)}\u0000${kind}\u0000${namespace}/${name}`;
  const analysed = new Map(model.policies.map((policy) => [analysedKey(policy.apiVersion, policy.kind, policy.namespace, policy.name), policy]));
  const rows = new Map<string, PolicyRow>();
  for (const object of objects) {
    const registered = policyKindOf(object);
    if (!registered) continue;
    const clusterScoped = !registered.namespaced;
    const namespace = clusterScoped ? null : object.metadata.namespace || DEFAULT_NAMESPACE;
    const compiled = analysed.get(analysedKey(object.apiVersion, object.kind, namespace ?? '', object.metadata.name));
    const policyTypes = compiled
      ? [...(compiled.ingress.affects ? ['Ingress'] : []), ...(compiled.egress.affects ? ['Egress'] : [])]
      : writtenPolicyTypes(object);
    const row: PolicyRow = {
      namespace,
      kind: object.kind,
      apiVersion: object.apiVersion,
      name: object.metadata.name,
      policyTypes,
      labels: sortedLabels(object.metadata.labels),
      analysed: compiled !== undefined,
    };
    const key = policySortKey(row).join('\u0000');
    if (!rows.has(key)) rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => compareTuples(policySortKey(a), policySortKey(b)));
}
