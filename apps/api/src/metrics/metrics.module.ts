// The operations feature (issue 13): Prometheus metrics at GET /metrics. Global: the HTTP middleware (app.ts) and
// ingest record into it.
import { Global, Module } from '@nestjs/common';
import { AnalysisModule } from '../analysis/analysis.module.js';
import { RenderPoolModule } from '../compliance/render-pool.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { GraphqlMetricsPlugin } from './graphql-metrics.plugin.js';
import { MetricsController } from './metrics.controller.js';
import { Metrics } from './metrics.service.js';

@Global()
@Module({ imports: [AnalysisModule, JobsModule, RenderPoolModule], controllers: [MetricsController], providers: [Metrics, GraphqlMetricsPlugin], exports: [Metrics] })
export class MetricsModule {}
