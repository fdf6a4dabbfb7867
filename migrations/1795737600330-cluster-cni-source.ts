import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from './1795737600100-secure-the-store.js';

/**
 * Who set a cluster's CNI: `user` (createCluster / setClusterCni) or `collector` (detected by `netpol collect` and
 * sent with the upload). A collector's detection may set or update a CNI only where no user chose one: user choice
 * wins. CNIs set before this migration were set by users.
 */
export class ClusterCniSource1795737600330 implements MigrationInterface {
  name = 'ClusterCniSource1795737600330';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE clusters ADD COLUMN cni_source text`);
    await db.query(`UPDATE clusters SET cni_source = 'user' WHERE cni IS NOT NULL`);
    await db.query(
      `ALTER TABLE clusters ADD CONSTRAINT clusters_cni_source CHECK ((cni IS NULL AND cni_source IS NULL) OR cni_source IN ('user', 'collector'))`,
    );
    await db.query(`GRANT UPDATE (cni_source) ON clusters TO ${APP_ROLE}`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`REVOKE UPDATE (cni_source) ON clusters FROM ${APP_ROLE}`);
    await db.query(`ALTER TABLE clusters DROP COLUMN cni_source`);
  }
}
