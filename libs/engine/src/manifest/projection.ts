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
import { registeredKind } from '../dialects/registry.js';
import { WORKLOAD_KINDS } from './kinds.js';
import { FORBIDDEN_KEY, isPlainObject, newPlainObject, type PlainObject } from './plain-data.js';
import type { KubeObject } from './types.js';


export function projectObject(object: KubeObject): KubeObject {
  const source = object as unknown as PlainObject;
  const out = newPlainObject();
  out['apiVersion'] = object.apiVersion;
  out['kind'] = object.kind;
  out['metadata'] = projectMetadata(source['metadata'], WORKLOAD_KINDS.has(object.kind));
  const kind = object.kind;
  if (kind === 'Pod') {
    put(out, 'spec', projectPodSpec(source['spec'], true));
    put(out, 'status', projectPodStatus(source['status']));
  } else if (kind === 'CronJob') {
    put(out, 'spec', pick(source['spec'], [], {
      jobTemplate: (template) => pick(template, [], { spec: (spec) => projectWorkloadSpec(spec, JOB_COUNT) }),
    }));
  } else if (WORKLOAD_KINDS.has(kind)) {
    put(out, 'spec', projectWorkloadSpec(source['spec'], kind === 'Job' ? JOB_COUNT : REPLICA_COUNT));
  } else if (kind === 'Node') {
    put(out, 'status', pick(source['status'], [], { addresses: projectNodeAddresses }));
  } else if (kind === 'Service') {
    put(out, 'spec', pick(source['spec'], ['type'], {
      selector: cloneData,
      ports: (ports) => mapList(ports, (port) => pick(port, ['name', 'protocol', 'port', 'targetPort'])),
    }));
  } else if (registeredKind(object.apiVersion, kind)?.projection === 'spec-whole') {
    put(out, 'spec', cloneData(source['spec']));
    put(out, 'specs', cloneData(source['specs']));
  }
  return out as unknown as KubeObject;
}

// A uid is kept only where ownership matching reads it: on controllers (the owners), and in owner references.
function projectMetadata(value: unknown, keepUid: boolean): PlainObject {
  return pick(value, keepUid ? ['name', 'namespace', 'uid'] : ['name', 'namespace'], {
    labels: cloneData,
    ownerReferences: (refs) => mapList(refs, (ref) => pick(ref, ['kind', 'name', 'uid', 'controller'])),
  }) ?? newPlainObject();
}

/** A Node's IP addresses (host names and DNS names are not what peers match). */
function projectNodeAddresses(value: unknown): unknown[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const kept = value.filter((a) => isPlainObject(a) && (a['type'] === 'InternalIP' || a['type'] === 'ExternalIP'));
  return kept.length > 0 ? kept.map((a) => pick(a, ['type', 'address']) ?? newPlainObject()) : undefined;
}

/** `podIPs` only when it says more than `podIP` (dual-stack, or no podIP). */
function projectPodStatus(value: unknown): PlainObject | undefined {
  const status = pick(value, ['phase', 'podIP', 'hostIP'], { podIPs: (v) => mapList(v, (ip) => pick(ip, ['ip'])) });
  const podIPs = status?.['podIPs'];
  if (status && Array.isArray(podIPs) && podIPs.length === 1 && (podIPs[0] as PlainObject)['ip'] === status['podIP']) {
    delete status['podIPs'];
  }
  return status;
}

/** The field a controller declares its pod count in. */
const REPLICA_COUNT = ['replicas'];
const JOB_COUNT = ['parallelism'];

function projectWorkloadSpec(value: unknown, countFields: readonly string[]): PlainObject | undefined {
  return pick(value, countFields, {
    selector: cloneData,
    template: (template) =>
      pick(template, [], {
        metadata: (metadata) => pick(metadata, [], { labels: cloneData }),
        spec: (spec) => projectPodSpec(spec, false),
      }),
  });
}

function projectPodSpec(value: unknown, isPod: boolean): PlainObject | undefined {
  // The API server fills `serviceAccountName` from the deprecated `serviceAccount`: one field is kept, as it would.
  if (isPlainObject(value) && (value['serviceAccountName'] === undefined || value['serviceAccountName'] === null) && typeof value['serviceAccount'] === 'string') {
    value = { ...value, serviceAccountName: value['serviceAccount'] };
  }
  return pick(value, isPod ? ['hostNetwork', 'nodeName', 'serviceAccountName'] : ['hostNetwork', 'serviceAccountName'], {
    containers: (containers) =>
      mapList(containers, (container) =>
        pick(container, [], {
          ports: (ports) => mapList(ports, (port) => pick(port, ['name', 'containerPort', 'protocol'])),
        }),
      ),
  });
}

type Projector = (value: unknown) => unknown;

/** The listed scalar fields as they are, and the nested ones through their projector; undefined when nothing is left. */
function pick(value: unknown, fields: readonly string[], nested: Readonly<Record<string, Projector>> = {}): PlainObject | undefined {
  if (!isPlainObject(value)) return undefined;
  const out = newPlainObject();
  for (const field of fields) put(out, field, cloneData(value[field]));
  for (const [field, project] of Object.entries(nested)) {
    if (value[field] !== undefined && value[field] !== null) put(out, field, project(value[field]));
  }
  return Object.keys(out).length > 0 ? out : undefined;
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
  if (typeof value !== 'object') return value;
  const out = newPlainObject();
  for (const key of Object.keys(value)) {
    if (key !== FORBIDDEN_KEY) put(out, key, cloneData((value as PlainObject)[key]));
  }
  return out;
}
