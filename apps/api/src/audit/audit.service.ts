// Append-only, hash-chained audit log of every write and every evidence/report download (who, what, when, hashes).
// Entries are written in the transaction of the write they record when there is one, so a write never lands
// without its entry; writers queue on an advisory lock so the chain stays linear.
import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AUDIT_GENESIS_HASH, auditChainHash, canonicalJson, type AuditRecord } from '@netpol-atlas/engine';
import type { EntityManager } from 'typeorm';
import { currentPrincipal, type Principal } from '../auth/principal.js';
import { AuditLogRepository } from './audit-log.repository.js';

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
  constructor(private readonly log: AuditLogRepository) {}

  async record(event: AuditEvent, principal: Principal = currentPrincipal(), manager?: EntityManager): Promise<void> {
    const write = async (tx: EntityManager) => {
      await this.log.lockChain(tx);
      const head = await this.log.head(tx);
      const seq = head ? head.seq + 1 : 1;
      const prevHash = head?.hash ?? AUDIT_GENESIS_HASH;
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
      await this.log.append(tx, { seq, at: entry.at, entry: text, prevHash, hash: auditChainHash(sha256, prevHash, text) });
    };
    await this.log.inTransaction(write, manager);
  }

  /** Records after `afterSeq`, in order, at most `limit`. */
  page(afterSeq: number, limit: number): Promise<AuditRecord[]> {
    return this.log.page(afterSeq, limit);
  }
}
