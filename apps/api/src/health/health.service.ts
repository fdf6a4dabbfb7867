import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { queueDepth } from '../jobs/analysis-jobs.js';

export interface Readiness {
  readonly ready: boolean;
  readonly database: 'reachable' | 'unreachable';
  readonly migrations: 'applied' | 'pending' | 'unknown';
  /** The analysis job queue: readable (with its depth), or not (not ready: ingest enqueues into it). */
  readonly queue: { readonly state: 'readable' | 'unreadable' | 'unknown'; readonly queued?: number; readonly failed?: number };
  readonly error?: string;
}

/** A readiness probe must answer promptly even when the database hangs. */
const PROBE_TIMEOUT_MS = 3000;

@Injectable()
export class HealthService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async readiness(): Promise<Readiness> {
    try {
      await withTimeout(this.db.query('SELECT 1'), PROBE_TIMEOUT_MS);
    } catch {
      // No driver message: it names the database host and port.
      return { ready: false, database: 'unreachable', migrations: 'unknown', queue: { state: 'unknown' }, error: 'database unreachable' };
    }
    try {
      const pending = await withTimeout(this.pendingMigrations(), PROBE_TIMEOUT_MS);
      if (pending.length > 0) return { ready: false, database: 'reachable', migrations: 'pending', queue: { state: 'unknown' } };
    } catch {
      return { ready: false, database: 'reachable', migrations: 'unknown', queue: { state: 'unknown' }, error: 'the migration state cannot be read' };
    }
    try {
      const depth = await withTimeout(queueDepth(this.db), PROBE_TIMEOUT_MS);
      return { ready: true, database: 'reachable', migrations: 'applied', queue: { state: 'readable', queued: depth.queued, failed: depth.failed } };
    } catch {
      return { ready: false, database: 'reachable', migrations: 'applied', queue: { state: 'unreadable' }, error: 'the analysis job queue cannot be read' };
    }
  }

  /** Known migrations missing from TypeORM's table (read only, unlike showMigrations, which creates the table). */
  private async pendingMigrations(): Promise<string[]> {
    const table = this.db.options.migrationsTableName ?? 'migrations';
    const [{ present }]: { present: string | null }[] = await this.db.query('SELECT to_regclass($1) AS present', [table]);
    const applied = new Set<string>();
    if (present) {
      const rows: { name: string }[] = await this.db.query(`SELECT name FROM ${this.db.driver.escape(table)}`);
      for (const row of rows) applied.add(row.name);
    }
    return this.db.migrations.map((migration) => migration.name ?? migration.constructor.name).filter((name) => !applied.has(name));
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
