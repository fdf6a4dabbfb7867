// Storing a generated report: its row (the canonical JSON, its SHA-256, the signature over the row's identity), its
// view and its rows in pages (report-view.ts), in one transaction. Done by the model thread that built the report
// (model-thread.ts), on its own connection: at 50k pods the report's canonical JSON is tens of MB, which the event loop would receive from the thread, encode
// and write to PostgreSQL in blocks of hundreds of milliseconds. No Nest, no TypeORM: this runs in the thread bundle.
import { sign, type KeyObject } from 'node:crypto';
import type { PoolClient } from 'pg';
import { canonicalJson } from '@netpol-atlas/engine';
import type { StoredReportText } from '../analysis/model-computations.js';
import { REPORT_VIEW_VERSION, type StoredReportView } from './report-view.js';

/** The row's fields the event loop decides (the report's own come from the report). */
export interface ReportRowFields {
  readonly id: string;
  readonly clusterId: string;
  readonly snapshotId: string;
  readonly snapshotSha256: string;
  readonly intentsId: string | null;
  readonly intentsVersion: number | null;
  /** RFC 3339, whole seconds: the report's `generatedAt`. */
  readonly generatedAt: string;
}

/** Where and how a model thread stores the report it builds. */
export interface ReportStoreTarget {
  /** The primary (DATABASE_URL): the server's role may insert reports, never change them. */
  readonly primaryUrl: string;
  readonly row: ReportRowFields;
  /** The installation key (signing-key.service.ts); a KeyObject crosses to a thread. */
  readonly signingKey: { readonly id: string; readonly privateKey: KeyObject };
}

/** A report as it is stored, without its text: what the event loop reads back. */
export interface StoredReportFields {
  readonly reportSha256: string;
  readonly signature: string;
}

/** What the signature of a stored report covers (JCS of this object): the row's identity and hashes. */
export function signedRowManifest(r: {
  readonly id: string;
  readonly snapshotId: string;
  readonly snapshotSha256: string;
  readonly frameworkId: string;
  readonly frameworkVersion: string;
  readonly engineVersion: string;
  readonly intentsVersion: number | null;
  readonly reportSha256: string;
  readonly generatedAt: string;
}): string {
  return canonicalJson({
    reportId: r.id,
    snapshotId: r.snapshotId,
    snapshotSha256: r.snapshotSha256,
    framework: r.frameworkId,
    frameworkVersion: r.frameworkVersion,
    engineVersion: r.engineVersion,
    intentsVersion: r.intentsVersion,
    generatedAt: r.generatedAt,
    reportSha256: r.reportSha256,
  });
}

/** Signs and inserts the report, its view and its row pages in one transaction. */
export async function insertReport(client: PoolClient, target: ReportStoreTarget, report: StoredReportText): Promise<StoredReportFields> {
  const r = target.row;
  const fields = { ...r, frameworkId: report.framework.id, frameworkVersion: report.framework.version, engineVersion: report.engineVersion, reportSha256: report.reportSha256 };
  const signature = sign(null, Buffer.from(signedRowManifest(fields), 'utf8'), target.signingKey.privateKey).toString('base64');
  await inTransaction(client, async () => {
    await client.query(
      `INSERT INTO reports (id, cluster_id, snapshot_id, snapshot_sha256, framework_id, framework_version, engine_version, intents_id,
         intents_version, generated_at, verdict, report_jcs, report_sha256, signing_key_id, signature)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
      [r.id, r.clusterId, r.snapshotId, r.snapshotSha256, fields.frameworkId, fields.frameworkVersion, fields.engineVersion, r.intentsId,
        r.intentsVersion, r.generatedAt, report.verdict, report.reportJcs, report.reportSha256, target.signingKey.id, signature],
    );
    await insertView(client, r.id, report.view, '');
  });
  return { reportSha256: report.reportSha256, signature };
}

/**
 * The view and row pages of a report stored before views of this layout were (a render thread computes them from
 * the report on its first read): the first ones written stay, so concurrent first readers write nothing twice.
 */
export async function insertReportView(client: PoolClient, reportId: string, view: StoredReportView): Promise<void> {
  await inTransaction(client, () => insertView(client, reportId, view, ' ON CONFLICT DO NOTHING'));
}

/** All of `work` or nothing of it. */
async function inTransaction(client: PoolClient, work: () => Promise<void>): Promise<void> {
  await client.query('BEGIN');
  try {
    await work();
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Row pages per INSERT: each statement's parameters stay a few MB (a page is up to ~2 MB of JSON at 50k pods). */
const PAGES_PER_INSERT = 32;

async function insertView(client: PoolClient, reportId: string, view: StoredReportView, onConflict: string): Promise<void> {
  await client.query(`INSERT INTO report_views (report_id, view_version, view_json) VALUES ($1, $2, $3)${onConflict}`, [reportId, REPORT_VIEW_VERSION, view.viewJson]);
  for (let at = 0; at < view.rowPages.length; at += PAGES_PER_INSERT) {
    const pages = view.rowPages.slice(at, at + PAGES_PER_INSERT);
    await client.query(
      `INSERT INTO report_row_pages (report_id, view_version, list, page, rows_json)
       SELECT $1, $2, list, page, rows_json FROM unnest($3::text[], $4::int[], $5::text[]) AS p (list, page, rows_json)${onConflict}`,
      [reportId, REPORT_VIEW_VERSION, pages.map((p) => p.list), pages.map((p) => p.page), pages.map((p) => p.rowsJson)],
    );
  }
}
