// `probePlan` explains one flow per pair of entities (identity class or IP atom at each end: the first flow of the
// pair in list order, worked out from the classes' members, iterateEntityPairFlows) instead of every allowed flow.
// Its positive probes must stay those of the former per-flow algorithm, kept here as the reference: every allowed
// flow touching the scope in list order, every allowed class a candidate unless its allowing reasons were met
// before, the greedy cover (largest gain, first candidate on ties). Random clusters with many workloads per class
// (self pairs, twins), with and without a zone, the stock random clusters, np-guard cases and the demo.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseNames, CONFORMANCE_DIR, readInputDir } from '../../../../tools/testing/np-guard-corpus.js';
import { ConnectionSet, type Protocol } from '../../src/algebra/connection-set.js';
import { analyze, buildSnapshot, connString, type Analysis, type ExplainClass, type Workload } from '../../src/index.js';
import type { Peer } from '../../src/analysis/connectivity.js';
import { allowedFlows, allowingRules, iterateEntityPairFlows, ruleLabels } from '../../src/intents/flows.js';
import { parseIntents } from '../../src/intents/parse.js';
import type { SegmentationIntents, ZoneSpec } from '../../src/intents/types.js';
import { ZoneMap } from '../../src/intents/zones.js';
import { parseManifests } from '../../src/manifest/parse-manifests.js';
import { loadSnapshot } from '../../src/model/load.js';
import { probePlan } from '../../src/probe-plan/plan.js';
import { clusterArb, labelsArb, NAMESPACES, namespaceObjectArb, policyArb, POD_LABELS, serialise, workloadArb, type Obj } from './cluster-arbitrary.js';

const SEED = Number(process.env.PROPERTY_SEED ?? 1717);
const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 200);
const ROOT = path.resolve(import.meta.dirname, '../../../..');

/** A port of `ports` to probe (as the plan picks it): a destination container port, else a common or the lowest port. */
function referencePort(ports: ConnectionSet, dst: Peer): { protocol: Protocol; port: number } | undefined {
  if (dst.type !== 'ip') for (const p of dst.workload.ports) if (ports.contains(p.protocol, p.port)) return { protocol: p.protocol, port: p.port };
  for (const protocol of ['TCP', 'UDP', 'SCTP'] as const) {
    const ranges = ports.ports(protocol).ranges();
    if (ranges.length > 0) return { protocol, port: [443, 80, 53, 8080].find((p) => ports.contains(protocol, p)) ?? ranges[0].from };
  }
  return undefined;
}

function allowingReasonKey(cls: ExplainClass): string {
  const reasons = [...cls.egress.reasons, ...cls.ingress.reasons].filter((r) => r.verdict === 'allows' && r.path);
  return reasons.length === 0 ? '' : JSON.stringify(reasons.map((r) => [r.direction, r.policyId ?? null, r.kind, r.policy, r.path]));
}

/** The plain greedy cover: each time the candidate covering the most uncovered rules, the first on ties. */
function plainCover(candidates: readonly (readonly string[])[], uncovered: Set<string>): number[] {
  const chosen: number[] = [];
  for (;;) {
    let best = -1;
    let bestGain = 0;
    candidates.forEach((rules, i) => {
      const gain = rules.filter((r) => uncovered.has(r)).length;
      if (gain > bestGain) [best, bestGain] = [i, gain];
    });
    if (best < 0) return chosen;
    for (const r of candidates[best]) uncovered.delete(r);
    chosen.push(best);
  }
}

/** The positive probes of the per-flow algorithm (every allowed flow of the scope, in list order), and the rules total. */
function referencePositives(analysis: Analysis, zone?: string, intents?: SegmentationIntents): { probes: string[]; rules: number } {
  const zones = intents ? new ZoneMap(analysis.snapshot, intents) : undefined;
  const scoped = new Set(
    analysis.snapshot.workloads
      .filter((w) => !zone || !zones || zones.zoneOf({ type: 'workload', name: w.displayName, workload: w, classId: analysis.workloadClass[w.id] }) === zone)
      .map((w) => w.id),
  );
  const touches = (p: Peer) => p.type !== 'ip' && scoped.has(p.workload.id);
  const candidates: { src: Peer; dst: Peer; protocol: Protocol; port: number; rules: string[] }[] = [];
  const seen = new Set<string>();
  for (const flow of allowedFlows(analysis)) {
    if (!touches(flow.src) && !touches(flow.dst)) continue;
    for (const cls of flow.classes) {
      const key = allowingReasonKey(cls);
      if (key === '' || seen.has(key)) continue;
      const picked = referencePort(cls.ports, flow.dst);
      if (!picked) continue;
      seen.add(key);
      const rules = ruleLabels(allowingRules({ ...flow, classes: [cls] }, ConnectionSet.single(picked.protocol, cls.ports.ports(picked.protocol))).rules);
      candidates.push({ src: flow.src, dst: flow.dst, ...picked, rules });
    }
  }
  const all = new Set(candidates.flatMap((c) => c.rules));
  const probes = plainCover(
    candidates.map((c) => c.rules),
    new Set(all),
  ).map((i) => {
    const c = candidates[i];
    return `${c.src.name} -> ${c.dst.name} ${c.protocol} ${c.port}: ${[...c.rules].sort().join(' + ')}`;
  });
  return { probes, rules: all.size };
}

