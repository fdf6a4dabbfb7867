import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AUDIT_GENESIS_HASH, auditChainHash, firstAuditBreak, type AuditRecord } from './audit-chain.js';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

function chain(entries: string[]): AuditRecord[] {
  const out: AuditRecord[] = [];
  let prev = AUDIT_GENESIS_HASH;
  entries.forEach((entry, i) => {
    const hash = auditChainHash(sha256, prev, entry);
    out.push({ seq: i + 1, entry, prevHash: prev, hash });
    prev = hash;
  });
  return out;
}

describe('audit chain', () => {
  const records = chain(['{"seq":1,"action":"a"}', '{"seq":2,"action":"b"}', '{"seq":3,"action":"c"}']);

  it('accepts an intact chain, also continued from a checkpoint', () => {
    expect(firstAuditBreak(records, sha256)).toBeUndefined();
    expect(firstAuditBreak(records.slice(1), sha256, { hash: records[0].hash, seq: 2 })).toBeUndefined();
  });

  it('names the first broken link: an edited entry, a removed entry, a re-hashed entry, a renumbered one', () => {
    const edited = records.map((r, i) => (i === 1 ? { ...r, entry: '{"seq":2,"action":"x"}' } : r));
    expect(firstAuditBreak(edited, sha256)).toEqual({ seq: 2, reason: 'the hash does not match the entry' });
    expect(firstAuditBreak([records[0], records[2]], sha256)).toEqual({ seq: 3, reason: 'expected entry 2, found 3' });
    const rehashed = chain(['{"seq":1,"action":"a"}', '{"seq":2,"action":"forged"}', '{"seq":3,"action":"c"}']);
    expect(firstAuditBreak([records[0], rehashed[1], records[2]], sha256)).toEqual({ seq: 3, reason: 'prev_hash is not the hash of the previous entry' });
    const renumbered = chain(['{"seq":1}', '{"seq":7}']);
    expect(firstAuditBreak(renumbered, sha256)).toEqual({ seq: 2, reason: 'the entry names another sequence number' });
  });
});
