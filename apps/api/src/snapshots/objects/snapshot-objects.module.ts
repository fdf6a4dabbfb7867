import { Module } from '@nestjs/common';
import { AnalysisModule } from '../../analysis/analysis.module.js';
import { SnapshotsModule } from '../snapshots.module.js';
import { SnapshotModelService } from '../model/snapshot-model.service.js';
import { PolicyResolver, SnapshotObjectsResolver, WorkloadResolver } from './snapshot-objects.resolver.js';

/** Namespaces, workloads and policies of a snapshot as GraphQL objects, with their analysed fields. */
@Module({
  imports: [SnapshotsModule, AnalysisModule],
  providers: [SnapshotModelService, SnapshotObjectsResolver, WorkloadResolver, PolicyResolver],
  exports: [SnapshotModelService],
})
export class SnapshotObjectsModule {}
