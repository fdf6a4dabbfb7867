// The operations feature (issue 13): its providers and controllers, listed once for app.module.ts.
import { GraphqlMetricsPlugin } from './graphql-metrics.plugin.js';
import { MetricsController } from './metrics.controller.js';
import { Metrics } from './metrics.service.js';

export const METRICS_PROVIDERS = [Metrics, GraphqlMetricsPlugin];
export const METRICS_CONTROLLERS = [MetricsController];
