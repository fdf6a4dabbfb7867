// `node tools/bench/dist/tools/bench/run-targets.js --file F --size S --measure yaml|whatif|load`: one of issue 13's
// measures in a fresh process, printed as one JSON line. Timings are reported, never asserted.
//   yaml   parse the cluster as multi-document YAML manifests (F with .yaml instead of .json, written by generate)
//   whatif one policy edited (its first ingress rule's ports changed): incrementally (the policy compiled alone,
//          the snapshot patched, the base analysis updated, one lookup of a pair the edit touches), next to the
//          full build + analyze of the edited objects
//   load   the serialised analysis (serializeAnalysis → JSON text) loaded again: JSON.parse + loadAnalysis,
//          next to a fresh analyze of the same snapshot; both after the same buildSnapshot
//   json-phases [--runs N]  where parseManifests' time goes on the JSON dump F, in one process, N rounds (default 3):
//          the structure scan; the floor of any parse that builds every item (JSON.parse per item, all kept), the
//          same plus the null-prototype conversion; readJson (scan, parse, conversion, checks); parseManifests
//          (plus validation and List flattening). CPU ms of each round and their minimum (the steadiest figure on a
//          shared machine); run node with --expose-gc to collect between steps.
//   netpol-parse [--runs N]  what `netpol list` does to read F (the built CLI's parseInputFiles, apps/cli/dist): read
//          the file and parse it projected on one thread (its default), next to the same with the tail of the List
//          in a worker thread (NETPOL_PARSE_THREADS=1); alternated N rounds (default 2), wall and CPU ms (all threads)
//          of each round.
//   upload [--split]  what the server's parse worker does with an upload of F: its bytes in 1 MiB chunks through
//          ProjectedUploadStream (decoded, validated, projected, each projection's JCS text written); --split makes
//          it split the List item by item as it arrives instead of reading it whole at the end.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { analyze, buildSnapshot, loadAnalysis, parseManifests, serializeAnalysis } from '../../libs/engine/src/index.js';
import { policyIdentity, reanalyze } from '../../libs/engine/src/analysis/incremental.js';
import { patchSnapshotPolicies } from '../../libs/engine/src/model/patch-policies.js';
import { readJson } from '../../libs/engine/src/manifest/json-reader.js';
import { ProjectedUploadStream } from '../../libs/engine/src/manifest/projected-upload-stream.js';
import { scanJsonStructure } from '../../libs/engine/src/manifest/json-scan.js';
import { resolveLimits } from '../../libs/engine/src/manifest/limits.js';
import type { Json } from '../../libs/engine/bench/synthetic-objects.js';

