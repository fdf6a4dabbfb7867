// The projection: the fields analysis needs, applied identically by server ingest and `netpol push`
// (and so the content the snapshot hash covers). Everything else (status noise, annotations, env,
// images, resources, managedFields, ...) is dropped.
//
//   every kind     apiVersion, kind,
//                  metadata { name, namespace, labels, ownerReferences[] { kind, name, uid, controller } }
//                  and metadata.uid on the workload controllers below (owners are matched by uid)
//   Pod            spec { hostNetwork, nodeName, serviceAccountName (from the deprecated `serviceAccount` when
//                         only it is written, as the API server fills it), containers[] { ports[] { name,
//                         containerPort, protocol } } }
//                  status { phase, podIP, podIPs[] { ip } (only when it differs from [podIP]), hostIP }
//   Deployment, ReplicaSet, StatefulSet, DaemonSet, ReplicationController
//                  spec { replicas, selector,
//                         template { metadata { labels }, spec { hostNetwork, serviceAccountName,
//                                                              containers[] (as Pod) } } }
//   Job            spec { parallelism, selector, template (as above) }
//   CronJob        spec { jobTemplate { spec { parallelism, selector, template (as above) } } }
//   Service        spec { type, selector, ports[] { name, protocol, port, targetPort } }
//   the policy kinds of every dialect and the objects their rules reference (dialects/registry.ts:
//   Calico tiers, network sets, host endpoints; Cilium CIDR groups)
//                  spec whole (Cilium also `specs`)
//   Node           status { addresses[] { type, address } } (InternalIP and ExternalIP only)
//   Namespace, ServiceAccount   metadata only (a ServiceAccount's labels: Calico's `serviceAccounts.selector`)
//
// Service accounts (kept since engine 0.x, see model/service-accounts.ts): Calico and Cilium policies select pods by
// them. Snapshots stored before keep their content (stored evidence is projected once): their collected Pods have
// no service account recorded, which the model treats as unknown, not as `default`.
//
// `replicas` (Jobs: `parallelism`) is the pod count analysis gives a controller without Pod objects.
// Absent and null fields are left out, so projecting a projection changes nothing (idempotent).
import { canonicalJson } from './canonical-json.js';
import { registeredKind } from '../dialects/registry.js';
import { WORKLOAD_KINDS } from './kinds.js';
import { FORBIDDEN_KEY, isPlainObject, newPlainObject, type PlainObject } from './plain-data.js';
import type { KubeObject } from './types.js';

/** A projection and its JCS text (canonical-json.ts). */
export interface CanonicalProjection {
  readonly projected: KubeObject;
  readonly text: string;
}

/**
 * projectCanonical builds every object in code-unit key order (its own fields through the sorted order of their
 * shapes, copied maps with their keys sorted); projectObject keeps the order it always wrote (`netpol collect`
 * writes its objects as they are). While the projection also sees nothing JSON.stringify writes differently from JCS
 * (a sorted map with an array-index key, a number that is not finite, a value that is not JSON), the native writer
 * gives the JCS text as it is, without canonicalJson's sorted copy; else canonicalJson writes it. Same text either way.
 */
let keysSorted = false;
let writtenAsIs = true;

export function projectCanonical(object: KubeObject): CanonicalProjection {
  writtenAsIs = typeof object.apiVersion === 'string' && typeof object.kind === 'string';
  keysSorted = true;
  let projected: KubeObject;
  try {
    projected = projectObject(object);
  } finally {
    keysSorted = false;
  }
  return { projected, text: writtenAsIs ? JSON.stringify(projected) : canonicalJson(projected) };
}

export function projectObject(object: KubeObject): KubeObject {
  const source = object as unknown as PlainObject;
  const out = newPlainObject();
  // apiVersion < kind < metadata < spec < specs < status: already code-unit order.
  out['apiVersion'] = object.apiVersion;
  out['kind'] = object.kind;
  out['metadata'] = projectMetadata(source['metadata'], WORKLOAD_KINDS.has(object.kind));
  const kind = object.kind;
  if (kind === 'Pod') {
    put(out, 'spec', pick(source['spec'], podSpecShape(source['spec'], true)));
    put(out, 'status', projectPodStatus(source['status']));
  } else if (kind === 'CronJob') {
    put(out, 'spec', pick(source['spec'], CRON_JOB_SPEC));
  } else if (WORKLOAD_KINDS.has(kind)) {
    put(out, 'spec', projectWorkloadSpec(source['spec'], kind === 'Job' ? JOB_SPEC : REPLICA_SPEC));
  } else if (kind === 'Node') {
    put(out, 'status', pick(source['status'], NODE_STATUS));
  } else if (kind === 'Service') {
    put(out, 'spec', pick(source['spec'], SERVICE_SPEC));
  } else if (registeredKind(object.apiVersion, kind)?.projection === 'spec-whole') {
    put(out, 'spec', cloneData(source['spec']));
    put(out, 'specs', cloneData(source['specs']));
  }
  return out as unknown as KubeObject;
}

