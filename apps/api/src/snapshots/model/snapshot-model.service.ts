// What the API derives from the engine's model and analysis of a stored content (computed in its model thread
// through AnalysisService.compute, never on the event loop): which policies select which workloads, which pods are
// isolated per direction, how many workloads are internet-exposed, an analysed policy's object, tier and priority.
// Small results, kept per content in a bounded map (the engine version cannot change within one process).
import { Injectable } from '@nestjs/common';
import { canonicalJson, type EngineOptions, type IsolationSummary } from '@netpol-atlas/engine';
import { AnalysisService } from '../../analysis/analysis.service.js';
import { BoundedCache, cachedTask } from '../../analysis/bounded-cache.js';
import type { PolicyRulesView } from './policy-rules.js';
import type { IsolationStats, Selections } from './selections.js';

const MAX_SELECTION_ENTRIES = 64;
/** Selections hold a few keys per workload: ~100 bytes each. */
const MAX_SELECTION_BYTES = 64 * 1024 * 1024;
const MAX_STATS_ENTRIES = 4096;
const MAX_POLICY_ENTRIES = 1024;
const MAX_POLICY_BYTES = 16 * 1024 * 1024;

/** An analysed policy as the policy page reads it: the stored projection, the engine's tier and priority, and
 *  its subject and rules as the engine compiled them. */
export interface AnalysedPolicy extends PolicyRulesView {
  readonly object: { readonly spec?: unknown };
  readonly tier: string;
  readonly priority: number;
}

export { policyKeyText, selectionsOf, workloadKeyText, type IsolationStats, type PolicyKey, type Selections, type WorkloadKey } from './selections.js';

export interface InventoryStats extends IsolationStats {
  /** Workloads that accept connections from public IP addresses (the analysis' exposure summary). */
  readonly internetExposed: number;
  readonly cniProfile: string;
  readonly cniProfileNote?: string;
}

/** Results depend on the content and on the CNI profile it is analysed under (the cluster's, which may change). */
const cacheKey = (contentSha256: string, options: EngineOptions) => `${contentSha256}|${canonicalJson(options)}`;

@Injectable()
export class SnapshotModelService {
  private readonly selectionCache = new BoundedCache<Promise<Selections>>(MAX_SELECTION_ENTRIES, MAX_SELECTION_BYTES);
  private readonly statsCache = new BoundedCache<Promise<InventoryStats>>(MAX_STATS_ENTRIES, MAX_STATS_ENTRIES);
  /** Policies asked for by the policy page (manifest, tier, priority): their object as stored, ~2 bytes a character. */
  private readonly policyCache = new BoundedCache<Promise<AnalysedPolicy | null>>(MAX_POLICY_ENTRIES, MAX_POLICY_BYTES);

  constructor(private readonly analyses: AnalysisService) {}

  selections(contentSha256: string, options: EngineOptions): Promise<Selections> {
    return cachedTask(
      this.selectionCache,
      cacheKey(contentSha256, options),
      () => this.analyses.compute<Selections>([{ sha: contentSha256, options }], { name: 'selections' }),
      (value) => 100 * (value.policiesOfWorkload.size + value.workloadsOfPolicy.size),
    );
  }

  /** An analysed policy of a content by namespace (null: cluster-scoped), kind, name and apiVersion; null when the
   *  model has none. */
  policyModel(
    contentSha256: string,
    options: EngineOptions,
    ref: { namespace: string | null; kind: string; name: string; apiVersion: string },
  ): Promise<AnalysedPolicy | null> {
    return cachedTask(
      this.policyCache,
      `${cacheKey(contentSha256, options)}|${ref.namespace ?? ''}|${ref.kind}|${ref.name}|${ref.apiVersion}`,
      () =>
        this.analyses.compute<AnalysedPolicy | null>([{ sha: contentSha256, options }], {
          name: 'policy',
          namespace: ref.namespace ?? '',
          kind: ref.kind,
          policyName: ref.name,
          apiVersion: ref.apiVersion,
        }),
      (value) => (value ? 2 * (JSON.stringify(value.object).length + JSON.stringify(value.rules).length) : 1),
    );
  }

  /** Isolation and internet exposure of a content, for the inventory. */
  inventoryStats(contentSha256: string, options: EngineOptions): Promise<InventoryStats> {
    return cachedTask(
      this.statsCache,
      cacheKey(contentSha256, options),
      async () => {
        const isolation: IsolationStats = await this.analyses.compute<IsolationSummary>([{ sha: contentSha256, options }], { name: 'isolation' });
        const exposure = await this.analyses.exposure(contentSha256, options);
        return { ...isolation, internetExposed: exposure.value.internetExposed.length, ...(await this.analyses.cniProfileAnswer(contentSha256, options)) };
      },
      () => 1,
    );
  }
}
