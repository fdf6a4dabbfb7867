import type { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from './1795737600100-secure-the-store.js';

/**
 * The analysis job queue (issue 13): one row per (content, engine version, engine options) to analyse, inserted with
 * the snapshot that brings new content (ON CONFLICT DO NOTHING: a content is analysed once however often it is
 * uploaded). Workers claim a row with `FOR UPDATE SKIP LOCKED` inside a transaction that also writes the results
 * and marks the row done: a worker that dies mid-job loses its connection, PostgreSQL rolls the transaction back
 * and the row is claimable again, so no job is lost and none completes twice. Hand-written instead of pg-boss, whose
 * own schema it creates and migrates at start (DDL the app role `netpol_app` may not run).
 *
 * Derived data, not evidence: the app role may SELECT, INSERT and UPDATE the state columns (no DELETE).
 */
export class CreateAnalysisJobs1795737600300 implements MigrationInterface {
  name = 'CreateAnalysisJobs1795737600300';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE analysis_jobs (
        content_sha256  char(64)    NOT NULL REFERENCES snapshot_contents (sha256) ON DELETE CASCADE,
        engine_version  integer     NOT NULL,
        options_key     text        NOT NULL,
        state           text        NOT NULL DEFAULT 'queued',
        attempts        integer     NOT NULL DEFAULT 0,
        completions     integer     NOT NULL DEFAULT 0,
        enqueued_at     timestamptz NOT NULL DEFAULT now(),
        started_at      timestamptz NULL,
        finished_at     timestamptz NULL,
        worker          text        NULL,
        error           text        NULL,
        PRIMARY KEY (content_sha256, engine_version, options_key),
        CONSTRAINT analysis_jobs_state CHECK (state IN ('queued', 'done', 'failed'))
      )`);
    // Claiming reads the oldest queued rows.
    await db.query(`CREATE INDEX analysis_jobs_queued ON analysis_jobs (enqueued_at) WHERE state = 'queued'`);
    await db.query(`REVOKE ALL ON analysis_jobs FROM ${APP_ROLE}`);
    await db.query(`GRANT SELECT, INSERT ON analysis_jobs TO ${APP_ROLE}`);
    await db.query(`GRANT UPDATE (state, attempts, completions, started_at, finished_at, worker, error) ON analysis_jobs TO ${APP_ROLE}`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query('DROP TABLE analysis_jobs');
  }
}
