// Hand-built Kubernetes objects for model and semantics tests (no parser involved).
import type { KubeObject, ParsedObject } from '../src/manifest/types.js';
import { buildSnapshot } from '../src/model/snapshot.js';
import type { EngineOptions, Snapshot } from '../src/model/types.js';
import { evaluate, type PeerSpec } from '../src/analysis/evaluate.js';
import type { Protocol } from '../src/algebra/connection-set.js';
import { analyze } from '../src/analysis/analyze.js';
import type { Analysis } from '../src/analysis/types.js';
import { parseManifests } from '../src/manifest/parse-manifests.js';
import { clientServerList } from '../../../tools/testing/client-server.js';

let counter = 0;

export function parsed(object: Record<string, unknown>): ParsedObject {
  return { object: object as unknown as KubeObject, source: { file: 'test.yaml', document: counter++, pathPrefix: '' } };
}

export function namespace(name: string, labels: Record<string, string> = {}): ParsedObject {
  return parsed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
}

export interface PodOptions {
  labels?: Record<string, string>;
  ports?: { name?: string; containerPort: number; protocol?: string }[];
  owner?: { kind?: string; name: string; controller?: boolean; uid?: string };
  hostNetwork?: boolean;
  ips?: string[];
}

export function pod(ns: string | undefined, name: string, o: PodOptions = {}): ParsedObject {
  return parsed({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      ...(ns ? { namespace: ns } : {}),
      labels: o.labels ?? {},
      ...(o.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', controller: true, ...o.owner }] } : {}),
    },
    spec: { containers: [{ name: 'c', image: 'x', ports: o.ports ?? [] }], ...(o.hostNetwork ? { hostNetwork: true } : {}) },
    ...(o.ips ? { status: { podIPs: o.ips.map((ip) => ({ ip })) } } : {}),
  });
}

export function controller(
  kind: string,
  ns: string,
  name: string,
  o: { labels?: Record<string, string>; ports?: PodOptions['ports']; replicas?: number; owner?: PodOptions['owner']; uid?: string } = {},
): ParsedObject {
  const template = { metadata: { labels: o.labels ?? {} }, spec: { containers: [{ name: 'c', image: 'x', ports: o.ports ?? [] }] } };
  const spec =
    kind === 'CronJob'
      ? { schedule: '* * * * *', jobTemplate: { spec: { template } } }
      : { ...(o.replicas !== undefined ? { replicas: o.replicas } : {}), template };
  return parsed({
    apiVersion: kind === 'CronJob' || kind === 'Job' ? 'batch/v1' : 'apps/v1',
    kind,
    metadata: {
      name,
      namespace: ns,
      ...(o.uid ? { uid: o.uid } : {}),
      ...(o.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', controller: true, ...o.owner }] } : {}),
    },
    spec,
  });
}

export function policy(ns: string, name: string, spec: Record<string, unknown>): ParsedObject {
  return parsed({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: ns }, spec });
}

export function snapshotOf(objects: ParsedObject[], options?: EngineOptions): Snapshot {
  const { snapshot, issues } = buildSnapshot(objects, options);
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('\n'));
  return snapshot;
}

/** `ns/name` of a workload, or an IP. */
export function spec(text: string): PeerSpec {
  if (/^[\d.]+$|:/.test(text)) return { ip: text };
  const [namespace, name] = text.split('/');
  return { namespace, name };
}

export function allowed(snapshot: Snapshot, from: string, to: string, port: number | string, protocol?: Protocol): boolean {
  return evaluate(snapshot, spec(from), spec(to), port, protocol).allowed;
}

/** The analysis of the two-pod client/server cluster (tools/testing/client-server.ts) with `extra` objects. */
export function clientServerAnalysis(...extra: object[]): Analysis {
  const parsedObjects = parseManifests([{ path: 'c.json', text: clientServerList(...extra) }]).objects;
  return analyze(buildSnapshot(parsedObjects).snapshot);
}
