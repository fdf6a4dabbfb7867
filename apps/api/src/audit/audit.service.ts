// Append-only, hash-chained audit log of every write and every evidence/report download (who, what, when, hashes).
// Entries are written in the transaction of the write they record when there is one, so a write never lands
// without its entry; writers queue on an advisory lock so the chain stays linear.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { AUDIT_GENESIS_HASH, auditChainHash, canonicalJson, type AuditRecord } from '@netpol-atlas/engine';
import type { DataSource, EntityManager } from 'typeorm';
import { currentPrincipal, type Principal } from '../auth/principal.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** What an entry says (its JCS text is what is hashed and stored). */
export interface AuditEntry {
  readonly seq: number;
  /** RFC 3339, milliseconds, UTC. */
  readonly at: string;
  readonly actor: { readonly kind: string; readonly tokenId: string | null; readonly name: string; readonly role: string | null };
  readonly remote: string;
  /** `snapshot.upload`, `snapshot.content.download`, `token.create`, `token.revoke`, `cluster.create`, `cluster.label`. */
  readonly action: string;
  /** What it acted on: a snapshot id, a cluster name, a token id. */
  readonly target: string;
  /** Object hashes and other facts of the action. */
  readonly details: Readonly<Record<string, unknown>>;
}

export interface AuditEvent {
  readonly action: string;
  readonly target: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async record(event: AuditEvent, principal: Principal = currentPrincipal(), manager?: EntityManager): Promise<void> {
    const write = async (tx: EntityManager) => {
      await tx.query("SELECT pg_advisory_xact_lock(hashtext('netpol-atlas:audit-log'))");
      const head: { seq: string; hash: string }[] = await tx.query('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
      const seq = head[0] ? Number(head[0].seq) + 1 : 1;
      const prevHash = head[0]?.hash ?? AUDIT_GENESIS_HASH;
      const entry: AuditEntry = {
        seq,
        at: new Date().toISOString(),
        actor: { kind: principal.kind, tokenId: principal.tokenId ?? null, name: principal.name, role: principal.role ?? null },
        remote: principal.remote,
        action: event.action,
        target: event.target,
        details: event.details ?? {},
      };
      const text = canonicalJson(entry);
      await tx.query('INSERT INTO audit_log (seq, at, entry, prev_hash, hash) VALUES ($1, $2, $3, $4, $5)', [
        seq,
        entry.at,
        text,
        prevHash,
        auditChainHash(sha256, prevHash, text),
      ]);
    };
    if (manager) await write(manager);
    else await this.db.transaction(write);
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
