// The probe plan's positive probes: the lazy greedy cover must choose exactly what the plain greedy scan (every
// candidate, every probe) chose, ties to the first candidate included, so `netpol probe-plan` keeps its bytes.
import { describe, expect, it } from 'vitest';
import { Random } from '../../bench/random.js';
import { greedyRuleCover } from './plan.js';

/** The scan the lazy cover replaces (what probePlan did before). */
function naiveCover(candidates: readonly (readonly string[])[], uncovered: Set<string>): number[] {
  const chosen: number[] = [];
  while (uncovered.size > 0) {
    let best = -1;
    let bestGain = 0;
    candidates.forEach((rules, i) => {
      const gain = rules.filter((r) => uncovered.has(r)).length;
      if (gain > bestGain) {
        best = i;
        bestGain = gain;
      }
    });
    if (best < 0) break;
    for (const r of candidates[best]) uncovered.delete(r);
    chosen.push(best);
  }
  return chosen;
}

/** Integers in [0, n) from the seeded generator the bench clusters use (mulberry32): deterministic cases. */
function random(seed: number): (n: number) => number {
  const generator = new Random(seed);
  return (n) => Math.floor(generator.next() * n);
}

describe('greedyRuleCover', () => {
  it('chooses what the full scan chooses, on 500 seeded cases with many ties and repeated rules', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const next = random(seed);
      const ruleCount = 1 + next(30);
      const candidates = Array.from({ length: next(60) }, () => Array.from({ length: next(6) }, () => `r${next(ruleCount)}`));
      const all = new Set(candidates.flat());
      const lazyLeft = new Set(all);
      const naiveLeft = new Set(all);
      const lazy = greedyRuleCover(candidates, lazyLeft);
      expect(lazy, `seed ${seed}`).toEqual(naiveCover(candidates, naiveLeft));
      expect(lazyLeft.size).toBe(0);
    }
  });

  it('prefers the larger gain, then the earlier candidate, and stops when nothing is left to cover', () => {
    expect(greedyRuleCover([['a'], ['a', 'b'], ['b', 'c'], ['c', 'a'], ['d']], new Set(['a', 'b', 'c', 'd']))).toEqual([1, 2, 4]);
    expect(greedyRuleCover([['a'], ['a']], new Set(['a', 'z']))).toEqual([0]);
    expect(greedyRuleCover([], new Set())).toEqual([]);
  });
});
