// Engine models held in worker threads (model-thread.ts), so that building one (~0.5 s of CPU at 10k pods) and
// the questions asked of it never run on the event loop. Keys are sharded: a shard is one piscina pool of ONE
// thread, so every task of a key reaches the thread that holds its model. Each shard's queue is bounded: beyond it,
// ModelHostFullError (503 with Retry-After).
import { HttpException, HttpStatus, type Provider } from '@nestjs/common';
import { APP_CONFIG, DEFAULT_ANALYSIS_CACHE, type AppConfig } from '../config/app-config.js';
import type { ModelTask, ModelTaskResult } from './model-thread.js';
import { adoptModelThreads, ModelThreads } from './model-threads.js';
import { DEFAULT_ANALYSIS_QUEUE } from './thread-entries.js';
import { movableMemory } from './moved-buffer.js';

/** Seconds a client is told to wait when a shard's queue is full. */
export const MODEL_HOST_RETRY_AFTER_SECONDS = 2;

/** 503 with Retry-After (REST and GraphQL, through the exception filter). */
export class ModelHostFullError extends HttpException {
  constructor(readonly limit: number) {
    super(`more than ${limit} model questions are waiting for a thread; try again later`, HttpStatus.SERVICE_UNAVAILABLE);
    this.name = 'ModelHostFullError';
  }

  readonly retryAfterSeconds = MODEL_HOST_RETRY_AFTER_SECONDS;
}

export interface ModelHostOptions {
  /** Shards (one thread each; NETPOL_MODEL_THREADS); default: as many as analysis threads, at most 4. */
  readonly threads?: number;
  /** Tasks waiting per shard at most; beyond, ModelHostFullError. */
  readonly maxQueue?: number;
  /** Models each thread holds at most (count and estimated bytes): the analysis cache bounds. */
  readonly cache?: { readonly entries: number; readonly bytes: number };
  /** Threads already started (main.ts starts them before it loads the application); else started here. */
  readonly started?: ModelThreads;
}

export class ModelHost {
  private readonly modelThreads: ModelThreads;
  private readonly maxQueue: number;

  constructor(options: ModelHostOptions = {}) {
    this.maxQueue = options.maxQueue ?? DEFAULT_ANALYSIS_QUEUE;
    this.modelThreads = options.started ?? new ModelThreads({ threads: options.threads, cache: options.cache ?? DEFAULT_ANALYSIS_CACHE });
  }

  private get shards(): ModelThreads['shards'] {
    return this.modelThreads.shards;
  }

  get threads(): number {
    return this.shards.length;
  }

  /** Tasks waiting for their shard's thread now, over every shard. */
  get queued(): number {
    let queued = 0;
    for (const shard of this.shards) queued += shard.queueSize;
    return queued;
  }

  /** Runs `task` on the shard of its key (of `shard` when a load names one). A load's `content` moves to the thread
   *  when it owns its memory (moved-buffer.ts): the caller must not read it afterwards. */
  run(task: ModelTask): Promise<ModelTaskResult> {
    const shard = this.modelThreads.shardOf(task);
    if (shard.queueSize >= this.maxQueue) return Promise.reject(new ModelHostFullError(this.maxQueue));
    const memory = task.op === 'load' && task.content ? movableMemory(task.content) : undefined;
    return shard.run(task, memory ? { transferList: [memory] } : undefined);
  }

  /** Starts every thread and loads its code (model-thread.ts `warm`); once (later calls join the first). */
  warm(): Promise<void> {
    return this.modelThreads.warm();
  }

  /** Every thread forgets its models. */
  async clear(): Promise<void> {
    await Promise.all(this.shards.map((shard) => shard.run({ op: 'clear', key: '' })));
  }

  close(): Promise<void> {
    return this.modelThreads.close();
  }

  onModuleDestroy(): Promise<void> {
    return this.close();
  }
}

export const MODEL_HOST_PROVIDER: Provider = {
  provide: ModelHost,
  useFactory: (config: AppConfig) => {
    const started = adoptModelThreads(config);
    const host = new ModelHost({ threads: config.modelThreads, cache: config.analysisCache, ...(started ? { started } : {}) });
    // A server that preloads models starts its model threads now (unless main.ts did, before loading the app), while
    // Nest instantiates and starts the rest of the app: a thread's start took ~0.3–1 s of a loaded machine's start,
    // before its first model could load (model-preload.ts waits for it, and reports a failure).
    if ((config.preloadModels ?? 0) > 0) host.warm().catch(() => undefined);
    return host;
  },
  inject: [APP_CONFIG],
};
