import { Module } from '@nestjs/common';
import { SnapshotsModule } from '../snapshots/snapshots.module.js';
import { ANALYSIS_POOL_PROVIDER, AnalysisPool } from './analysis-pool.js';
import { AnalysisStore } from './analysis-store.js';
import { AnalysisService } from './analysis.service.js';
import { MODEL_HOST_PROVIDER, ModelHost } from './model-host.js';
import { SnapshotLookup } from './snapshot-lookup.js';

/** Engine results per snapshot (built once, cached, persisted as derived artefacts) for every query feature. */
@Module({
  imports: [SnapshotsModule],
  // The worker-thread pool the analyses run in (issue 13: never on the event loop).
  // The model threads answer the reachability queries (the engine model is never built on the event loop for them).
  providers: [ANALYSIS_POOL_PROVIDER, MODEL_HOST_PROVIDER, AnalysisStore, AnalysisService, SnapshotLookup],
  exports: [AnalysisPool, ModelHost, AnalysisStore, AnalysisService, SnapshotLookup],
})
export class AnalysisModule {}