/**
 * The fields an object keeps: a scalar field (`null`) is copied as it is, a nested one goes through its projector
 * (when present and not null). `written`: the listed scalars, then the nested ones (projectObject's order);
 * `sorted`: the same in code-unit order of their names (projectCanonical's).
 */
type Projector = (value: unknown) => unknown;
type ShapeEntries = readonly (readonly [field: string, project: Projector | null])[];
interface Shape {
  readonly written: ShapeEntries;
  readonly sorted: ShapeEntries;
}

function shape(fields: readonly string[], nested: Readonly<Record<string, Projector>> = {}): Shape {
  return fromEntries([...fields.map((field): [string, Projector | null] => [field, null]), ...Object.entries(nested)]);
}

function fromEntries(written: ShapeEntries): Shape {
  return { written, sorted: [...written].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) };
}

const OWNER_REFERENCES: Projector = (refs) => mapList(refs, (ref) => pick(ref, OWNER_REFERENCE));
const OWNER_REFERENCE = shape(['kind', 'name', 'uid', 'controller']);
// A uid is kept only where ownership matching reads it: on controllers (the owners), and in owner references.
const CONTROLLER_METADATA = shape(['name', 'namespace', 'uid'], { labels: cloneData, ownerReferences: OWNER_REFERENCES });
const METADATA = shape(['name', 'namespace'], { labels: cloneData, ownerReferences: OWNER_REFERENCES });

function projectMetadata(value: unknown, keepUid: boolean): PlainObject {
  return pick(value, keepUid ? CONTROLLER_METADATA : METADATA) ?? newPlainObject();
}

/** A Node's IP addresses (host names and DNS names are not what peers match). */
function projectNodeAddresses(value: unknown): unknown[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const kept = value.filter((a) => isPlainObject(a) && (a['type'] === 'InternalIP' || a['type'] === 'ExternalIP'));
  return kept.length > 0 ? kept.map((a) => pick(a, NODE_ADDRESS) ?? newPlainObject()) : undefined;
}
const NODE_ADDRESS = shape(['type', 'address']);
const NODE_STATUS = shape([], { addresses: projectNodeAddresses });

const SERVICE_SPEC = shape(['type'], {
  selector: cloneData,
  ports: (ports) => mapList(ports, (port) => pick(port, SERVICE_PORT)),
});
const SERVICE_PORT = shape(['name', 'protocol', 'port', 'targetPort']);

const POD_STATUS = shape(['phase', 'podIP', 'hostIP'], { podIPs: (v) => mapList(v, (ip) => pick(ip, POD_IP)) });
const POD_IP = shape(['ip']);

/** `podIPs` only when it says more than `podIP` (dual-stack, or no podIP). */
function projectPodStatus(value: unknown): PlainObject | undefined {
  const status = pick(value, POD_STATUS);
  const podIPs = status?.['podIPs'];
  if (status && Array.isArray(podIPs) && podIPs.length === 1 && (podIPs[0] as PlainObject)['ip'] === status['podIP']) {
    delete status['podIPs'];
  }
  return status;
}

const CONTAINER_PORT = shape(['name', 'containerPort', 'protocol']);
const CONTAINER = shape([], { ports: (ports) => mapList(ports, (port) => pick(port, CONTAINER_PORT)) });
const CONTAINERS: Projector = (containers) => mapList(containers, (container) => pick(container, CONTAINER));
const POD_SPEC = shape(['hostNetwork', 'nodeName', 'serviceAccountName'], { containers: CONTAINERS });
const TEMPLATE_POD_SPEC = shape(['hostNetwork', 'serviceAccountName'], { containers: CONTAINERS });

/** The shape of a pod spec; the API server fills `serviceAccountName` from the deprecated `serviceAccount`, so one
 *  field is kept, as it would. */
