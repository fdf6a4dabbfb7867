// The compliance section of `npm run bench` (issue 10): whole `netpol lint`, `netpol report` (PCI, json and pdf)
// and `netpol probe-plan` invocations through the built CLI on a generated cluster (S = 1k pods; its `compliance=pci`
// namespaces are the CDE), each in a fresh process: wall ms, CPU ms (user + system: steadier than wall on a shared,
// loaded machine) and the process's peak RSS, both read at exit by a preloaded hook. Target: each ≤ 2 s at 1k pods.
// Reported, never asserted.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const repo = path.resolve(import.meta.dirname, '../..');
const bin = path.join(repo, 'apps/cli/bin/netpol.mjs');

const cases = (file) => [
  ['lint -o json', ['lint', file, '-o', 'json', '--fail-on', 'never']],
  ['report pci-dss-4.0 -o json', ['report', file, '--framework', 'pci-dss-4.0', '--cde', 'compliance=pci', '--at', '2026-12-01T00:00:00Z', '-o', 'json']],
  ['report pci-dss-4.0 -o pdf', ['report', file, '--framework', 'pci-dss-4.0', '--cde', 'compliance=pci', '--at', '2026-12-01T00:00:00Z', '-o', 'pdf']],
  ['probe-plan --zone cde', ['probe-plan', file, '--zone', 'cde', '--cde', 'compliance=pci']],
];

/** One row per command: wall ms, CPU ms, peak RSS MiB, output bytes. */
export function benchCompliance(file) {
  const scratch = mkdtempSync(path.join(tmpdir(), 'netpol-bench-compliance-'));
  const hook = path.join(scratch, 'rss.mjs');
  const rssFile = path.join(scratch, 'rss.txt');
  writeFileSync(hook, `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => { const u = process.resourceUsage(); writeFileSync(${JSON.stringify(rssFile)}, JSON.stringify({ rss: u.maxRSS, cpu: (u.userCPUTime + u.systemCPUTime) / 1000 })); });\n`);
  try {
    return cases(file).map(([name, args]) => {
      const start = process.hrtime.bigint();
      const result = spawnSync(process.execPath, ['--import', hook, bin, ...args], { cwd: repo, maxBuffer: 1 << 30 });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (result.status !== 0) throw new Error(`netpol ${name} failed (exit ${result.status}): ${result.stderr}`);
      const usage = JSON.parse(readFileSync(rssFile, 'utf8'));
      return { name, wallMs: Math.round(ms), cpuMs: Math.round(usage.cpu), peakRssMiB: Math.round(usage.rss / 1024), outputBytes: result.stdout.length };
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export function printComplianceBench(size, rows) {
  const width = Math.max(...rows.map((r) => r.name.length));
  console.log(`compliance: netpol on ${size} (fresh process each, built CLI)`);
  console.log(`${'command'.padEnd(width)}  wall ms  CPU ms  peak RSS MiB  output bytes`);
  for (const r of rows) {
    console.log(`${r.name.padEnd(width)}  ${String(r.wallMs).padStart(7)}  ${String(r.cpuMs).padStart(6)}  ${String(r.peakRssMiB).padStart(12)}  ${String(r.outputBytes).padStart(12)}`);
  }
}
