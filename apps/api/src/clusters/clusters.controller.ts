import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ClusterListSchema } from '../openapi/rest-schemas.js';
import { SnapshotsService } from '../snapshots/snapshots.service.js';
import { toSnapshotJson } from '../snapshots/snapshot-views.js';
import { ClustersService } from './clusters.service.js';

/** REST list of every cluster, by name, with its snapshot count and latest snapshot. */
@ApiTags('clusters')
@Controller('api/v1/clusters')
export class ClustersController {
  constructor(
    private readonly clusters: ClustersService,
    private readonly snapshots: SnapshotsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Every cluster, sorted by name, with its snapshot count and latest snapshot' })
  @ApiOkResponse({ type: ClusterListSchema })
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
            cniSource: cluster.cniSource ?? null,
            createdAt: cluster.createdAt.toISOString(),
            snapshotCount: await this.snapshots.countForCluster(cluster.id),
            latestSnapshot: latest ? toSnapshotJson(latest) : null,
          };
        }),
      ),
    };
  }
}
