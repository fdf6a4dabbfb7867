import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evidence is immutable. Grants stop nothing when the app connects as the table owner, so statement-level
 * triggers reject every UPDATE, DELETE and TRUNCATE on the snapshot tables (even one that matches no row).
 * Only INSERT remains; removing evidence takes a migration that drops these triggers.
 */
export class MakeEvidenceImmutable1795737600002 implements MigrationInterface {
  name = 'MakeEvidenceImmutable1795737600002';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE FUNCTION reject_evidence_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'evidence is immutable: % on % is not allowed', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'integrity_constraint_violation';
      END
      $$`);
    for (const table of ['snapshots', 'snapshot_contents']) {
      await db.query(`
        CREATE TRIGGER ${table}_immutable
        BEFORE UPDATE OR DELETE OR TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION reject_evidence_change()`);
    }
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['snapshots', 'snapshot_contents']) {
      await db.query(`DROP TRIGGER ${table}_immutable ON ${table}`);
    }
    await db.query('DROP FUNCTION reject_evidence_change()');
  }
}
