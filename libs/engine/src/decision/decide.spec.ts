// Truth tables of the decision function: every combination of tier × action × match on one port, against the
// rule as the specifications state it, and first-match behaviour across overlapping port ranges.
import { describe, expect, it } from 'vitest';
import { ConnectionSet } from '../algebra/connection-set.js';
import { PortSet } from '../algebra/port-set.js';
import type { RuleAction, TierModel } from '../model/types.js';
import { decide, type TierInput } from './decide.js';

const ADMIN: TierModel = { name: 'admin', order: 100, endOfTier: 'continue' };
const NAMESPACED: TierModel = { name: 'namespaced', order: 200, endOfTier: 'deny-selected' };
const BASELINE: TierModel = { name: 'baseline', order: 300, endOfTier: 'continue' };
const TIERS = [ADMIN, NAMESPACED, BASELINE];

const tcp = (from: number, to = from) => ConnectionSet.single('TCP', PortSet.range(from, to));

/** What one tier does with the asked port: not present, present without a matching rule, or a matching rule. */
type TierState = 'absent' | 'no-match' | RuleAction;
const STATES: TierState[] = ['absent', 'no-match', 'allow', 'deny', 'pass', 'log'];

/** The specifications in words: tiers in order; the first matching rule of a tier decides (pass: go to the
 *  next tier; log: keep looking); an isolating tier that selects the pod denies what it did not decide;
 *  at the end, allowed. */
function expected(states: readonly TierState[]): boolean {
  for (let i = 0; i < TIERS.length; i++) {
    const s = states[i];
    if (s === 'absent') continue;
    if (s === 'allow') return true;
    if (s === 'deny') return false;
    if (s === 'pass') continue;
    if (TIERS[i].endOfTier === 'deny-selected') return false; // selected, nothing decided (no-match or log)
  }
  return true;
}

function input(states: readonly TierState[]): TierInput<string>[] {
  const out: TierInput<string>[] = [];
  states.forEach((s, i) => {
    if (s === 'absent') return;
    const hits = s === 'no-match' ? [] : [{ action: s, ports: tcp(80), rule: `${TIERS[i].name}:${s}` }];
    out.push({ tier: TIERS[i], selected: true, hits });
  });
  return out;
}

describe('decide: truth table over tier × action × match (TCP 80)', () => {
  const combos: TierState[][] = [];
  for (const a of STATES) for (const n of STATES) for (const b of STATES) combos.push([a, n, b]);
  it.each(combos.map((c) => [c.join(' / '), c] as const))('%s', (_, states) => {
    const decision = decide(input(states));
    expect(decision.allowed.contains('TCP', 80)).toBe(expected(states));
    // Ports nobody mentions follow the tiers' isolation alone.
    const isolated = states[1] !== 'absent';
    expect(decision.allowed.contains('TCP', 81)).toBe(!isolated);
  });
});

// The factorised analysis skips the decision function for one isolating tier of allow-only rules
// (SideTable.unionOnly: the union of the matching rules' ports). That shortcut is only right if it equals decide().
describe('decide: one isolating tier of allow-only rules is the union of the matching ports', () => {
  const ranges = [[80, 80], [80, 90], [85, 100], [443, 443], [1, 65535], [1000, 2000]] as const;
  const subsets: (readonly (readonly [number, number])[])[] = [];
  for (let mask = 0; mask < 1 << ranges.length; mask++) subsets.push(ranges.filter((_, i) => mask & (1 << i)));
  it.each(subsets.map((s) => [s.map(([a, b]) => `${a}-${b}`).join(',') || 'none', s] as const))('%s', (_, hitsRanges) => {
    const hits = hitsRanges.map(([a, b], i) => ({ action: 'allow' as const, ports: tcp(a, b), rule: `r${i}` }));
    const union = hits.reduce((acc, h) => acc.union(h.ports), ConnectionSet.NONE);
    expect(decide([{ tier: NAMESPACED, selected: true, hits }]).allowed.equals(union)).toBe(true);
  });
});

describe('decide: first match across overlapping ranges', () => {
  it('an allow before a deny keeps the allowed ports', () => {
    const d = decide([{ tier: ADMIN, selected: true, hits: [{ action: 'allow', ports: tcp(80, 90), rule: 'a' }, { action: 'deny', ports: tcp(85), rule: 'd' }] }]);
    expect(d.allowed.contains('TCP', 85)).toBe(true);
    expect(d.effects.map((e) => e.rule)).toEqual(['a']);
  });

  it('a deny before an allow carves the denied port out', () => {
    const d = decide([
      { tier: ADMIN, selected: true, hits: [{ action: 'deny', ports: tcp(85), rule: 'd' }, { action: 'allow', ports: tcp(80, 90), rule: 'a' }] },
      { tier: NAMESPACED, selected: true, hits: [{ action: 'allow', ports: tcp(85), rule: 'np' }] },
    ]);
    expect(d.allowed.contains('TCP', 85)).toBe(false);
    expect(d.allowed.contains('TCP', 84)).toBe(true);
    expect(d.allowed.contains('TCP', 91)).toBe(false); // isolated by the namespaced tier
    expect(d.isolatedBy.map((i) => i.tier.name)).toEqual(['namespaced']);
  });

  it('pass skips the rest of its tier and lets the next tier decide', () => {
    const d = decide([
      { tier: ADMIN, selected: true, hits: [{ action: 'pass', ports: tcp(80), rule: 'p' }, { action: 'deny', ports: tcp(1, 65535), rule: 'd' }] },
      { tier: BASELINE, selected: true, hits: [{ action: 'deny', ports: tcp(80), rule: 'b' }] },
    ]);
    expect(d.allowed.contains('TCP', 80)).toBe(false); // the baseline denied it
    expect(d.allowed.contains('UDP', 53)).toBe(true); // nobody decided UDP
    expect(d.effects.map((e) => `${e.rule}:${e.action}`)).toEqual(['p:pass', 'd:deny', 'b:deny']);
  });

  it('every allow rule of a tier gets credit for a port (NetworkPolicy explanations list each)', () => {
    const d = decide([{ tier: NAMESPACED, selected: true, hits: [{ action: 'allow', ports: tcp(80), rule: 'r1' }, { action: 'allow', ports: tcp(80, 81), rule: 'r2' }] }]);
    expect(d.effects.map((e) => e.rule)).toEqual(['r1', 'r2']);
    expect(d.allowed.key).toBe(tcp(80, 81).key);
  });

  it('a tier that does not select the subject never isolates', () => {
    const d = decide([{ tier: NAMESPACED, selected: false, hits: [] }]);
    expect(d.allowed.isAll).toBe(true);
    expect(d.byDefault.isAll).toBe(true);
  });
});
