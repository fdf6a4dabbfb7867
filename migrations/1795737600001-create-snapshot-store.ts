import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Snapshot store. `snapshot_contents` holds, once per hash, exactly the bytes that were hashed (the canonical
 * JCS text of the projected objects); the CHECK makes the database itself refuse a row whose bytes do not
 * hash to its key. `snapshots` has one row per upload, pointing at its content.
 */
export class CreateSnapshotStore1795737600001 implements MigrationInterface {
  name = 'CreateSnapshotStore1795737600001';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE snapshot_contents (
        sha256      char(64)    PRIMARY KEY,
        content     bytea       NOT NULL,
        size_bytes  integer     NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT snapshot_contents_sha256_matches CHECK (sha256 = encode(sha256(content), 'hex')),
        CONSTRAINT snapshot_contents_size_matches CHECK (size_bytes = octet_length(content))
      )`);
    await db.query(`
      CREATE TABLE snapshots (
        id              uuid        PRIMARY KEY,
        upload_seq      bigint      GENERATED ALWAYS AS IDENTITY,
        cluster_id      uuid        NOT NULL REFERENCES clusters (id) ON DELETE RESTRICT,
        captured_at     timestamptz NOT NULL,
        uploaded_at     timestamptz NOT NULL DEFAULT now(),
        source          text        NOT NULL,
        content_sha256  char(64)    NOT NULL REFERENCES snapshot_contents (sha256) ON DELETE RESTRICT,
        counts          jsonb       NOT NULL,
        deduplicated    boolean     NOT NULL,
        CONSTRAINT snapshots_upload_seq_key UNIQUE (upload_seq)
      )`);
    // Newest first per cluster: captured time, ties broken by upload order (the later upload wins).
    await db.query(
      'CREATE INDEX snapshots_cluster_timeline ON snapshots (cluster_id, captured_at DESC, upload_seq DESC)',
    );
    await db.query('CREATE INDEX snapshots_content_sha256 ON snapshots (content_sha256)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE snapshots');
    await db.query('DROP TABLE snapshot_contents');
  }
}
