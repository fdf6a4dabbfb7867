// Postgres side of the analysis cache: derived data (not evidence), one row per (content, engine version, engine
// options, kind). Rows are only inserted; a row of another engine version is never read, and older versions are
// pruned at start.
import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { AnalysisKey } from './analysis-key.js';
import { ENGINE_VERSION } from './engine-versions.js';

/** What a row holds: the gzip-compressed connectivity table, or the exposure summary as gzip JSON. */
/** A derived artefact's registry kind (derived-artefacts.ts). */
export type StoredKind = string;

@Injectable()
export class AnalysisStore implements OnApplicationBootstrap {
  private readonly logger = new Logger('AnalysisStore');

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async onApplicationBootstrap(): Promise<void> {
    const pruned: unknown[] = await this.db.query('DELETE FROM analysis_results WHERE engine_version < $1 RETURNING 1', [ENGINE_VERSION]);
    if (pruned.length > 0) this.logger.log(`pruned ${pruned.length} cached analysis result(s) of older engine versions`);
  }

  async load(key: AnalysisKey, kind: StoredKind): Promise<Buffer | null> {
    const rows: { payload: Buffer }[] = await this.db.query(
      `SELECT payload FROM analysis_results
       WHERE content_sha256 = $1 AND engine_version = $2 AND options_key = $3 AND kind = $4`,
      [key.contentSha256, key.engineVersion, key.optionsKey, kind],
    );
    return rows[0]?.payload ?? null;
  }

  async save(key: AnalysisKey, kind: StoredKind, payload: Buffer): Promise<void> {
    await this.db.query(
      `INSERT INTO analysis_results (content_sha256, engine_version, options_key, kind, payload, size_bytes)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [key.contentSha256, key.engineVersion, key.optionsKey, kind, payload, payload.length],
    );
  }
}
