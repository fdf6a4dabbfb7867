// Analysis of stored snapshots, computed on first use and cached per (content SHA-256, ENGINE_VERSION, engine
// options): in memory (bounded LRU: the engine model, its factorised analysis and the derived results) and in
// Postgres (the compact workload-level connectivity table and the exposure summary, see analysis-store.ts).
//
// After a restart, the connectivity queries, the np-guard formats and `exposure` are answered from Postgres without
// parsing or analysing the snapshot; reachability needs the engine model (its explanations walk the policies), which
// is rebuilt from the stored content (JSON.parse + buildSnapshot) and then kept in memory.
import { Inject, Injectable } from '@nestjs/common';
import { analyze, type Analysis, type EngineOptions, type Issue } from '@netpol-atlas/engine';
import { gunzipSync, gzipSync } from 'node:zlib';
import { APP_CONFIG, DEFAULT_ANALYSIS_CACHE, type AppConfig } from '../config/app-config.js';
import { SnapshotsService } from '../snapshots/snapshots.service.js';
import { analysisKey, keyText, type AnalysisKey } from './analysis-key.js';
import { AnalysisStore, type StoredKind } from './analysis-store.js';
import { BoundedCache } from './bounded-cache.js';
import { decodeTable, encodeTable, tableBytes, tableFromAnalysis, type ConnectivityTable } from './connectivity-table.js';
import { exposureSummary, type ExposureSummary } from '@netpol-atlas/engine';
import { modelFromContent, type SnapshotModel } from './snapshot-model.js';

/** Where a result came from: this process' memory, the Postgres cache, or the engine just now. */
export type CacheSource = 'memory' | 'store' | 'computed';

export interface Cached<T> {
  readonly value: T;
  readonly source: CacheSource;
}

export type CacheCounters = Record<'model' | StoredKind, Record<CacheSource, number>>;

/** The engine reports errors on this content (it cannot be analysed as it is). */
export class SnapshotNotAnalysableError extends Error {
  constructor(readonly issues: readonly Issue[]) {
    super(`the snapshot cannot be analysed: ${issues.map((issue) => issue.message).join('; ')}`);
    this.name = 'SnapshotNotAnalysableError';
  }
}

/** Engine model + analysis in memory per byte of stored content (measured ≈ 8-12 on the 10k-pod synthetic cluster). */
const MODEL_BYTES_PER_CONTENT_BYTE = 12;

interface Entry {
  readonly key: AnalysisKey;
  model?: Promise<SnapshotModel>;
  modelBytes: number;
  analysis?: Promise<Analysis>;
  connectivity?: Promise<ConnectivityTable>;
  connectivityBytes: number;
  exposure?: Promise<ExposureSummary>;
  exposureBytes: number;
}

@Injectable()
export class AnalysisService {
  private readonly cache: BoundedCache<Entry>;
  private readonly counters: CacheCounters = {
    model: { memory: 0, store: 0, computed: 0 },
    connectivity: { memory: 0, store: 0, computed: 0 },
    exposure: { memory: 0, store: 0, computed: 0 },
  };

  constructor(
    private readonly snapshots: SnapshotsService,
    private readonly store: AnalysisStore,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const bounds = config.analysisCache ?? DEFAULT_ANALYSIS_CACHE;
    this.cache = new BoundedCache<Entry>(bounds.entries, bounds.bytes);
  }

  /** The engine's model of a stored content (for explanations); SnapshotNotAnalysableError on engine errors. */
  async model(contentSha256: string, options?: EngineOptions): Promise<SnapshotModel> {
    const entry = this.entry(analysisKey(contentSha256, options));
    if (entry.model) this.counters.model.memory++;
    const model = await (entry.model ??= this.loadModel(entry));
    if (model.errors.length > 0) throw new SnapshotNotAnalysableError(model.errors);
    return model;
  }

  /** The factorised analysis (every pair's verdict is a lookup). */
  async analysis(contentSha256: string, options?: EngineOptions): Promise<Analysis> {
    const model = await this.model(contentSha256, options);
    const entry = this.entry(analysisKey(contentSha256, options));
    return (entry.analysis ??= this.settle(entry, 'analysis', Promise.resolve().then(() => analyze(model.snapshot))));
  }

