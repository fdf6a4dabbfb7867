// Postgres side of the analysis cache: derived data (not evidence), one row per (content, engine version, engine
// options, kind). Rows are only inserted; a row of another engine version is never read, and older versions are
// pruned at start.
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AnalysisKey } from './analysis-key.js';
import { STORED_PAYLOAD_SQL } from './early-preload.js';
import { ENGINE_VERSION } from './engine-versions.js';

/** What a row holds: the gzip-compressed connectivity table, or the exposure summary as gzip JSON. */
/** A derived artefact's registry kind (derived-artefacts.ts). */
export type StoredKind = string;

@Injectable()
export class AnalysisStore implements OnApplicationBootstrap {
  private readonly logger = new Logger('AnalysisStore');

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    const message = await this.pruneOlderVersions();
    if (message) this.logger.log(message);
  }

  /**
   * Deletes cached results of older engine versions. Results of the demo snapshot only (loaded, not uploaded) go
   * silently; otherwise says how many results of uploaded snapshots went, from which versions, and why.
   */
  async pruneOlderVersions(): Promise<string | undefined> {
    const pruned: { engine_version: number; uploaded: boolean }[] = await this.db.query(
      `WITH pruned AS (DELETE FROM analysis_results WHERE engine_version < $1 RETURNING content_sha256, engine_version)
       SELECT engine_version, EXISTS (
         SELECT 1 FROM snapshots s WHERE s.content_sha256 = pruned.content_sha256 AND s.source <> 'demo'
       ) AS uploaded FROM pruned`,
      [ENGINE_VERSION],
    );
    const uploaded = pruned.filter((row) => row.uploaded);
    if (uploaded.length === 0) return undefined;
    const versions = [...new Set(uploaded.map((row) => row.engine_version))].sort((a, b) => a - b);
    return (
      `pruned ${uploaded.length} cached analysis result(s) of uploaded snapshots, computed by engine version ` +
      `${versions.join(', ')}; this is engine version ${ENGINE_VERSION}, whose results may differ, so they are recomputed on first use`
    );
  }

  async load(key: AnalysisKey, kind: StoredKind): Promise<Buffer | null> {
    const rows: { payload: Buffer }[] = await this.db.query(STORED_PAYLOAD_SQL, [key.contentSha256, key.engineVersion, key.optionsKey, kind]);
    return rows[0]?.payload ?? null;
  }

  /** Which of `kinds` the store holds for `key` (without reading their payloads). */
  async stored(key: AnalysisKey, kinds: readonly StoredKind[]): Promise<Set<StoredKind>> {
    const rows: { kind: string }[] = await this.db.query(
      `SELECT kind FROM analysis_results
       WHERE content_sha256 = $1 AND engine_version = $2 AND options_key = $3 AND kind = ANY($4)`,
      [key.contentSha256, key.engineVersion, key.optionsKey, kinds],
    );
    return new Set(rows.map((row) => row.kind));
  }

  async save(key: AnalysisKey, kind: StoredKind, payload: Buffer): Promise<void> {
    await this.db.query(
      `INSERT INTO analysis_results (content_sha256, engine_version, options_key, kind, payload, size_bytes)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [key.contentSha256, key.engineVersion, key.optionsKey, kind, payload, payload.length],
    );
  }
}
