import { Controller, Get } from '@nestjs/common';
import { SnapshotsService } from '../snapshots/snapshots.service.js';
import { toSnapshotJson } from '../snapshots/snapshot-views.js';
import { ClustersService } from './clusters.service.js';

/** REST list of every cluster, by name, with its snapshot count and latest snapshot. */
@Controller('api/v1/clusters')
export class ClustersController {
  constructor(
    private readonly clusters: ClustersService,
    private readonly snapshots: SnapshotsService,
  ) {}

  @Get()
  async list() {
    const clusters = await this.clusters.page(Number.MAX_SAFE_INTEGER);
    return {
      clusters: await Promise.all(
        clusters.map(async (cluster) => {
          const [latest] = await this.snapshots.pageForCluster(cluster.id, 1);
          return {
            name: cluster.name,
            labels: cluster.labels,
            provider: cluster.provider,
            cni: cluster.cni,
            createdAt: cluster.createdAt.toISOString(),
            snapshotCount: await this.snapshots.countForCluster(cluster.id),
            latestSnapshot: latest ? toSnapshotJson(latest) : null,
          };
        }),
      ),
    };
  }
}
