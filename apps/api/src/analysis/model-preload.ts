// After a start, the model threads are empty: the first reachability question of a 10k-pod snapshot would wait for
// its model (its stored model's decode, ~0.3 s of CPU, more on a loaded machine; the build from the content without
// one) and its stored analysis. So at start, in the background, the models of the most recently analysed contents
// (their serialised analyses are the newest rows of analysis_results) are loaded into their model threads with their
// analyses, at most `preloadModels` (NETPOL_PRELOAD_MODELS) and never more than the model cache holds. A question
// that arrives during a preload joins it (AnalysisService's loads are single-flight, and a thread runs its tasks in
// order). Each is loaded from its stored model (stored-model.ts) when it has one, and its analysis after it (a
// reachability question waits for the model only).
// When: a server started by main.ts loads them before it imports the application (early-preload.ts: the decode runs
// while ~2 s of modules load, so the models are held when it listens); this loads the rest from module init (the
// database is connected and migrated by then), while Nest builds the rest of the application, and everything in an
// application made by `createApp` alone (tests). Before the server listens, every model thread is started and has
// run the engine's model code once; the preload is never waited for.
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { EngineOptions } from '@netpol-atlas/engine';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AnalysisService } from './analysis.service.js';
import { SERIALIZED_ANALYSIS } from './derived-artefacts.js';
import { analysisKey, keyText } from './analysis-key.js';
import { earlyPreloadOf, PRELOAD_CANDIDATES_SQL, preloadLimit, type EarlyPreload } from './early-preload.js';
import { ENGINE_VERSION } from './engine-versions.js';

export interface PreloadCandidate {
  readonly sha: string;
  readonly options: EngineOptions;
}

@Injectable()
export class ModelPreload implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger('ModelPreload');
  /** The running preload (tests and shutdown wait for it). */
  running: Promise<number> = Promise.resolve(0);
  /** The model threads' start (awaited before the server listens). */
  private warmed: Promise<void> = Promise.resolve();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly analyses: AnalysisService,
  ) {}

  onModuleInit(): void {
    if (this.limit() === 0) return;
    this.warmed = this.analyses.warmModelThreads().catch((error: unknown) => {
      this.logger.warn(`model threads not warmed: ${error instanceof Error ? error.message : String(error)}`);
    });
    // In the background (the server starts and answers meanwhile): its reads from Postgres run while the threads
    // start, its loads queue behind their start. After main.ts's early preload (early-preload.ts), only what it did
    // not load.
    const early = earlyPreloadOf(this.config);
    this.running = this.preload(early).catch((error: unknown) => {
      this.logger.warn(`model preload stopped: ${error instanceof Error ? error.message : String(error)}`);
      return 0;
    });
  }

  /** Before the server listens: a model thread's start is part of the server's, not of its first question. */
  async onApplicationBootstrap(): Promise<void> {
    await this.warmed;
  }

  /** How many models a start preloads: NETPOL_PRELOAD_MODELS, within the model cache's entry bound. */
  limit(): number {
    return preloadLimit(this.config);
  }

  /** The contents (with their options) whose serialised analyses were stored most recently, newest first. */
  async candidates(limit = this.limit()): Promise<PreloadCandidate[]> {
    const rows: { content_sha256: string; options_key: string }[] = await this.db.query(PRELOAD_CANDIDATES_SQL, [ENGINE_VERSION, SERIALIZED_ANALYSIS.kind, limit]);
    return rows.map((row) => ({ sha: row.content_sha256, options: JSON.parse(row.options_key) as EngineOptions }));
  }

  /** Loads the candidates one after the other (one model thread busy at a time), but those `early` loaded; returns
   *  how many are loaded. */
  async preload(early?: Promise<EarlyPreload>): Promise<number> {
    const before = early ? await early : undefined;
    if (before?.failure) this.logger.log(`early model preload stopped (${before.failure}); loading now`);
    if (before && before.loaded.size > 0) {
      this.analyses.countEarlyPreloads(before.loaded.size);
      this.logger.log(`preloaded ${before.loaded.size} model(s) with their analyses into the model threads while the application loaded`);
    }
    let loaded = before?.loaded.size ?? 0;
    for (const candidate of await this.candidates()) {
      if (before?.loaded.has(keyText(analysisKey(candidate.sha, candidate.options)))) continue;
      try {
        await this.analyses.preload(candidate.sha, candidate.options);
        loaded++;
      } catch (error) {
        // An unanalysable or vanished content is not worth a failed start: the next question reports it.
        this.logger.warn(`model of ${candidate.sha} not preloaded: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const now = loaded - (before?.loaded.size ?? 0);
    if (now > 0) this.logger.log(`preloaded ${now} model(s) with their analyses into the model threads`);
    return loaded;
  }
}
