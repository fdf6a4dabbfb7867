// `node tools/bench/dist/tools/bench/analysis-digest.js --file F [--runs N] [--no-digest] [--profile OUT.cpuprofile]`: times buildSnapshot +
// analyze on one cluster file (CPU and wall ms; the first run is the cold figure the bench reports, later runs are
// warm) and prints SHA-256 digests of what they produce, so that speed work can show its verdicts unchanged:
// - snapshot: workloads, pods, namespaces, policies (compiled rules as JSON) and the build issues;
// - analysis: the serialised factorised analysis (classes, atoms, peer sets, profiles);
// - verdicts: the allowed connections of 200,000 seeded class pairs, every atom against 500 seeded classes both
//   ways, and the workload-level verdicts of 20,000 seeded workload pairs.
// Figures are printed, never asserted.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { analyze, buildSnapshot, parseManifests, serializeAnalysis } from '../../libs/engine/src/index.js';
import { Random } from '../../libs/engine/bench/random.js';

const { values } = parseArgs({ options: { file: { type: 'string' }, runs: { type: 'string', default: '1' }, 'no-digest': { type: 'boolean', default: false }, profile: { type: 'string' } } });
const text = readFileSync(values.file as string, 'utf8');
const parsed = parseManifests([{ path: 'cluster.json', text }]);
const cpuMs = (c0: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(c0);
  return Math.round((used.user + used.system) / 1000);
};

// --profile FILE: a V8 CPU profile of the first build + analyze only (not the parse).
const session = values.profile ? new Session() : undefined;
if (session) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
}
let built: ReturnType<typeof buildSnapshot> | undefined;
let analysis: ReturnType<typeof analyze> | undefined;
for (let run = 0; run < Number(values.runs); run++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  built = buildSnapshot(parsed.objects);
  const buildMs = Math.round(performance.now() - t0);
  const buildCpu = cpuMs(c0);
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  analysis = analyze(built.snapshot);
  if (session && run === 0) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(values.profile as string, JSON.stringify(profile));
  }
  console.log(`run ${run + 1}: build ${buildMs} ms (CPU ${buildCpu}) + analyze ${Math.round(performance.now() - t1)} ms (CPU ${cpuMs(c1)})`);
}
if (!values['no-digest'] && built && analysis) {
  const sha = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 16);
  const replacer = (_key: string, value: unknown) =>
    value instanceof Map ? [...value.entries()] : value instanceof Set ? [...value] : typeof value === 'bigint' ? value.toString() : typeof value === 'function' ? 'fn' : value;
  const { snapshot, issues } = built;
  console.log(`snapshot ${sha(JSON.stringify({ workloads: snapshot.workloads, namespaces: snapshot.namespaces, policies: snapshot.policies, nodes: snapshot.nodes, splitWorkloads: snapshot.splitWorkloads, unmodelled: snapshot.unmodelled, issues }, replacer))}`);
  console.log(`analysis ${sha(JSON.stringify(serializeAnalysis(analysis)))}`);
  const random = new Random(0xd16e57);
  const hash = createHash('sha256');
  const classes = analysis.classes.length;
  for (let i = 0; i < 200_000; i++) hash.update(`${analysis.classToClass(random.int(0, classes - 1), random.int(0, classes - 1)).key}\n`);
  for (let i = 0; i < 500; i++) {
    const c = random.int(0, classes - 1);
    for (let a = 0; a < analysis.srcAtoms.length; a++) hash.update(`${analysis.atomToClass(a, c).key}\n`);
    for (let a = 0; a < analysis.dstAtoms.length; a++) hash.update(`${analysis.classToAtom(c, a).key}\n`);
  }
  const workloads = snapshot.workloads.length;
  for (let i = 0; i < 20_000; i++) hash.update(`${analysis.classToClass(analysis.workloadClass[random.int(0, workloads - 1)], analysis.workloadClass[random.int(0, workloads - 1)]).key}\n`);
  console.log(`verdicts ${hash.digest('hex').slice(0, 16)} (classes ${classes}, atoms ${analysis.srcAtoms.length}+${analysis.dstAtoms.length}, ingress profiles ${analysis.ingressProfiles.length}, egress ${analysis.egressProfiles.length})`);
}
