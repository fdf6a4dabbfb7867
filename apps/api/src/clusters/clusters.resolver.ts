import { Args, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { connectionFromRows } from '../graphql/connection.js';
import { decodeCursor, encodeCursor } from '../graphql/cursor.js';
import { badUserInput, notFound } from '../graphql/errors.js';
import { PageArgs, validateArgs } from '../graphql/page-args.js';
import { Snapshot, SnapshotConnection } from '../snapshots/snapshot.model.js';
import { toSnapshotModel } from '../snapshots/snapshot-views.js';
import { SnapshotsService } from '../snapshots/snapshots.service.js';
import { toClusterModel } from './cluster-views.js';
import { Cluster, ClusterConnection } from './cluster.model.js';
import { ClustersService } from './clusters.service.js';

@Resolver(() => Cluster)
export class ClustersResolver {
  constructor(
    private readonly clusterService: ClustersService,
    private readonly snapshotService: SnapshotsService,
  ) {}

  @Query(() => ClusterConnection, { description: 'Clusters, sorted by name.' })
  async clusters(@Args(validateArgs) page: PageArgs): Promise<ClusterConnection> {
    const afterName = page.after ? decodeCursor('cluster', page.after) : undefined;
    const [rows, totalCount] = await Promise.all([this.clusterService.page(page.first + 1, afterName), this.clusterService.count()]);
    return connectionFromRows(rows.map(toClusterModel), page.first, totalCount, (c) => encodeCursor('cluster', c.name));
  }

  @Query(() => Cluster, { nullable: true, description: 'A cluster by name; NOT_FOUND when there is none.' })
  async cluster(@Args('name') name: string): Promise<Cluster> {
    const entity = await this.clusterService.findByName(name);
    if (!entity) throw notFound(`cluster ${JSON.stringify(name)} not found`);
    return toClusterModel(entity);
  }

  @ResolveField(() => SnapshotConnection, {
    description: 'Snapshots, newest first (capture time, then the later upload first).',
  })
  async snapshots(@Parent() cluster: Cluster, @Args(validateArgs) page: PageArgs): Promise<SnapshotConnection> {
    const afterId = page.after ? decodeCursor('snapshot', page.after) : undefined;
    if (afterId !== undefined && !this.snapshotService.isSnapshotId(afterId)) throw badUserInput(`invalid snapshot cursor`, { argument: 'after' });
    const [rows, totalCount] = await Promise.all([
      this.snapshotService.pageForCluster(cluster.id, page.first + 1, afterId),
      this.snapshotService.countForCluster(cluster.id),
    ]);
    return connectionFromRows(rows.map(toSnapshotModel), page.first, totalCount, (s) => encodeCursor('snapshot', s.id));
  }

  @ResolveField(() => Snapshot, { nullable: true, description: 'The newest snapshot (see `snapshots`), if any.' })
  async latestSnapshot(@Parent() cluster: Cluster): Promise<Snapshot | null> {
    const [latest] = await this.snapshotService.pageForCluster(cluster.id, 1);
    return latest ? toSnapshotModel(latest) : null;
  }
}
