// Report rendering (md / html / csv / PDF downloads, large connectivity downloads) and evidence packs run in a small
// pool of worker threads (render-thread.ts), never on the event loop. Bounded like the analysis pool: past `maxQueue` renderings waiting,
// a download gets 503 with Retry-After. Threads: NETPOL_RENDER_THREADS; queue and finished renderings in /metrics.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Piscina } from 'piscina';
import { Module, ServiceUnavailableException, type Provider } from '@nestjs/common';
import { DEFAULT_ANALYSIS_QUEUE, DEFAULT_ANALYSIS_THREADS } from '../analysis/analysis-pool.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { API_ROOT } from '../config/paths.js';
import type { ConnlistFormat } from '@netpol-atlas/engine';
import type { MessagePort } from 'node:worker_threads';
import type { ConnectivityTable } from '../analysis/connectivity-table.js';
import type { ConnlistStreamed } from '../connectivity/connlist-stream.js';
import type { ReportSource } from '../snapshots/content-source.js';
import type { EvidencePackTaskInput, RenderedReportFormat, RenderResult, RenderTask, ReportHeader, ReportText } from './render-thread.js';

/** Connectivity downloads streaming at once in their thread; more wait (bounded by the queue). */
export const CONNLIST_STREAMS_PER_THREAD = 16;

/** Render threads when NETPOL_RENDER_THREADS is not set: renderings are occasional downloads. */
export const DEFAULT_RENDER_THREADS = Math.min(2, DEFAULT_ANALYSIS_THREADS);

/** The compiled task: next to this module when built; from the build when this module runs from source (tests). */
function threadFile(): string {
  const sibling = path.join(import.meta.dirname, 'render-thread.js');
  if (existsSync(sibling)) return sibling;
  const built = path.join(API_ROOT, 'dist', 'apps', 'api', 'src', 'compliance', 'render-thread.js');
  if (!existsSync(built)) throw new Error(`the render thread is not built (${built}): run \`npm run build\``);
  return built;
}

/** 503 / SERVICE_UNAVAILABLE with Retry-After (api-exception.filter.ts). */
export class RenderPoolFullError extends ServiceUnavailableException {
  constructor(readonly limit: number) {
    super(`more than ${limit} reports are waiting to be rendered; try again later`);
    this.name = 'RenderPoolFullError';
  }

  readonly retryAfterSeconds = 5;
}

export interface RenderPoolOptions {
  /** Threads at most (NETPOL_RENDER_THREADS); default DEFAULT_RENDER_THREADS. */
  readonly threads?: number;
  /** Renderings waiting for a thread at most; beyond, RenderPoolFullError. */
  readonly maxQueue?: number;
}

export type RenderOperation = RenderTask['op'];

/** One finished rendering, for metrics. */
export interface RenderOutcome {
  readonly operation: RenderOperation;
  readonly ok: boolean;
}

export class RenderPool {
  private readonly pool: Piscina<RenderTask, RenderResult>;
  private readonly maxQueue: number;
  /** Renderings started, by operation (tests read it). */
  readonly counts: Record<RenderOperation, number> = { report: 0, evidencePack: 0, reportHeader: 0, reportJson: 0, reportView: 0, connlist: 0 };
  /** Called after each rendering, done or failed (the metrics module listens). */
  onRendered?: (outcome: RenderOutcome) => void;

  /**
   * Connectivity downloads stream from a thread of their own: a download waits for its client between chunks, so it
   * may hold its task for as long as the client reads. Many interleave in that one thread (each waiting task yields
   * it), and a slow or stalled client never holds a report's rendering.
   */
  private readonly streams: Piscina<RenderTask, ConnlistStreamed>;

  constructor(options: RenderPoolOptions = {}) {
    this.maxQueue = options.maxQueue ?? DEFAULT_ANALYSIS_QUEUE;
    this.pool = new Piscina({
      filename: threadFile(),
      minThreads: 0,
      maxThreads: options.threads ?? DEFAULT_RENDER_THREADS,
      // A pack holds its content and zip in the thread's heap: idle threads go away.
      idleTimeout: 30_000,
    });
    this.streams = new Piscina({ filename: threadFile(), minThreads: 0, maxThreads: 1, concurrentTasksPerWorker: CONNLIST_STREAMS_PER_THREAD, idleTimeout: 30_000 });
  }

  /** Renderings waiting for a thread now (downloads waiting for the streaming thread included). */
  get queued(): number {
    return this.pool.queueSize + this.streams.queueSize;
  }

  /** A stored report (its canonical JSON, or where the thread reads it) in a download format. */
  report(report: ReportText, format: RenderedReportFormat): Promise<Uint8Array> {
    return this.run({ op: 'report', report, format }) as Promise<Uint8Array>;
  }

  /** The CNI profile and generation time a stored report recorded, read in a thread (the report may be MiBs). */
  reportHeader(report: ReportText): Promise<ReportHeader> {
    return this.run({ op: 'reportHeader', report }) as Promise<ReportHeader>;
  }

  /** A stored report's canonical JSON as UTF-8 bytes, read by the thread (tens of MB at 50k pods). */
  reportJson(report: ReportSource): Promise<Uint8Array> {
    return this.run({ op: 'reportJson', report }) as Promise<Uint8Array>;
  }

  /** A stored report's view (report-view.ts) as JSON, for a report stored before views of this layout were: the
   *  thread computes the view and row pages from the report and stores them (stored-report.ts). */
  reportView(report: ReportSource): Promise<string> {
    return this.run({ op: 'reportView', report }) as Promise<string>;
  }

  /** The evidence pack's zip (evidence-pack.ts). */
  evidencePack(input: EvidencePackTaskInput): Promise<Uint8Array> {
    return this.run({ op: 'evidencePack', input }) as Promise<Uint8Array>;
  }

  /**
   * A connectivity table's np-guard text, sent through `port` as it is formatted (connlist-stream.ts: the event loop
   * pipes it with `pipeConnlist`). The table is copied to the thread; the port moves there.
   */
  connlist(table: ConnectivityTable, format: ConnlistFormat, port: MessagePort, chunkChars?: number): Promise<ConnlistStreamed> {
    return this.run({ op: 'connlist', table, format, port, ...(chunkChars ? { chunkChars } : {}) }, [port]) as Promise<ConnlistStreamed>;
  }

  private run(task: RenderTask, transferList?: MessagePort[]): Promise<RenderResult> {
    const pool = task.op === 'connlist' ? this.streams : this.pool;
    if (pool.queueSize >= this.maxQueue) return Promise.reject(new RenderPoolFullError(this.maxQueue));
    this.counts[task.op]++;
    const rendering = pool.run(task, transferList ? { transferList } : undefined);
    rendering.then(
      () => this.onRendered?.({ operation: task.op, ok: true }),
      () => this.onRendered?.({ operation: task.op, ok: false }),
    );
    return rendering;
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.destroy(), this.streams.destroy()]);
  }

  /** Nest lifecycle: the threads end with the application. */
  onModuleDestroy(): Promise<void> {
    return this.close();
  }
}

export const RENDER_POOL_PROVIDER: Provider = {
  provide: RenderPool,
  useFactory: (config: AppConfig) => new RenderPool({ threads: config.renderThreads }),
  inject: [APP_CONFIG],
};

/** The server's one render pool: compliance renders with it, the metrics read its queue. */
@Module({ providers: [RENDER_POOL_PROVIDER], exports: [RenderPool] })
export class RenderPoolModule {}
