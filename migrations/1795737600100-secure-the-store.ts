import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The role the server runs as (README "Database roles"): a login role, or a group role a login role belongs to. */
export const APP_ROLE = 'netpol_app';

/**
 * Evidence tables: rows are only ever inserted and read. `netpol_make_evidence(table)` is THE way to declare one:
 * it attaches the immutability trigger (UPDATE, DELETE, TRUNCATE refused even for the owner) and grants the app role
 * SELECT and INSERT only. A later migration adding an evidence table (e.g. `reports`) calls
 * `await makeEvidenceTable(db, 'reports')` after its CREATE TABLE.
 */
export async function makeEvidenceTable(db: QueryRunner, table: string): Promise<void> {
  await db.query('SELECT netpol_make_evidence($1::regclass)', [table]);
}

const EVIDENCE = ['snapshot_contents', 'snapshots', 'snapshot_object_sets', 'snapshot_namespaces', 'snapshot_workloads', 'snapshot_pods', 'snapshot_policies'];

/**
 * Security of the store (issue 9):
 * - the server's role `netpol_app` (created NOLOGIN when missing; the embedded PostgreSQL and README create a login
 *   role) gets only what the server needs: SELECT/INSERT on evidence, SELECT/INSERT/UPDATE(labels) on clusters
 *   (no DELETE: snapshots reference them), SELECT/INSERT/DELETE on the analysis cache (derived data the server prunes
 *   when the engine version changes; it holds no evidence, so deleting a row only costs a recomputation), and
 *   SELECT/INSERT plus UPDATE(last_used_at, revoked_at) on API tokens. It owns nothing, so it cannot ALTER, disable
 *   triggers, TRUNCATE, or set session_replication_role (superuser only).
 * - clusters belong to a tenant (cluster group); snapshots record who uploaded them (token id) and from where;
 * - api_tokens: HMAC-SHA-256 of the secret part only; audit_log: append-only and hash-chained.
 */
export class SecureTheStore1795737600100 implements MigrationInterface {
  name = 'SecureTheStore1795737600100';

  async up(db: QueryRunner): Promise<void> {
    // Concurrent migrations of several databases of one server may race to create the (server-wide) role.
    await db.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
          CREATE ROLE ${APP_ROLE} NOLOGIN;
        END IF;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
      END $$`);
    await db.query(`REVOKE ALL ON SCHEMA public FROM PUBLIC`);
    await db.query(`GRANT USAGE ON SCHEMA public TO ${APP_ROLE}`);
    await db.query(`
      CREATE FUNCTION netpol_make_evidence(target regclass) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = target AND tgfoid = 'reject_evidence_change'::regproc) THEN
          EXECUTE format('CREATE TRIGGER evidence_immutable BEFORE UPDATE OR DELETE OR TRUNCATE ON %s
                          FOR EACH STATEMENT EXECUTE FUNCTION reject_evidence_change()', target);
        END IF;
        EXECUTE format('REVOKE ALL ON %s FROM ${APP_ROLE}', target);
        EXECUTE format('GRANT SELECT, INSERT ON %s TO ${APP_ROLE}', target);
      END
      $$`);

    await db.query(`ALTER TABLE clusters ADD COLUMN tenant text COLLATE "C" NOT NULL DEFAULT 'default'
      CONSTRAINT clusters_tenant_is_dns_label CHECK (tenant ~ '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$')`);
    await db.query('CREATE INDEX clusters_tenant ON clusters (tenant, name)');
    // Added columns fire no UPDATE trigger; existing rows keep NULL (uploaded before tokens existed).
    await db.query('ALTER TABLE snapshots ADD COLUMN uploaded_by uuid NULL, ADD COLUMN uploaded_from text NULL');

    await db.query(`
      CREATE TABLE api_tokens (
        id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        prefix        text        COLLATE "C" NOT NULL,
        secret_hmac   char(64)    NOT NULL,
        name          text        NOT NULL,
        role          text        NOT NULL,
        tenants       text[]      NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        created_by    uuid        NULL,
        expires_at    timestamptz NULL,
        revoked_at    timestamptz NULL,
        last_used_at  timestamptz NULL,
        CONSTRAINT api_tokens_prefix_key UNIQUE (prefix),
        CONSTRAINT api_tokens_role CHECK (role IN ('viewer', 'ingester', 'auditor', 'admin'))
      )`);

    await db.query(`
      CREATE TABLE audit_log (
        seq         bigint      PRIMARY KEY,
        at          timestamptz NOT NULL DEFAULT now(),
        entry       text        NOT NULL,
        prev_hash   char(64)    NOT NULL,
        hash        char(64)    NOT NULL,
        CONSTRAINT audit_log_prev_hash_key UNIQUE (prev_hash),
        CONSTRAINT audit_log_hash_matches CHECK (hash = encode(sha256(convert_to(prev_hash || entry, 'UTF8')), 'hex'))
      )`);
    // The chain is linear: each row must extend the current head (seq + 1, prev_hash = its hash), checked in the
    // database so that no writer, the application included, can fork or rewrite it.
    await db.query(`
      CREATE FUNCTION audit_log_extends_head() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE head audit_log%ROWTYPE;
      BEGIN
        SELECT * INTO head FROM audit_log ORDER BY seq DESC LIMIT 1;
        IF head.seq IS NULL THEN
          IF NEW.seq <> 1 OR NEW.prev_hash <> repeat('0', 64) THEN
            RAISE EXCEPTION 'audit log: the first entry must have seq 1 and the zero hash' USING ERRCODE = 'integrity_constraint_violation';
          END IF;
        ELSIF NEW.seq <> head.seq + 1 OR NEW.prev_hash <> head.hash THEN
          RAISE EXCEPTION 'audit log: entry % does not extend the head %', NEW.seq, head.seq USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
      END
      $$`);
    await db.query('CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_extends_head()');

    for (const table of [...EVIDENCE, 'audit_log']) await makeEvidenceTable(db, table);
    await db.query(`GRANT SELECT, INSERT ON clusters TO ${APP_ROLE}`);
    await db.query(`GRANT UPDATE (labels) ON clusters TO ${APP_ROLE}`);
    await db.query(`GRANT SELECT, INSERT, DELETE ON analysis_results TO ${APP_ROLE}`);
    await db.query(`GRANT SELECT, INSERT ON api_tokens TO ${APP_ROLE}`);
    await db.query(`GRANT UPDATE (last_used_at, revoked_at) ON api_tokens TO ${APP_ROLE}`);
    // /readyz compares TypeORM's applied migrations with the known ones.
    await db.query(`GRANT SELECT ON migrations TO ${APP_ROLE}`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of [...EVIDENCE, 'clusters', 'analysis_results']) await db.query(`REVOKE ALL ON ${table} FROM ${APP_ROLE}`);
    await db.query('DROP TABLE audit_log');
    await db.query('DROP FUNCTION audit_log_extends_head()');
    await db.query('DROP TABLE api_tokens');
    await db.query('ALTER TABLE snapshots DROP COLUMN uploaded_by, DROP COLUMN uploaded_from');
    await db.query('DROP INDEX clusters_tenant');
    await db.query('ALTER TABLE clusters DROP COLUMN tenant');
    await db.query('DROP FUNCTION netpol_make_evidence(regclass)');
    await db.query('GRANT USAGE ON SCHEMA public TO PUBLIC');
  }
}
