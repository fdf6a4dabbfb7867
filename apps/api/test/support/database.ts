// Per-test-file databases on the shared embedded server, and helpers to look at them directly with `pg`.
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

export async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** A new empty database on the test server; returns its URL. */
export async function createDatabase(prefix = 'test'): Promise<string> {
  const serverUrl = inject('databaseUrl');
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withClient(serverUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Rows in every table of the public schema, by table name (sorted). */
export async function rowCounts(url: string): Promise<Record<string, number>> {
  return withClient(url, async (client) => {
    const tables = await client.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename COLLATE \"C\"",
    );
    const counts: Record<string, number> = {};
    for (const { name } of tables.rows) {
      const result = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${client.escapeIdentifier(name)}`);
      counts[name] = Number(result.rows[0].n);
    }
    return counts;
  });
}

/**
 * A stored report's row again under `copyId`, without a view (as a report stored before views were), with another
 * canonical JSON when `text` is given (its SHA-256 with it, so the database's check holds).
 */
export function copyReport(url: string, reportId: string, copyId: string, text?: string): Promise<void> {
  return withClient(url, async (client) => {
    await client.query(
      `INSERT INTO reports (id, cluster_id, snapshot_id, snapshot_sha256, framework_id, framework_version, engine_version, intents_id,
         intents_version, generated_at, verdict, report_jcs, report_sha256, signing_key_id, signature)
       SELECT $1, cluster_id, snapshot_id, snapshot_sha256, framework_id, framework_version, engine_version, intents_id,
         intents_version, generated_at, verdict, COALESCE($3, report_jcs), COALESCE($4, report_sha256), signing_key_id, signature
       FROM reports WHERE id = $2`,
      [copyId, reportId, text ?? null, text === undefined ? null : createHash('sha256').update(text, 'utf8').digest('hex')],
    );
  });
}
