import type { MigrationInterface, QueryRunner } from 'typeorm';
import { makeEvidenceTable } from './1795737600100-secure-the-store.js';

/**
 * A report's view (apps/api/src/compliance/report-view.ts): its summary, controls with their evidence counts, flips and
 * recorded CNI profile, written with the report (or, for a report stored before, the first time it is read). The
 * reports list and a report's header read it instead of the report's canonical JSON, tens of MB at 50k pods.
 * Insert-only like the report it shows: a changed view could show a verdict the signed report does not have. A new
 * view layout (`REPORT_VIEW_VERSION`) adds rows of its version beside the old ones.
 */
export class ReportViews1795737600400 implements MigrationInterface {
  name = 'ReportViews1795737600400';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE report_views (
        report_id     uuid        NOT NULL REFERENCES reports (id) ON DELETE RESTRICT,
        view_version  integer     NOT NULL,
        view_json     text        NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (report_id, view_version)
      )`);
    await makeEvidenceTable(db, 'report_views');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE report_views');
  }
}
