import { Module } from '@nestjs/common';
import { SnapshotObjectsBackfillService } from './objects/snapshot-objects-backfill.service.js';
import { SnapshotObjectsRepository } from './objects/snapshot-objects.repository.js';
import { SnapshotsController } from './snapshots.controller.js';
import { SnapshotsRepository } from './snapshots.repository.js';
import { SnapshotsResolver } from './snapshots.resolver.js';
import { SnapshotsService } from './snapshots.service.js';

/** Stored snapshots and their object rows. The analysed views of those rows live in SnapshotObjectsModule. */
@Module({
  controllers: [SnapshotsController],
  providers: [SnapshotsRepository, SnapshotsService, SnapshotsResolver, SnapshotObjectsRepository, SnapshotObjectsBackfillService],
  exports: [SnapshotsRepository, SnapshotsService, SnapshotObjectsRepository],
})
export class SnapshotsModule {}
