import { Module } from '@nestjs/common';
import { ClustersModule } from '../clusters/clusters.module.js';
import { ComplianceModule } from '../compliance/compliance.module.js';
import { SnapshotsModule } from '../snapshots/snapshots.module.js';
import { IngestController } from './ingest.controller.js';
import { IngestResolver } from './ingest.resolver.js';
import { IngestService } from './ingest.service.js';

/** REST and GraphQL uploads: one IngestService validates, projects, hashes and stores. */
@Module({
  imports: [ClustersModule, SnapshotsModule, ComplianceModule],
  controllers: [IngestController],
  providers: [IngestService, IngestResolver],
  exports: [IngestService],
})
export class IngestModule {}
