import { Module } from '@nestjs/common';
import { SnapshotsModule } from '../snapshots/snapshots.module.js';
import { ClustersController } from './clusters.controller.js';
import { ClustersRepository } from './clusters.repository.js';
import { ClustersResolver } from './clusters.resolver.js';
import { ClustersService } from './clusters.service.js';

@Module({
  imports: [SnapshotsModule],
  controllers: [ClustersController],
  providers: [ClustersRepository, ClustersService, ClustersResolver],
  exports: [ClustersRepository, ClustersService],
})
export class ClustersModule {}
