// The parts of an object that connectivity depends on. Object diffs and causation look only at these, so an
// image bump or an annotation is never reported (or re-analysed) as a possible cause.
import { defaultGroupOf, identityGroup, registeredKind } from '../dialects/registry.js';
import type { KubeObject } from '../manifest/types.js';
import { WORKLOAD_KINDS } from '../manifest/kinds.js';
import { jsonEqual } from './describe-values.js';

/** Whether a reference names a policy of some dialect (the registry decides, by API group + kind). */
export function isPolicyRef(ref: ObjectRef): boolean {
  return registeredKind(ref.apiGroup ? `${ref.apiGroup}/v` : 'v1', ref.kind)?.role === 'policy';
}

export interface ObjectRef {
  readonly kind: string;
  /** The API group that, with the kind, identifies the object ('' for the core group). */
  readonly apiGroup: string;
  /** '' for cluster-scoped kinds; `default` when a namespaced object names none. */
  readonly namespace: string;
  readonly name: string;
}

interface KindFacts {
  readonly apiGroup: string;
  readonly clusterScoped: boolean;
  readonly isPolicy: boolean;
}

// Per (apiVersion, kind): object diffs ask for every object of two snapshots (100k+ at 50k pods).
const kindFacts = new Map<string, Map<string, KindFacts>>();

function factsOf(apiVersion: string, kind: string): KindFacts {
  let byKind = kindFacts.get(apiVersion);
  if (!byKind) kindFacts.set(apiVersion, (byKind = new Map()));
  let facts = byKind.get(kind);
  if (!facts) {
    const registered = registeredKind(apiVersion, kind);
    facts = {
      apiGroup: identityGroup(apiVersion, kind),
      clusterScoped: kind === 'Namespace' || kind === 'Node' || (registered !== undefined && !registered.namespaced),
      isPolicy: registered?.role === 'policy',
    };
    byKind.set(kind, facts);
  }
  return facts;
}

export function objectRef(object: KubeObject): ObjectRef {
  const { apiGroup, clusterScoped } = factsOf(object.apiVersion, object.kind);
  const namespace = clusterScoped ? '' : (object.metadata.namespace ?? 'default') || 'default';
  return { kind: object.kind, apiGroup, namespace, name: object.metadata.name };
}

/** `Kind/ns/name`; the group shows only when it is not the kind's default (a Calico NetworkPolicy is
 *  `NetworkPolicy.projectcalico.org/ns/name`, never the Kubernetes one). */
export function refId(ref: ObjectRef): string {
  const kind = kindText(ref);
  return ref.namespace ? `${kind}/${ref.namespace}/${ref.name}` : `${kind}/${ref.name}`;
}

/** The kind, with its API group when that is not the kind's default. */
export function kindText(ref: Pick<ObjectRef, 'kind' | 'apiGroup'>): string {
  let home = defaultGroups.get(ref.kind);
  if (home === undefined) defaultGroups.set(ref.kind, (home = defaultGroupOf(ref.kind)));
  return ref.apiGroup === home ? ref.kind : `${ref.kind}.${ref.apiGroup}`;
}

const defaultGroups = new Map<string, string>();

type Json = unknown;
const isRecord = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

// Only what named-port resolution reads: `hostPort` and the like must not show up as a modification when a
// proposed (unprojected) manifest is compared with a stored (projected) object; an absent protocol means TCP.
function portsView(ports: Json): Json {
  if (!Array.isArray(ports)) return ports;
  return ports.map((p) => (isRecord(p) ? stripUndefined({ name: p.name, containerPort: p.containerPort, protocol: p.protocol ?? 'TCP' }) : p));
}

function podSpecView(spec: Json): Json {
  if (!isRecord(spec)) return undefined;
  const containers = Array.isArray(spec.containers)
    ? spec.containers.map((c) => (isRecord(c) ? { name: c.name, ports: portsView(c.ports) } : c))
    : undefined;
  // Calico and Cilium select pods by service account; absent means `default` (the API server fills it), so a
  // manifest without it equals its stored, filled-in form.
  const serviceAccountName = typeof spec.serviceAccountName === 'string' && spec.serviceAccountName !== '' ? spec.serviceAccountName : 'default';
  return stripUndefined({ hostNetwork: spec.hostNetwork, serviceAccountName, containers });
}

function templateView(template: Json): Json {
  if (!isRecord(template)) return undefined;
  const metadata = isRecord(template.metadata) ? { labels: template.metadata.labels } : undefined;
  return stripUndefined({ metadata: stripUndefined(metadata), spec: podSpecView(template.spec) });
}

function stripUndefined<T>(value: T): T {
  if (!isRecord(value)) return value;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return (Object.keys(out).length > 0 ? out : undefined) as T;
}

