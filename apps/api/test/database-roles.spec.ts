// The server's role `netpol_app` cannot forge evidence: it owns nothing, so every attempt to change or remove
// evidence, to disable the triggers or to switch them off for the session fails in PostgreSQL itself. The owner
// role (migrations) is still stopped by the immutability triggers.
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeEvidenceTable } from '../../../migrations/1795737600100-secure-the-store.js';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source.js';
import { runMigrations } from '../src/database/migrate.js';
import { appRoleUrl } from './support/app.js';
import { createDatabase, withClient } from './support/database.js';

const SNAPSHOT = '00000000-0000-4000-8000-000000000001';

/** The SQLSTATE a statement fails with as `url`'s role, or 'ok'. */
async function outcome(url: string, sql: string): Promise<string> {
  return withClient(url, async (client) => {
    try {
      await client.query(sql);
      return 'ok';
    } catch (error) {
      return (error as pg.DatabaseError).code ?? 'error';
    }
  });
}

describe('database roles', () => {
  let ownerUrl: string;
  let appUrl: string;

  beforeAll(async () => {
    ownerUrl = await createDatabase('roles');
    appUrl = appRoleUrl(ownerUrl);
    await runMigrations(ownerUrl);
    await withClient(ownerUrl, async (client) => {
      const cluster = await client.query<{ id: string }>("INSERT INTO clusters (name) VALUES ('evidence') RETURNING id");
      const content = Buffer.from('[]');
      const sha = (await client.query<{ h: string }>("SELECT encode(sha256('[]'::bytea), 'hex') AS h")).rows[0].h;
      await client.query('INSERT INTO snapshot_contents (sha256, content, size_bytes) VALUES ($1, $2, 2)', [sha, content]);
      await client.query(
        `INSERT INTO snapshots (id, cluster_id, captured_at, source, content_sha256, counts, deduplicated) VALUES ($1, $2, now(), 'test', $3, '{}', false)`,
        [SNAPSHOT, cluster.rows[0].id, sha],
      );
      await client.query(`INSERT INTO analysis_results (content_sha256, engine_version, options_key, kind, payload, size_bytes) VALUES ($1, 1, '', 'exposure', '\\x00', 1)`, [sha]);
    });
  });

  it('the app role is a plain role: no superuser, no CREATEROLE/CREATEDB, owns no table', async () => {
    const facts = await withClient(appUrl, (client) =>
      client.query(`SELECT rolsuper, rolcreaterole, rolcreatedb, current_user AS who,
        (SELECT count(*)::int FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user) AS owned
        FROM pg_roles WHERE rolname = current_user`),
    );
    expect(facts.rows[0]).toEqual({ rolsuper: false, rolcreaterole: false, rolcreatedb: false, who: 'netpol_app', owned: 0 });
  });

  const EVIDENCE = ['snapshot_contents', 'snapshots', 'snapshot_object_sets', 'snapshot_namespaces', 'snapshot_workloads', 'snapshot_pods', 'snapshot_policies', 'audit_log'];
  for (const table of EVIDENCE) {
    it(`${table}: the app role may SELECT, but not UPDATE, DELETE, TRUNCATE, ALTER or DROP`, async () => {
      expect(await outcome(appUrl, `SELECT count(*) FROM ${table}`)).toBe('ok');
      const column = table === 'snapshots' ? 'source' : table === 'snapshot_contents' || table === 'audit_log' ? 'created_at' : 'content_sha256';
      const update = table === 'audit_log' ? "UPDATE audit_log SET entry = 'forged'" : `UPDATE ${table} SET ${column} = ${column}`;
      // 42501 insufficient_privilege: refused by the grants, before any trigger runs.
      expect(await outcome(appUrl, update)).toBe('42501');
      expect(await outcome(appUrl, `DELETE FROM ${table}`)).toBe('42501');
      expect(await outcome(appUrl, `TRUNCATE ${table} CASCADE`)).toBe('42501');
      expect(await outcome(appUrl, `ALTER TABLE ${table} DISABLE TRIGGER ALL`)).toBe('42501');
      expect(await outcome(appUrl, `DROP TABLE ${table} CASCADE`)).toBe('42501');
    });
  }

  it('the app role cannot switch triggers off for its session, nor create objects or grant itself rights', async () => {
    expect(await outcome(appUrl, 'SET session_replication_role = replica')).toBe('42501');
    expect(await outcome(appUrl, 'CREATE TABLE forged (x int)')).toBe('42501');
    expect(await outcome(appUrl, 'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$')).toBe('42501');
    // A GRANT by a non-owner only warns ("no privileges were granted"): the UPDATE is still refused.
    await outcome(appUrl, 'GRANT UPDATE ON snapshots TO netpol_app');
    expect(await outcome(appUrl, "UPDATE snapshots SET source = 'forged'")).toBe('42501');
    expect(await outcome(appUrl, 'ALTER ROLE netpol_app SUPERUSER')).toBe('42501');
  });

  it('clusters: the app role may add clusters and relabel them, never rename, move to another tenant or delete them', async () => {
    expect(await outcome(appUrl, "INSERT INTO clusters (name) VALUES ('added')")).toBe('ok');
    expect(await outcome(appUrl, `UPDATE clusters SET labels = '{"a":"b"}' WHERE name = 'added'`)).toBe('ok');
    expect(await outcome(appUrl, "UPDATE clusters SET name = 'renamed' WHERE name = 'added'")).toBe('42501');
    expect(await outcome(appUrl, "UPDATE clusters SET tenant = 'other' WHERE name = 'added'")).toBe('42501');
    expect(await outcome(appUrl, "DELETE FROM clusters WHERE name = 'added'")).toBe('42501');
    expect(await outcome(appUrl, 'TRUNCATE clusters CASCADE')).toBe('42501');
  });

  it('analysis cache: derived data the app may prune (DELETE), but not rewrite (UPDATE)', async () => {
    expect(await outcome(appUrl, "UPDATE analysis_results SET payload = '\\x01'")).toBe('42501');
    expect(await outcome(appUrl, 'DELETE FROM analysis_results WHERE engine_version = 1')).toBe('ok');
    expect(await outcome(appUrl, 'TRUNCATE analysis_results')).toBe('42501');
  });

  it('analysis jobs: the app may enqueue and move a job through its states, never rewrite its key nor delete it', async () => {
    const sha = (await withClient(ownerUrl, (c) => c.query<{ sha256: string }>('SELECT sha256 FROM snapshot_contents LIMIT 1'))).rows[0].sha256;
    expect(await outcome(appUrl, `INSERT INTO analysis_jobs (content_sha256, engine_version, options_key) VALUES ('${sha}', 1, '{}')`)).toBe('ok');
    expect(await outcome(appUrl, "UPDATE analysis_jobs SET state = 'done', completions = completions + 1, finished_at = now() WHERE engine_version = 1")).toBe('ok');
    expect(await outcome(appUrl, 'UPDATE analysis_jobs SET engine_version = 2')).toBe('42501');
    expect(await outcome(appUrl, 'DELETE FROM analysis_jobs')).toBe('42501');
    expect(await outcome(appUrl, 'TRUNCATE analysis_jobs')).toBe('42501');
  });

  it('api_tokens: the app may record use and revocation, never change a role, tenants or the stored HMAC, nor delete', async () => {
    await withClient(ownerUrl, (c) => c.query("INSERT INTO api_tokens (prefix, secret_hmac, name, role) VALUES ('p', repeat('0', 64), 't', 'viewer')"));
    expect(await outcome(appUrl, "UPDATE api_tokens SET last_used_at = now(), revoked_at = now() WHERE prefix = 'p'")).toBe('ok');
    expect(await outcome(appUrl, "UPDATE api_tokens SET role = 'admin'")).toBe('42501');
    expect(await outcome(appUrl, 'UPDATE api_tokens SET tenants = NULL')).toBe('42501');
    expect(await outcome(appUrl, "UPDATE api_tokens SET secret_hmac = repeat('1', 64)")).toBe('42501');
    expect(await outcome(appUrl, 'DELETE FROM api_tokens')).toBe('42501');
  });

  it('the audit log takes only entries that extend its head with the right hash', async () => {
    const zero = '0'.repeat(64);
    // Wrong hash for the entry: the CHECK refuses it (23514); a second genesis or a gap: the chain trigger (23000).
    expect(await outcome(appUrl, `INSERT INTO audit_log (seq, entry, prev_hash, hash) VALUES (1, '{}', '${zero}', '${zero}')`)).toBe('23514');
    const good = `encode(sha256(convert_to('${zero}' || '{"seq":1}', 'UTF8')), 'hex')`;
    expect(await outcome(appUrl, `INSERT INTO audit_log (seq, entry, prev_hash, hash) VALUES (1, '{"seq":1}', '${zero}', ${good})`)).toBe('ok');
    const fork = `encode(sha256(convert_to('${zero}' || '{"seq":2}', 'UTF8')), 'hex')`;
    expect(await outcome(appUrl, `INSERT INTO audit_log (seq, entry, prev_hash, hash) VALUES (2, '{"seq":2}', '${zero}', ${fork})`)).toMatch(/^23/);
  });

  it('the owner (migrations) is stopped by the triggers: UPDATE, DELETE, TRUNCATE of evidence fail', async () => {
    expect(await outcome(ownerUrl, "UPDATE snapshots SET source = 'forged'")).toBe('23000');
    expect(await outcome(ownerUrl, 'DELETE FROM snapshot_contents')).toBe('23000');
    expect(await outcome(ownerUrl, 'TRUNCATE audit_log')).toBe('23000');
  });

  it('makeEvidenceTable (the helper for new evidence tables, e.g. reports) grants INSERT/SELECT and adds the trigger', async () => {
    const db = new DataSource(dataSourceOptions(ownerUrl));
    await db.initialize();
    try {
      const runner = db.createQueryRunner();
      await runner.query('CREATE TABLE reports_example (id int PRIMARY KEY, body text)');
      await makeEvidenceTable(runner, 'reports_example');
      await runner.release();
    } finally {
      await db.destroy();
    }
    expect(await outcome(appUrl, "INSERT INTO reports_example VALUES (1, 'r')")).toBe('ok');
    expect(await outcome(appUrl, 'SELECT * FROM reports_example')).toBe('ok');
    expect(await outcome(appUrl, "UPDATE reports_example SET body = 'x'")).toBe('42501');
    expect(await outcome(appUrl, 'DELETE FROM reports_example')).toBe('42501');
    expect(await outcome(ownerUrl, 'DELETE FROM reports_example')).toBe('23000');
  });

});
