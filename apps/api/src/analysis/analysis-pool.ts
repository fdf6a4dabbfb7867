// Analyses run in a bounded pool of worker threads (piscina), never on the event loop: a cold 10k-pod analysis
// takes seconds of CPU, during which every other request of the process would wait. Requests for the same
// (content, engine version, options) share one computation (single-flight); what comes back is the encoded derived
// artefacts (analysis-thread.ts), which the caller stores in analysis_results and decodes.
//
// Used by the API (AnalysisService, on a cache miss) and by the job runner (apps/api/src/jobs), in the server or in
// a worker process.
import { Piscina } from 'piscina';
import { movableMemory } from './moved-buffer.js';
import { ServiceUnavailableException, type Provider } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { keyText, type AnalysisKey } from './analysis-key.js';
import type { AnalysisTask, AnalysisTaskResult } from './analysis-thread.js';
import type { ContentSource } from '../snapshots/content-source.js';
import { DEFAULT_ANALYSIS_QUEUE, DEFAULT_ANALYSIS_THREADS, threadEntry } from './thread-entries.js';

export { DEFAULT_ANALYSIS_QUEUE, DEFAULT_ANALYSIS_THREADS } from './thread-entries.js';

export interface AnalysisPoolOptions {
  /** Threads at most (NETPOL_ANALYSIS_THREADS); default: cores − 1, at least 1. */
  readonly threads?: number;
  /** Analyses waiting for a thread at most (≥ 1); beyond, AnalysisPoolFullError (the caller answers 503). */
  readonly maxQueue?: number;
  /** The listing bound the threads apply (listing-bound.ts; NETPOL_MAX_LISTED_ROWS): given to them in their environment. */
  readonly maxListedRows?: number;
}

/** 503 / SERVICE_UNAVAILABLE for the client (REST and GraphQL, through the exception filter). */
export class AnalysisPoolFullError extends ServiceUnavailableException {
  constructor(readonly limit: number) {
    super(`more than ${limit} analyses are waiting for a thread; try again later`);
    this.name = 'AnalysisPoolFullError';
  }

  /** The Retry-After of the 503 (api-exception.filter.ts). */
  readonly retryAfterSeconds = 5;
}

/** One finished analysis, for metrics: how long, how big. */
export interface AnalysisTiming {
  readonly workloads: number;
  readonly contentBytes: number;
  readonly seconds: number;
  readonly ok: boolean;
}

export class AnalysisPool {
  private readonly pool: Piscina<AnalysisTask, AnalysisTaskResult>;
  private readonly inFlight = new Map<string, Promise<AnalysisTaskResult>>();
  private readonly maxQueue: number;
  /** Called after each analysis (the metrics module listens). */
  onAnalysed?: (timing: AnalysisTiming) => void;
  /** Analyses started since creation (a request that joined a running one does not count). */
  started = 0;

  constructor(options: AnalysisPoolOptions = {}) {
    this.maxQueue = options.maxQueue ?? DEFAULT_ANALYSIS_QUEUE;
    this.pool = new Piscina({
      filename: threadEntry('analysis-thread'),
      minThreads: 0,
      maxThreads: options.threads ?? DEFAULT_ANALYSIS_THREADS,
      // Threads holding a big model's heap go away when idle.
      idleTimeout: 30_000,
      ...(options.maxListedRows !== undefined ? { env: { ...process.env, NETPOL_MAX_LISTED_ROWS: String(options.maxListedRows) } } : {}),
    });
  }

  /** Analyses waiting for a thread now. */
  get queued(): number {
    return this.pool.queueSize;
  }

  /**
   * The encoded artefacts of `content` under `key`; concurrent calls for one key share one computation. `content` is
   * the bytes, moved to the thread when they own their memory (10–50 MB not copied on the event loop: the caller must
   * not read them afterwards), or where the thread reads them (content-source.ts; `contentBytes` null: not stored).
   */
  analyse(key: AnalysisKey, content: Buffer | ContentSource): Promise<AnalysisTaskResult> {
    const text = keyText(key);
    const running = this.inFlight.get(text);
    if (running) return running;
    if (this.pool.queueSize >= this.maxQueue) return Promise.reject(new AnalysisPoolFullError(this.maxQueue));
    this.started++;
    const started = performance.now();
    const given = Buffer.isBuffer(content) ? content.length : undefined;
    const memory = Buffer.isBuffer(content) ? movableMemory(content) : undefined;
    const input: AnalysisTask = Buffer.isBuffer(content) ? { content, options: key.options } : { contentFrom: content, options: key.options };
    const task = this.pool.run(input, memory ? { transferList: [memory] } : undefined).then(
      (result) => {
        const contentBytes = given ?? result.contentBytes ?? 0;
        this.onAnalysed?.({ workloads: result.workloads, contentBytes, seconds: (performance.now() - started) / 1000, ok: result.errors.length === 0 && result.contentBytes !== null });
        return result;
      },
      (error: unknown) => {
        this.onAnalysed?.({ workloads: 0, contentBytes: given ?? 0, seconds: (performance.now() - started) / 1000, ok: false });
        throw error;
      },
    );
    this.inFlight.set(text, task);
    const forget = () => {
      if (this.inFlight.get(text) === task) this.inFlight.delete(text);
    };
    task.then(forget, forget);
    return task;
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }

  /** Nest lifecycle: the threads end with the application. */
  onModuleDestroy(): Promise<void> {
    return this.close();
  }
}

/** The server's one pool (app.module.ts). */
export const ANALYSIS_POOL_PROVIDER: Provider = {
  provide: AnalysisPool,
  useFactory: (config: AppConfig) => new AnalysisPool({ threads: config.analysisThreads, maxListedRows: config.maxListedRows }),
  inject: [APP_CONFIG],
};
