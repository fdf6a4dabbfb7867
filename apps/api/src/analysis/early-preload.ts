// The preload of a server started by main.ts (issue 13: the first answer after a restart), begun before main.ts
// imports the application: the stored models (and analyses) of the most recently analysed contents are read with
// one plain `pg` client and loaded into the model threads (started just before, model-threads.ts) while this
// thread loads the application's modules (~2 s of a loaded machine's start). Started from module init instead
// (model-preload.ts), the decode of a 10k-pod stored model (~0.3 s of CPU) ran as the server began to listen, and the
// first question waited for it. What this loads, ModelPreload skips (it loads the rest: refused stored models,
// models without one, and everything when this failed, e.g. before the first migration). No Nest code here.
import pg from 'pg';
import type { AppConfig } from '../config/app-config.js';
import { DEFAULT_ANALYSIS_CACHE } from '../config/app-config.js';
import { SERIALIZED_ANALYSIS } from './derived-artefacts.js';
import { ENGINE_VERSION } from './engine-versions.js';
import type { EngineOptions } from '@netpol-atlas/engine';
import type { ModelThreads } from './model-threads.js';
import { STORED_MODEL_KIND } from './stored-model.js';

/** The contents whose serialised analyses were stored most recently, newest first ($1 version, $2 kind, $3 limit). */
export const PRELOAD_CANDIDATES_SQL = `SELECT content_sha256, options_key FROM analysis_results WHERE engine_version = $1 AND kind = $2
       ORDER BY created_at DESC, content_sha256 LIMIT $3`;

/** One stored artefact's payload ($1 content sha256, $2 engine version, $3 options key, $4 kind): AnalysisStore.load's
 *  query too, kept here because this file must not import Nest. */
export const STORED_PAYLOAD_SQL = `SELECT payload FROM analysis_results
       WHERE content_sha256 = $1 AND engine_version = $2 AND options_key = $3 AND kind = $4`;

/** How many models a start preloads: NETPOL_PRELOAD_MODELS, within the model cache's entry bound. */
export function preloadLimit(config: AppConfig): number {
  return Math.max(0, Math.min(config.preloadModels ?? 0, (config.analysisCache ?? DEFAULT_ANALYSIS_CACHE).entries));
}

/** The keys (model-host key texts) loaded early with their analyses, and what went wrong, if anything. */
export interface EarlyPreload {
  readonly loaded: ReadonlySet<string>;
  readonly failure?: string;
}

const started = new WeakMap<AppConfig, Promise<EarlyPreload>>();

/** main.ts: starts the early preload (never rejects; ModelPreload takes its result with `earlyPreloadOf`). */
export function startEarlyPreload(config: AppConfig, threads: ModelThreads): Promise<EarlyPreload> {
  const running = preloadEarly(config, threads);
  started.set(config, running);
  return running;
}

/** The early preload started for this configuration, once; none when main.ts started none (tests, the worker). */
export function earlyPreloadOf(config: AppConfig): Promise<EarlyPreload> | undefined {
  const running = started.get(config);
  started.delete(config);
  return running;
}

async function preloadEarly(config: AppConfig, threads: ModelThreads): Promise<EarlyPreload> {
  const loaded = new Set<string>();
  // Bounded: ModelPreload waits for this before it loads the rest.
  const client = new pg.Client({ connectionString: config.databaseUrl, connectionTimeoutMillis: 10_000, query_timeout: 30_000 });
  try {
    await client.connect();
    const payload = async (sha: string, optionsKey: string, kind: string): Promise<Buffer | undefined> => {
      const rows = await client.query<{ payload: Buffer }>(STORED_PAYLOAD_SQL, [sha, ENGINE_VERSION, optionsKey, kind]);
      return rows.rows[0]?.payload;
    };
    const candidates = await client.query<{ content_sha256: string; options_key: string }>(PRELOAD_CANDIDATES_SQL, [ENGINE_VERSION, SERIALIZED_ANALYSIS.kind, preloadLimit(config)]);
    // Every model first, then every analysis: a reachability question needs its model only.
    const held: { key: string; sha: string; optionsKey: string; options: EngineOptions }[] = [];
    for (const { content_sha256: sha, options_key: optionsKey } of candidates.rows) {
      // The key text of analysis-key.ts: the options key is the row's (the canonical JSON of the resolved options).
      const key = `${sha}|${ENGINE_VERSION}|${optionsKey}`;
      const options = JSON.parse(optionsKey) as EngineOptions;
      const model = await payload(sha, optionsKey, STORED_MODEL_KIND);
      if (!model) continue;
      const result = await threads.run({ op: 'load', key, model, options });
      // Refused (another format or shape) or with errors: ModelPreload builds it from the content.
      if ('loaded' in result && result.errors.length === 0) held.push({ key, sha, optionsKey, options });
    }
    for (const { key, sha, optionsKey, options } of held) {
      const analysis = await payload(sha, optionsKey, SERIALIZED_ANALYSIS.kind);
      if (!analysis) continue;
      const result = await threads.run({ op: 'load', key, options, analysis });
      if ('loaded' in result && !result.analysisRefused) loaded.add(key);
    }
    return { loaded };
  } catch (error) {
    return { loaded, failure: error instanceof Error ? error.message : String(error) };
  } finally {
    await client.end().catch(() => undefined);
  }
}
