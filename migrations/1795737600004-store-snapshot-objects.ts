import type { MigrationInterface, QueryRunner } from 'typeorm';

const OBJECT_TABLES = ['snapshot_object_sets', 'snapshot_namespaces', 'snapshot_workloads', 'snapshot_pods', 'snapshot_policies'];

/**
 * Normalised objects of each stored content, keyed by its SHA-256 (deduplicated uploads share them): namespaces,
 * workloads named by their top-level controller, pods, policies. `snapshot_object_sets` has one row per content
 * whose objects are stored (with their counts); every other table references it. Written in the upload's
 * transaction, and evidence like the content: the same triggers reject UPDATE, DELETE and TRUNCATE.
 * Text keys are COLLATE "C" so pages come in code-unit order whatever the server locale.
 * Cluster labels get a GIN index for the `clusters(filter: { labels })` query.
 */
export class StoreSnapshotObjects1795737600004 implements MigrationInterface {
  name = 'StoreSnapshotObjects1795737600004';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE snapshot_object_sets (
        content_sha256  char(64)    PRIMARY KEY REFERENCES snapshot_contents (sha256) ON DELETE RESTRICT,
        namespaces      integer     NOT NULL,
        workloads       integer     NOT NULL,
        pods            integer     NOT NULL,
        policies        integer     NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`
      CREATE TABLE snapshot_namespaces (
        content_sha256  char(64) NOT NULL REFERENCES snapshot_object_sets (content_sha256) ON DELETE RESTRICT,
        name            text     COLLATE "C" NOT NULL,
        labels          jsonb    NOT NULL,
        declared        boolean  NOT NULL,
        PRIMARY KEY (content_sha256, name),
        CONSTRAINT snapshot_namespaces_labels_is_object CHECK (jsonb_typeof(labels) = 'object')
      )`);
    await db.query(`
      CREATE TABLE snapshot_workloads (
        content_sha256  char(64) NOT NULL REFERENCES snapshot_object_sets (content_sha256) ON DELETE RESTRICT,
        namespace       text     COLLATE "C" NOT NULL,
        kind            text     COLLATE "C" NOT NULL,
        name            text     COLLATE "C" NOT NULL,
        replicas        integer  NULL,
        pods            integer  NOT NULL,
        labels          jsonb    NOT NULL,
        PRIMARY KEY (content_sha256, namespace, kind, name),
        CONSTRAINT snapshot_workloads_labels_is_object CHECK (jsonb_typeof(labels) = 'object')
      )`);
    await db.query(`
      CREATE TABLE snapshot_pods (
        content_sha256  char(64) NOT NULL REFERENCES snapshot_object_sets (content_sha256) ON DELETE RESTRICT,
        namespace       text     COLLATE "C" NOT NULL,
        name            text     COLLATE "C" NOT NULL,
        synthetic       boolean  NOT NULL,
        workload_kind   text     COLLATE "C" NOT NULL,
        workload_name   text     COLLATE "C" NOT NULL,
        labels          jsonb    NOT NULL,
        ips             text[]   NOT NULL,
        PRIMARY KEY (content_sha256, namespace, name, synthetic),
        CONSTRAINT snapshot_pods_labels_is_object CHECK (jsonb_typeof(labels) = 'object')
      )`);
    await db.query(
      'CREATE INDEX snapshot_pods_workload ON snapshot_pods (content_sha256, namespace, workload_kind, workload_name, name)',
    );
    // Cluster-scoped policies have namespace '' here (NULL in the API): the key stays a plain primary key.
    await db.query(`
      CREATE TABLE snapshot_policies (
        content_sha256  char(64) NOT NULL REFERENCES snapshot_object_sets (content_sha256) ON DELETE RESTRICT,
        namespace       text     COLLATE "C" NOT NULL,
        kind            text     COLLATE "C" NOT NULL,
        name            text     COLLATE "C" NOT NULL,
        api_version     text     COLLATE "C" NOT NULL,
        policy_types    text[]   NOT NULL,
        labels          jsonb    NOT NULL,
        analysed        boolean  NOT NULL,
        PRIMARY KEY (content_sha256, namespace, kind, name, api_version),
        CONSTRAINT snapshot_policies_labels_is_object CHECK (jsonb_typeof(labels) = 'object')
      )`);
    for (const table of OBJECT_TABLES) {
      await db.query(`
        CREATE TRIGGER ${table}_immutable
        BEFORE UPDATE OR DELETE OR TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION reject_evidence_change()`);
    }
    await db.query('CREATE INDEX clusters_labels ON clusters USING gin (labels jsonb_path_ops)');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP INDEX clusters_labels');
    for (const table of [...OBJECT_TABLES].reverse()) await db.query(`DROP TABLE ${table}`);
  }
}
