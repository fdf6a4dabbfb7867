// API tokens: `npat_<prefix>_<secret>`. Only the prefix (to find the row and to show which token it is) and the
// HMAC-SHA-256 of the whole token under the server's secret are stored; the token itself is shown once, at creation.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AuditService } from '../audit/audit.service.js';
import { ROLES, SYSTEM, type Principal, type Role } from './principal.js';

export const TOKEN_PATTERN = /^npat_([A-Za-z0-9_-]{12})_([A-Za-z0-9_-]{43})$/;

/** A fresh random token text (72 bits of prefix, 256 bits of secret). */
export const newTokenText = () => `npat_${randomBytes(9).toString('base64url')}_${randomBytes(32).toString('base64url')}`;

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

export interface NewToken {
  readonly name: string;
  readonly role: Role;
  readonly tenants: readonly string[] | null;
  readonly expiresAt: Date | null;
}

const COLUMNS = `id, prefix, name, role, tenants, created_at AS "createdAt", expires_at AS "expiresAt",
  revoked_at AS "revokedAt", last_used_at AS "lastUsedAt"`;

/** last_used_at is written at most this often per token (a busy CI token must not write on every request). */
const LAST_USED_GRANULARITY_MS = 60_000;

@Injectable()
export class ApiTokensService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Auth');
  private readonly lastUsedWritten = new Map<string, number>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  private hmac(token: string): string {
    return createHmac('sha256', this.config.tokenSecret ?? '').update(token, 'utf8').digest('hex');
  }

  /** First start: no token at all → one admin token, printed once and written 0600 under the secrets folder. */
  async onApplicationBootstrap(): Promise<void> {
    if (this.config.auth === 'off') {
      this.logger.warn('NETPOL_AUTH=off: NO AUTHENTICATION, every request is an admin (for a laptop only)');
      return;
    }
    if (!this.config.createFirstAdminToken) return;
    await this.db.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock(hashtext('netpol-atlas:first-admin-token'))");
      const [{ any }]: { any: boolean }[] = await tx.query('SELECT EXISTS (SELECT 1 FROM api_tokens) AS any');
      if (any) return;
      const input: NewToken = { name: 'first-start admin', role: 'admin', tenants: null, expiresAt: null };
      if (this.config.bootstrapAdminToken) {
        // Given by the operator (a secret store, a test): stored like any token, printed nowhere.
        await this.create(input, SYSTEM, tx, this.config.bootstrapAdminToken);
        this.logger.log('first start: stored the admin token given in NETPOL_BOOTSTRAP_ADMIN_TOKEN');
        return;
      }
      const { token } = await this.create(input, SYSTEM, tx);
      let where = '';
      if (this.config.secretsDir) {
        mkdirSync(this.config.secretsDir, { recursive: true, mode: 0o700 });
        const file = path.join(this.config.secretsDir, 'admin-token');
        writeFileSync(file, `${token}\n`, { mode: 0o600 });
        where = ` (also written to ${file}, mode 0600)`;
      }
      // stdout, once: the operator's only chance to see it besides the file.
      console.log(`Netpol Atlas first start: admin token ${token}${where}`);
    });
  }

  /** A new token (`given`: use that token text, e.g. NETPOL_BOOTSTRAP_ADMIN_TOKEN; it must have the token format). */
  async create(input: NewToken, by: Principal, manager?: EntityManager, given?: string): Promise<{ token: string; row: ApiTokenRow }> {
    if (!manager) return this.db.transaction((tx) => this.create(input, by, tx, given));
    if (!ROLES.includes(input.role)) throw new Error(`unknown role ${input.role}`);
    const token = given ?? newTokenText();
    const prefix = TOKEN_PATTERN.exec(token)?.[1];
    if (!prefix) throw new Error('a token must look like npat_<12 characters>_<43 characters> (base64url)');
    const rows: ApiTokenRow[] = await manager.query(
      `INSERT INTO api_tokens (prefix, secret_hmac, name, role, tenants, expires_at, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [prefix, this.hmac(token), input.name, input.role, input.tenants, input.expiresAt, by.tokenId ?? null],
    );
    await this.audit.record({ action: 'token.create', target: rows[0].id, details: { prefix, role: input.role, tenants: input.tenants, name: input.name } }, by, manager);
    return { token, row: rows[0] };
  }

  /** The token's row when it is valid now (known, HMAC matches, not revoked, not expired); else undefined. */
  async verify(token: string): Promise<ApiTokenRow | undefined> {
    const match = TOKEN_PATTERN.exec(token);
    if (!match) return undefined;
    const rows: (ApiTokenRow & { secretHmac: string })[] = await this.db.query(
      `SELECT ${COLUMNS}, secret_hmac AS "secretHmac" FROM api_tokens WHERE prefix = $1`,
      [match[1]],
    );
    const row = rows[0];
    if (!row) return undefined;
    if (!timingSafeEqual(Buffer.from(row.secretHmac, 'hex'), Buffer.from(this.hmac(token), 'hex'))) return undefined;
    const now = Date.now();
    if (row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= now)) return undefined;
    if (now - (this.lastUsedWritten.get(row.id) ?? 0) >= LAST_USED_GRANULARITY_MS) {
      this.lastUsedWritten.set(row.id, now);
      await this.db.query('UPDATE api_tokens SET last_used_at = now() WHERE id = $1', [row.id]);
    }
    const { secretHmac: _secret, ...visible } = row;
    return visible;
  }

  list(): Promise<ApiTokenRow[]> {
    return this.db.query(`SELECT ${COLUMNS} FROM api_tokens ORDER BY created_at, id`);
  }

  /** The revoked row, or undefined when there is no such token. Revoking twice keeps the first time. */
  async revoke(id: string, by: Principal): Promise<ApiTokenRow | undefined> {
    return this.db.transaction(async (tx) => {
      // TypeORM answers an UPDATE with [rows, affected].
      const [rows]: [ApiTokenRow[], number] = await tx.query(
        `UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING ${COLUMNS}`,
        [id],
      );
      if (rows[0]) await this.audit.record({ action: 'token.revoke', target: id, details: { prefix: rows[0].prefix } }, by, tx);
      return rows[0];
    });
  }
}
