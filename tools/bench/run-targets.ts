// `node tools/bench/dist/tools/bench/run-targets.js --file F --size S --measure yaml|whatif|load`: one of issue 13's
// measures in a fresh process, printed as one JSON line. Timings are reported, never asserted.
//   yaml   parse the cluster as multi-document YAML manifests (F with .yaml instead of .json, written by generate)
//   whatif one policy edited (its first ingress rule's ports changed): build + analyse the edited snapshot
//          (today a full re-analysis), then the first connectivity lookup of a pair the edit touches
//   load   the serialised analysis (serializeAnalysis → JSON text) loaded again: JSON.parse + loadAnalysis,
//          next to a fresh analyze of the same snapshot; both after the same buildSnapshot
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { analyze, buildSnapshot, loadAnalysis, parseManifests, serializeAnalysis } from '../../libs/engine/src/index.js';
import type { Json } from '../../libs/engine/bench/synthetic-objects.js';

const { values } = parseArgs({ options: { file: { type: 'string' }, size: { type: 'string' }, measure: { type: 'string' } } });
const ms = (t0: number) => Math.round((performance.now() - t0) * 10) / 10;
const cpuMs = (c0: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(c0);
  return Math.round((used.user + used.system) / 100) / 10;
};
function timed<T>(step: () => T): { value: T; ms: number; cpuMs: number } {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const value = step();
  return { value, ms: ms(t0), cpuMs: cpuMs(c0) };
}
function parseOrFail(path: string, text: string) {
  const parsed = parseManifests([{ path, text }]);
  const errors = parsed.issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) throw new Error(`${path}: parse errors: ${errors.slice(0, 5).map((e) => e.message).join('; ')}`);
  return parsed.objects;
}

const file = values.file as string;
const out: Record<string, unknown> = { size: values.size, measure: values.measure };
switch (values.measure) {
  case 'yaml': {
    const yamlFile = file.replace(/\.json$/, '.yaml');
    const text = readFileSync(yamlFile, 'utf8');
    out.bytes = Buffer.byteLength(text);
    out.documents = text.split('\n---\n').length;
    const parsed = timed(() => parseOrFail(yamlFile, text));
    out.objects = parsed.value.length;
    out.parseMs = parsed.ms;
    out.parseCpuMs = parsed.cpuMs;
    out.MBps = Math.round((out.bytes as number) / 1e3 / Math.max(parsed.ms, 1) * 10) / 10;
    break;
  }
  case 'whatif': {
    const list = JSON.parse(readFileSync(file, 'utf8')) as { items: Json[] };
    const objects = parseOrFail('old.json', JSON.stringify(list));
    analyze(buildSnapshot(objects).snapshot);
    const index = list.items.findIndex((o) => o.kind === 'NetworkPolicy' && Array.isArray((o.spec as { ingress?: unknown[] } | undefined)?.ingress));
    const edited = structuredClone(list.items[index]) as { metadata: { name: string; namespace: string }; spec: { ingress: { ports?: unknown[] }[] } };
    edited.spec.ingress[0].ports = [{ protocol: 'TCP', port: 6553 }];
    out.edited = `${edited.metadata.namespace}/${edited.metadata.name}`;
    const editedObjects = parseOrFail('edited.json', JSON.stringify({ ...list, items: list.items.map((o, i) => (i === index ? edited : o)) }));
    const whatIf = timed(() => analyze(buildSnapshot(editedObjects).snapshot));
    out.whatIfMs = whatIf.ms;
    out.whatIfCpuMs = whatIf.cpuMs;
    out.method = 'full re-analysis (build + analyze)';
    break;
  }
  case 'load': {
    const objects = parseOrFail(file, readFileSync(file, 'utf8'));
    const build = timed(() => buildSnapshot(objects).snapshot);
    const snapshot = build.value;
    const fresh = timed(() => analyze(snapshot));
    const text = JSON.stringify(serializeAnalysis(fresh.value));
    const loaded = timed(() => loadAnalysis(snapshot, JSON.parse(text)));
    if (!loaded.value) throw new Error('the serialised analysis did not load');
    out.buildMs = build.ms;
    out.analyzeMs = fresh.ms;
    out.analyzeCpuMs = fresh.cpuMs;
    out.serialisedBytes = Buffer.byteLength(text);
    out.loadMs = loaded.ms;
    out.loadCpuMs = loaded.cpuMs;
    break;
  }
  default:
    throw new Error('--measure yaml|whatif|load');
}
out.peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(JSON.stringify(out));
