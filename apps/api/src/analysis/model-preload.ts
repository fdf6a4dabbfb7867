// After a start, the model threads are empty: the first reachability question of a 10k-pod snapshot would wait for
// its model (JSON.parse + buildSnapshot, ~0.5 s of CPU, more on a loaded machine) and its stored analysis. So at
// start, in the background, the models of the most recently analysed contents (their serialised analyses are the
// newest rows of analysis_results) are loaded into their model threads with their analyses, at most
// `preloadModels` (NETPOL_PRELOAD_MODELS) and never more than the model cache holds. A question that arrives during
// a preload joins it (AnalysisService's loads are single-flight). Each is loaded from its stored model (stored-model.ts)
// when it has one, and its analysis after it (a reachability question waits for the model only).
// When: from module init (the database is connected and migrated by then), while Nest builds the rest of the
// application (the GraphQL schema, the other modules' start: ~1–3 s of the server's start at 10k pods on a loaded
// machine), in the model threads, so that the first model is mostly loaded when the server listens (started at
// application bootstrap, the first question after a restart waited ~0.3–0.6 s for its load). Before the server
// listens, every model thread is started and has run the engine's model code once (a thread's start, its modules
// and the first run of that code cost ~0.2 s of CPU that the first question would otherwise wait for); the preload
// is never waited for.
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { EngineOptions } from '@netpol-atlas/engine';
import type { DataSource } from 'typeorm';
import { APP_CONFIG, DEFAULT_ANALYSIS_CACHE, type AppConfig } from '../config/app-config.js';
import { AnalysisService } from './analysis.service.js';
import { SERIALIZED_ANALYSIS } from './derived-artefacts.js';
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
    // start, its loads queue behind their start.
    this.running = this.preload().catch((error: unknown) => {
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
    return Math.max(0, Math.min(this.config.preloadModels ?? 0, (this.config.analysisCache ?? DEFAULT_ANALYSIS_CACHE).entries));
  }

  /** The contents (with their options) whose serialised analyses were stored most recently, newest first. */
  async candidates(limit = this.limit()): Promise<PreloadCandidate[]> {
    const rows: { content_sha256: string; options_key: string }[] = await this.db.query(
      `SELECT content_sha256, options_key FROM analysis_results WHERE engine_version = $1 AND kind = $2
       ORDER BY created_at DESC, content_sha256 LIMIT $3`,
      [ENGINE_VERSION, SERIALIZED_ANALYSIS.kind, limit],
    );
    return rows.map((row) => ({ sha: row.content_sha256, options: JSON.parse(row.options_key) as EngineOptions }));
  }

  /** Loads the candidates one after the other (one model thread busy at a time); returns how many loaded. */
  async preload(): Promise<number> {
    let loaded = 0;
    for (const candidate of await this.candidates()) {
      try {
        await this.analyses.preload(candidate.sha, candidate.options);
        loaded++;
      } catch (error) {
        // An unanalysable or vanished content is not worth a failed start: the next question reports it.
        this.logger.warn(`model of ${candidate.sha} not preloaded: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    if (loaded > 0) this.logger.log(`preloaded ${loaded} model(s) with their analyses into the model threads`);
    return loaded;
  }
}
