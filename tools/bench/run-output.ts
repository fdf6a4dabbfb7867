// `node tools/bench/dist/tools/bench/run-output.js --file F --size S`: times the np-guard txt connlist of ONE size
// (issue 13) in a fresh process and prints one JSON line: the rows enumerated from the analysis and formatted
// into chunks whose bytes are counted (what `netpol list -o txt` writes, without the terminal). Timings are
// reported, never asserted.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { analyze, buildSnapshot, connlistChunks, iterateConnectivity, parseManifests, type ConnlistStats } from '../../libs/engine/src/index.js';

const { values } = parseArgs({ options: { file: { type: 'string' }, size: { type: 'string' }, format: { type: 'string', default: 'txt' } } });
const ms = (t0: number) => Math.round(performance.now() - t0);
const cpuMs = (c0: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(c0);
  return Math.round((used.user + used.system) / 1000);
};

const text = readFileSync(values.file as string, 'utf8');
const parsed = parseManifests([{ path: `synthetic-${values.size}.json`, text }]);
const analysis = analyze(buildSnapshot(parsed.objects).snapshot);
const format = values.format as 'txt' | 'json' | 'csv';
const stats: ConnlistStats = { ipv6RowsOmitted: 0, rows: 0 };
const t0 = performance.now();
const c0 = process.cpuUsage();
let bytes = 0;
for (const chunk of connlistChunks(iterateConnectivity(analysis), format, stats)) bytes += Buffer.byteLength(chunk);
const outputMs = ms(t0);
console.log(
  JSON.stringify({
    size: values.size,
    format,
    rows: stats.rows,
    outputBytes: bytes,
    outputMs,
    outputCpuMs: cpuMs(c0),
    outputMBps: Math.round(bytes / 1e3 / Math.max(outputMs, 1)),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
