// Prometheus metrics of one API process (prom-client, a registry per application so that several apps in one test
// process do not share counters). Served at GET /metrics (metrics.controller.ts). Labels are bounded: routes are
// Express route patterns (never raw paths), GraphQL operations by name up to MAX_OPERATION_NAMES, analysis sizes by
// workload-count class. Queue depth and job failures are read from PostgreSQL at scrape time, so any replica
// reports the whole queue, whichever process ran the jobs.
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { AnalysisPool, type AnalysisTiming } from '../analysis/analysis-pool.js';
import { AnalysisService } from '../analysis/analysis.service.js';
import { queueDepth } from '../jobs/analysis-jobs.js';
import { RenderPool } from '../compliance/render-pool.js';
import { InServerJobs } from '../jobs/in-server-jobs.service.js';

/** GraphQL operation names are chosen by clients: the first this many get their own label, the rest `other`. */
export const MAX_OPERATION_NAMES = 200;

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120];
const ANALYSIS_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128];

/** Workload-count class of an analysed snapshot (the label of the analysis histogram). */
export function sizeClass(workloads: number): string {
  if (workloads < 100) return 'lt100';
  if (workloads < 1000) return 'lt1k';
  if (workloads < 10_000) return 'lt10k';
  return 'ge10k';
}

@Injectable()
export class Metrics implements OnModuleInit {
  readonly registry = new Registry();
  private readonly http = new Histogram({
    name: 'netpol_http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly graphql = new Histogram({
    name: 'netpol_graphql_operation_duration_seconds',
    help: 'GraphQL operation latency by operation name and type',
    labelNames: ['operation', 'type'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly ingestBytes = new Histogram({
    name: 'netpol_ingest_content_bytes',
    help: 'Stored (projected) content bytes of accepted uploads',
    labelNames: ['source'] as const,
    buckets: [1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9],
    registers: [this.registry],
  });
  private readonly ingestSeconds = new Histogram({
    name: 'netpol_ingest_duration_seconds',
    help: 'Ingest duration (parse, project, hash, store) of accepted uploads',
    labelNames: ['source'] as const,
    buckets: ANALYSIS_BUCKETS,
    registers: [this.registry],
  });
  private readonly analysisSeconds = new Histogram({
    name: 'netpol_analysis_duration_seconds',
    help: 'Analysis duration in the thread pool (model, analysis, derived artefacts) by workload-count class',
    labelNames: ['size', 'outcome'] as const,
    buckets: ANALYSIS_BUCKETS,
    registers: [this.registry],
  });
  private readonly jobFailures = new Counter({
    name: 'netpol_analysis_job_failures_total',
    help: 'Analysis jobs of this process that failed (failed: given up; retry: queued again)',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  private readonly renders = new Counter({
    name: 'netpol_renders_total',
    help: 'Renderings of this process finished in its render threads (report downloads, evidence packs, the report headers packs start from), by operation and outcome',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly operationNames = new Set<string>();

  constructor(
    @InjectDataSource() db: DataSource,
    analyses: AnalysisService,
    private readonly pool: AnalysisPool,
    private readonly jobs: InServerJobs,
    private readonly renderPool: RenderPool,
  ) {
    collectDefaultMetrics({ register: this.registry, prefix: 'netpol_' });
    const analysisPool = pool;
    new Gauge({
      name: 'netpol_analysis_cache_lookups',
      help: 'Analysis cache lookups of this process since start, by artefact and where the answer came from',
      labelNames: ['artefact', 'source'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [artefact, sources] of Object.entries(analyses.stats())) {
          for (const [source, count] of Object.entries(sources)) this.set({ artefact, source }, count);
        }
      },
    });
    new Gauge({
      name: 'netpol_analysis_threads_queued',
      help: 'Analyses of this process waiting for a worker thread',
      registers: [this.registry],
      collect() {
        this.set(analysisPool.queued);
      },
    });
    new Gauge({
      name: 'netpol_model_threads_queued',
      help: 'Model-thread tasks of this process (model loads, reachability questions, diffs, lint, reports…) waiting for their thread',
      registers: [this.registry],
      collect() {
        this.set(analyses.modelThreadsQueued());
      },
    });
    new Gauge({
      name: 'netpol_render_threads_queued',
      help: 'Renderings of this process (report downloads, evidence packs) waiting for a render thread',
      registers: [this.registry],
      collect() {
        this.set(renderPool.queued);
      },
    });
    new Gauge({
      name: 'netpol_model_computations',
      help: 'Model computations (diffs, what-ifs, lint, reports, snapshot views) this process ran in its model threads since start, by computation',
      labelNames: ['computation'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [computation, count] of Object.entries(analyses.computationCounts())) this.set({ computation }, count);
      },
    });
    new Gauge({
      name: 'netpol_analysis_jobs',
      help: 'Analysis jobs of this engine version in the PostgreSQL queue, by state (queued: the queue depth)',
      labelNames: ['state'] as const,
      registers: [this.registry],
      async collect() {
        const depth = await queueDepth(db);
        this.set({ state: 'queued' }, depth.queued);
        this.set({ state: 'failed' }, depth.failed);
      },
    });
    new Gauge({
      name: 'netpol_analysis_queue_oldest_seconds',
      help: 'Age of the oldest queued analysis job',
      registers: [this.registry],
      async collect() {
        this.set((await queueDepth(db)).oldestQueuedSeconds);
      },
    });
  }

  onModuleInit(): void {
    this.pool.onAnalysed = (timing) => this.observeAnalysis(timing);
    this.renderPool.onRendered = ({ operation, ok }) => this.renders.inc({ operation, outcome: ok ? 'ok' : 'error' });
    this.jobs.onJob = (outcome) => {
      if (outcome.state !== 'done') this.jobFailures.inc({ state: outcome.state });
    };
  }

  observeAnalysis(timing: AnalysisTiming): void {
    this.analysisSeconds.observe({ size: sizeClass(timing.workloads), outcome: timing.ok ? 'ok' : 'error' }, timing.seconds);
  }

  observeIngest(source: string, contentBytes: number, seconds: number): void {
    const label = source === 'rest' || source === 'graphql' || source === 'demo' ? source : 'other';
    this.ingestBytes.observe({ source: label }, contentBytes);
    this.ingestSeconds.observe({ source: label }, seconds);
  }

  observeGraphql(operationName: string | undefined | null, type: string | undefined, seconds: number): void {
    let operation = operationName || 'anonymous';
    if (!this.operationNames.has(operation)) {
      if (this.operationNames.size >= MAX_OPERATION_NAMES) operation = 'other';
      else this.operationNames.add(operation);
    }
    this.graphql.observe({ operation, type: type ?? 'unknown' }, seconds);
  }

  /** Express middleware: every request's latency by route pattern (unmatched paths share one label). */
  httpMiddleware(): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
    return (req, res, next) => {
      const started = performance.now();
      res.once('finish', () => {
        // Express sets the matched route on the request (its pattern, never the raw path with ids in it).
        const matched = req as IncomingMessage & { route?: { path?: unknown }; baseUrl?: string };
        const pattern = matched.route?.path;
        const route = typeof pattern === 'string' ? `${matched.baseUrl ?? ''}${pattern}` : 'unmatched';
        this.http.observe({ method: req.method ?? 'GET', route, status: String(res.statusCode) }, (performance.now() - started) / 1000);
      });
      next();
    };
  }
}
