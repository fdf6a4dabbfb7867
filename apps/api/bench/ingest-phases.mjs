// The parse worker's work on one upload body, in this thread, phase by phase (wall, CPU, GC, heap): what
// `ingest-push.mjs` measures as a whole, taken apart to see where it goes. Needs the built API.
//
//   node apps/api/bench/ingest-phases.mjs --file body.json [--runs 3] [--repo DIR]
//
// --repo: the built engine and API of another checkout (e.g. main, for an A/B in the same minute).
//
// Figures are printed, never asserted.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { file: { type: 'string' }, runs: { type: 'string', default: '3' }, repo: { type: 'string' } } });
const repo = values.repo ? path.resolve(values.repo) : path.join(import.meta.dirname, '..', '..', '..');
const { ProjectedUploadStream } = await import(pathToFileURL(path.join(repo, 'libs', 'engine', 'dist', 'index.js')).href);
const dist = path.join(repo, 'apps', 'api', 'dist', 'apps', 'api', 'src');
const { prepareContent } = await import(pathToFileURL(path.join(dist, 'ingest', 'prepared-upload.js')).href);
const { normaliseSnapshot } = await import(pathToFileURL(path.join(dist, 'snapshots', 'objects', 'snapshot-objects.js')).href);
const { objectColumns } = await import(pathToFileURL(path.join(dist, 'snapshots', 'objects', 'snapshot-object-columns.js')).href);
const body = readFileSync(values.file);
let gcMs = 0;
new PerformanceObserver((list) => list.getEntries().forEach((entry) => (gcMs += entry.duration))).observe({ entryTypes: ['gc'] });

for (let run = 0; run < Number(values.runs); run++) {
  const phases = [];
  const totalCpu = process.cpuUsage();
  let wall = performance.now();
  let cpu = process.cpuUsage();
  let gc = gcMs;
  // GC entries arrive asynchronously: let them in before each reading.
  const mark = async (name) => {
    await new Promise((resolve) => setImmediate(resolve));
    const used = process.cpuUsage(cpu);
    phases.push(`${name} ${Math.round(performance.now() - wall)} ms (cpu ${Math.round((used.user + used.system) / 1000)}, gc ${Math.round(gcMs - gc)}, heap ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MiB)`);
    wall = performance.now();
    cpu = process.cpuUsage();
    gc = gcMs;
  };
  const upload = new ProjectedUploadStream('request-body');
  for (let at = 0; at < body.length; at += 1 << 20) upload.write(body.subarray(at, at + (1 << 20)));
  const parsed = upload.end();
  await mark('read+validate+project+text');
  const { prepared, objects } = prepareContent(parsed.projected, parsed.issues, parsed.texts);
  await mark('content (order, bytes, sha256)');
  const normalised = normaliseSnapshot(objects);
  await mark('normalise');
  const columns = objectColumns(normalised);
  await mark('columns');
  const total = process.cpuUsage(totalCpu);
  console.log(JSON.stringify({ run, cpuMs: Math.round((total.user + total.system) / 1000), sha256: prepared.content.sha256, bytes: prepared.content.bytes.length, rows: columns.counts, phases }));
}
