// The audit_log table: insert-only (the database refuses UPDATE/DELETE even to this server's role).
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AuditRecord } from '@netpol-atlas/engine';
import type { DataSource, EntityManager } from 'typeorm';

@Injectable()
export class AuditLogRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Runs `work` in a transaction (or the caller's). */
  inTransaction<T>(work: (tx: EntityManager) => Promise<T>, manager?: EntityManager): Promise<T> {
    return manager ? work(manager) : this.db.transaction(work);
  }

  /** Writers queue on one advisory lock (held to the end of `tx`), so the chain stays linear. */
  async lockChain(tx: EntityManager): Promise<void> {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('netpol-atlas:audit-log'))");
  }

  async head(tx: EntityManager): Promise<{ seq: number; hash: string } | undefined> {
    const rows: { seq: string; hash: string }[] = await tx.query('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
    return rows[0] ? { seq: Number(rows[0].seq), hash: rows[0].hash } : undefined;
  }

  async append(tx: EntityManager, row: { seq: number; at: string; entry: string; prevHash: string; hash: string }): Promise<void> {
    await tx.query('INSERT INTO audit_log (seq, at, entry, prev_hash, hash) VALUES ($1, $2, $3, $4, $5)', [row.seq, row.at, row.entry, row.prevHash, row.hash]);
  }

  /** Records after `afterSeq`, in order, at most `limit`. */
  async page(afterSeq: number, limit: number): Promise<AuditRecord[]> {
    const rows: { seq: string; entry: string; prevHash: string; hash: string }[] = await this.db.query(
      'SELECT seq, entry, prev_hash AS "prevHash", hash FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2',
      [afterSeq, limit],
    );
    return rows.map((row) => ({ ...row, seq: Number(row.seq) }));
  }
}
