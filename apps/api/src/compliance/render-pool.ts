// Report rendering (md / html / csv / PDF downloads) and evidence packs run in a small pool of worker threads
// (render-thread.ts), never on the event loop. Bounded like the analysis pool: past `maxQueue` renderings waiting,
// a download gets 503 with Retry-After.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Piscina } from 'piscina';
import { ServiceUnavailableException, type Provider } from '@nestjs/common';
import { DEFAULT_ANALYSIS_QUEUE, DEFAULT_ANALYSIS_THREADS } from '../analysis/analysis-pool.js';
import { API_ROOT } from '../config/paths.js';
import type { EvidencePackInput } from './evidence-pack.js';
import type { RenderedReportFormat, RenderTask } from './render-thread.js';

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
  /** Threads at most; default 2 (at most the analysis threads): renderings are occasional downloads. */
  readonly threads?: number;
  /** Renderings waiting for a thread at most; beyond, RenderPoolFullError. */
  readonly maxQueue?: number;
}

export class RenderPool {
  private readonly pool: Piscina<RenderTask, Uint8Array>;
  private readonly maxQueue: number;
  /** Renderings started, by operation (tests read it). */
  readonly counts = { report: 0, evidencePack: 0 };

  constructor(options: RenderPoolOptions = {}) {
    this.maxQueue = options.maxQueue ?? DEFAULT_ANALYSIS_QUEUE;
    this.pool = new Piscina({
      filename: threadFile(),
      minThreads: 0,
      maxThreads: options.threads ?? Math.min(2, DEFAULT_ANALYSIS_THREADS),
      // A pack holds its content and zip in the thread's heap: idle threads go away.
      idleTimeout: 30_000,
    });
  }

  /** A stored report (its canonical JSON) in a download format. */
  report(reportJcs: string, format: RenderedReportFormat): Promise<Uint8Array> {
    return this.run({ op: 'report', reportJcs, format });
  }

  /** The evidence pack's zip (evidence-pack.ts). */
  evidencePack(input: EvidencePackInput): Promise<Uint8Array> {
    return this.run({ op: 'evidencePack', input });
  }

  private run(task: RenderTask): Promise<Uint8Array> {
    if (this.pool.queueSize >= this.maxQueue) return Promise.reject(new RenderPoolFullError(this.maxQueue));
    this.counts[task.op]++;
    return this.pool.run(task);
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }

  /** Nest lifecycle: the threads end with the application. */
  onModuleDestroy(): Promise<void> {
    return this.close();
  }
}

export const RENDER_POOL_PROVIDER: Provider = { provide: RenderPool, useFactory: () => new RenderPool() };
