// Dialect verdict data converted from the same public suites as the shared corpus, for cases it does not hold
// (fixtures/dialects-upstream, see its README): every assertion of a case through ONE `netpol eval --batch`
// process of the BUILT bin, exactly as conformance-telepathy / -npapi / -cilium ask the shared sets.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { askCase, assertionsOf, casesOf } from './dialect-conformance.js';

const ROOT = path.join(import.meta.dirname, 'fixtures/dialects-upstream');
// Per set, the options its shared twin is asked with (conformance-cilium.spec.ts: the cilium-cli verdicts hold
// under Cilium, the `-knp` cases being NetworkPolicies over Cilium's derived labels).
const EXTRA_ARGS: Readonly<Record<string, readonly string[]>> = { 'cilium-cli': ['--cni', 'cilium'] };
const SETS = readdirSync(ROOT)
  .filter((name) => statSync(path.join(ROOT, name)).isDirectory())
  .sort();

describe('upstream dialect cases beyond the shared corpus', () => {
  it('holds cases, each with assertions', () => {
    const cases = SETS.flatMap((set) => casesOf(set, ROOT).map((name) => ({ set, name })));
    expect(cases.length).toBeGreaterThan(0);
    for (const { set, name } of cases) expect(assertionsOf(set, name, ROOT).length, `${set}/${name}`).toBeGreaterThan(0);
  });

  for (const set of SETS) {
    describe(set, () => {
      it.each(casesOf(set, ROOT))('%s', async (name) => {
        const { got, want, stderr, code } = await askCase(set, name, EXTRA_ARGS[set] ?? [], ROOT);
        expect(code, stderr).toBe(0);
        expect(got).toEqual(want);
      }, 60_000);
    });
  }
});
