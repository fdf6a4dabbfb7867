import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The analysis cache holds every kind of derived artefact the API's registry declares
 * (apps/api/src/analysis/derived-artefacts.ts), not a fixed pair: the kind is a registry name, checked for shape here
 * and for meaning by the registry (an unknown kind is never read back).
 */
export class DerivedArtefactKinds1795737600070 implements MigrationInterface {
  name = 'DerivedArtefactKinds1795737600070';

  async up(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE analysis_results DROP CONSTRAINT analysis_results_kind');
    await db.query(`ALTER TABLE analysis_results ADD CONSTRAINT analysis_results_kind CHECK (kind ~ '^[a-z][a-z0-9-]{0,62}$')`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('ALTER TABLE analysis_results DROP CONSTRAINT analysis_results_kind');
    await db.query(`ALTER TABLE analysis_results ADD CONSTRAINT analysis_results_kind CHECK (kind IN ('connectivity', 'exposure'))`);
  }
}
