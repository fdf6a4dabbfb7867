import { Module } from '@nestjs/common';
import { SnapshotsModule } from '../snapshots/snapshots.module.js';
import { ANALYSIS_POOL_PROVIDER, AnalysisPool } from './analysis-pool.js';
import { AnalysisStore } from './analysis-store.js';
import { AnalysisService } from './analysis.service.js';
import { MODEL_HOST_PROVIDER, ModelHost } from './model-host.js';
import { ModelPreload } from './model-preload.js';
import { SnapshotLookup } from './snapshot-lookup.js';

/** Engine results per snapshot (built once, cached, persisted as derived artefacts) for every query feature. */
@Module({
  imports: [SnapshotsModule],
  // The worker-thread pool the analyses run in (issue 13: never on the event loop).
  // The model threads hold the engine models: reachability questions and every model computation run there (the
  // engine model is never built on the event loop); ModelPreload fills them at start.
  providers: [ANALYSIS_POOL_PROVIDER, MODEL_HOST_PROVIDER, AnalysisStore, AnalysisService, SnapshotLookup, ModelPreload],
  exports: [AnalysisPool, ModelHost, AnalysisStore, AnalysisService, SnapshotLookup, ModelPreload],
})
export class AnalysisModule {}
