// Kubernetes object builders for the synthetic cluster, shaped like `kubectl get ... -o json` output
// (metadata with uid / resourceVersion / ownerReferences, pod status with IPs) so parsing cost is realistic.
import type { Random } from './random.js';

export type Json = Record<string, unknown>;

export interface ContainerPort {
  readonly name: string;
  readonly containerPort: number;
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
}

export interface PodTemplate {
  readonly labels: Record<string, string>;
  readonly image: string;
  readonly ports: readonly ContainerPort[];
}

export interface OwnerRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
}

/** Deterministic object identity and timestamps, drawn from the cluster's PRNG. */
export class ObjectFactory {
  private resourceVersion = 1000;
  private podIp = 0;

  constructor(private readonly random: Random) {}

  uid(): string {
    const r = this.random;
    return `${r.hex(8)}-${r.hex(4)}-4${r.hex(3)}-a${r.hex(3)}-${r.hex(12)}`;
  }

  metadata(name: string, namespace: string | undefined, labels: Record<string, string>, extra: Json = {}): Json {
    const day = String(1 + (this.resourceVersion % 28)).padStart(2, '0');
    return {
      ...(namespace === undefined ? {} : { namespace }),
      name,
      uid: this.uid(),
      resourceVersion: String(this.resourceVersion++),
      creationTimestamp: `2026-10-${day}T08:00:00Z`,
      ...(Object.keys(labels).length > 0 ? { labels } : {}),
      ...extra,
    };
  }

  nextPodIp(): string {
    const n = this.podIp++;
    return `10.${244 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`;
  }
}

function containerSpec(template: PodTemplate): Json {
  return {
    name: 'main',
    image: template.image,
    imagePullPolicy: 'IfNotPresent',
    ...(template.ports.length > 0
      ? { ports: template.ports.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol ?? 'TCP' })) }
      : {}),
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
  };
}

export function podSpec(template: PodTemplate, nodeName?: string): Json {
  return {
    containers: [containerSpec(template)],
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    serviceAccountName: 'default',
    terminationGracePeriodSeconds: 30,
    ...(nodeName ? { nodeName } : {}),
  };
}

export function namespaceObject(f: ObjectFactory, name: string, labels: Record<string, string>): Json {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: f.metadata(name, undefined, { 'kubernetes.io/metadata.name': name, ...labels }),
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

export function podObject(
  f: ObjectFactory,
  namespace: string,
  name: string,
  template: PodTemplate,
  extraLabels: Record<string, string>,
  owner: OwnerRef,
  nodeName: string,
  hostIp: string,
): Json {
  const ip = f.nextPodIp();
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: f.metadata(name, namespace, { ...template.labels, ...extraLabels }, {
      generateName: `${owner.name}-`,
      ownerReferences: [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.name, uid: owner.uid, controller: true, blockOwnerDeletion: true }],
    }),
    spec: podSpec(template, nodeName),
    status: {
      phase: 'Running',
      hostIP: hostIp,
      podIP: ip,
      podIPs: [{ ip }],
      qosClass: 'Burstable',
      startTime: '2026-10-01T08:00:05Z',
      conditions: [
        { type: 'Ready', status: 'True', lastTransitionTime: '2026-10-01T08:00:09Z' },
        { type: 'ContainersReady', status: 'True', lastTransitionTime: '2026-10-01T08:00:09Z' },
        { type: 'PodScheduled', status: 'True', lastTransitionTime: '2026-10-01T08:00:05Z' },
      ],
      containerStatuses: [{ name: 'main', ready: true, restartCount: 0, started: true, image: template.image, state: { running: { startedAt: '2026-10-01T08:00:08Z' } } }],
    },
  };
}

export function controllerObject(
  f: ObjectFactory,
  kind: 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet',
  namespace: string,
  name: string,
  template: PodTemplate,
  replicas: number,
  templateExtraLabels: Record<string, string> = {},
  owner?: OwnerRef,
): { object: Json; ref: OwnerRef } {
  const metadata = f.metadata(name, namespace, template.labels, owner
    ? { ownerReferences: [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.name, uid: owner.uid, controller: true, blockOwnerDeletion: true }] }
    : {});
  const selectorLabels = { app: template.labels.app, ...templateExtraLabels };
  const spec: Json = {
    selector: { matchLabels: selectorLabels },
    template: { metadata: { labels: { ...template.labels, ...templateExtraLabels } }, spec: podSpec(template) },
  };
  if (kind !== 'DaemonSet') spec.replicas = replicas;
  if (kind === 'StatefulSet') spec.serviceName = name;
  const object = { apiVersion: 'apps/v1', kind, metadata, spec, status: { replicas, readyReplicas: replicas } };
  return { object, ref: { apiVersion: 'apps/v1', kind, name, uid: String(metadata.uid) } };
}

export function networkPolicyObject(f: ObjectFactory, namespace: string, name: string, spec: Json): Json {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: f.metadata(name, namespace, {}), spec };
}
