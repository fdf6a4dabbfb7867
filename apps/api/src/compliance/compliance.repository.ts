// The compliance feature's SQL: reports, intents and profiles (insert-only evidence tables: rows are added, never
// updated — the database refuses it even to this server's role), and the installation's signing key.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { canSeeTenant } from '../auth/principal.js';
import { REPORT_VIEW_VERSION } from './report-view.js';

/** A report's row without its canonical JSON (tens of MB at 50k pods), with its stored view (report-view.ts) of this
 *  layout when it has one. */
export interface StoredReportMeta {
  readonly id: string;
  readonly seq: string;
  readonly clusterId: string;
  readonly clusterName: string;
  readonly snapshotId: string;
  readonly snapshotSha256: string;
  readonly frameworkId: string;
  readonly frameworkVersion: string;
  readonly engineVersion: string;
  readonly intentsId: string | null;
  readonly intentsVersion: number | null;
  readonly generatedAt: Date;
  readonly verdict: string;
  readonly reportSha256: string;
  readonly signingKeyId: string;
  readonly signature: string;
  readonly viewJson: string | null;
}

interface Row {
  id: string;
  seq: string;
  cluster_id: string;
  cluster_name: string;
  snapshot_id: string;
  snapshot_sha256: string;
  framework_id: string;
  framework_version: string;
  engine_version: string;
  intents_id: string | null;
  intents_version: number | null;
  generated_at: Date;
  verdict: string;
  report_sha256: string;
  signing_key_id: string;
  signature: string;
  view_json: string | null;
}

const toMeta = (r: Row): StoredReportMeta => ({
  id: r.id,
  seq: String(r.seq),
  clusterId: r.cluster_id,
  clusterName: r.cluster_name,
  snapshotId: r.snapshot_id,
  snapshotSha256: r.snapshot_sha256.trim(),
  frameworkId: r.framework_id,
  frameworkVersion: r.framework_version,
  engineVersion: r.engine_version,
  intentsId: r.intents_id,
  intentsVersion: r.intents_version,
  generatedAt: r.generated_at,
  verdict: r.verdict,
  reportSha256: r.report_sha256.trim(),
  signingKeyId: r.signing_key_id,
  signature: r.signature,
  viewJson: r.view_json,
});

const META_COLUMNS = `r.id, r.seq, r.cluster_id, r.snapshot_id, r.snapshot_sha256, r.framework_id, r.framework_version, r.engine_version,
  r.intents_id, r.intents_version, r.generated_at, r.verdict, r.report_sha256, r.signing_key_id, r.signature, v.view_json,
  c.name AS cluster_name, c.tenant AS cluster_tenant`;
const FROM_REPORTS = `FROM reports r JOIN clusters c ON c.id = r.cluster_id
  LEFT JOIN report_views v ON v.report_id = r.id AND v.view_version = ${REPORT_VIEW_VERSION}`;
/** Reports without their canonical JSON (tens of MB at 50k pods: the threads that use it read it, content-source.ts). */
const SELECT_REPORT_META = `SELECT ${META_COLUMNS} ${FROM_REPORTS}`;
export interface StoredIntents {
  readonly id: string;
  readonly clusterId: string;
  readonly version: number;
  readonly name: string;
  readonly content: string;
  readonly sha256: string;
  readonly createdAt: Date;
}

interface IntentsRow {
  id: string;
  cluster_id: string;
  version: number;
  name: string;
  content: string;
  sha256: string;
  created_at: Date;
}

const toStoredIntents = (r: IntentsRow): StoredIntents => ({
  id: r.id,
  clusterId: r.cluster_id,
  version: r.version,
  name: r.name,
  content: r.content,
  sha256: r.sha256.trim(),
  createdAt: r.created_at,
});

export interface StoredProfile {
  readonly id: string;
  readonly frameworks: string[];
  readonly intentsId: string | null;
  readonly createdAt: Date;
}

interface ProfileRow {
  id: string;
  frameworks: string[];
  intents_id: string | null;
  created_at: Date;
}

const toProfile = (r: ProfileRow): StoredProfile => ({ id: r.id, frameworks: [...r.frameworks], intentsId: r.intents_id, createdAt: r.created_at });

