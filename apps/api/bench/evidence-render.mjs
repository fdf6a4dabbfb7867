// What rendering a report's PDF and its evidence pack costs the server's event loop (issue 13), not a test: figures
// are printed, never asserted.
//
//   node apps/api/bench/evidence-render.mjs [--size M] [--seed 1] [--clusters DIR]
//
// Needs the built api and a generated cluster (`npm run bench -- --sizes M` makes it under tools/bench/dist/clusters).
// Builds a PCI DSS report of the cluster and its evidence pack's model-reading files (not timed), then renders the PDF
// and the pack twice: on this thread (as the server did before the render threads) and through the server's render
// pool (dist/…/compliance/render-pool.js). For each: wall and process CPU time, the event loop's busy time
// (eventLoopUtilization: this thread only, the worker threads' excluded) and its longest stall (a 10 ms timer's
// largest lateness).
import { generateKeyPairSync, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { analyze, buildReport, canonicalJson, cdeIntents, projectObject } from '@netpol-atlas/engine';
import { reportPdf } from '@netpol-atlas/report-pdf';

const repo = path.resolve(import.meta.dirname, '../../..');
const { values } = parseArgs({
  options: { size: { type: 'string', default: 'M' }, seed: { type: 'string', default: '1' }, clusters: { type: 'string', default: path.join(repo, 'tools/bench/dist/clusters') } },
});
const dist = path.join(repo, 'apps/api/dist/apps/api/src');
const { projectedSnapshotContent } = await import(path.join(dist, 'ingest/snapshot-content.js'));
const { modelFromContent } = await import(path.join(dist, 'analysis/snapshot-model.js'));
const { analysisEvidenceFiles } = await import(path.join(dist, 'compliance/evidence-files.js'));
const { buildEvidencePack } = await import(path.join(dist, 'compliance/evidence-pack.js'));
const { RenderPool } = await import(path.join(dist, 'compliance/render-pool.js'));

const list = JSON.parse(readFileSync(path.join(values.clusters, `${values.size.toUpperCase()}-seed${values.seed}.json`), 'utf8'));
const content = projectedSnapshotContent(list.items.map(projectObject));
const model = modelFromContent(content.bytes, {});
const analysis = analyze(model.snapshot);
const intents = cdeIntents();
const generatedAt = '2026-12-01T00:00:00.000Z';
const report = buildReport({ snapshot: model.snapshot, analysis, objects: model.objects, framework: 'pci-dss-4.0', intents, declared: false, generatedAt, engineVersion: 'bench' });
const reportJcs = canonicalJson(report);
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const input = {
  reportId: '00000000-0000-4000-8000-000000000000',
  reportJcs,
  reportSha256: createHash('sha256').update(reportJcs).digest('hex'),
  snapshotId: '00000000-0000-4000-8000-000000000001',
  snapshotSha256: content.sha256,
  snapshotContent: content.bytes,
  analysisFiles: analysisEvidenceFiles({ analysis, objects: model.objects, intents, generatedAt }),
  intents,
  signingKey: { fingerprint: 'bench', publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }), privateKey },
};
const evidenceRows = report.controls.reduce((n, c) => n + c.evidence.length, 0);

/** Runs `work` while a 10 ms timer measures how late the event loop lets it fire. */
async function measured(work) {
  let longest = 0;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last - 10);
    last = now;
  }, 10);
  const elu = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await work();
  const wall = performance.now() - started;
  // A synchronous rendering never lets the timer fire: its stall ends here.
  longest = Math.max(longest, performance.now() - last - 10);
  const busy = performance.eventLoopUtilization(elu);
  const used = process.cpuUsage(cpu);
  clearInterval(timer);
  return { result, wall: Math.round(wall), cpu: Math.round((used.user + used.system) / 1000), busy: Math.round(busy.active), stall: Math.round(longest) };
}

// CPU: the whole process (the render thread's included); on a loaded machine the wall times are the machine's.
const line = (label, m) =>
  console.log(`${label.padEnd(34)} ${String(m.wall).padStart(6)} ms wall, ${String(m.cpu).padStart(6)} ms CPU, event loop busy ${String(m.busy).padStart(6)} ms, longest stall ${String(m.stall).padStart(6)} ms`);
console.log(`evidence rendering — node apps/api/bench/evidence-render.mjs --size ${values.size} --seed ${values.seed}`);
console.log(`report: ${report.controls.length} controls, ${evidenceRows} evidence rows, ${(reportJcs.length / 2 ** 20).toFixed(1)} MiB JSON; content ${(content.bytes.length / 2 ** 20).toFixed(1)} MiB`);
const onLoopPdf = await measured(() => reportPdf(JSON.parse(reportJcs)));
line('PDF on the event loop', onLoopPdf);
const onLoopPack = await measured(() => buildEvidencePack(input));
line('evidence pack on the event loop', onLoopPack);
const pool = new RenderPool({ threads: 1 });
// The thread's start-up (module loading) is paid once per thread: warmed with a small rendering first.
await pool.report(reportJcs, 'csv');
const threadPdf = await measured(() => pool.report(reportJcs, 'pdf'));
line('PDF in a render thread', threadPdf);
const threadPack = await measured(() => pool.evidencePack(input));
line('evidence pack in a render thread', threadPack);
await pool.close();
const same = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
console.log(`same bytes: PDF ${same(onLoopPdf.result, threadPdf.result) ? 'yes' : 'NO'}, evidence pack ${same(onLoopPack.result, threadPack.result) ? 'yes' : 'NO'} (${(threadPack.result.length / 2 ** 20).toFixed(1)} MiB zip)`);
