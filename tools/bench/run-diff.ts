// `node tools/bench/dist/tools/bench/run-diff.js --file F --size S --seed N`: the diff bench of issue 5, in a fresh process,
// printing one JSON line. The old side is the generated cluster F; the new side is F with 10 policy edits
// (libs/engine/bench/diff-edits.ts). Both are parsed and analysed (reported, not part of the diff figure), then `diff(old, new)`
// is timed on the two analyses: the first call is the figure (it fills the analyses' lazy class-to-class caches),
// a second call is reported as warm. `diffWithCauses` is timed after that, on the same analyses (so its
// diff part runs warm; the rest is causation: one reverted re-trace per candidate change). Never asserted.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { analyze, buildSnapshot, diff, diffWithCauses, parseManifests } from '../../libs/engine/src/index.js';
import type { Analysis } from '../../libs/engine/src/analysis/types.js';
import type { ParsedObject } from '../../libs/engine/src/manifest/types.js';
import { editPolicies } from '../../libs/engine/bench/diff-edits.js';
import type { Json } from '../../libs/engine/bench/synthetic-objects.js';

const { values } = parseArgs({ options: { file: { type: 'string' }, size: { type: 'string' }, seed: { type: 'string' } } });
const ms = (t0: number) => Math.round((performance.now() - t0) * 10) / 10;
// CPU time (user + system, all threads incl. GC helpers) since `c0`: steadier than wall time on a loaded machine.
const cpuMs = (c0: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(c0);
  return Math.round((used.user + used.system) / 100) / 10;
};
/** Runs `step`, returning its result with wall and CPU milliseconds. */
function timed<T>(step: () => T): { value: T; ms: number; cpuMs: number } {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const value = step();
  return { value, ms: ms(t0), cpuMs: cpuMs(c0) };
}

function parseSide(path: string, text: string): readonly ParsedObject[] {
  const parsed = parseManifests([{ path, text }]);
  const errors = parsed.issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) throw new Error(`${path}: parse errors: ${errors.slice(0, 5).map((e) => e.message).join('; ')}`);
  return parsed.objects;
}

const oldText = readFileSync(values.file as string, 'utf8');
const edits = editPolicies(JSON.parse(oldText) as Json);
const newText = JSON.stringify(edits.list);
const out: Record<string, unknown> = {
  size: values.size,
  seed: Number(values.seed ?? '1'),
  edits: { portsChanged: edits.portsChanged, deleted: edits.deleted, added: edits.added },
};

const parse = timed(() => [parseSide('old.json', oldText), parseSide('new.json', newText)] as const);
const [oldObjects, newObjects] = parse.value;
out.pods = oldObjects.filter((o) => o.object.kind === 'Pod').length;
out.policies = [oldObjects, newObjects].map((objects) => objects.filter((o) => o.object.kind === 'NetworkPolicy').length);
out.parseBothMs = parse.ms;

const analyse = (objects: readonly ParsedObject[]) => timed(() => analyze(buildSnapshot(objects).snapshot));
const oldAnalysis = analyse(oldObjects);
const newAnalysis = analyse(newObjects);
const a: Analysis = oldAnalysis.value;
const b: Analysis = newAnalysis.value;
out.analysisMs = [oldAnalysis.ms, newAnalysis.ms];
out.classes = [a.stats.classes, b.stats.classes];

const first = timed(() => diff(a, b));
out.diffMs = first.ms;
out.diffCpuMs = first.cpuMs;
out.counts = first.value.counts;
const warm = timed(() => diff(a, b));
out.diffWarmMs = warm.ms;
out.diffWarmCpuMs = warm.cpuMs;
out.peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024); // KiB → MiB

const explained = timed(() => diffWithCauses({ objects: oldObjects, analysis: a }, { objects: newObjects, analysis: b }));
out.causesMs = explained.ms;
out.causesCpuMs = explained.cpuMs;
out.objectChanges = explained.value.changes.length;
out.unchecked = explained.value.unchecked.length;
out.pairsWithCause = explained.value.diff.pairs.filter((p) => (p.causes?.length ?? 0) > 0).length;
out.pairsWithJointCause = explained.value.diff.pairs.filter((p) => (p.jointCauses?.length ?? 0) > 0).length;
out.finalRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(JSON.stringify(out));
