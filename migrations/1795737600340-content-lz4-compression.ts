import type { MigrationInterface, QueryRunner } from 'typeorm';

/** True when the server was built with lz4 (PostgreSQL 14+ lists it among default_toast_compression's values). */
export const LZ4_SUPPORTED_SQL = `SELECT EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) AS supported`;

/**
 * Snapshot contents (tens of MB at 50k pods) compressed with lz4 where the server has it: PostgreSQL's default pglz
 * takes ~1.3 s of the upload of a 56 MB content, lz4 a fraction of that. Contents stay compressed (STORAGE is not
 * changed), rows written before keep pglz (both read the same), and a server built without lz4 (the embedded
 * PostgreSQL here) keeps pglz: the migration then changes nothing.
 */
export class ContentLz4Compression1795737600340 implements MigrationInterface {
  name = 'ContentLz4Compression1795737600340';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
          ALTER TABLE snapshot_contents ALTER COLUMN content SET COMPRESSION lz4;
        END IF;
      END $$`);
  }

  async down(db: QueryRunner): Promise<void> {
    // SET COMPRESSION exists from PostgreSQL 14 on, as does the setting checked.
    await db.query(`
      DO $$
      BEGIN
        IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression') THEN
          ALTER TABLE snapshot_contents ALTER COLUMN content SET COMPRESSION default;
        END IF;
      END $$`);
  }
}
