import { Args, ID, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { exposure as engineExposure, publicRanges, topLevelIdentity, type Analysis, type LabelSelectorOut } from '@netpol-atlas/engine';
import type { Protocol } from '../analysis/analysis.models.js';
import { mapAnalysisErrors } from '../analysis/analysis-errors.js';
import { AnalysisService } from '../analysis/analysis.service.js';
import type { ExposedWorkload as ExposedData } from '@netpol-atlas/engine';
import { SnapshotLookup } from '../analysis/snapshot-lookup.js';
import { Exposure, SelectorExposure, type ExposedWorkload } from './exposure.models.js';

const toExposed = (item: ExposedData): ExposedWorkload => ({
  workload: item.workload,
  ports: item.ports.map((range) => ({ protocol: range.protocol as Protocol, from: range.from, to: range.to })),
  portsText: item.conn,
  ipRanges: [...item.ipRanges],
  publicRanges: publicRanges(item.ipRanges),
});

/** `key=value`, `key in (a,b)`, … of a selector as written; '' when it selects everything. */
export function selectorDescription(selector: LabelSelectorOut | null): string {
  if (!selector) return '';
  const parts = Object.entries(selector.matchLabels).map(([key, value]) => `${key}=${value}`);
  for (const expression of selector.matchExpressions) {
    const operator = expression.operator;
    if (operator === 'Exists') parts.push(expression.key);
    else if (operator === 'DoesNotExist') parts.push(`!${expression.key}`);
    else parts.push(`${expression.key} ${operator === 'In' ? 'in' : 'notin'} (${expression.values.join(',')})`);
  }
  return parts.join(', ');
}

@Resolver(() => Exposure)
export class ExposureResolver {
  constructor(
    private readonly lookup: SnapshotLookup,
    private readonly analyses: AnalysisService,
  ) {}

  @Query(() => Exposure, { description: 'Internet-exposed, cluster-wide-exposed and unprotected workloads (by top-level controller).' })
  async exposure(
    @Args('snapshotId', { type: () => ID }) snapshotId: string,
    @Args('workload', {
      type: () => String,
      nullable: true,
      description: 'Only this workload: `namespace/name` (top-level controller), e.g. for a workload page.',
    })
    workload?: string | null,
  ): Promise<Exposure> {
    const { sha, options } = await this.lookup.analysisInput(snapshotId);
    const summary = await mapAnalysisErrors(async () => (await this.analyses.exposure(sha, options)).value);
    const keep = workloadFilter(workload);
    return {
      internetExposed: summary.internetExposed.filter((item) => keep(item.workload)).map(toExposed),
      clusterWideExposed: summary.clusterWideExposed.filter((item) => keep(item.workload)).map(toExposed),
      unprotected: summary.unprotected.filter((item) => keep(item.workload)).map((item) => ({ ...item })),
      cniProfile: await this.analyses.cniProfile(sha, options),
      contentSha256: sha,
      options,
      workload: workload ?? null,
    };
  }

  @ResolveField(() => [SelectorExposure], {
    description:
      'Potential exposure by selector: workloads that rules open to pods matching selectors (existing or future), per direction; sorted by workload, direction, peer.',
  })
  async selectorExposed(@Parent() parent: Exposure): Promise<SelectorExposure[]> {
    const analysis = await mapAnalysisErrors(() => this.analyses.analysis(parent.contentSha256, parent.options));
    // The engine's exposure report is computed once per analysis object (the analysis cache keeps it alive).
    let all = selectorCache.get(analysis);
    if (!all) {
      all = selectorExposure(analysis);
      selectorCache.set(analysis, all);
    }
    const keep = workloadFilter(parent.workload);
    return all.filter((item) => keep(item.workload));
  }
}

const selectorCache = new WeakMap<Analysis, SelectorExposure[]>();

/** `namespace/name` (or a bare name) → a predicate on workload identities; everything when absent. */
function workloadFilter(workload: string | null | undefined): (w: { namespace: string; name: string }) => boolean {
  if (!workload) return () => true;
  const [namespace, name] = workload.includes('/') ? workload.split('/', 2) : [null, workload];
  return (w) => w.name === name && (namespace === null || w.namespace === namespace);
}

function selectorExposure(analysis: Analysis): SelectorExposure[] {
  const byName = new Map(analysis.snapshot.workloads.map((w) => [w.displayName, w]));
  const out: SelectorExposure[] = [];
  const seen = new Set<string>();
  for (const reported of engineExposure(analysis).workloads) {
    const w = byName.get(reported.workload);
    if (!w) continue;
    const workload = topLevelIdentity(w);
    for (const side of [reported.ingress, reported.egress]) {
      for (const line of side.lines) {
        if (line.target.type !== 'representative') continue;
        const direction = side.direction === 'ingress' ? 'INGRESS' : 'EGRESS';
        const key = `${workload.namespace}/${workload.kind}/${workload.name}\u0000${direction}\u0000${line.target.name}\u0000${line.connection.text}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const namespaces = selectorDescription(line.target.namespaceSelector);
        const pods = selectorDescription(line.target.podSelector);
        out.push({
          workload,
          direction,
          peer: line.target.name,
          namespaces: namespaces ? `namespaces with ${namespaces}` : 'all namespaces',
          pods: pods ? `pods with ${pods}` : 'all pods',
          portsText: line.connection.text,
        });
      }
    }
  }
  const text = (item: SelectorExposure) => `${item.workload.namespace}\u0000${item.workload.kind}\u0000${item.workload.name}\u0000${item.direction}\u0000${item.peer}`;
  return out.sort((a, b) => (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0));
}
