// `node tools/bench/dist/tools/bench/run-size.js --file F --size S --seed N [--naive-sample K]`: measures ONE size in a fresh
// process and prints one JSON line. Parse = text → parsed objects; analysis = parsed objects → the complete
// factorised result (buildSnapshot + analyze), where any verdict is a lookup. Peak RSS is read right after the
// analysis, so it covers the input text, parsing and analysis; later extras (lookups, the naive baseline) do not
// count in it. Timings are reported, never asserted.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as engineModule from '../../libs/engine/src/index.js';
import type { ParsedObject, SourceDocument } from '../../libs/engine/src/manifest/types.js';
import type { NaivePod } from '../../libs/engine/test/property/naive-evaluator.js';
import { naiveEstimate } from '../../libs/engine/bench/naive-baseline.js';
import { Random } from '../../libs/engine/bench/random.js';

/** The contract names (api-contract.md), looked up at run time so the bench also runs against a partial engine. */
interface EngineApi {
  parseManifests(documents: SourceDocument[]): { objects: readonly ParsedObject[]; issues: readonly { severity: string; message: string }[] };
  buildSnapshot(objects: readonly ParsedObject[]): { snapshot: unknown; issues: unknown[] };
  analyze(snapshot: unknown): { stats: { classes: number; portAtoms: number; ipAtoms: number } & Record<string, unknown> };
  evaluate(snapshot: unknown, from: unknown, to: unknown, port: number, protocol?: string): { allowed: boolean };
}
const engine = engineModule as unknown as Partial<EngineApi>;

const { values } = parseArgs({
  options: { file: { type: 'string' }, size: { type: 'string' }, seed: { type: 'string' }, 'naive-sample': { type: 'string' } },
});
const seed = Number(values.seed ?? '1');
const maxRssMiB = () => Math.round(process.resourceUsage().maxRSS / 1024); // maxRSS is in KiB
const ms = (t0: number) => Math.round((performance.now() - t0) * 10) / 10;
// CPU time (user + system, all threads incl. GC helpers) since `c0`: steadier than wall time on a loaded machine.
const cpuMs = (c0: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(c0);
  return Math.round((used.user + used.system) / 100) / 10;
};
const out: Record<string, unknown> = { size: values.size, seed };
// The V8 flags of this measure: the `netpol` CLI runs with Node's defaults (a larger young generation,
// --max-semi-space-size, was measured to save no parse CPU on the item-by-item JSON path), so only the heap limit differs.
out.nodeFlags = process.execArgv.join(' ');

const text = readFileSync(values.file as string, 'utf8');
out.bytes = Buffer.byteLength(text);
if (!engine.parseManifests) throw new Error('engine has no parseManifests');
let t0 = performance.now();
let c0 = process.cpuUsage();
const parsed = engine.parseManifests([{ path: `synthetic-${values.size}.json`, text }]);
out.parseMs = ms(t0);
out.parseCpuMs = cpuMs(c0);
const errors = parsed.issues.filter((i) => i.severity === 'error');
if (errors.length > 0) throw new Error(`parse errors: ${errors.slice(0, 5).map((e) => e.message).join('; ')}`);
out.pods = parsed.objects.filter((o) => o.object.kind === 'Pod').length;
out.policies = parsed.objects.filter((o) => o.object.kind === 'NetworkPolicy').length;

let snapshot: unknown;
if (engine.buildSnapshot && engine.analyze) {
  t0 = performance.now();
  c0 = process.cpuUsage();
  snapshot = engine.buildSnapshot(parsed.objects).snapshot;
  out.buildMs = ms(t0);
  out.buildCpuMs = cpuMs(c0);
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  const analysis = engine.analyze(snapshot);
  out.analyzeMs = ms(t1);
  out.analyzeCpuMs = cpuMs(c1);
  out.analysisMs = ms(t0);
  out.analysisCpuMs = cpuMs(c0);
  out.classes = analysis.stats.classes;
  out.portAtoms = analysis.stats.portAtoms;
  out.ipAtoms = analysis.stats.ipAtoms;
} else {
  out.analysis = 'missing: the engine exports no buildSnapshot/analyze yet';
}
out.peakRssMiB = maxRssMiB();

// Lookup latency: 1,000 pod-to-pod verdicts on common ports, after the analysis (so outside the RSS figure).
if (snapshot !== undefined && engine.evaluate) {
  const random = new Random(seed ^ 0x100c);
  const pods = parsed.objects.filter((o) => o.object.kind === 'Pod').map((o) => ({ namespace: o.object.metadata.namespace ?? 'default', pod: o.object.metadata.name }));
  const lookups: number[] = [];
  let allowedCount = 0;
  for (let i = 0; i < 1000; i++) {
    const t = performance.now();
    if (engine.evaluate(snapshot, random.pick(pods), random.pick(pods), random.pick([53, 80, 443, 5432, 8080, 9090]), 'TCP').allowed) allowedCount++;
    lookups.push(performance.now() - t);
  }
  lookups.sort((a, b) => a - b);
  out.evaluateUs = { p50: Math.round(lookups[500] * 1000), p99: Math.round(lookups[990] * 1000), allowed: allowedCount };
}

const naiveSample = Number(values['naive-sample'] ?? '0');
if (naiveSample > 0) {
  const estimate = naiveEstimate(parsed.objects.map((o) => o.object), new Random(seed ^ 0x5eed), naiveSample);
  const { samples, ...figures } = estimate;
  out.naive = { ...figures, sampleMs: Math.round(figures.sampleMs), estimatedTotalMs: Math.round(figures.estimatedTotalMs) };
  if (typeof out.analysisMs === 'number') out.naiveRatio = Math.round(estimate.estimatedTotalMs / out.analysisMs);
  // Spot check: the engine's verdict on every sampled point must equal the naive one (reported, not asserted).
  if (snapshot !== undefined && engine.evaluate) {
    const spec = (p: NaivePod | { ip: string }) => ('ip' in p ? { ip: p.ip } : p.kind === 'Pod' ? { namespace: p.namespace, pod: p.name } : { namespace: p.namespace, name: p.name, kind: p.kind });
    let mismatches = 0;
    let first: string | undefined;
    for (const s of samples) {
      const verdict = engine.evaluate(snapshot, spec(s.source), spec(s.destination), s.port, s.protocol).allowed;
      if (verdict !== s.allowed) {
        mismatches++;
        first ??= `${JSON.stringify(spec(s.source))} -> ${JSON.stringify(spec(s.destination))} ${s.protocol}/${s.port}: engine ${verdict}, naive ${s.allowed}`;
      }
    }
    out.spotCheck = { points: samples.length, mismatches, ...(first ? { first } : {}) };
  }
}
out.finalRssMiB = maxRssMiB();
console.log(JSON.stringify(out));
