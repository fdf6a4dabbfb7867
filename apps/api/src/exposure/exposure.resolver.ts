import { Args, ID, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { canonicalJson, publicRanges } from '@netpol-atlas/engine';
import { BoundedCache } from '../analysis/bounded-cache.js';
import type { Protocol } from '../analysis/analysis.models.js';
import { mapAnalysisErrors } from '../analysis/analysis-errors.js';
import { AnalysisService } from '../analysis/analysis.service.js';
import type { ExposedWorkload as ExposedData } from '@netpol-atlas/engine';
import { SnapshotLookup } from '../analysis/snapshot-lookup.js';
import { connectionFromRows } from '../graphql/connection.js';
import { decodeCursor, encodeCursor } from '../graphql/cursor.js';
import { assertUnpagedCount, badUserInput, MAX_UNPAGED_ITEMS } from '../graphql/errors.js';
import { PageArgs, validateArgs } from '../graphql/page-args.js';
import { Exposure, SelectorExposure, SelectorExposureConnection, type ExposedWorkload } from './exposure.models.js';
import type { SelectorExposureRow } from './selector-exposure.js';

const toExposed = (item: ExposedData): ExposedWorkload => ({
  workload: item.workload,
  ports: item.ports.map((range) => ({ protocol: range.protocol as Protocol, from: range.from, to: range.to })),
  portsText: item.conn,
  ipRanges: [...item.ipRanges],
  publicRanges: publicRanges(item.ipRanges),
  exceptHostNetwork: item.exceptHostNetwork === true,
});

export { selectorDescription } from './selector-exposure.js';

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
      ...(await this.analyses.cniProfileAnswer(sha, options)),
      contentSha256: sha,
      options,
      workload: workload ?? null,
    };
  }

  @ResolveField(() => [SelectorExposure], {
    description:
      `Potential exposure by selector: workloads that rules open to pods matching selectors (existing or future), per direction; sorted by workload, direction, peer. At most ${MAX_UNPAGED_ITEMS} rows (more: TOO_MANY_ITEMS; a 50k-pod snapshot has ~24k): pages are \`selectorExposedPage\`.`,
  })
  async selectorExposed(@Parent() parent: Exposure): Promise<SelectorExposure[]> {
    const rows = await this.selectorRows(parent);
    assertUnpagedCount('exposure.selectorExposed', rows.length, 'exposure.selectorExposedPage(first, after)');
    return rows;
  }

  @ResolveField(() => SelectorExposureConnection, {
    description: 'The same rows, paged (tens of thousands at 50k pods: ~8 MB as one list).',
  })
  async selectorExposedPage(@Parent() parent: Exposure, @Args(validateArgs) page: PageArgs): Promise<SelectorExposureConnection> {
    const start = page.after ? Number(decodeCursor('selector-exposure', page.after)) + 1 : 0;
    if (!Number.isInteger(start) || start < 0) throw badUserInput('invalid selector exposure cursor', { argument: 'after' });
    const rows = await this.selectorRows(parent);
    const read = rows.slice(start, start + page.first + 1).map((row, i) => ({ row, index: start + i }));
    const connection = connectionFromRows(read, page.first, rows.length, (r) => encodeCursor('selector-exposure', String(r.index)));
    return { ...connection, edges: connection.edges.map((e) => ({ cursor: e.cursor, node: e.node.row })) };
  }

  @ResolveField(() => Int, { description: 'Distinct workloads among the `selectorExposed` rows.' })
  async selectorExposedWorkloads(@Parent() parent: Exposure): Promise<number> {
    const rows = await this.selectorRows(parent);
    return new Set(rows.map((row) => `${row.workload.namespace}/${row.workload.kind}/${row.workload.name}`)).size;
  }

  private async selectorRows(parent: Exposure): Promise<SelectorExposureRow[]> {
    // Computed in the snapshot's model thread; the rows are kept per content (the workload filter applies here).
    const key = `${parent.contentSha256}|${canonicalJson(parent.options)}`;
    let all = selectorCache.get(key);
    if (!all) {
      all = this.analyses.compute<SelectorExposureRow[]>([{ sha: parent.contentSha256, options: parent.options }], { name: 'selectorExposure' });
      selectorCache.set(key, all);
      const task = all;
      task.then(
        (rows) => selectorCache.resize(key, 300 * (rows.length + 1)),
        () => {
          if (selectorCache.get(key) === task) selectorCache.delete(key);
        },
      );
    }
    const pending = all;
    const rows = await mapAnalysisErrors(() => pending);
    if (!parent.workload) return rows;
    const keep = workloadFilter(parent.workload);
    return rows.filter((item) => keep(item.workload));
  }
}

/** Selector exposure per content and options: at most 64 snapshots, ~300 bytes a row. */
const selectorCache = new BoundedCache<Promise<SelectorExposureRow[]>>(64, 64 * 1024 * 1024);

/** `namespace/name` (or a bare name) → a predicate on workload identities; everything when absent. */
function workloadFilter(workload: string | null | undefined): (w: { namespace: string; name: string }) => boolean {
  if (!workload) return () => true;
  const [namespace, name] = workload.includes('/') ? workload.split('/', 2) : [null, workload];
  return (w) => w.name === name && (namespace === null || w.namespace === namespace);
}
