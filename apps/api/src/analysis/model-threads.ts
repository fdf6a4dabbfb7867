// The model threads themselves (model-thread.ts): piscina pools of ONE thread each (a shard), so that every task of a
// key reaches the thread that holds its model. Apart from model-host.ts (the Nest provider, its 503) because main.ts
// starts them before it imports the application: loading the server's modules takes ~2 s of a loaded machine's
// start, during which a started thread loads its code and runs the engine's model code once (`warm`), and the
// preload (model-preload.ts) finds it ready. This module imports no Nest code and no engine code.
import { createHash } from 'node:crypto';
import { Piscina } from 'piscina';
import type { AppConfig } from '../config/app-config.js';
import type { ModelTask, ModelTaskResult } from './model-thread.js';
import { DEFAULT_ANALYSIS_THREADS, threadEntry } from './thread-entries.js';

export interface ModelThreadsOptions {
  /** Shards (one thread each; NETPOL_MODEL_THREADS); default: as many as analysis threads, at most 4. */
  readonly threads?: number;
  /** Models each thread holds at most (count and estimated bytes): the analysis cache bounds. */
  readonly cache: { readonly entries: number; readonly bytes: number };
}

export class ModelThreads {
  readonly shards: readonly Piscina<ModelTask, ModelTaskResult>[];

  constructor(options: ModelThreadsOptions) {
    const threads = Math.max(1, Math.floor(options.threads ?? Math.min(4, DEFAULT_ANALYSIS_THREADS)));
    const filename = threadEntry('model-thread');
    this.shards = Array.from(
      { length: threads },
      () =>
        new Piscina<ModelTask, ModelTaskResult>({
          filename,
          minThreads: 0,
          maxThreads: 1,
          // A thread that goes idle takes its models with it (memory back); the next question loads again.
          idleTimeout: 10 * 60_000,
          workerData: { entries: options.cache.entries, bytes: Math.ceil(options.cache.bytes / threads) },
        }),
    );
  }

  /** The shard of a task: of its `shard` key when a load names one, else of its key. */
  shardOf(task: ModelTask): Piscina<ModelTask, ModelTaskResult> {
    const key = ('shard' in task && task.shard) || task.key;
    if (this.shards.length === 1) return this.shards[0]!;
    return this.shards[createHash('sha256').update(key).digest().readUInt32BE(0) % this.shards.length]!;
  }

  /** Runs `task` on its shard (unbounded: model-host.ts bounds the queues of the server's questions). */
  run(task: ModelTask): Promise<ModelTaskResult> {
    return this.shardOf(task).run(task);
  }

  private warming: Promise<void> | undefined;

  /** Starts every thread and loads its code (model-thread.ts `warm`); once (later calls join the first). */
  warm(): Promise<void> {
    this.warming ??= Promise.all(this.shards.map((shard) => shard.run({ op: 'warm', key: '' }))).then(() => undefined);
    return this.warming;
  }

  async close(): Promise<void> {
    await Promise.all(this.shards.map((shard) => shard.destroy()));
  }
}

/** Threads started by main.ts for the configuration it then builds the application with (model-host.ts adopts them). */
const startedEarly = new WeakMap<AppConfig, ModelThreads>();

/** main.ts, before it imports the application: starts and warms the model threads of a server that preloads models. */
export function startModelThreadsEarly(config: AppConfig, cache: ModelThreadsOptions['cache']): ModelThreads {
  const threads = new ModelThreads({ threads: config.modelThreads, cache });
  // A failed warm-up is reported by the preload's own (model-preload.ts); the threads start again on their next task.
  threads.warm().catch(() => undefined);
  startedEarly.set(config, threads);
  return threads;
}

/** The threads main.ts started for this configuration, once (a second application of it makes its own). */
export function adoptModelThreads(config: AppConfig): ModelThreads | undefined {
  const threads = startedEarly.get(config);
  startedEarly.delete(config);
  return threads;
}
