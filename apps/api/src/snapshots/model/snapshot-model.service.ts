// What the API derives from the engine's model and analysis of a stored content (through AnalysisService, which
// caches model and analysis per content SHA-256 + engine version + options): which policies select which workloads,
// which pods are isolated per direction, how many workloads are internet-exposed. Small results, kept per content in
// a bounded map (the engine version cannot change within one process).
import { Injectable } from '@nestjs/common';
import { canonicalJson, isolationSummary, workloadPods, type Analysis, type EngineOptions, type PolicyModel, type Snapshot as EngineSnapshot, type Workload as EngineWorkload } from '@netpol-atlas/engine';
import { AnalysisService } from '../../analysis/analysis.service.js';
import { BoundedCache } from '../../analysis/bounded-cache.js';

const MAX_SELECTION_ENTRIES = 64;
/** Selections hold a few keys per workload: ~100 bytes each. */
const MAX_SELECTION_BYTES = 64 * 1024 * 1024;
const MAX_STATS_ENTRIES = 4096;

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
      if (workloadPods(workload).some((pod) => policy.podSelector.matches(pod.labels))) selected.set(text, key);
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

/** Pods isolated per direction: the engine's query layer decides isolation. */
export function isolationOf(analysis: Analysis): IsolationStats {
  return isolationSummary(analysis);
}

export interface InventoryStats extends IsolationStats {
  /** Workloads that accept connections from public IP addresses (the analysis' exposure summary). */
  readonly internetExposed: number;
  readonly cniProfile: string;
}

/** Results depend on the content and on the CNI profile it is analysed under (the cluster's, which may change). */
const cacheKey = (contentSha256: string, options: EngineOptions) => `${contentSha256}|${canonicalJson(options)}`;

@Injectable()
export class SnapshotModelService {
  private readonly selectionCache = new BoundedCache<Promise<Selections>>(MAX_SELECTION_ENTRIES, MAX_SELECTION_BYTES);
  private readonly statsCache = new BoundedCache<Promise<InventoryStats>>(MAX_STATS_ENTRIES, MAX_STATS_ENTRIES);

  constructor(private readonly analyses: AnalysisService) {}

  selections(contentSha256: string, options: EngineOptions): Promise<Selections> {
    return this.cached(this.selectionCache, cacheKey(contentSha256, options), async () => selectionsOf((await this.analyses.model(contentSha256, options)).snapshot), (value) =>
      100 * (value.policiesOfWorkload.size + value.workloadsOfPolicy.size),
    );
  }

  /** An analysed NetworkPolicy of a content as parsed (the stored projection), or null when the model has none. */
  async policyObject(contentSha256: string, options: EngineOptions, namespace: string, name: string): Promise<unknown> {
    const { snapshot } = await this.analyses.model(contentSha256, options);
    return snapshot.policies.find((policy) => policy.namespace === namespace && policy.name === name)?.object ?? null;
  }

  /** An analysed policy of a content by namespace (null: cluster-scoped), kind and name; null when the model has none. */
  async policyModel(contentSha256: string, options: EngineOptions, ref: { namespace: string | null; kind: string; name: string }): Promise<PolicyModel | null> {
    const { snapshot } = await this.analyses.model(contentSha256, options);
    return snapshot.policies.find((p) => p.namespace === (ref.namespace ?? '') && p.kind === ref.kind && p.name === ref.name) ?? null;
  }

  /** Isolation and internet exposure of a content, for the inventory. */
  inventoryStats(contentSha256: string, options: EngineOptions): Promise<InventoryStats> {
    return this.cached(
      this.statsCache,
      cacheKey(contentSha256, options),
      async () => {
        const isolation = isolationOf(await this.analyses.analysis(contentSha256, options));
        const exposure = await this.analyses.exposure(contentSha256, options);
        return { ...isolation, internetExposed: exposure.value.internetExposed.length, cniProfile: await this.analyses.cniProfile(contentSha256, options) };
      },
      () => 1,
    );
  }

  private cached<V>(cache: BoundedCache<Promise<V>>, key: string, compute: () => Promise<V>, bytesOf: (value: V) => number): Promise<V> {
    const hit = cache.get(key);
    if (hit) return hit;
    const task = compute();
    cache.set(key, task);
    task.then(
      (value) => cache.resize(key, bytesOf(value)),
      () => {
        if (cache.get(key) === task) cache.delete(key);
      },
    );
    return task;
  }
}
