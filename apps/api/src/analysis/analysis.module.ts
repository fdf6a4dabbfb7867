import { Module } from '@nestjs/common';
import { SnapshotsModule } from '../snapshots/snapshots.module.js';
import { ANALYSIS_POOL_PROVIDER, AnalysisPool } from './analysis-pool.js';
import { AnalysisStore } from './analysis-store.js';
import { AnalysisService } from './analysis.service.js';
import { SnapshotLookup } from './snapshot-lookup.js';

/** Engine results per snapshot (built once, cached, persisted as derived artefacts) for every query feature. */
@Module({
  imports: [SnapshotsModule],
  // The worker-thread pool the analyses run in (issue 13: never on the event loop).
  providers: [ANALYSIS_POOL_PROVIDER, AnalysisStore, AnalysisService, SnapshotLookup],
  exports: [AnalysisPool, AnalysisStore, AnalysisService, SnapshotLookup],
})
export class AnalysisModule {}
