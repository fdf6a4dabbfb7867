// What one analysis job costs a worker (issue 13; README "Growing past one machine"), not a test: figures are
// printed, never asserted.
//
//   node apps/api/bench/worker-cost.mjs [--size M] [--seed 1]
//
// Needs the built api and a generated cluster (`npm run bench:api -- --size M` makes both). Projects the cluster as
// the server stores it, then runs the worker's task (dist/…/analysis/analysis-thread.js: model, analysis, derived
// artefacts) in THIS process' main thread, as one worker thread would, and prints the stored content bytes, wall
// and CPU time, peak RSS and the bytes the job writes to analysis_results.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectObject } from '@netpol-atlas/engine';

const repo = path.resolve(import.meta.dirname, '../../..');
const { values } = parseArgs({ options: { size: { type: 'string', default: 'M' }, seed: { type: 'string', default: '1' } } });
const dist = path.join(repo, 'apps/api/dist/apps/api/src');
const { projectedSnapshotContent } = await import(path.join(dist, 'ingest/snapshot-content.js'));
const { default: analyseContent } = await import(path.join(dist, 'analysis/analysis-thread.js'));
const list = JSON.parse(readFileSync(path.join(repo, `tools/bench/dist/clusters/${values.size.toUpperCase()}-seed${values.seed}.json`), 'utf8'));
const pods = list.items.filter((o) => o.kind === 'Pod').length;
const content = projectedSnapshotContent(list.items.map(projectObject));
const rssBefore = process.memoryUsage().rss;
const cpu = process.cpuUsage();
const started = performance.now();
const result = analyseContent({ content: content.bytes, options: {} });
const wallMs = Math.round(performance.now() - started);
const used = process.cpuUsage(cpu);
const peakMiB = Math.round(Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024);
const artefacts = Object.fromEntries(Object.entries(result.artefacts).map(([kind, bytes]) => [kind, bytes.byteLength]));
console.log(`worker cost — node apps/api/bench/worker-cost.mjs --size ${values.size} --seed ${values.seed}`);
console.log(`snapshot: ${pods} pods, ${result.workloads} workloads; stored content ${(content.bytes.length / 2 ** 20).toFixed(1)} MiB`);
console.log(`analysis job (model + analysis + artefacts): ${wallMs} ms wall, ${Math.round((used.user + used.system) / 1000)} ms CPU`);
console.log(`process RSS before ${Math.round(rssBefore / 2 ** 20)} MiB, peak ${peakMiB} MiB (includes the projection above)`);
console.log(`written to analysis_results: ${JSON.stringify(artefacts)} bytes`);