function planPositives(analysis: Analysis, zone?: string, intents?: SegmentationIntents): { probes: string[]; rules: number } {
  const plan = probePlan(analysis, { zone, intents });
  expect(plan.coverage.rules.covered).toBe(plan.coverage.rules.total);
  const probes = plan.probes.filter((p) => p.kind === 'positive').map((p) => `${p.from.name} -> ${p.to.name} ${p.protocol} ${p.port}: ${p.rules.join(' + ')}`);
  return { probes, rules: plan.coverage.rules.total };
}

function intentsOf(zone: ZoneSpec): SegmentationIntents {
  return { name: 'random', zones: [zone], allowedFlows: [], exceptions: [], intraZone: 'allow' };
}

/** Many workloads over few label sets: identity classes of several workloads (twins, self pairs of a class). */
const crowdedClusterArb = fc
  .integer({ min: 1, max: 3 })
  .chain((n) => {
    const namespaces = NAMESPACES.slice(0, n);
    return fc.record({
      namespaceObjects: fc.tuple(...namespaces.map(namespaceObjectArb)),
      workloads: fc.array(workloadArb(namespaces), { minLength: 2, maxLength: 12 }),
      policies: fc.array(policyArb(namespaces), { minLength: 2, maxLength: 6 }),
      // Workloads a scope holds, by id bit: any subset (a zone keeps classes whole; this one need not).
      touched: fc.integer({ min: 0, max: (1 << 12) - 1 }),
      zone: fc.oneof(
        fc.constant<ZoneSpec | undefined>(undefined),
        fc.subarray(namespaces, { minLength: 1 }).map((names): ZoneSpec => ({ name: 'cde', namespaces: names })),
        labelsArb(POD_LABELS)
          .filter((l) => Object.keys(l).length > 0)
          .map((matchLabels): ZoneSpec => ({ name: 'cde', podSelector: { matchLabels } })),
      ),
    });
  })
  .map(({ namespaceObjects, workloads, policies, zone, touched }) => {
    const named = (o: Obj, name: string): Obj => ({ ...o, metadata: { ...(o.metadata as Obj), name } });
    const objects = [
      ...namespaceObjects.filter((o): o is Obj => o !== undefined),
      ...workloads.flatMap((build, i) => build(`w${i}`)),
      ...policies.map((p, i) => named(p, `np-${i}`)),
    ];
    return { documents: serialise(objects, 'json-list'), zone, touched };
  });

