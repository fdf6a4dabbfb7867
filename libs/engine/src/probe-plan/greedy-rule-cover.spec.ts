// The probe plan's positive probes: the lazy greedy cover must choose exactly what the plain greedy scan (every
// candidate, every probe) chose, ties to the first candidate included, so `netpol probe-plan` keeps its bytes.
import { describe, expect, it } from 'vitest';
import { Random } from '../../bench/random.js';
import { greedyRuleCover, probePlan } from './plan.js';
import { ConnectionSet } from '../algebra/connection-set.js';
import { analyze } from '../analysis/analyze.js';
import { allowedFlows, allowingRules, ruleLabels } from '../intents/flows.js';
import { loadSnapshot } from '../model/load.js';
import { cpuMs } from '../../test/cpu-clock.js';
import { overlappingCidrPolicies, overlappingCidrRules } from '../../test/overlapping-cidr-rules.js';

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

  it('skips only classes and pairs whose rules an earlier candidate has: the same probes as the cover of every class', () => {
    // Three policies overlapping in addresses and ports: classes allowed by one rule or by two (egress + ingress,
    // or two ingress policies), the same rules again on many flows, ties between candidates of equal gain; and one
    // policy alone on each side of IP atoms (the pairs probePlan leaves unexplained once their rules are probed).
    const inputs = [6, 11, 17].map((rules) => ({ rules, text: overlappingCidrPolicies(rules) }));
    inputs.push(...[5, 12].map((rules) => ({ rules, text: overlappingCidrRules(rules) })));
    for (const { rules, text } of inputs) {
      const analysis = analyze(loadSnapshot([{ path: 'h.json', text }]).snapshot);
      const flows = allowedFlows(analysis);
      // What probePlan covered before: every allowed class of every flow a candidate.
      const candidates = flows.flatMap((flow) => flow.classes.map((cls) => ({ flow, rules: ruleLabels(allowingRules({ ...flow, classes: [cls] }).rules) })));
      const all = new Set(candidates.flatMap((c) => c.rules));
      const expected = greedyRuleCover(
        candidates.map((c) => c.rules),
        new Set(all),
      ).map((i) => `${candidates[i].flow.src.name} -> ${candidates[i].flow.dst.name}: ${[...candidates[i].rules].sort().join(' + ')}`);
      const plan = probePlan(analysis);
      const positives = plan.probes.filter((p) => p.kind === 'positive');
      expect(positives.map((p) => `${p.from.name} -> ${p.to.name}: ${p.rules.join(' + ')}`), `${rules} rules`).toEqual(expected);
      expect(plan.coverage.rules).toEqual({ covered: all.size, total: all.size });
      for (const p of positives) {
        const flow = flows.find((f) => f.src.name === p.from.name && f.dst.name === p.to.name)!;
        expect(flow.conn.contains(p.protocol, p.port), `${p.id} ${p.protocol} ${p.port}`).toBe(true);
      }
    }
  });

  it('pins the plan of 6 rules per policy (ports, rules and probe order as before classes were skipped)', () => {
    const plan = probePlan(analyze(loadSnapshot([{ path: 'h.json', text: overlappingCidrPolicies(6) }]).snapshot));
    expect(plan.probes.map((p) => `${p.id} ${p.kind} ${p.from.name} -> ${p.to.name} ${p.protocol} ${p.port} ${[...p.rules, ...p.boundaries].join(' + ')}`)).toEqual([
      'P01 positive 10.0.0.0-10.0.0.3[External] -> shop/web[Pod] TCP 1001 shop/nested spec.ingress[1] + shop/wide spec.ingress[0]',
      'P02 positive shop/api[Pod] -> shop/web[Pod] TCP 1000 shop/api-out spec.egress[0] + shop/wide spec.ingress[1]',
      'P03 positive 10.0.0.0-10.0.0.3[External] -> shop/web[Pod] TCP 1002 shop/nested spec.ingress[2] + shop/wide spec.ingress[0]',
      'P04 positive 10.0.0.0-10.0.0.3[External] -> shop/web[Pod] TCP 1003 shop/nested spec.ingress[3] + shop/wide spec.ingress[0]',
      'P05 positive 10.0.0.0-10.0.0.3[External] -> shop/web[Pod] TCP 1004 shop/nested spec.ingress[4]',
      'P06 positive 10.0.0.0-10.0.0.3[External] -> shop/web[Pod] TCP 1005 shop/nested spec.ingress[5]',
      'P07 positive 10.0.0.12-10.0.0.15[External] -> shop/web[Pod] TCP 1000 shop/nested spec.ingress[0] + shop/wide spec.ingress[0]',
      'P08 positive 192.168.0.0-192.168.255.255[External] -> shop/web[Pod] TCP 1005 shop/wide spec.ingress[2]',
      'P09 positive shop/api[Pod] -> 10.0.0.0-10.3.255.255[External] TCP 2000 shop/api-out spec.egress[1]',
      'P10 positive shop/api[Pod] -> 10.0.0.0-10.3.255.255[External] TCP 2001 shop/api-out spec.egress[3]',
      'P11 positive shop/api[Pod] -> 10.0.0.0-10.3.255.255[External] TCP 2002 shop/api-out spec.egress[5]',
      'P12 positive shop/api[Pod] -> 10.0.0.0-10.3.255.255[External] TCP 2003 shop/api-out spec.egress[7]',
      'P13 positive shop/api[Pod] -> 10.0.0.0-10.3.255.255[External] TCP 2004 shop/api-out spec.egress[9]',
      'P14 positive shop/api[Pod] -> 10.0.0.0-10.3.255.255[External] TCP 2005 shop/api-out spec.egress[11]',
      'P15 positive shop/api[Pod] -> shop/web[Pod] TCP 1002 shop/api-out spec.egress[2] + shop/wide spec.ingress[1]',
      'P16 negative shop/api[Pod] -> 0.0.0.0-9.255.255.255[External] TCP 443 egress of shop/api[Pod]',
      'P17 negative shop/db[Pod] -> shop/web[Pod] TCP 1002 ingress of shop/web[Pod]',
    ]);
  });
});
