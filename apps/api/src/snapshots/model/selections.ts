// Which analysed policies select which workloads of an engine model: computed in a model thread
// (model-computations.ts), so plain keys and maps only.
import { selectsInSubjectNamespace, workloadPods, type Snapshot as EngineSnapshot, type Workload as EngineWorkload } from '@netpol-atlas/engine';

/** Key of a workload (top-level controller) or of a policy, as the normalised tables store them. */
export type WorkloadKey = readonly [namespace: string, kind: string, name: string];
export type PolicyKey = readonly [namespace: string, kind: string, name: string, apiVersion: string];

export interface Selections {
  /** Workloads each analysed policy selects (at least one of its pods), by `policyKeyText`, in key order. */
  readonly workloadsOfPolicy: ReadonlyMap<string, readonly WorkloadKey[]>;
  /** Analysed policies selecting each workload, by `workloadKeyText`, in key order. */
  readonly policiesOfWorkload: ReadonlyMap<string, readonly PolicyKey[]>;
}

export interface IsolationStats {
  readonly pods: number;
  /** Pods some policy isolates for ingress (a policy selecting them has Ingress in its policyTypes). */
  readonly ingressIsolated: number;
  readonly egressIsolated: number;
}

export const workloadKeyText = (key: readonly string[]) => key.join('\u0000');
export const policyKeyText = (key: readonly string[]) => key.join('\u0000');

const compareKeys = (a: readonly string[], b: readonly string[]) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
};

export function selectionsOf(model: EngineSnapshot): Selections {
  const byNamespace = new Map<string, EngineWorkload[]>();
  for (const workload of model.workloads) {
    const list = byNamespace.get(workload.namespace);
    if (list) list.push(workload);
    else byNamespace.set(workload.namespace, [workload]);
  }
  const workloadsOfPolicy = new Map<string, WorkloadKey[]>();
  const policiesOfWorkload = new Map<string, PolicyKey[]>();
  for (const policy of model.policies) {
    // Keyed as the stored policy rows are (namespace '' for a cluster-scoped kind, kind and apiVersion as written).
    const policyKey: PolicyKey = [policy.namespace, policy.kind, policy.name, policy.apiVersion];
    const selected = new Map<string, WorkloadKey>();
    // A cluster-scoped policy (AdminNetworkPolicy…) selects pods of the namespaces its subject selector matches.
    const candidates =
      policy.subjectNamespaces === null
        ? (byNamespace.get(policy.namespace) ?? [])
        : [...byNamespace.entries()].filter(([ns]) => policy.subjectNamespaces!.matches(model.namespaces.get(ns)?.labels ?? {})).flatMap(([, list]) => list);
    for (const workload of candidates) {
      const key: WorkloadKey = [workload.namespace, workload.topLevel.kind, workload.topLevel.name];
      const text = workloadKeyText(key);
      if (selected.has(text)) continue;
      // The engine's subject predicate (service-account selectors, preDNAT policies, host-network pods outside
      // AdminNetworkPolicy-like subjects): what a verdict applies the policy to, not only its pod selector.
      if (workloadPods(workload).some((pod) => selectsInSubjectNamespace(policy, pod))) selected.set(text, key);
    }
    const workloads = [...selected.values()].sort(compareKeys);
    workloadsOfPolicy.set(policyKeyText(policyKey), workloads);
    for (const key of workloads) {
      const list = policiesOfWorkload.get(workloadKeyText(key));
      if (list) list.push(policyKey);
      else policiesOfWorkload.set(workloadKeyText(key), [policyKey]);
    }
  }
  for (const list of policiesOfWorkload.values()) list.sort(compareKeys);
  return { workloadsOfPolicy, policiesOfWorkload };
}
