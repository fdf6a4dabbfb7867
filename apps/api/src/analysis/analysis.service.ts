// Analysis of stored snapshots, computed on first use and cached per (content SHA-256, ENGINE_VERSION, engine
// options): in Postgres (the compact workload-level connectivity table, the exposure summary and the serialised
// factorised analysis, see analysis-store.ts and derived-artefacts.ts), in memory here (the derived results), and in
// the model threads (the engine models with their analyses, model-host.ts).
//
// Nothing here builds a model or analyses on the event loop. `analyze` runs in the analysis pool (analysis-pool.ts),
// which returns every artefact encoded, the serialised analysis among them. Whatever needs the engine model — the
// reachability queries (`ask`), diffs and what-ifs, lint, compliance reports, the snapshot views' selections,
// isolation and policy fields, rule connections (`compute`, model-computations.ts) — runs in the model thread of its
// key, which loads the model there from its stored model (stored-model.ts; built from the stored content when there
// is none, or when a computation needs the content's objects) and the stored analysis onto it: the model cannot
// cross a thread boundary cheaply, so the questions go to it and plain results come back. After a restart, the
// connectivity queries, the np-guard formats and `exposure` are answered from Postgres without parsing the snapshot.
import { Inject, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import { EvaluateError, type EngineOptions, type Issue } from '@netpol-atlas/engine';
import { BarePeerError } from './bare-peer.js';
import { APP_CONFIG, DEFAULT_ANALYSIS_CACHE, type AppConfig } from '../config/app-config.js';
import { SnapshotsService } from '../snapshots/snapshots.service.js';
import type { ContentSource } from '../snapshots/content-source.js';
import { analysisKey, keyText, type AnalysisKey } from './analysis-key.js';
import { AnalysisPool } from './analysis-pool.js';
import { AnalysisStore } from './analysis-store.js';
import { BoundedCache } from './bounded-cache.js';
import type { ExposureSummary } from '@netpol-atlas/engine';
import type { ConnectivityTable } from './connectivity-table.js';
import type { NamespaceMatrixData } from './namespace-matrix.js';
import type { ConnectivityRowColumns } from '../connectivity/connectivity-rows.js';
import type { CniProfileAnswer } from './cni-profile-answer.js';
import { listedOrThrow, type ListingTooLarge } from './listing-bound.js';
import { CNI_PROFILE, CONNECTIVITY, CONNECTIVITY_ROWS, CONNECTIVITY_ROWS_MERGED_IP, EXPOSURE, NAMESPACE_MATRIX, SERIALIZED_ANALYSIS, type DerivedArtefact } from './derived-artefacts.js';
import { ModelHost } from './model-host.js';
import { STORED_MODEL_KIND } from './stored-model.js';
import { fromPlain, holdsConnectionSets, needsAnalysis, type ModelComputation } from './model-computations.js';
import type { ModelQuestion, ModelTaskResult } from './model-thread.js';

type LoadedInHost = Extract<ModelTaskResult, { loaded: true }>;

/** Where a result came from: this process' memory, the Postgres cache, or the engine just now. */
export type CacheSource = 'memory' | 'store' | 'computed';

export interface Cached<T> {
  readonly value: T;
  readonly source: CacheSource;
}

/** Per `model` and per derived artefact kind (`connectivity`, `exposure`, …). */
export type CacheCounters = Record<string, Record<CacheSource, number>>;

/** The engine reports errors on this content (it cannot be analysed as it is). */
export class SnapshotNotAnalysableError extends Error {
  constructor(readonly issues: readonly Issue[]) {
    super(`the snapshot cannot be analysed: ${issues.map((issue) => issue.message).join('; ')}`);
    this.name = 'SnapshotNotAnalysableError';
  }
}

/**
 * The models a question or a computation needs do not stay held together in their model thread: each load evicts
 * another (a budget too small for the snapshots' models: model-footprint.ts charges ~270 MB per 50k-pod model). 503 with what
 * to change, not a 500: the server is fine, its memory budget is too small for these snapshots.
 */
export class ModelBudgetError extends ServiceUnavailableException {
  constructor(shas: readonly string[]) {
    super(
      `the engine model${shas.length > 1 ? 's' : ''} of ${shas.map((sha) => sha.slice(0, 12)).join(' and ')} ${shas.length > 1 ? 'do' : 'does'} not stay held ` +
        "in the model thread's memory budget (NETPOL_ANALYSIS_CACHE_MB, shared by NETPOL_MODEL_THREADS threads): raise NETPOL_ANALYSIS_CACHE_MB",
    );
    this.name = 'ModelBudgetError';
  }
}

/** One side of a model computation: a stored content under its engine options. */
export interface ModelSideInput {
  readonly sha: string;
  readonly options?: EngineOptions;
}

interface Entry {
  readonly key: AnalysisKey;
  /** Derived artefacts by registry kind, with their size once known. */
  readonly derived: Map<string, { promise: Promise<unknown>; bytes: number }>;
}

@Injectable()
export class AnalysisService {
  private readonly logger = new Logger('AnalysisService');
  private readonly cache: BoundedCache<Entry>;
  /** Loads into the model threads under way, by key and whether the analysis is loaded too. */
  private readonly hostLoads = new Map<string, Promise<void>>();
  private readonly counters: CacheCounters = {
    // Models built on the event loop: none any more (every model is built in a model thread); kept at 0 so that
    // tests and dashboards can tell.
    model: { memory: 0, store: 0, computed: 0 },
    // Models built in a model thread or already held there (model-host.ts).
    'model-thread': { memory: 0, store: 0, computed: 0 },
    // The factorised analysis: loaded from the memory cache, loaded from Postgres, or computed in a thread.
    analysis: { memory: 0, store: 0, computed: 0 },
    connectivity: { memory: 0, store: 0, computed: 0 },
    exposure: { memory: 0, store: 0, computed: 0 },
  };

  constructor(
    private readonly snapshots: SnapshotsService,
    private readonly store: AnalysisStore,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly pool: AnalysisPool,
    private readonly host: ModelHost,
  ) {
    const bounds = config.analysisCache ?? DEFAULT_ANALYSIS_CACHE;
    this.cache = new BoundedCache<Entry>(bounds.entries, bounds.bytes);
    this.contentSource = (sha256) => ({ sha256, primaryUrl: config.databaseUrl, ...(config.databaseReadUrls ? { replicaUrls: config.databaseReadUrls } : {}) });
  }

  /** Where a thread reads the content `sha256` itself (content-source.ts). */
  contentSourceOf(sha256: string): ContentSource {
    return this.contentSource(sha256);
  }

  /** Contents read by the threads for this service (a model built, an analysis computed) since start. */
  contentReads = 0;

  /** Where a thread reads a content itself (content-source.ts): contents never pass through the event loop. */
  private readonly contentSource: (sha256: string) => ContentSource;

  /** Workload-level connectivity: memory, else Postgres, else computed (and stored); ListingTooLargeError past the
   *  listing bound (listing-bound.ts). */
  async connectivity(contentSha256: string, options?: EngineOptions): Promise<Cached<ConnectivityTable>> {
    return listed(await this.derived(contentSha256, CONNECTIVITY, options));
  }

  /** The API's connectivity rows as columns (connectivity-rows.ts), IP ranges merged as np-guard lists them or not. */
  async connectivityRows(contentSha256: string, options: EngineOptions | undefined, mergeIpRanges: boolean): Promise<Cached<ConnectivityRowColumns>> {
    return listed(await this.derived(contentSha256, mergeIpRanges ? CONNECTIVITY_ROWS_MERGED_IP : CONNECTIVITY_ROWS, options));
  }

  /** Namespace × namespace counts of allowed workload pairs (namespace-matrix.ts). */
  async namespaceMatrix(contentSha256: string, options?: EngineOptions): Promise<Cached<NamespaceMatrixData>> {
    return listed(await this.derived(contentSha256, NAMESPACE_MATRIX, options));
  }

  /** Internet-exposed, cluster-wide-exposed and unprotected workloads. */
  exposure(contentSha256: string, options?: EngineOptions): Promise<Cached<ExposureSummary>> {
    return this.derived(contentSha256, EXPOSURE, options);
  }

  /**
   * Answers `question` on the model of a stored content in its model thread, loading the model there first when the
   * thread does not hold it (and the analysis, for the questions that need it: from Postgres, else computed in the
   * analysis pool). Concurrent loads of one key share one. Engine errors come back as EvaluateError,
   * SnapshotNotAnalysableError; a full queue as ModelHostFullError (503).
   */
  async ask<T>(contentSha256: string, options: EngineOptions | undefined, question: ModelQuestion): Promise<T> {
    const key = analysisKey(contentSha256, options);
    const text = keyText(key);
    // A model the thread evicted between the load and the question is loaded again; a third miss is a fault.
    for (let attempt = 0; attempt < 3; attempt++) {
      const result = await this.host.run({ op: 'ask', key: text, question });
      if ('answer' in result) return result.answer as T;
      if ('evaluateError' in result) {
        const { code, message, candidates } = result.evaluateError;
        throw new EvaluateError(code, message, candidates);
      }
      if ('barePeer' in result) throw new BarePeerError(result.barePeer.argument, result.barePeer.bareName, result.barePeer.candidates);
      if ('notAnalysable' in result) throw new SnapshotNotAnalysableError(result.notAnalysable);
      if ('missing' in result) {
        await this.loadInHost(key, result.missing === 'analysis');
        continue;
      }
      throw new Error(`unexpected answer of the model thread: ${Object.keys(result).join(', ')}`);
    }
    throw new ModelBudgetError([contentSha256]);
  }

  /**
   * Runs `computation` on the models of `sides` (one content, or two for a diff: old, new) in the model thread of
   * the first side, loading there what it does not hold (as `ask` does); the plain result comes back (connection
   * sets rebuilt). Concurrent requests for one result share one computation in the callers' caches (DiffService,
   * ReportsService, …); concurrent loads of one model share one load here.
   */
  async compute<T>(sides: readonly ModelSideInput[], computation: ModelComputation): Promise<T> {
    const keys = sides.map((side) => analysisKey(side.sha, side.options));
    const shard = keyText(keys[0]!);
    const withAnalysis = needsAnalysis(computation);
    // Each side may be missing its model, then its analysis (again when its stored model was completed); an eviction
    // between load and run is one more round.
    for (let attempt = 0; attempt < 3 * keys.length + 2; attempt++) {
      const result = await this.host.run({ op: 'compute', key: shard, sides: keys.map((key) => ({ key: keyText(key), withAnalysis })), computation });
      if ('answer' in result) {
        this.computations[computation.name] = (this.computations[computation.name] ?? 0) + 1;
        return (holdsConnectionSets(computation) ? fromPlain(result.answer) : result.answer) as T;
      }
      if ('notAnalysable' in result) throw new SnapshotNotAnalysableError(result.notAnalysable);
      if ('missingSide' in result) {
        // A missing model is loaded complete: a computation reads the content's objects.
        await this.loadInHost(keys[result.missingSide]!, result.missing === 'analysis', shard, result.missing === 'model');
        continue;
      }
      throw new Error(`unexpected answer of the model thread: ${Object.keys(result).join(', ')}`);
    }
    throw new ModelBudgetError(sides.map((side) => side.sha));
  }

  /** Loads the model, then the stored analysis, of a content into its model thread (ModelPreload, at start): a
   *  reachability question asked meanwhile joins the model's load and does not wait for the analysis. */
  async preload(contentSha256: string, options?: EngineOptions): Promise<void> {
    const key = analysisKey(contentSha256, options);
    await this.loadInHost(key, false);
    await this.loadInHost(key, true);
  }

  /** Counts models (with their analyses) that main.ts's early preload loaded from the store (early-preload.ts), as
   *  the loads here count theirs. */
  countEarlyPreloads(models: number): void {
    this.countersOf('model-thread').store += models;
    this.countersOf('analysis').store += models;
  }

  /** Starts the model threads and runs the engine's model code once in each (ModelPreload, at start). */
  warmModelThreads(): Promise<void> {
    return this.host.warm();
  }

  /** Model computations answered since start, by name (each ran in a model thread, none on the event loop). */
  private readonly computations: Record<string, number> = {};

  /** Model computations answered since start, by name (metrics, tests). */
  computationCounts(): Record<string, number> {
    return { ...this.computations };
  }

  /** Model-thread tasks (loads, questions, computations) waiting for their thread now. */
  modelThreadsQueued(): number {
    return this.host.queued;
  }

  /**
   * Makes the model of `key` held in its model thread, with its analysis when `withAnalysis`; single-flight. A model
   * already held is not sent again; else the stored model (stored-model.ts: what the questions need, ~1/20 of the
   * content) unless `complete` (the computations need the content's objects), else the model is built from the
   * content there.
   */
  private loadInHost(key: AnalysisKey, withAnalysis: boolean, shard = keyText(key), complete = false): Promise<void> {
    const flight = `${shard}|${keyText(key)}|${withAnalysis ? 'analysis' : 'model'}${complete ? '|complete' : ''}`;
    // A load with the analysis (a preload, a whoCanReach) loads the model too: a model-only load joins it.
    const running = this.hostLoads.get(flight) ?? (withAnalysis || complete ? undefined : this.hostLoads.get(`${shard}|${keyText(key)}|analysis`));
    if (running) return running;
    const task = (async () => {
      const counters = this.countersOf('analysis');
      const computed = async () => {
        const payload = await this.computeInPool(key, SERIALIZED_ANALYSIS.kind);
        counters.computed++;
        return payload;
      };
      let analysis: Buffer | undefined;
      let fromStore = false;
      if (withAnalysis) {
        analysis = (await this.store.load(key, SERIALIZED_ANALYSIS.kind)) ?? undefined;
        fromStore = analysis !== undefined;
        if (fromStore) counters.store++;
        else analysis = await computed();
      }
      let result = await this.heldInHost(key, analysis, shard, complete);
      if (result.analysisRefused && fromStore) {
        // A stored row of another snapshot shape (the engine changed it without a new ENGINE_VERSION): recomputed.
        result = await this.heldInHost(key, await computed(), shard, complete);
      }
      if (result.analysisRefused) throw new Error(`the analysis computed for ${key.contentSha256} does not load onto its model`);
      if (result.errors.length > 0) throw new SnapshotNotAnalysableError(result.errors);
    })();
    this.hostLoads.set(flight, task);
    const forget = () => {
      if (this.hostLoads.get(flight) === task) this.hostLoads.delete(flight);
    };
    task.then(forget, forget);
    return task;
  }

  /** The model held in the thread of `shard` (the key's own, or the first side's of a computation on two contents):
   *  as held, else from the stored model (unless `complete`), else built from the content; `analysis` loaded onto it. */
  private async heldInHost(key: AnalysisKey, analysis: Buffer | undefined, shard: string, complete: boolean): Promise<LoadedInHost> {
    let storedModel: 'absent' | 'refused' | 'unknown' = 'unknown';
    if (!complete) {
      // Read while the thread says whether it holds the model: a load is asked for when it does not (a question
      // missed it, a start preloads it), so the read is rarely wasted, and the first answer after a restart does not
      // wait for one more round trip.
      const reading = this.store.load(key, STORED_MODEL_KIND).then(
        (payload) => ({ payload }),
        (error: unknown) => ({ error }),
      );
      const held = await this.loadedInHost(key, {}, analysis, shard);
      if ('loaded' in held) return held;
      const read = await reading;
      if ('error' in read) throw read.error;
      const stored = read.payload;
      storedModel = stored ? 'refused' : 'absent';
      if (stored) {
        const loaded = await this.loadedInHost(key, { model: stored }, analysis, shard);
        if ('loaded' in loaded) return loaded;
        // Of another format or shape (stored by other code of this engine version): built from the content.
        this.storedModelsRefused++;
      }
    }
    const encodeModel = storedModel !== 'refused' && (await this.lacksStoredModel(key, storedModel === 'absent'));
    const built = await this.loadedInHost(key, { contentFrom: this.contentSource(key.contentSha256), encodeModel }, analysis, shard);
    if ('contentMissing' in built) throw new Error(`content ${key.contentSha256} is missing from the store`);
    if (!('loaded' in built)) throw new Error('the model thread did not build the model from its content');
    if (built.from === 'built') this.contentReads++;
    if (built.storedModel) await this.backfillStoredModel(key, built.storedModel);
    return built;
  }

  /**
   * Whether the store holds the analysis of `key` but no stored model: a snapshot analysed before models were
   * stored. Its model, built now, is stored (backfilled) so the next restart loads it. Without a stored analysis
   * there is nothing to backfill: the analysis, when computed, stores the model with the other artefacts.
   */
  private async lacksStoredModel(key: AnalysisKey, knownAbsent: boolean): Promise<boolean> {
    const kinds = await this.store.stored(key, knownAbsent ? [SERIALIZED_ANALYSIS.kind] : [SERIALIZED_ANALYSIS.kind, STORED_MODEL_KIND]);
    return kinds.has(SERIALIZED_ANALYSIS.kind) && !kinds.has(STORED_MODEL_KIND);
  }

  /** Stores a backfilled model (inserted as every artefact is: concurrent writers keep the first row). A failed write
   *  costs the next restart a build from the content, not this question its answer. */
  private async backfillStoredModel(key: AnalysisKey, payload: Uint8Array): Promise<void> {
    try {
      await this.store.save(key, STORED_MODEL_KIND, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength));
      this.storedModelsBackfilled++;
    } catch (error) {
      this.logger.warn(`could not store the model of ${key.contentSha256}: ${(error as Error).message}`);
    }
  }

  /** Models stored since start for contents whose analysis was stored without one (built from the content here). */
  storedModelsBackfilled = 0;

  /** Stored models refused since start (of another format or model shape); each was built from its content instead. */
  storedModelsRefused = 0;

  /** One `load` into the thread of `shard`: `model`, `content` or neither (whether it is held). */
  private async loadedInHost(
    key: AnalysisKey,
    payload: { readonly model?: Buffer; readonly contentFrom?: ContentSource; readonly encodeModel?: boolean },
    analysis: Buffer | undefined,
    shard: string,
  ): Promise<LoadedInHost | Extract<ModelTaskResult, { notHeld: true } | { contentMissing: true }>> {
    const result = await this.host.run({ op: 'load', key: keyText(key), shard, ...payload, options: key.options, ...(analysis ? { analysis } : {}) });
    if ('notHeld' in result || 'contentMissing' in result) return result;
    if (!('loaded' in result)) throw new Error('unexpected answer of the model thread to a load');
    // Counted apart from `model` (built on the event loop): built in its thread, loaded there from its stored model,
    // or already held there.
    this.countersOf('model-thread')[result.from === 'built' ? 'computed' : result.from === 'stored' ? 'store' : 'memory']++;
    return result;
  }

  /** The CNI profile that produced this key's results: the chosen one, else the one the content implies (stored). */
  async cniProfile(contentSha256: string, options?: EngineOptions): Promise<string> {
    return (await this.cniProfileAnswer(contentSha256, options)).cniProfile;
  }

  /** The profile with the engine's note when its name alone would mislead (never for a chosen CNI). */
  async cniProfileAnswer(contentSha256: string, options?: EngineOptions): Promise<CniProfileAnswer> {
    if (options?.cni !== undefined) return { cniProfile: options.cni };
    return (await this.derived(contentSha256, CNI_PROFILE, options)).value;
  }

  /** How often each artefact came from memory, Postgres or the engine (since start). */
  stats(): CacheCounters {
    return structuredClone(this.counters);
  }

  /** Forgets everything held in memory, here and in the model threads (Postgres keeps its rows): the next query starts cold. */
  async clearMemory(): Promise<void> {
    this.cache.clear();
    await this.host.clear();
  }

  memoryUsage(): { entries: number; bytes: number } {
    return { entries: this.cache.size, bytes: this.cache.bytes };
  }

  private entry(key: AnalysisKey): Entry {
    const text = keyText(key);
    let entry = this.cache.get(text);
    if (!entry) {
      entry = { key, derived: new Map() };
      this.cache.set(text, entry, 0);
    }
    return entry;
  }

  /** Any registered artefact: memory, else Postgres, else computed from the analysis (and stored). */
  async derived<T>(contentSha256: string, artefact: DerivedArtefact<T>, options?: EngineOptions): Promise<Cached<T>> {
    const key = analysisKey(contentSha256, options);
    const entry = this.entry(key);
    const counters = this.countersOf(artefact.kind);
    const existing = entry.derived.get(artefact.kind);
    if (existing) {
      counters.memory++;
      return { value: (await existing.promise) as T, source: 'memory' };
    }
    const task = this.storedOrComputed(key, artefact, artefact.kind);
    const slot = { promise: task.then((cached) => cached.value) as Promise<unknown>, bytes: 0 };
    // The failure reaches this caller through `task` and later ones through the slot; unawaited, the slot's rejection
    // would be unhandled, which ends a Node 20 process (found by content-source.spec.ts: a content missing).
    slot.promise.catch(() => undefined);
    entry.derived.set(artefact.kind, slot);
    // A failed task is forgotten, so the next query tries again.
    task.catch(() => {
      if (entry.derived.get(artefact.kind) === slot) entry.derived.delete(artefact.kind);
    });
    const cached = await task;
    slot.bytes = artefact.bytes(cached.value);
    this.resize(entry);
    return cached;
  }

  /** `artefact` from Postgres, else from the worker thread (which stores every artefact); counted under `counterKind`. */
  private async storedOrComputed<T>(key: AnalysisKey, artefact: DerivedArtefact<T>, counterKind: string): Promise<Cached<T>> {
    const counters = this.countersOf(counterKind);
    const stored = await this.store.load(key, artefact.kind);
    if (stored) {
      const value = artefact.decodeAsync ? await artefact.decodeAsync(stored) : artefact.decode(stored);
      counters.store++;
      return { value, source: 'store' };
    }
    const encoded = await this.computeInPool(key, artefact.kind);
    const value = artefact.decodeAsync ? await artefact.decodeAsync(encoded) : artefact.decode(encoded);
    counters.computed++;
    return { value, source: 'computed' };
  }

  private countersOf(kind: string): Record<CacheSource, number> {
    return (this.counters[kind] ??= { memory: 0, store: 0, computed: 0 });
  }

  /**
   * Every registered artefact of `key`, computed in a worker thread (analysis-pool.ts; concurrent calls share one
   * computation) and stored; returns the encoded `kind`.
   */
  private async computeInPool(key: AnalysisKey, kind: string): Promise<Buffer> {
    const result = await this.pool.analyse(key, this.contentSource(key.contentSha256));
    if (result.contentBytes === null) throw new Error(`content ${key.contentSha256} is missing from the store`);
    this.contentReads++;
    if (result.errors.length > 0) throw new SnapshotNotAnalysableError(result.errors);
    for (const [storedKind, payload] of Object.entries(result.artefacts).sort(([a], [b]) => (a < b ? -1 : 1))) {
      await this.store.save(key, storedKind, Buffer.from(payload));
    }
    const payload = result.artefacts[kind];
    if (!payload) throw new Error(`the analysis thread computed no ${kind} artefact`);
    return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  }

  private resize(entry: Entry): void {
    let bytes = 0;
    for (const slot of entry.derived.values()) bytes += slot.bytes;
    this.cache.resize(keyText(entry.key), bytes);
  }
}

/** A listing artefact's value, or ListingTooLargeError when only its marker was made. */
function listed<T>(cached: Cached<T | ListingTooLarge>): Cached<T> {
  return { ...cached, value: listedOrThrow(cached.value) };
}