function podSpecShape(value: unknown, isPod: boolean): Shape {
  if (isPlainObject(value) && (value['serviceAccountName'] === undefined || value['serviceAccountName'] === null) && typeof value['serviceAccount'] === 'string') {
    return isPod ? POD_SPEC_FROM_SERVICE_ACCOUNT : TEMPLATE_POD_SPEC_FROM_SERVICE_ACCOUNT;
  }
  return isPod ? POD_SPEC : TEMPLATE_POD_SPEC;
}
/** Read from the spec itself (`serviceAccount`), not from the field of its name. */
const SERVICE_ACCOUNT: Projector = () => undefined;
const fromServiceAccount = (spec: Shape): Shape =>
  fromEntries(spec.written.map(([field, project]) => [field, field === 'serviceAccountName' ? SERVICE_ACCOUNT : project] as const));
const POD_SPEC_FROM_SERVICE_ACCOUNT = fromServiceAccount(POD_SPEC);
const TEMPLATE_POD_SPEC_FROM_SERVICE_ACCOUNT = fromServiceAccount(TEMPLATE_POD_SPEC);

const TEMPLATE = shape([], {
  metadata: (metadata) => pick(metadata, TEMPLATE_METADATA),
  spec: (spec) => pick(spec, podSpecShape(spec, false)),
});
const TEMPLATE_METADATA = shape([], { labels: cloneData });
/** The field a controller declares its pod count in (`replicas`, Jobs `parallelism`). */
const REPLICA_SPEC = shape(['replicas'], { selector: cloneData, template: (template) => pick(template, TEMPLATE) });
const JOB_SPEC = shape(['parallelism'], { selector: cloneData, template: (template) => pick(template, TEMPLATE) });
const CRON_JOB_SPEC = shape([], { jobTemplate: (template) => pick(template, JOB_TEMPLATE) });
const JOB_TEMPLATE = shape([], { spec: (spec) => projectWorkloadSpec(spec, JOB_SPEC) });

function projectWorkloadSpec(value: unknown, spec: Shape): PlainObject | undefined {
  return pick(value, spec);
}

/** The shape's scalar fields as they are, and its nested ones through their projector; undefined when nothing is left. */
function pick(value: unknown, fields: Shape): PlainObject | undefined {
  if (!isPlainObject(value)) return undefined;
  const out = newPlainObject();
  let kept = 0;
  for (const [field, project] of keysSorted ? fields.sorted : fields.written) {
    const member = value[field];
    let projected: unknown;
    if (project === null) projected = cloneData(member);
    else if (project === SERVICE_ACCOUNT) projected = cloneData(value['serviceAccountName'] ?? value['serviceAccount']);
    else if (member !== undefined && member !== null) projected = project(member);
    if (projected !== undefined && projected !== null) {
      out[field] = projected;
      kept++;
    }
  }
  return kept > 0 ? out : undefined;
}

function mapList(value: unknown, project: Projector): unknown[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.map((item) => project(item) ?? newPlainObject());
}

function put(target: PlainObject, key: string, value: unknown): void {
  if (value !== undefined && value !== null) target[key] = value;
}

/** Deep copy as null-prototype data, leaving out null/undefined map values and `__proto__` keys. */
function cloneData(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) return value.map((item) => cloneData(item) ?? null);
  if (typeof value !== 'object') {
    if (writtenAsIs && !(typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)))) writtenAsIs = false;
    return value;
  }
  const out = newPlainObject();
  const keys = Object.keys(value);
  // projectCanonical copies a map with its keys in code-unit order (maps a tool wrote in its own order: a policy's
  // `ports` as Go structs order them), so the native writer gives the JCS text. A copy enumerates array-index keys
  // first, numerically, whatever the insertion order: a sorted map holding one is left to canonicalJson. Keys that
  // Object.keys gives ascending are enumerated in that order, array-index ones included.
  if (keysSorted && !ascending(keys)) {
    keys.sort();
    if (writtenAsIs && keys.some(startsWithDigit)) writtenAsIs = false;
  }
  for (const key of keys) {
    if (key === FORBIDDEN_KEY) continue;
    put(out, key, cloneData((value as PlainObject)[key]));
  }
  return out;
}

function ascending(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (!(keys[i - 1]! < keys[i]!)) return false;
  return true;
}

/** Conservative for array-index keys ("0", "42"): any key starting with a digit. */
function startsWithDigit(key: string): boolean {
  const c = key.charCodeAt(0);
  return c >= 48 && c <= 57;
}
