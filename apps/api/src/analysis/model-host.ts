// Engine models held in worker threads (model-thread.ts), so that building one (~0.5 s of CPU at 10k pods) and
// the questions asked of it never run on the event loop. Keys are sharded: a shard is one piscina pool of ONE
// thread, so every task of a key reaches the thread that holds its model. Each shard's queue is bounded: beyond it,
// ModelHostFullError (503 with Retry-After).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Piscina } from 'piscina';
import { HttpException, HttpStatus, type Provider } from '@nestjs/common';
import { APP_CONFIG, DEFAULT_ANALYSIS_CACHE, type AppConfig } from '../config/app-config.js';
import { API_ROOT } from '../config/paths.js';
import { DEFAULT_ANALYSIS_QUEUE, DEFAULT_ANALYSIS_THREADS } from './analysis-pool.js';
import type { ModelTask, ModelTaskResult } from './model-thread.js';

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

function threadFile(): string {
  const sibling = path.join(import.meta.dirname, 'model-thread.js');
  if (existsSync(sibling)) return sibling;
  const built = path.join(API_ROOT, 'dist', 'apps', 'api', 'src', 'analysis', 'model-thread.js');
  if (!existsSync(built)) throw new Error(`the model thread is not built (${built}): run \`npm run build\``);
  return built;
}

export interface ModelHostOptions {
  /** Shards (one thread each; NETPOL_MODEL_THREADS); default: as many as analysis threads, at most 4. */
  readonly threads?: number;
  /** Tasks waiting per shard at most; beyond, ModelHostFullError. */
  readonly maxQueue?: number;
  /** Models each thread holds at most (count and estimated bytes): the analysis cache bounds. */
  readonly cache?: { readonly entries: number; readonly bytes: number };
}

export class ModelHost {
  private readonly shards: Piscina<ModelTask, ModelTaskResult>[];
  private readonly maxQueue: number;

  constructor(options: ModelHostOptions = {}) {
    const threads = Math.max(1, Math.floor(options.threads ?? Math.min(4, DEFAULT_ANALYSIS_THREADS)));
    this.maxQueue = options.maxQueue ?? DEFAULT_ANALYSIS_QUEUE;
    const cache = options.cache ?? DEFAULT_ANALYSIS_CACHE;
    const filename = threadFile();
    this.shards = Array.from(
      { length: threads },
      () =>
        new Piscina<ModelTask, ModelTaskResult>({
          filename,
          minThreads: 0,
          maxThreads: 1,
          // A thread that goes idle takes its models with it (memory back); the next question loads again.
          idleTimeout: 10 * 60_000,
          workerData: { entries: cache.entries, bytes: Math.ceil(cache.bytes / threads) },
        }),
    );
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

  /** Runs `task` on the shard of its key (of `shard` when a load names one). */
  run(task: ModelTask): Promise<ModelTaskResult> {
    const shard = this.shards[this.shardOf(('shard' in task && task.shard) || task.key)]!;
    if (shard.queueSize >= this.maxQueue) return Promise.reject(new ModelHostFullError(this.maxQueue));
    return shard.run(task);
  }

  private warming: Promise<void> | undefined;

  /** Starts every thread and loads its modules (model-thread.ts `warm`); once (later calls join the first). */
  warm(): Promise<void> {
    this.warming ??= Promise.all(this.shards.map((shard) => shard.run({ op: 'warm', key: '' }))).then(() => undefined);
    return this.warming;
  }

  /** Every thread forgets its models. */
  async clear(): Promise<void> {
    await Promise.all(this.shards.map((shard) => shard.run({ op: 'clear', key: '' })));
  }

  private shardOf(key: string): number {
    if (this.shards.length === 1) return 0;
    return createHash('sha256').update(key).digest().readUInt32BE(0) % this.shards.length;
  }

  async close(): Promise<void> {
    await Promise.all(this.shards.map((shard) => shard.destroy()));
  }

  onModuleDestroy(): Promise<void> {
    return this.close();
  }
}

export const MODEL_HOST_PROVIDER: Provider = {
  provide: ModelHost,
  useFactory: (config: AppConfig) => {
    const host = new ModelHost({ threads: config.modelThreads, cache: config.analysisCache });
    // A server that preloads models starts its model threads now, while Nest instantiates and starts the rest of the
    // app: a thread's start (the engine's modules) took ~1–2 s of a loaded machine's start, before its first model
    // could load (model-preload.ts waits for it, and reports a failure).
    if ((config.preloadModels ?? 0) > 0) host.warm().catch(() => undefined);
    return host;
  },
  inject: [APP_CONFIG],
};