@Injectable()
export class ComplianceRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  // Reports

  /** Stored row pages of a report's list (report-view.ts), pages `from` to `to` (all from `from` when undefined), in order. */
  async rowPages(reportId: string, list: string, from: number, to?: number): Promise<{ page: number; rowsJson: string }[]> {
    const rows: { page: number; rows_json: string }[] = await this.db.query(
      `SELECT page, rows_json FROM report_row_pages
       WHERE report_id = $1 AND view_version = $2 AND list = $3 AND page >= $4 AND ($5::int IS NULL OR page <= $5)
       ORDER BY page`,
      [reportId, REPORT_VIEW_VERSION, list, from, to ?? null],
    );
    return rows.map((r) => ({ page: r.page, rowsJson: r.rows_json }));
  }

  /** The report when the caller's tenant may see it (another tenant's report does not exist for this caller). */
  async findReport(id: string): Promise<StoredReportMeta | null> {
    const rows: (Row & { cluster_tenant: string })[] = await this.db.query(`${SELECT_REPORT_META} WHERE r.id = $1`, [id]);
    return rows[0] && canSeeTenant(rows[0].cluster_tenant) ? toMeta(rows[0]) : null;
  }

  /** Newest first; `afterSeq` continues a page. */
  async reportPage(clusterId: string, limit: number, afterSeq?: string, framework?: string): Promise<StoredReportMeta[]> {
    const params: unknown[] = [clusterId, limit];
    let where = 'r.cluster_id = $1';
    if (afterSeq !== undefined) {
      params.push(afterSeq);
      where += ` AND r.seq < $${params.length}`;
    }
    if (framework !== undefined) {
      params.push(framework);
      where += ` AND r.framework_id = $${params.length}`;
    }
    const rows: Row[] = await this.db.query(`${SELECT_REPORT_META} WHERE ${where} ORDER BY r.seq DESC LIMIT $2`, params);
    return rows.map(toMeta);
  }

  /** The newest report of a cluster and framework judged on the same basis: stored intents (any version), or none
   *  (the CDE convention). A report's "changes" compare with it; across bases every difference would be the basis's. */
  async latestReportOnBasis(clusterId: string, framework: string, withIntents: boolean): Promise<StoredReportMeta | null> {
    const rows: Row[] = await this.db.query(
      `${SELECT_REPORT_META} WHERE r.cluster_id = $1 AND r.framework_id = $2 AND r.intents_id IS ${withIntents ? 'NOT NULL' : 'NULL'} ORDER BY r.seq DESC LIMIT 1`,
      [clusterId, framework],
    );
    return rows.length > 0 ? toMeta(rows[0]) : null;
  }

  async countReports(clusterId: string): Promise<number> {
    const rows: { n: string }[] = await this.db.query('SELECT count(*) AS n FROM reports WHERE cluster_id = $1', [clusterId]);
    return Number(rows[0].n);
  }

  // Segmentation intents: a new version per change (version = previous + 1, decided in the INSERT).

  async insertIntents(i: { id: string; clusterId: string; name: string; content: string; sha256: string }): Promise<StoredIntents> {
    const rows: IntentsRow[] = await this.db.query(
      `INSERT INTO segmentation_intents (id, cluster_id, version, name, content, sha256)
       SELECT $1, $2, COALESCE(MAX(version), 0) + 1, $3, $4, $5 FROM segmentation_intents WHERE cluster_id = $2
       RETURNING *`,
      [i.id, i.clusterId, i.name, i.content, i.sha256],
    );
    return toStoredIntents(rows[0]);
  }

  async findIntents(id: string): Promise<StoredIntents | null> {
    const rows: IntentsRow[] = await this.db.query('SELECT * FROM segmentation_intents WHERE id = $1', [id]);
    return rows[0] ? toStoredIntents(rows[0]) : null;
  }

  /** Every version of a cluster's intents, newest first. */
  async intentsOfCluster(clusterId: string): Promise<StoredIntents[]> {
    const rows: IntentsRow[] = await this.db.query('SELECT * FROM segmentation_intents WHERE cluster_id = $1 ORDER BY version DESC', [clusterId]);
    return rows.map(toStoredIntents);
  }

  // Compliance profiles: a new row per change; the latest counts.

  async insertProfile(p: { id: string; clusterId: string; frameworks: string[]; intentsId: string | null }): Promise<StoredProfile> {
    const rows: ProfileRow[] = await this.db.query(
      'INSERT INTO compliance_profiles (id, cluster_id, frameworks, intents_id) VALUES ($1, $2, $3, $4) RETURNING id, frameworks, intents_id, created_at',
      [p.id, p.clusterId, p.frameworks, p.intentsId],
    );
    return toProfile(rows[0]);
  }

  async latestProfile(clusterId: string): Promise<StoredProfile | null> {
    const rows: ProfileRow[] = await this.db.query(
      'SELECT id, frameworks, intents_id, created_at FROM compliance_profiles WHERE cluster_id = $1 ORDER BY seq DESC LIMIT 1',
      [clusterId],
    );
    return rows[0] ? toProfile(rows[0]) : null;
  }

  // The installation's signing key (insert-only: the first insert wins, two processes starting at once both read it).

  async signingKey(id: string): Promise<{ publicKeyPem: string; privateKeyPem: string } | undefined> {
    const rows = await this.db.query<{ public_key_pem: string; private_key_pem: string }[]>(
      'SELECT public_key_pem, private_key_pem FROM signing_keys WHERE id = $1',
      [id],
    );
    return rows[0] ? { publicKeyPem: rows[0].public_key_pem, privateKeyPem: rows[0].private_key_pem } : undefined;
  }

  async insertSigningKeyOnce(id: string, publicKeyPem: string, privateKeyPem: string): Promise<void> {
    await this.db.query(
      "INSERT INTO signing_keys (id, algorithm, public_key_pem, private_key_pem) VALUES ($1, 'ed25519', $2, $3) ON CONFLICT (id) DO NOTHING",
      [id, publicKeyPem, privateKeyPem],
    );
  }
}
