// The audit log's hash chain (apps/api writes it, `netpol audit verify` checks it): hash = SHA-256(prev_hash ||
// entry), where entry is the RFC 8785 (JCS) text of the entry object and the first prev_hash is 64 zeros. The hash
// function is passed in (the engine has no node built-ins).

export const AUDIT_GENESIS_HASH = '0'.repeat(64);

/** One stored link: the entry text exactly as hashed. */
export interface AuditRecord {
  readonly seq: number;
  readonly entry: string;
  readonly prevHash: string;
  readonly hash: string;
}

export type Sha256Hex = (text: string) => string;

export const auditChainHash = (sha256: Sha256Hex, prevHash: string, entryText: string): string => sha256(prevHash + entryText);

export interface AuditBreak {
  readonly seq: number;
  readonly reason: string;
}

/**
 * Checks records in order, continuing from `start` (the previous record's hash and the expected next seq):
 * the first broken link, or undefined when each record extends the previous one and hashes correctly.
 */
export function firstAuditBreak(
  records: readonly AuditRecord[],
  sha256: Sha256Hex,
  start: { readonly hash: string; readonly seq: number } = { hash: AUDIT_GENESIS_HASH, seq: 1 },
): AuditBreak | undefined {
  let prev = start.hash;
  let seq = start.seq;
  for (const record of records) {
    if (record.seq !== seq) return { seq: record.seq, reason: `expected entry ${seq}, found ${record.seq}` };
    if (record.prevHash !== prev) return { seq, reason: 'prev_hash is not the hash of the previous entry' };
    if (auditChainHash(sha256, prev, record.entry) !== record.hash) return { seq, reason: 'the hash does not match the entry' };
    let parsed: unknown;
    try {
      parsed = JSON.parse(record.entry);
    } catch {
      return { seq, reason: 'the entry is not JSON' };
    }
    if ((parsed as { seq?: unknown } | null)?.seq !== seq) return { seq, reason: 'the entry names another sequence number' };
    prev = record.hash;
    seq += 1;
  }
  return undefined;
}