/** Whether an object plays a part in connectivity: `relevantView(object) !== undefined`, without building the view. */
export function isRelevant(object: KubeObject): boolean {
  const { kind } = object;
  return (
    kind === 'Namespace' ||
    kind === 'Pod' ||
    (kind === 'ServiceAccount' && object.apiVersion === 'v1') ||
    WORKLOAD_KINDS.has(kind) ||
    factsOf(object.apiVersion, kind).isPolicy
  );
}

/** Whether two objects of one identity have the same relevant view, compared without building the views: the
 *  raw fields `relevantView` reads (labels, owner references, and of a pod spec only what `podSpecView` reads)
 *  are equal. Never true when the views differ (keep the two in step); may be false when they are equal. */
export function sameRelevantInputs(a: KubeObject, b: KubeObject): boolean {
  if (!jsonEqual(a.metadata.labels, b.metadata.labels) || !jsonEqual(a.metadata.ownerReferences, b.metadata.ownerReferences)) return false;
  const x = a.spec as Json;
  const y = b.spec as Json;
  if (x === y) return true;
  const { kind } = a;
  if (kind !== b.kind || factsOf(a.apiVersion, kind).isPolicy) return jsonEqual(x, y);
  // Pod specs carry images, env, resources and volumes, none of which the analysis reads: at 50k pods comparing
  // them whole was most of an object diff.
  if (kind === 'Pod') return samePodSpecInputs(x, y);
  if (!WORKLOAD_KINDS.has(kind) || !isRecord(x) || !isRecord(y)) return jsonEqual(x, y);
  if (kind === 'CronJob') {
    const inner = (spec: Record<string, Json>) => (isRecord(spec.jobTemplate) && isRecord(spec.jobTemplate.spec) ? spec.jobTemplate.spec.template : undefined);
    return sameTemplateInputs(inner(x), inner(y));
  }
  return sameTemplateInputs(x.template, y.template);
}

function sameTemplateInputs(x: Json, y: Json): boolean {
  if (x === y) return true;
  if (!isRecord(x) || !isRecord(y)) return jsonEqual(x, y);
  const labelsOf = (metadata: Json) => (isRecord(metadata) ? metadata.labels : metadata);
  return jsonEqual(labelsOf(x.metadata), labelsOf(y.metadata)) && samePodSpecInputs(x.spec, y.spec);
}

/** The raw inputs of `podSpecView`: hostNetwork, serviceAccountName, and each container's name and ports. */
function samePodSpecInputs(x: Json, y: Json): boolean {
  if (x === y) return true;
  if (!isRecord(x) || !isRecord(y)) return jsonEqual(x, y);
  if (x.hostNetwork !== y.hostNetwork || x.serviceAccountName !== y.serviceAccountName) return false;
  const c = x.containers;
  const d = y.containers;
  if (!Array.isArray(c) || !Array.isArray(d)) return jsonEqual(c, d);
  if (c.length !== d.length) return false;
  for (let i = 0; i < c.length; i++) {
    const p = c[i] as Json;
    const q = d[i] as Json;
    if (!isRecord(p) || !isRecord(q)) {
      if (!jsonEqual(p, q)) return false;
    } else if (p.name !== q.name || !jsonEqual(p.ports, q.ports)) return false;
  }
  return true;
}

/** The analysis-relevant view of an object (same paths as the object itself), or undefined when it plays no part. */
export function relevantView(object: KubeObject): Record<string, Json> | undefined {
  const { kind, metadata } = object;
  const spec = object.spec as Json;
  if (registeredKind(object.apiVersion, kind)?.role === 'policy') return { spec };
  if (kind === 'Namespace') return { metadata: { labels: metadata.labels ?? {} } };
  // Calico's serviceAccounts.selector reads a ServiceAccount's labels.
  if (kind === 'ServiceAccount' && object.apiVersion === 'v1') return { metadata: { labels: metadata.labels ?? {} } };
  const meta = stripUndefined({ labels: metadata.labels, ownerReferences: metadata.ownerReferences });
  if (kind === 'Pod') return stripUndefined({ metadata: meta, spec: podSpecView(spec) }) ?? {};
  if (!WORKLOAD_KINDS.has(kind)) return undefined;
  const ownerOnly = stripUndefined({ ownerReferences: metadata.ownerReferences });
  if (kind === 'CronJob') {
    const jobTemplate = isRecord(spec) && isRecord(spec.jobTemplate) ? spec.jobTemplate : undefined;
    const inner = jobTemplate && isRecord(jobTemplate.spec) ? jobTemplate.spec.template : undefined;
    return stripUndefined({ metadata: ownerOnly, spec: stripUndefined({ jobTemplate: stripUndefined({ spec: stripUndefined({ template: templateView(inner) }) }) }) }) ?? {};
  }
  const template = isRecord(spec) ? spec.template : undefined;
  return stripUndefined({ metadata: ownerOnly, spec: stripUndefined({ template: templateView(template) }) }) ?? {};
}
