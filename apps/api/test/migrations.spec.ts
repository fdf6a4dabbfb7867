// The schema comes only from the hand-written migrations; evidence tables refuse UPDATE, DELETE and TRUNCATE.
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LZ4_SUPPORTED_SQL } from '../../../migrations/1795737600340-content-lz4-compression.js';
import { migrations } from '../../../migrations/index.js';
import { dataSourceOptions } from '../src/database/data-source.js';
import { createDatabase, rowCounts, withClient } from './support/database.js';

/** Every table the migrations create (sorted), plus TypeORM's own. */
const TABLES = [
  'analysis_jobs',
  'analysis_results',
  'api_tokens',
  'audit_log',
  'clusters',
  'compliance_profiles',
  'migrations',
  'report_row_pages',
  'report_views',
  'reports',
  'segmentation_intents',
  'signing_keys',
  'snapshot_contents',
  'snapshot_namespaces',
  'snapshot_object_sets',
  'snapshot_pods',
  'snapshot_policies',
  'snapshot_workloads',
  'snapshots',
];

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('migrations', () => {
  let url: string;
  let db: DataSource;

  beforeAll(async () => {
    url = await createDatabase('migrations');
    db = new DataSource(dataSourceOptions(url));
    await db.initialize();
  });
  afterAll(() => db?.destroy());

  it('are listed in order with readable class names and both directions', () => {
    const names = migrations.map((migration) => migration.name);
    expect(names).toEqual([
      'CreateClusters1795737600000',
      'CreateSnapshotStore1795737600001',
      'MakeEvidenceImmutable1795737600002',
      'StoreSnapshotObjects1795737600004',
      'CreateAnalysisCache1795737600050',
      'DerivedArtefactKinds1795737600070',
      'SecureTheStore1795737600100',
      'CreateComplianceEvidence1795737600200',
      'CreateAnalysisJobs1795737600300',
      'ClusterCniProfile1795737600320',
      'ClusterCniSource1795737600330',
      'ContentLz4Compression1795737600340',
      'ReportViews1795737600400',
      'ReportRowPages1795737600500',
    ]);
    for (const migration of migrations) {
      expect(typeof migration.prototype.up).toBe('function');
      expect(typeof migration.prototype.down).toBe('function');
    }
  });

  it('create the tables, then undo every step back to an empty schema, then apply again', async () => {
    const tables = () =>
      db
        .query<{ tablename: string }[]>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        .then((rows) => rows.map((row) => row.tablename));

    const applied = await db.runMigrations();
    expect(applied.map((migration) => migration.name)).toHaveLength(migrations.length);
    expect(await tables()).toEqual(TABLES);
    expect(await db.showMigrations()).toBe(false);

    for (let i = 0; i < migrations.length; i++) await db.undoLastMigration();
    expect(await tables()).toEqual(['migrations']);
    const functions = await db.query("SELECT 1 FROM pg_proc WHERE proname = 'reject_evidence_change'");
    expect(functions).toHaveLength(0);

    await db.runMigrations();
    expect(await tables()).toEqual(TABLES);
  });

  it('compress snapshot contents with lz4 where the server has it, else with the default pglz; compressed either way', async () => {
    const [{ supported }] = await db.query<{ supported: boolean }[]>(LZ4_SUPPORTED_SQL);
    const [column] = await db.query<{ compression: string }[]>(
      "SELECT attcompression AS compression FROM pg_attribute WHERE attrelid = 'snapshot_contents'::regclass AND attname = 'content'",
    );
    expect(column.compression).toBe(supported ? 'l' : '');
    // A content big enough to be compressed in line (repetitive, like real contents) is stored compressed.
    const content = `[${Array.from({ length: 2000 }, (_, i) => `{"kind":"Namespace","metadata":{"name":"ns-${i}"}}`).join(',')}]`;
    const hash = sha256(content);
    // Rolled back: the evidence tests below count the rows.
    const stored = await withClient(url, async (client) => {
      await client.query('BEGIN');
      await client.query('INSERT INTO snapshot_contents (sha256, content, size_bytes) VALUES ($1, $2, $3)', [hash, Buffer.from(content), content.length]);
      const row = (await client.query<{ method: string | null }>('SELECT pg_column_compression(content) AS method FROM snapshot_contents WHERE sha256 = $1', [hash])).rows[0];
      await client.query('ROLLBACK');
      return row;
    });
    expect(stored.method).toBe(supported ? 'lz4' : 'pglz');
  });

  describe('evidence is immutable', () => {
    const content = '[{"kind":"Namespace"}]';
    const hash = sha256(content);
    const snapshotId = '00000000-0000-4000-8000-000000000001';

    beforeAll(async () => {
      await withClient(url, async (client) => {
        const cluster = await client.query<{ id: string }>("INSERT INTO clusters (name) VALUES ('evidence') RETURNING id");
        await client.query('INSERT INTO snapshot_contents (sha256, content, size_bytes) VALUES ($1, $2, $3)', [
          hash,
          Buffer.from(content),
          content.length,
        ]);
        await client.query(
          `INSERT INTO snapshots (id, cluster_id, captured_at, source, content_sha256, counts, deduplicated)
           VALUES ($1, $2, now(), 'test', $3, '{}', false)`,
          [snapshotId, cluster.rows[0].id, hash],
        );
        // A compliance report (issue 10): evidence like the snapshot it was made from.
        await client.query("INSERT INTO signing_keys (id, algorithm, public_key_pem, private_key_pem) VALUES ('k', 'ed25519', 'pub', 'priv')");
        await client.query(
          `INSERT INTO reports (id, cluster_id, snapshot_id, snapshot_sha256, framework_id, framework_version, engine_version,
             generated_at, verdict, report_jcs, report_sha256, signing_key_id, signature)
           VALUES ('00000000-0000-4000-8000-000000000002', $1, $2, $3, 'soc2', 'x', '1', now(), 'pass', '{}', $4, 'k', 'sig')`,
          [cluster.rows[0].id, snapshotId, hash, sha256('{}')],
        );
        // Its view (what the reports list shows of it): insert-only like the report.
        await client.query("INSERT INTO report_views (report_id, view_version, view_json) VALUES ('00000000-0000-4000-8000-000000000002', 1, '{}')");
        // And a page of its rows (what a page of evidence shows).
        await client.query("INSERT INTO report_row_pages (report_id, view_version, list, page, rows_json) VALUES ('00000000-0000-4000-8000-000000000002', 1, 'control:1', 0, '[]')");
      });
    });

    const statements = {
      snapshots: [
        "UPDATE snapshots SET source = 'forged'",
        `DELETE FROM snapshots WHERE id = '${snapshotId}'`,
        // Statement-level triggers: even a DELETE that matches nothing is refused.
        'DELETE FROM snapshots WHERE false',
        'TRUNCATE snapshots CASCADE',
      ],
      snapshot_contents: [
        "UPDATE snapshot_contents SET content = content || '\\x20'::bytea",
        'DELETE FROM snapshot_contents',
        'TRUNCATE snapshot_contents CASCADE',
      ],
      reports: ["UPDATE reports SET verdict = 'fail'", 'DELETE FROM reports', 'TRUNCATE reports CASCADE'],
      report_views: ["UPDATE report_views SET view_json = '{\"summary\":{\"verdict\":\"pass\"}}'", 'DELETE FROM report_views', 'TRUNCATE report_views'],
      report_row_pages: ["UPDATE report_row_pages SET rows_json = '[]'", 'DELETE FROM report_row_pages', 'TRUNCATE report_row_pages'],
      signing_keys: ["UPDATE signing_keys SET private_key_pem = 'forged'", 'DELETE FROM signing_keys WHERE false'],
    };

    for (const [table, sqls] of Object.entries(statements)) {
      for (const sql of sqls) {
        it(`${table}: refuses ${sql}`, async () => {
          const before = await rowCounts(url);
          const error = await withClient(url, (client) => client.query(sql).then(() => undefined, (e: Error) => e));
          expect(error?.message).toMatch(/^evidence is immutable: (UPDATE|DELETE|TRUNCATE) on (snapshots|snapshot_contents|reports|report_views|report_row_pages|signing_keys) is not allowed$/);
          expect(await rowCounts(url)).toEqual(before);
          expect(before.snapshots).toBe(1);
          expect(before.snapshot_contents).toBe(1);
          expect(before.reports).toBe(1);
          expect(before.report_views).toBe(1);
          expect(before.report_row_pages).toBe(1);
        });
      }
    }

    it('refuses content whose bytes do not hash to its key', async () => {
      const error = await withClient(url, (client) =>
        client
          .query('INSERT INTO snapshot_contents (sha256, content, size_bytes) VALUES ($1, $2, 2)', [sha256('a'), Buffer.from('ab')])
          .then(() => undefined, (e: Error) => e),
      );
      expect(error?.message).toMatch(/snapshot_contents_sha256_matches/);
    });

    it('refuses a report whose canonical JSON does not hash to its report_sha256', async () => {
      const error = await withClient(url, (client) =>
        client
          .query(
            `INSERT INTO reports (id, cluster_id, snapshot_id, snapshot_sha256, framework_id, framework_version, engine_version,
               generated_at, verdict, report_jcs, report_sha256, signing_key_id, signature)
             SELECT '00000000-0000-4000-8000-000000000003', cluster_id, id, content_sha256, 'soc2', 'x', '1', now(), 'pass', '{"a":1}', $1, 'k', 's'
             FROM snapshots LIMIT 1`,
            [sha256('{}')],
          )
          .then(() => undefined, (e: Error) => e),
      );
      expect(error?.message).toMatch(/reports_sha256_matches/);
    });

    it('refuses cluster names that are not DNS labels', async () => {
      const error = await withClient(url, (client) =>
        client.query("INSERT INTO clusters (name) VALUES ('Not_A_Label')").then(() => undefined, (e: Error) => e),
      );
      expect(error?.message).toMatch(/clusters_name_is_dns_label/);
    });
  });
});