  /** Workload-level connectivity: memory, else Postgres, else computed (and stored). */
  async connectivity(contentSha256: string, options?: EngineOptions): Promise<Cached<ConnectivityTable>> {
    const key = analysisKey(contentSha256, options);
    return this.derived(key, 'connectivity', encodeTable, decodeTable, async () => tableFromAnalysis(await this.analysis(contentSha256, options)), tableBytes);
  }

  /** Internet-exposed, cluster-wide-exposed and unprotected workloads. */
  async exposure(contentSha256: string, options?: EngineOptions): Promise<Cached<ExposureSummary>> {
    const key = analysisKey(contentSha256, options);
    const compute = async () => {
      return exposureSummary(await this.analysis(contentSha256, options));
    };
    const encode = (summary: ExposureSummary) => gzipSync(JSON.stringify(summary));
    const decode = (stored: Buffer) => JSON.parse(gunzipSync(stored).toString('utf8')) as ExposureSummary;
    return this.derived(key, 'exposure', encode, decode, compute, (summary) => 2 * JSON.stringify(summary).length);
  }

  /** How often each artefact came from memory, Postgres or the engine (since start). */
  stats(): CacheCounters {
    return structuredClone(this.counters);
  }

  /** Forgets everything held in memory (Postgres keeps its rows): the next query starts cold. */
  clearMemory(): void {
    this.cache.clear();
  }

  memoryUsage(): { entries: number; bytes: number } {
    return { entries: this.cache.size, bytes: this.cache.bytes };
  }

  private entry(key: AnalysisKey): Entry {
    const text = keyText(key);
    let entry = this.cache.get(text);
    if (!entry) {
      entry = { key, modelBytes: 0, connectivityBytes: 0, exposureBytes: 0 };
      this.cache.set(text, entry, 0);
    }
    return entry;
  }

  private loadModel(entry: Entry): Promise<SnapshotModel> {
    const task = (async () => {
      const content = await this.snapshots.content(entry.key.contentSha256);
      if (!content) throw new Error(`content ${entry.key.contentSha256} is missing from the store`);
      const model = modelFromContent(content, entry.key.options);
      this.counters.model.computed++;
      entry.modelBytes = content.length * MODEL_BYTES_PER_CONTENT_BYTE;
      this.resize(entry);
      return model;
    })();
    return this.settle(entry, 'model', task);
  }

  private async derived<T>(
    key: AnalysisKey,
    kind: StoredKind,
    encode: (value: T) => Buffer,
    decode: (stored: Buffer) => T,
    compute: () => Promise<T>,
    bytesOf: (value: T) => number,
  ): Promise<Cached<T>> {
    const entry = this.entry(key);
    const existing = entry[kind] as Promise<T> | undefined;
    if (existing) {
      this.counters[kind].memory++;
      return { value: await existing, source: 'memory' };
    }
    let source: CacheSource = 'store';
    const task = (async () => {
      const stored = await this.store.load(key, kind);
      if (stored) {
        this.counters[kind].store++;
        return decode(stored);
      }
      source = 'computed';
      const value = await compute();
      this.counters[kind].computed++;
      await this.store.save(key, kind, encode(value));
      return value;
    })();
    (entry as unknown as Record<StoredKind, Promise<T>>)[kind] = this.settle(entry, kind, task);
    const value = await task;
    entry[kind === 'connectivity' ? 'connectivityBytes' : 'exposureBytes'] = bytesOf(value);
    this.resize(entry);
    return { value, source };
  }

  /** A failed task is forgotten, so the next query tries again. */
  private settle<T>(entry: Entry, field: 'model' | 'analysis' | StoredKind, task: Promise<T>): Promise<T> {
    task.catch(() => {
      if (entry[field] === (task as unknown)) entry[field] = undefined;
    });
    return task;
  }

  private resize(entry: Entry): void {
    this.cache.resize(keyText(entry.key), entry.modelBytes + entry.connectivityBytes + entry.exposureBytes);
  }
}
