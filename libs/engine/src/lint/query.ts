// Small queries over the public model (which workloads a selector or a rule peer matches, where an object
// came from), shared by lint, intents, compliance and the probe plan.
import { ConnectionSet } from '../algebra/connection-set.js';
import type { Selector } from '../algebra/selector.js';
import type { ParsedObject, SourceLocation } from '../manifest/types.js';
import type { PodPeerModel, PolicyModel, Snapshot, Workload } from '../compliance/engine-api.js';
import type { Analysis } from '../compliance/engine-api.js';

/** Workloads whose namespace and pod labels match (null namespace selector = only `namespace`). */
export function workloadsMatching(
  snapshot: Snapshot,
  namespaceSelector: Selector | null,
  podSelector: Selector | null,
  namespace?: string,
): Workload[] {
  return snapshot.workloads.filter((w) => {
    if (namespaceSelector === null) {
      if (namespace !== undefined && w.namespace !== namespace) return false;
    } else {
      const ns = snapshot.namespaces.get(w.namespace);
      if (!ns || !namespaceSelector.matches(ns.labels)) return false;
    }
    return podSelector === null || podSelector.matches(w.labels);
  });
}

/** Workloads a policy selects (its namespace, its podSelector). */
export function selectedWorkloads(snapshot: Snapshot, policy: PolicyModel): Workload[] {
  return snapshot.workloads.filter((w) => w.namespace === policy.namespace && policy.podSelector.matches(w.labels));
}

/** Workloads a pod peer of a policy's rule matches. */
export function peerWorkloads(snapshot: Snapshot, policy: PolicyModel, peer: PodPeerModel): Workload[] {
  return workloadsMatching(snapshot, peer.namespaceSelector, peer.podSelector, policy.namespace);
}

/** Where an object came from, with `path` prefixed by its place in a `List`. */
export function located(source: SourceLocation | undefined, path: string): { path: string; file?: string; document?: number; line?: number } {
  if (!source) return { path };
  const full = source.pathPrefix ? (path ? `${source.pathPrefix}.${path}` : source.pathPrefix) : path;
  return { path: full, file: source.file, document: source.document, ...(source.line !== undefined ? { line: source.line } : {}) };
}

export function objectsOfKind(objects: readonly ParsedObject[], ...kinds: string[]): ParsedObject[] {
  return objects.filter((o) => kinds.includes(o.object.kind));
}

/** Everything a workload's pods may send to another workload's pods (two distinct replicas for itself). */
export function workloadToWorkload(analysis: Analysis, src: Workload, dst: Workload): ConnectionSet {
  return analysis.classToClass(analysis.workloadClass[src.id], analysis.workloadClass[dst.id]);
}

/** Union of what a workload may send to any IP atom outside the cluster. */
export function workloadToAnyIp(analysis: Analysis, src: Workload): ConnectionSet {
  let out = ConnectionSet.NONE;
  const cls = analysis.workloadClass[src.id];
  for (let atom = 0; atom < analysis.dstAtoms.length; atom++) out = out.union(analysis.classToAtom(cls, atom));
  return out;
}

export function isEgressIsolated(analysis: Analysis, w: Workload): boolean {
  return analysis.classes[analysis.workloadClass[w.id]].egressPolicies.length > 0;
}

export function isIngressIsolated(analysis: Analysis, w: Workload): boolean {
  return analysis.classes[analysis.workloadClass[w.id]].ingressPolicies.length > 0;
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
