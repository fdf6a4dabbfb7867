import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from './1795737600100-secure-the-store.js';

/**
 * A cluster's CNI decides the semantic profile of its analyses (engine cni-profiles/), and an admin sets it after the
 * cluster exists (`setClusterCni`): the app role may update that one column, as it may update `labels`.
 */
export class ClusterCniProfile1795737600320 implements MigrationInterface {
  name = 'ClusterCniProfile1795737600320';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`GRANT UPDATE (cni) ON clusters TO ${APP_ROLE}`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`REVOKE UPDATE (cni) ON clusters FROM ${APP_ROLE}`);
  }
}
