import type { MigrationInterface, QueryRunner } from 'typeorm';
import { makeEvidenceTable } from './1795737600100-secure-the-store.js';

/**
 * Compliance evidence (issue 10). `reports` is evidence like the snapshot tables: insert-only, the same trigger
 * function refuses UPDATE, DELETE and TRUNCATE; the CHECK makes the database refuse a row whose canonical JSON
 * does not hash to its `report_sha256`. `segmentation_intents` keeps every version of a cluster's intents (a
 * change is a new row). `signing_keys` holds the installation's Ed25519 key (one row, created at first start,
 * never replaced). `compliance_profiles` says which frameworks to report on for each new snapshot of a cluster
 * (a change is a new row; the latest counts).
 */
export class CreateComplianceEvidence1795737600200 implements MigrationInterface {
  name = 'CreateComplianceEvidence1795737600200';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE signing_keys (
        id               text        PRIMARY KEY,
        algorithm        text        NOT NULL CHECK (algorithm = 'ed25519'),
        public_key_pem   text        NOT NULL,
        private_key_pem  text        NOT NULL,
        created_at       timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE segmentation_intents (
        id          uuid        PRIMARY KEY,
        cluster_id  uuid        NOT NULL REFERENCES clusters (id) ON DELETE RESTRICT,
        version     integer     NOT NULL CHECK (version > 0),
        name        text        NOT NULL,
        content     text        NOT NULL,
        sha256      char(64)    NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT segmentation_intents_version_key UNIQUE (cluster_id, version),
        CONSTRAINT segmentation_intents_sha256_matches CHECK (sha256 = encode(sha256(convert_to(content, 'UTF8')), 'hex'))
      )`);
    await db.query(`
      CREATE TABLE reports (
        id                 uuid        PRIMARY KEY,
        seq                bigint      GENERATED ALWAYS AS IDENTITY,
        cluster_id         uuid        NOT NULL REFERENCES clusters (id) ON DELETE RESTRICT,
        snapshot_id        uuid        NOT NULL REFERENCES snapshots (id) ON DELETE RESTRICT,
        snapshot_sha256    char(64)    NOT NULL,
        framework_id       text        NOT NULL,
        framework_version  text        NOT NULL,
        engine_version     text        NOT NULL,
        intents_id         uuid        REFERENCES segmentation_intents (id) ON DELETE RESTRICT,
        intents_version    integer,
        generated_at       timestamptz NOT NULL,
        verdict            text        NOT NULL,
        report_jcs         text        NOT NULL,
        report_sha256      char(64)    NOT NULL,
        signing_key_id     text        NOT NULL REFERENCES signing_keys (id) ON DELETE RESTRICT,
        signature          text        NOT NULL,
        CONSTRAINT reports_seq_key UNIQUE (seq),
        CONSTRAINT reports_sha256_matches CHECK (report_sha256 = encode(sha256(convert_to(report_jcs, 'UTF8')), 'hex'))
      )`);
    await db.query('CREATE INDEX reports_cluster_timeline ON reports (cluster_id, seq DESC)');
    await db.query('CREATE INDEX reports_snapshot ON reports (snapshot_id)');
    await db.query(`
      CREATE TABLE compliance_profiles (
        id          uuid        PRIMARY KEY,
        seq         bigint      GENERATED ALWAYS AS IDENTITY,
        cluster_id  uuid        NOT NULL REFERENCES clusters (id) ON DELETE RESTRICT,
        frameworks  text[]      NOT NULL,
        intents_id  uuid        REFERENCES segmentation_intents (id) ON DELETE RESTRICT,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query('CREATE INDEX compliance_profiles_cluster ON compliance_profiles (cluster_id, seq DESC)');
    for (const table of ['reports', 'segmentation_intents', 'signing_keys', 'compliance_profiles']) {
      await db.query(`
        CREATE TRIGGER ${table}_immutable
        BEFORE UPDATE OR DELETE OR TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION reject_evidence_change()`);
      // The server's role may read and insert, nothing else (issue 9's evidence convention).
      await makeEvidenceTable(db, table);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['compliance_profiles', 'reports', 'segmentation_intents', 'signing_keys']) {
      await db.query(`DROP TRIGGER ${table}_immutable ON ${table}`);
      await db.query(`DROP TABLE ${table}`);
    }
  }
}