/** The first flow of each entity pair among the flows touching `touches`, in list order, from the whole list. */
function referenceEntityPairFlows(analysis: Analysis, touches: (w: Workload) => boolean): string[] {
  const entity = (p: Peer) => (p.type === 'ip' ? `atom ${p.atom}` : `class ${p.classId}`);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const flow of allowedFlows(analysis)) {
    if (!(flow.src.type !== 'ip' && touches(flow.src.workload)) && !(flow.dst.type !== 'ip' && touches(flow.dst.workload))) continue;
    const key = `${entity(flow.src)} -> ${entity(flow.dst)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(flowText(flow));
  }
  return out;
}

function flowText(flow: { src: Peer; dst: Peer; classes: readonly ExplainClass[] }): string {
  return `${flow.src.name} -> ${flow.dst.name} ${JSON.stringify(flow.classes.map((c) => ({ ...c, ports: connString(c.ports, true) })))}`;
}

describe('iterateEntityPairFlows: the first flow of each entity pair, in list order', () => {
  it(`equals the first of every flow of the pair, for any set of workloads the flows must touch (seed ${SEED}, ${NUM_RUNS} runs)`, () => {
    let split = 0;
    fc.assert(
      fc.property(crowdedClusterArb, ({ documents, touched }) => {
        const analysis = analyze(buildSnapshot(parseManifests(documents).objects).snapshot);
        const touches = (w: Workload) => ((touched >> w.id % 12) & 1) === 1;
        expect([...iterateEntityPairFlows(analysis, touches)].map(flowText)).toEqual(referenceEntityPairFlows(analysis, touches));
        expect([...iterateEntityPairFlows(analysis)].map(flowText)).toEqual(referenceEntityPairFlows(analysis, () => true));
        // A class with workloads on both sides of the set (its first member outside, a later one inside).
        const byClass = new Map<number, boolean[]>();
        for (const w of analysis.snapshot.workloads) byClass.set(analysis.workloadClass[w.id], [...(byClass.get(analysis.workloadClass[w.id]) ?? []), touches(w)]);
        if ([...byClass.values()].some((t) => t.includes(true) && t.includes(false))) split++;
      }),
      { seed: SEED, numRuns: NUM_RUNS },
    );
    expect(split).toBeGreaterThan(NUM_RUNS / 10);
  }, 180_000);
});

describe('probePlan explains one flow per entity pair: the positive probes of explaining every flow', () => {
  it(`on crowded random clusters, with and without a zone (seed ${SEED}, ${NUM_RUNS} runs)`, () => {
    let shared = 0;
    let positives = 0;
    fc.assert(
      fc.property(crowdedClusterArb, ({ documents, zone }) => {
        const analysis = analyze(buildSnapshot(parseManifests(documents).objects).snapshot);
        const intents = zone ? intentsOf(zone) : undefined;
        const expected = referencePositives(analysis, zone?.name, intents);
        expect(planPositives(analysis, zone?.name, intents)).toEqual(expected);
        // The whole plan (negative and DNS probes too) is the plan of the caller's every flow.
        expect(probePlan(analysis, { zone: zone?.name, intents })).toEqual(probePlan(analysis, { zone: zone?.name, intents, flows: allowedFlows(analysis) }));
        const perClass = new Map<number, number>();
        for (const w of analysis.snapshot.workloads) perClass.set(analysis.workloadClass[w.id], (perClass.get(analysis.workloadClass[w.id]) ?? 0) + 1);
        if ([...perClass.values()].some((n) => n > 1)) shared++;
        if (expected.probes.length > 1) positives++;
      }),
      { seed: SEED, numRuns: NUM_RUNS },
    );
    // Classes of several workloads and plans of several positive probes were compared, not only trivial ones.
    expect(shared).toBeGreaterThan(NUM_RUNS / 4);
    expect(positives).toBeGreaterThan(NUM_RUNS / 8);
  }, 180_000);

  it(`on the stock random clusters (cluster policies, IP blocks; seed ${SEED}, ${NUM_RUNS} runs)`, () => {
    fc.assert(
      fc.property(clusterArb, (generated) => {
        const analysis = analyze(buildSnapshot(parseManifests(generated.documents).objects).snapshot);
        expect(planPositives(analysis)).toEqual(referencePositives(analysis));
      }),
      { seed: SEED, numRuns: NUM_RUNS },
    );
  }, 180_000);

  it.each(caseNames('cases'))('np-guard case %s', (name) => {
    const analysis = analyze(loadSnapshot(readInputDir(path.join(CONFORMANCE_DIR, 'cases', name, 'input'))).snapshot);
    expect(planPositives(analysis)).toEqual(referencePositives(analysis));
  });

  it('the demo cluster, whole and in its cde zone', () => {
    const dir = path.join(ROOT, 'libs/engine/test/fixtures/demo');
    const documents = ['namespaces.yaml', 'workloads.yaml', 'policies.yaml', '40-cluster-guardrails.yaml'].map((f) => ({ path: f, text: readFileSync(path.join(dir, f), 'utf8') }));
    const analysis = analyze(loadSnapshot(documents).snapshot);
    const file = path.join(ROOT, 'libs/engine/test/fixtures/demo-intents.yaml');
    const intents = parseIntents({ path: file, text: readFileSync(file, 'utf8') }).intents!;
    const whole = referencePositives(analysis);
    expect(whole.probes.length).toBeGreaterThan(3);
    expect(planPositives(analysis)).toEqual(whole);
    expect(planPositives(analysis, 'cde', intents)).toEqual(referencePositives(analysis, 'cde', intents));
  });
});
