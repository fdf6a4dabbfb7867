import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Clusters: one row per cluster name (created on first upload). Names are DNS-1123 labels, as in the URL. */
export class CreateClusters1795737600000 implements MigrationInterface {
  name = 'CreateClusters1795737600000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE clusters (
        id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
        name        text        COLLATE "C" NOT NULL,
        labels      jsonb       NOT NULL DEFAULT '{}'::jsonb,
        provider    text        NULL,
        cni         text        NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT clusters_name_key UNIQUE (name),
        CONSTRAINT clusters_name_is_dns_label CHECK (name ~ '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'),
        CONSTRAINT clusters_labels_is_object CHECK (jsonb_typeof(labels) = 'object')
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE clusters');
  }
}
