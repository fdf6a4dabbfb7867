import type { MigrationInterface, QueryRunner } from 'typeorm';
import { makeEvidenceTable } from './1795737600100-secure-the-store.js';

/**
 * A report's rows in pages of 50 (apps/api/src/compliance/report-view.ts `storedReportViewOf`): each control's
 * evidence (`control:<id>`) and the changes' lists (`changes:newViolations`, `changes:resolvedViolations`), written
 * with the report's view of the same layout. A page of evidence in GraphQL reads the pages it covers instead of the
 * report's canonical JSON (75 MB at 50k pods: ~1 s per page before). Insert-only like the report they copy.
 */
export class ReportRowPages1795737600500 implements MigrationInterface {
  name = 'ReportRowPages1795737600500';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE report_row_pages (
        report_id     uuid        NOT NULL REFERENCES reports (id) ON DELETE RESTRICT,
        view_version  integer     NOT NULL,
        list          text        NOT NULL,
        page          integer     NOT NULL CHECK (page >= 0),
        rows_json     text        NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (report_id, view_version, list, page)
      )`);
    await makeEvidenceTable(db, 'report_row_pages');
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE report_row_pages');
  }
}
