// `npm run bench -- --cli [--runs N]`: wall time of whole `netpol` invocations (process start to exit) on the demo
// cluster, N fresh processes each. Prints min and median: on a shared machine the minimum is the steadiest figure.
// Targets (issue 15): `netpol --version` ≤ 150 ms, `netpol eval` on the demo ≤ 400 ms. Reported, never asserted.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const repo = path.resolve(import.meta.dirname, '../..');
const bin = path.join(repo, 'apps/cli/bin/netpol.mjs');
const demo = path.join(repo, 'apps/api/data/demo');

const CASES = [
  ['node -e 0 (baseline)', ['-e', '0']],
  ['netpol --version', [bin, '--version']],
  ['netpol --help', [bin, '--help']],
  ['netpol eval (demo)', [bin, 'eval', demo, '--src', 'production/frontend', '--dst', 'production/backend', '--port', '8080']],
  ['netpol eval --explain (demo)', [bin, 'eval', demo, '--src', 'production/frontend', '--dst', 'production/database', '--port', '5432', '--explain']],
  ['netpol list (demo)', [bin, 'list', demo]],
];

export function benchCli(runs) {
  const rows = [];
  for (const [name, args] of CASES) {
    const times = [];
    for (let i = 0; i < runs; i++) {
      const start = process.hrtime.bigint();
      const result = spawnSync(process.execPath, args, { cwd: repo, encoding: 'utf8' });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (result.status !== 0) throw new Error(`${name} failed (exit ${result.status}): ${result.stderr}`);
      times.push(ms);
    }
    times.sort((a, b) => a - b);
    rows.push({ name, runs, minMs: Math.round(times[0]), medianMs: Math.round(times[Math.floor(times.length / 2)]) });
  }
  return rows;
}

export function printCliBench(rows) {
  const width = Math.max(...rows.map((r) => r.name.length));
  console.log(`netpol CLI wall time, ${rows[0]?.runs ?? 0} fresh processes each — node ${process.version}`);
  console.log(`${'command'.padEnd(width)}  min ms  median ms`);
  for (const r of rows) console.log(`${r.name.padEnd(width)}  ${String(r.minMs).padStart(6)}  ${String(r.medianMs).padStart(9)}`);
}
