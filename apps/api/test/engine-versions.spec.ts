// ENGINE_VERSIONS is append-only and its last entry pins the engine's current outputs (src/analysis/engine-versions.ts).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENGINE_VERSION as ENGINE_OWN_VERSION } from '@netpol-atlas/engine';
import { checkedEngineVersion, ENGINE_VERSION, ENGINE_VERSIONS, type EngineVersionEntry } from '../src/analysis/engine-versions.js';
import { GOLDEN_CASES, goldenDigest } from './support/engine-golden.js';
import { caseNames } from './support/np-guard.js';

const CHAIN_FILE = path.resolve(import.meta.dirname, '../src/analysis/engine-versions.chain.txt');

/** `<version> <digest> <chain>`: chain = SHA-256 of the previous chain and this entry, so no old entry can change. */
function chainLines(entries: readonly EngineVersionEntry[]): string[] {
  let chain = '';
  return entries.map((entry) => {
    chain = createHash('sha256').update(`${chain}\n${entry.version}\n${entry.digest}\n${entry.note}`).digest('hex');
    return `${entry.version} ${entry.digest} ${chain}`;
  });
}

describe('engine versions', () => {
  it('are numbered 1, 2, 3, … and ENGINE_VERSION is the last', () => {
    expect(ENGINE_VERSIONS.map((e) => e.version)).toEqual(ENGINE_VERSIONS.map((_, i) => i + 1));
    expect(ENGINE_VERSION).toBe(ENGINE_VERSIONS.length);
    for (const entry of ENGINE_VERSIONS) expect(entry.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it("end at the engine's own version (one number for CLI reports, server reports and the cache), checked at load", () => {
    expect(ENGINE_VERSIONS.at(-1)!.version).toBe(ENGINE_OWN_VERSION);
    expect(ENGINE_VERSION).toBe(ENGINE_OWN_VERSION);
    expect(() => checkedEngineVersion(ENGINE_VERSIONS, ENGINE_OWN_VERSION + 1)).toThrow(
      `the engine is version ${ENGINE_OWN_VERSION + 1} but ENGINE_VERSIONS ends at ${ENGINE_OWN_VERSION}`,
    );
  });

  it('are append-only: every entry matches the checked-in hash chain', () => {
    const checkedIn = readFileSync(CHAIN_FILE, 'utf8').split('\n').filter((line) => line && !line.startsWith('#'));
    const computed = chainLines(ENGINE_VERSIONS);
    for (let i = 0; i < checkedIn.length; i++) {
      expect(computed[i], `entry ${i + 1} of ENGINE_VERSIONS was changed or removed: the table is append-only`).toBe(checkedIn[i]);
    }
    expect(
      computed.length,
      `append to src/analysis/engine-versions.chain.txt:\n${computed.slice(checkedIn.length).join('\n')}`,
    ).toBe(checkedIn.length);
  });

  it('the current version pins the current golden output (changed outputs need a new version)', () => {
    // Every fixed case must exist in the corpus, or the digest would silently cover less.
    expect(caseNames()).toEqual(expect.arrayContaining([...GOLDEN_CASES]));
    const digest = goldenDigest();
    expect(
      ENGINE_VERSIONS.at(-1)!.digest,
      `the engine's outputs changed: append { version: ${ENGINE_VERSION + 1}, digest: '${digest}', note } to ENGINE_VERSIONS`,
    ).toBe(digest);
  });
});
