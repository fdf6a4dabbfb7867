// The probe plan's positive probes: the lazy greedy cover must choose exactly what the plain greedy scan (every
// candidate, every probe) chose, ties to the first candidate included, so `netpol probe-plan` keeps its bytes.
import { describe, expect, it } from 'vitest';
import { Random } from '../../bench/random.js';
import { greedyRuleCover, probePlan } from './plan.js';
import { ConnectionSet } from '../algebra/connection-set.js';
import { analyze } from '../analysis/analyze.js';
import { allowedFlows, allowingRules } from '../intents/flows.js';
import { loadSnapshot } from '../model/load.js';
import { cpuMs } from '../../test/cpu-clock.js';
import { overlappingCidrRules } from '../../test/overlapping-cidr-rules.js';

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

describe('probePlan on one policy of overlapping CIDR rules (issue 13: every count that drives work is bounded)', () => {
  it("asks each class alone for its rules: a flow's classes are disjoint, so the whole flow names the same rules", () => {
    // What probePlan relies on to ask one class instead of every class of the flow (quadratic in the rules).
    const snapshot = loadSnapshot([{ path: 'h.json', text: overlappingCidrRules(12) }]).snapshot;
    for (const flow of allowedFlows(analyze(snapshot))) {
      for (const cls of flow.classes) {
        const ports = ConnectionSet.single('TCP', cls.ports.ports('TCP'));
        expect(allowingRules({ ...flow, classes: [cls] }, ports)).toEqual(allowingRules(flow, ports));
      }
    }
  });

  it('covers each of the 2N rules with one probe on its own port, N = 40, in CPU time far from a hang', () => {
    const rules = 40;
    const analysis = analyze(loadSnapshot([{ path: 'h.json', text: overlappingCidrRules(rules) }]).snapshot);
    const started = cpuMs();
    const plan = probePlan(analysis);
    // A hang guard, not a benchmark: 200 rules took 5 s of CPU before probePlan asked one class at a time.
    expect(cpuMs() - started).toBeLessThan(15_000);
    expect(plan.coverage.rules).toEqual({ covered: 2 * rules, total: 2 * rules });
    const positives = plan.probes.filter((p) => p.kind === 'positive');
    expect(positives).toHaveLength(2 * rules);
    for (const p of positives) {
      const index = Number(/\[(\d+)\]$/.exec(p.rules[0])![1]);
      expect(p.rules).toHaveLength(1);
      expect(p.port).toBe(1000 + index);
    }
  });
});
