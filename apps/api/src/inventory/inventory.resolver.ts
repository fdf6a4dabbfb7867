// `inventory`: per cluster, the latest snapshot's age and counts, its analysis (isolation and internet exposure,
// computed on request through the analysis cache) and the trend over its last snapshots.
import { Args, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { mapAnalysisErrors } from '../analysis/analysis-errors.js';
import { clusterEngineOptions } from '../analysis/snapshot-lookup.js';
import { toClusterModel } from '../clusters/cluster-views.js';
import { ClustersService } from '../clusters/clusters.service.js';
import { connectionFromRows } from '../graphql/connection.js';
import { decodeCursor, encodeCursor } from '../graphql/cursor.js';
import { validateArgs } from '../graphql/page-args.js';
import { SnapshotModelService } from '../snapshots/model/snapshot-model.service.js';
import type { SnapshotEntity } from '../snapshots/snapshot.entity.js';
import { toSnapshotModel } from '../snapshots/snapshot-views.js';
import { SnapshotsService } from '../snapshots/snapshots.service.js';
import { ClusterInventory, ClusterInventoryConnection, InventoryAnalysis, InventoryArgs, InventoryPoint, TrendArgs } from './inventory.models.js';

const percent = (part: number, whole: number) => (whole === 0 ? null : Math.round((10000 * part) / whole) / 100);

export function toInventoryPoint(entity: SnapshotEntity): InventoryPoint {
  return {
    entity,
    snapshot: toSnapshotModel(entity),
    capturedAt: entity.capturedAt,
    namespaces: entity.counts.namespaces,
    pods: entity.counts.pods,
    workloads: entity.counts.workloads,
    policies: entity.counts.policies,
  };
}

@Resolver(() => ClusterInventory)
export class InventoryResolver {
  constructor(
    private readonly clusters: ClustersService,
    private readonly snapshots: SnapshotsService,
  ) {}

  @Query(() => ClusterInventoryConnection, { description: 'Per cluster (sorted by name, `filter` as in `clusters`): latest snapshot, analysis and trend.' })
  async inventory(@Args(validateArgs) args: InventoryArgs): Promise<ClusterInventoryConnection> {
    const afterName = args.after ? decodeCursor('inventory', args.after) : undefined;
    const filter = args.filter ?? {};
    const [rows, totalCount] = await Promise.all([this.clusters.page(args.first + 1, afterName, filter), this.clusters.count(filter)]);
    const now = Date.now();
    const items = await Promise.all(
      rows.map(async (entity): Promise<ClusterInventory> => {
        const [latest] = await this.snapshots.pageForCluster(entity.id, 1);
        return {
          cluster: toClusterModel(entity),
          latestSnapshotAgeSeconds: latest ? Math.max(0, Math.floor((now - latest.capturedAt.getTime()) / 1000)) : null,
          latest: latest ? toInventoryPoint(latest) : null,
        };
      }),
    );
    return connectionFromRows(items, args.first, totalCount, (item) => encodeCursor('inventory', item.cluster.name));
  }

  @ResolveField(() => [InventoryPoint], { description: 'The last snapshots, newest first (as `Cluster.snapshots`).' })
  async trend(@Parent() inventory: ClusterInventory, @Args(validateArgs) args: TrendArgs): Promise<InventoryPoint[]> {
    return (await this.snapshots.pageForCluster(inventory.cluster.id, args.last)).map(toInventoryPoint);
  }
}

@Resolver(() => InventoryPoint)
export class InventoryPointResolver {
  constructor(private readonly models: SnapshotModelService) {}

  @ResolveField(() => InventoryAnalysis, {
    nullable: true,
    description: 'Isolation and internet exposure from the analysis (computed on first use, then cached); SNAPSHOT_NOT_ANALYSABLE when the engine cannot analyse it.',
  })
  async analysis(@Parent() point: InventoryPoint): Promise<InventoryAnalysis> {
    const stats = await mapAnalysisErrors(() => this.models.inventoryStats(point.entity.contentSha256, clusterEngineOptions(point.entity.cluster?.cni)));
    return {
      podsIngressIsolated: stats.ingressIsolated,
      podsEgressIsolated: stats.egressIsolated,
      ingressIsolatedPercent: percent(stats.ingressIsolated, stats.pods),
      egressIsolatedPercent: percent(stats.egressIsolated, stats.pods),
      internetExposedWorkloads: stats.internetExposed,
      cniProfile: stats.cniProfile,
      ...(stats.cniProfileNote === undefined ? {} : { cniProfileNote: stats.cniProfileNote }),
    };
  }
}
