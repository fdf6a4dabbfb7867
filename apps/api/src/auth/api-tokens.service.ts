// API tokens: `npat_<prefix>_<secret>`. Only the prefix (to find the row and to show which token it is) and the
// HMAC-SHA-256 of the whole token under the server's secret are stored; the token itself is shown once, at creation.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AuditService } from '../audit/audit.service.js';
import { ApiTokensRepository, type ApiTokenRow } from './api-tokens.repository.js';
import { ROLES, SYSTEM, type Principal, type Role } from './principal.js';

export const TOKEN_PATTERN = /^npat_([A-Za-z0-9_-]{12})_([A-Za-z0-9_-]{43})$/;

/** A fresh random token text (72 bits of prefix, 256 bits of secret). */
export const newTokenText = () => `npat_${randomBytes(9).toString('base64url')}_${randomBytes(32).toString('base64url')}`;

export type { ApiTokenRow } from './api-tokens.repository.js';

export interface NewToken {
  readonly name: string;
  readonly role: Role;
  readonly tenants: readonly string[] | null;
  readonly expiresAt: Date | null;
}

/** last_used_at is written at most this often per token (a busy CI token must not write on every request). */
const LAST_USED_GRANULARITY_MS = 60_000;

@Injectable()
export class ApiTokensService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Auth');
  private readonly lastUsedWritten = new Map<string, number>();

  constructor(
    private readonly store: ApiTokensRepository,
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
    await this.store.inTransaction(async (tx) => {
      await this.store.lockFirstAdmin(tx);
      if (await this.store.anyToken(tx)) return;
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
    if (!manager) return this.store.inTransaction((tx) => this.create(input, by, tx, given));
    if (!ROLES.includes(input.role)) throw new Error(`unknown role ${input.role}`);
    const token = given ?? newTokenText();
    const prefix = TOKEN_PATTERN.exec(token)?.[1];
    if (!prefix) throw new Error('a token must look like npat_<12 characters>_<43 characters> (base64url)');
    const row = await this.store.insert(manager, { prefix, secretHmac: this.hmac(token), name: input.name, role: input.role, tenants: input.tenants, expiresAt: input.expiresAt, createdBy: by.tokenId ?? null });
    await this.audit.record({ action: 'token.create', target: row.id, details: { prefix, role: input.role, tenants: input.tenants, name: input.name } }, by, manager);
    return { token, row };
  }

  /** The token's row when it is valid now (known, HMAC matches, not revoked, not expired); else undefined. */
  async verify(token: string): Promise<ApiTokenRow | undefined> {
    const match = TOKEN_PATTERN.exec(token);
    if (!match) return undefined;
    const row = await this.store.findByPrefix(match[1]);
    if (!row) return undefined;
    if (!timingSafeEqual(Buffer.from(row.secretHmac, 'hex'), Buffer.from(this.hmac(token), 'hex'))) return undefined;
    const now = Date.now();
    if (row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= now)) return undefined;
    if (now - (this.lastUsedWritten.get(row.id) ?? 0) >= LAST_USED_GRANULARITY_MS) {
      this.lastUsedWritten.set(row.id, now);
      await this.store.touchLastUsed(row.id);
    }
    const { secretHmac: _secret, ...visible } = row;
    return visible;
  }

  list(): Promise<ApiTokenRow[]> {
    return this.store.list();
  }

  /** The revoked row, or undefined when there is no such token. Revoking twice keeps the first time. */
  async revoke(id: string, by: Principal): Promise<ApiTokenRow | undefined> {
    return this.store.inTransaction(async (tx) => {
      const row = await this.store.revoke(tx, id);
      if (row) await this.audit.record({ action: 'token.revoke', target: id, details: { prefix: row.prefix } }, by, tx);
      return row;
    });
  }
}
