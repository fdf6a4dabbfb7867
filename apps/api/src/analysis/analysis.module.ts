import { Module } from '@nestjs/common';
import { SnapshotsModule } from '../snapshots/snapshots.module.js';
import { AnalysisStore } from './analysis-store.js';
import { AnalysisService } from './analysis.service.js';
import { SnapshotLookup } from './snapshot-lookup.js';

/** Engine results per snapshot (built once, cached, persisted as derived artefacts) for every query feature. */
@Module({
  imports: [SnapshotsModule],
  providers: [AnalysisStore, AnalysisService, SnapshotLookup],
  exports: [AnalysisStore, AnalysisService, SnapshotLookup],
})
export class AnalysisModule {}
