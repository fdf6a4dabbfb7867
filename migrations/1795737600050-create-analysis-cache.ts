import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cache of derived analysis results (apps/api/src/analysis): per stored content, engine version and engine options,
 * the workload-level connectivity table and the exposure summary, compressed. Derived data, not evidence: rows may
 * be deleted (older engine versions are pruned at start) and are recomputed on demand.
 */
export class CreateAnalysisCache1795737600050 implements MigrationInterface {
  name = 'CreateAnalysisCache1795737600050';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE analysis_results (
        content_sha256  char(64)    NOT NULL REFERENCES snapshot_contents (sha256) ON DELETE CASCADE,
        engine_version  integer     NOT NULL,
        options_key     text        NOT NULL,
        kind            text        NOT NULL,
        payload         bytea       NOT NULL,
        size_bytes      integer     NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (content_sha256, engine_version, options_key, kind),
        CONSTRAINT analysis_results_kind CHECK (kind IN ('connectivity', 'exposure')),
        CONSTRAINT analysis_results_size_matches CHECK (size_bytes = octet_length(payload))
      )`);
    await db.query('CREATE INDEX analysis_results_engine_version ON analysis_results (engine_version)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE analysis_results');
  }
}