const { values } = parseArgs({ options: { file: { type: 'string' }, size: { type: 'string' }, measure: { type: 'string' }, runs: { type: 'string' }, split: { type: 'boolean' } } });
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
    const base = analyze(buildSnapshot(objects).snapshot);
    const index = list.items.findIndex((o) => o.kind === 'NetworkPolicy' && Array.isArray((o.spec as { ingress?: unknown[] } | undefined)?.ingress));
    const edited = structuredClone(list.items[index]) as { metadata: { name: string; namespace: string }; spec: { ingress: { ports?: unknown[] }[] } };
    edited.spec.ingress[0].ports = [{ protocol: 'TCP', port: 6553 }];
    out.edited = `${edited.metadata.namespace}/${edited.metadata.name}`;
    const editedObjects = parseOrFail('edited.json', JSON.stringify({ ...list, items: list.items.map((o, i) => (i === index ? edited : o)) }));
    const fullRun = timed(() => analyze(buildSnapshot(editedObjects).snapshot));
    out.fullMs = fullRun.ms;
    out.fullCpuMs = fullRun.cpuMs;
    // Incremental: the edited policy parsed and compiled alone, the snapshot patched, the analysis updated
    // from the base analysis, then one lookup of a pair the edit touches (a class it selects, as destination).
    // The first run is the figure; five more give a steadier median on a loaded machine (GC debt of the load varies).
    const incrementalRun = () =>
      timed(() => {
        const proposed = parseOrFail('proposed.json', JSON.stringify(edited));
        const target = base.snapshot.policies.find((p) => p.fullName === out.edited && p.kind === 'NetworkPolicy')!;
        const patched = patchSnapshotPolicies(base.snapshot, { remove: [policyIdentity(target)], add: proposed, firstReadIndex: objects.length - 1 });
        if (!patched) throw new Error('the edit was not patchable');
        const result = reanalyze(base, patched.snapshot, patched.changed);
        const dst = result.affected?.ingress[0] ?? 0;
        result.analysis.classToClass(0, dst);
        return result;
      });
    const incremental = incrementalRun();
    const again = Array.from({ length: 5 }, incrementalRun).sort((a, b) => a.cpuMs - b.cpuMs);
    out.whatIfMs = incremental.ms;
    out.whatIfCpuMs = incremental.cpuMs;
    out.repeatMedianMs = again.map((r) => r.ms).sort((a, b) => a - b)[2];
    out.repeatMedianCpuMs = again[2].cpuMs;
    out.method = incremental.value.method === 'incremental' ? 'incremental re-analysis (patch + reanalyze + one lookup)' : `full: ${incremental.value.reason}`;
    out.affectedClasses = { ingress: incremental.value.affected?.ingress.length, egress: incremental.value.affected?.egress.length, of: base.classes.length };
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
  case 'json-phases': {
    const text = readFileSync(file, 'utf8');
    out.bytes = Buffer.byteLength(text);
    const collect = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
    const scan = scanJsonStructure(text, resolveLimits(undefined).maxDepth);
    if (!scan.ok) throw new Error('the dump nests too deep');
    const starts = scan.itemOffsets;
    const itemEnd = (i: number) => (i + 1 < starts.length ? starts[i + 1]! - 1 : text.lastIndexOf(']'));
    const parseItems = () => starts.map((start, i) => JSON.parse(text.slice(start, itemEnd(i))) as unknown);
    const steps: Record<string, () => unknown> = {
      scan: () => scanJsonStructure(text, resolveLimits(undefined).maxDepth),
      parseEveryItem: parseItems,
      parseEveryItemNullPrototype: () => parseItems().map(withNullPrototypes),
      readJson: () => readJson(file, text, resolveLimits(undefined)),
      parseManifests: () => parseManifests([{ path: file, text }]),
    };
    const rounds: Record<string, number[]> = {};
    for (let round = 0; round < Number(values.runs ?? '3'); round++) {
      for (const [name, step] of Object.entries(steps)) {
        collect();
        (rounds[name] ??= []).push(timed(step).cpuMs);
      }
    }
    out.items = starts.length;
    out.cpuMs = Object.fromEntries(Object.entries(rounds).map(([name, cpu]) => [name, { min: Math.min(...cpu), rounds: cpu }]));
    out.gcBetweenSteps = 'gc' in globalThis;
    break;
  }
  case 'netpol-parse': {
    type ParseInputFiles = (paths: string[], options: { project: boolean }) => Promise<{ objects: readonly unknown[]; issues: readonly { severity: string }[] }>;
    const cli = (await import(new URL('../../../../../apps/cli/dist/parse-threads.js', import.meta.url).href)) as { parseInputFiles: ParseInputFiles };
    out.bytes = Buffer.byteLength(readFileSync(file, 'utf8'));
    const collect = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
    const rounds: Record<string, { ms: number; cpuMs: number }[]> = { threads: [], oneThread: [] };
    for (let round = 0; round < Number(values.runs ?? '2'); round++) {
      for (const [name, setting] of [['threads', '1'], ['oneThread', '0']] as const) {
        collect();
        process.env['NETPOL_PARSE_THREADS'] = setting;
        const t0 = performance.now();
        const c0 = process.cpuUsage();
        const parsed = await cli.parseInputFiles([file], { project: true });
        rounds[name]!.push({ ms: ms(t0), cpuMs: cpuMs(c0) });
        if (parsed.issues.some((issue) => issue.severity === 'error')) throw new Error('parse errors');
        out.objects = parsed.objects.length;
      }
    }
    out.rounds = rounds;
    out.threadsMs = Math.min(...rounds['threads']!.map((r) => r.ms));
    out.threadsCpuMs = Math.min(...rounds['threads']!.map((r) => r.cpuMs));
    out.oneThreadMs = Math.min(...rounds['oneThread']!.map((r) => r.ms));
    out.oneThreadCpuMs = Math.min(...rounds['oneThread']!.map((r) => r.cpuMs));
    break;
  }
  case 'upload': {
    const bytes = readFileSync(file);
    out.bytes = bytes.length;
    const parsed = timed(() => {
      const upload = new ProjectedUploadStream(file, values.split ? { streamAfterChars: 2 ** 20 } : undefined);
      for (let at = 0; at < bytes.length; at += 2 ** 20) upload.write(bytes.subarray(at, at + 2 ** 20));
      return upload.end();
    });
    if (!parsed.value || parsed.value.issues.some((issue) => issue.severity === 'error')) throw new Error('the upload did not parse');
    out.objects = parsed.value.projected.length;
    out.streamed = parsed.value.streamed;
    out.parseMs = parsed.ms;
    out.parseCpuMs = parsed.cpuMs;
    break;
  }
  default:
    throw new Error('--measure yaml|whatif|load|json-phases|netpol-parse|upload');
}
out.peakRssMiB = Math.round(process.resourceUsage().maxRSS / 1024);

/** JSON.parse's result made null-prototype in place, as the JSON reader does (without its key count). */
function withNullPrototypes(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (const item of value) withNullPrototypes(item);
    return value;
  }
  Object.setPrototypeOf(value, null);
  for (const key in value) withNullPrototypes((value as Record<string, unknown>)[key]);
  return value;
}
console.log(JSON.stringify(out));
