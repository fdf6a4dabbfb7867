// The parts of an object that connectivity depends on. Object diffs and causation look only at these, so an
// image bump or an annotation is never reported (or re-analysed) as a possible cause.
import type { KubeObject } from '../manifest/types.js';
import { WORKLOAD_KINDS } from '../manifest/kinds.js';

export const POLICY_KINDS: ReadonlySet<string> = new Set([
  'NetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'ClusterNetworkPolicy',
]);
const CLUSTER_SCOPED: ReadonlySet<string> = new Set(['Namespace', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy']);

export interface ObjectRef {
  readonly kind: string;
  /** '' for cluster-scoped kinds; `default` when a namespaced object names none. */
  readonly namespace: string;
  readonly name: string;
}

export function objectRef(object: KubeObject): ObjectRef {
  const namespace = CLUSTER_SCOPED.has(object.kind) ? '' : (object.metadata.namespace ?? 'default') || 'default';
  return { kind: object.kind, namespace, name: object.metadata.name };
}

export function refId(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
}

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
  return stripUndefined({ hostNetwork: spec.hostNetwork, containers });
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

/** The analysis-relevant view of an object (same paths as the object itself), or undefined when it plays no part. */
export function relevantView(object: KubeObject): Record<string, Json> | undefined {
  const { kind, metadata } = object;
  const spec = object.spec as Json;
  if (POLICY_KINDS.has(kind)) return { spec };
  if (kind === 'Namespace') return { metadata: { labels: metadata.labels ?? {} } };
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
