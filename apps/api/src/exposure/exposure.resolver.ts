import { Args, ID, Query, Resolver } from '@nestjs/graphql';
import type { Protocol } from '../analysis/analysis.models.js';
import { mapAnalysisErrors } from '../analysis/analysis-errors.js';
import { AnalysisService } from '../analysis/analysis.service.js';
import type { ExposedWorkload as ExposedData } from '@netpol-atlas/engine';
import { SnapshotLookup } from '../analysis/snapshot-lookup.js';
import { Exposure, type ExposedWorkload } from './exposure.models.js';

const toExposed = (item: ExposedData): ExposedWorkload => ({
  workload: item.workload,
  ports: item.ports.map((range) => ({ protocol: range.protocol as Protocol, from: range.from, to: range.to })),
  portsText: item.conn,
  ipRanges: [...item.ipRanges],
});

@Resolver()
export class ExposureResolver {
  constructor(
    private readonly lookup: SnapshotLookup,
    private readonly analyses: AnalysisService,
  ) {}

  @Query(() => Exposure, { description: 'Internet-exposed, cluster-wide-exposed and unprotected workloads (by top-level controller).' })
  async exposure(@Args('snapshotId', { type: () => ID }) snapshotId: string): Promise<Exposure> {
    const sha = await this.lookup.contentSha256(snapshotId);
    const summary = await mapAnalysisErrors(async () => (await this.analyses.exposure(sha)).value);
    return {
      internetExposed: summary.internetExposed.map(toExposed),
      clusterWideExposed: summary.clusterWideExposed.map(toExposed),
      unprotected: summary.unprotected.map((item) => ({ ...item })),
    };
  }
}
