// The api_tokens table: only the prefix and the HMAC of a token are stored.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { Role } from './principal.js';

export interface ApiTokenRow {
  readonly id: string;
  readonly prefix: string;
  readonly name: string;
  readonly role: Role;
  readonly tenants: string[] | null;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
  readonly lastUsedAt: Date | null;
}

const COLUMNS = `id, prefix, name, role, tenants, created_at AS "createdAt", expires_at AS "expiresAt",
  revoked_at AS "revokedAt", last_used_at AS "lastUsedAt"`;

@Injectable()
export class ApiTokensRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  inTransaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** Two servers starting at once on an empty store: one creates the first admin token. */
  async lockFirstAdmin(tx: EntityManager): Promise<void> {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext('netpol-atlas:first-admin-token'))");
  }

  async anyToken(tx: EntityManager): Promise<boolean> {
    const [{ any }]: { any: boolean }[] = await tx.query('SELECT EXISTS (SELECT 1 FROM api_tokens) AS any');
    return any;
  }

  async insert(
    tx: EntityManager,
    t: { prefix: string; secretHmac: string; name: string; role: Role; tenants: readonly string[] | null; expiresAt: Date | null; createdBy: string | null },
  ): Promise<ApiTokenRow> {
    const rows: ApiTokenRow[] = await tx.query(
      `INSERT INTO api_tokens (prefix, secret_hmac, name, role, tenants, expires_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [t.prefix, t.secretHmac, t.name, t.role, t.tenants, t.expiresAt, t.createdBy],
    );
    return rows[0];
  }

  async findByPrefix(prefix: string): Promise<(ApiTokenRow & { secretHmac: string }) | undefined> {
    const rows: (ApiTokenRow & { secretHmac: string })[] = await this.db.query(
      `SELECT ${COLUMNS}, secret_hmac AS "secretHmac" FROM api_tokens WHERE prefix = $1`,
      [prefix],
    );
    return rows[0];
  }

  async touchLastUsed(id: string): Promise<void> {
    await this.db.query('UPDATE api_tokens SET last_used_at = now() WHERE id = $1', [id]);
  }

  list(): Promise<ApiTokenRow[]> {
    return this.db.query(`SELECT ${COLUMNS} FROM api_tokens ORDER BY created_at, id`);
  }

  /** Revoking twice keeps the first time. */
  async revoke(tx: EntityManager, id: string): Promise<ApiTokenRow | undefined> {
    // TypeORM answers an UPDATE with [rows, affected].
    const [rows]: [ApiTokenRow[], number] = await tx.query(
      `UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING ${COLUMNS}`,
      [id],
    );
    return rows[0];
  }
}
