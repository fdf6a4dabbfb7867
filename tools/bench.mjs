// `npm run bench [-- --sizes S,M,L] [--seed N] [--json] [--naive-sample K] [--profile] [--ignore-type-errors] [--diff]`
// Engine benchmarks of issue 3: compiles tools/bench/tsconfig.json (the runners in tools/bench plus the pure
// libs/engine src, bench generators and naive evaluator they import) into tools/bench/dist, generates each synthetic cluster in its own process, then measures each size in a FRESH
// node process (so peak RSS is that size's own). CPU ms = process.cpuUsage (user+system, GC threads included)
// around the same step: steadier than wall ms on a shared, loaded machine. Prints a table (or JSON with --json) and the seed to rerun it.
// Progress goes to stderr. Figures are reported, never asserted. --profile writes a V8 CPU profile per size to
// tools/bench/dist/profiles/ and prints its top self-time functions (profiling slows the run down).
// --diff (issue 5; sizes default to L): instead of the analysis bench, times diff(old, new) and diffWithCauses
// between each generated cluster and a copy with 10 policy edits (libs/engine/bench/diff-edits.ts), in a fresh process.
// --targets (issue 13): one "now" figure per row of issue 13's engine/CLI targets table (JSON and YAML parse at L,
// analysis at M and L, txt output of the L connectivity, `netpol list --exposure` end to end on the L dump, diff with
// causes at L, what-if of one edited policy at L, serialised-analysis load at M), each step in a fresh process.
// --cli [--runs N] (issue 15): wall time of whole `netpol` invocations on the demo cluster (tools/bench/cli-startup.mjs).
// With S among the sizes, a compliance section: lint, PCI report (json, pdf) and probe plan through the built CLI on
// the 1k-pod cluster, wall ms and peak RSS per fresh process (tools/bench/compliance-cli.mjs).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const repo = path.resolve(import.meta.dirname, '..');
const benchDir = path.join(repo, 'tools/bench');
const outDir = path.join(benchDir, 'dist');
// tsconfig rootDir is the repo root, so each source keeps its repo-relative path under outDir.
const runner = (name) => path.join(outDir, 'tools/bench', `${name}.js`);

const { values } = parseArgs({
  options: {
    sizes: { type: 'string' },
    seed: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
    'naive-sample': { type: 'string', default: '400' },
    'ignore-type-errors': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    diff: { type: 'boolean', default: false },
    cli: { type: 'boolean', default: false },
    targets: { type: 'boolean', default: false },
    runs: { type: 'string', default: '15' },
  },
});
if (values.cli) {
  const { benchCli, printCliBench } = await import('./bench/cli-startup.mjs');
  const rows = benchCli(Number(values.runs));
  if (values.json) console.log(JSON.stringify({ node: process.version, rows }, null, 2));
  else printCliBench(rows);
  process.exit(0);
}
const sizes = (values.sizes ?? (values.diff ? 'L' : 'S,M,L')).split(',').map((s) => s.trim().toUpperCase());
const seed = Number(values.seed);
if (!sizes.every((s) => ['S', 'M', 'L'].includes(s)) || !Number.isInteger(seed)) {
  console.error('usage: npm run bench -- [--sizes S,M,L] [--seed N] [--json] [--naive-sample K] [--profile] [--diff]');
  process.exit(2);
}
const log = (line) => process.stderr.write(`${line}\n`);

function run(args, what) {
  const result = spawnSync(process.execPath, args, { cwd: repo, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.status !== 0) {
    log(result.stdout + result.stderr);
    log(`bench: ${what} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
  return result.stdout;
}

log('bench: compiling tools/bench/tsconfig.json');
const tsc = spawnSync(process.execPath, [path.join(repo, 'node_modules/typescript/bin/tsc'), '-p', path.join(benchDir, 'tsconfig.json')], {
  cwd: repo,
  encoding: 'utf8',
});
mkdirSync(outDir, { recursive: true });
writeFileSync(path.join(outDir, '.gitignore'), '*\n'); // build output: never committed
if (tsc.status !== 0) {
  log(tsc.stdout + tsc.stderr);
  if (!values['ignore-type-errors']) {
    log('bench: the engine does not type-check (rerun with --ignore-type-errors to measure anyway)');
    process.exit(1);
  }
}

const clusterDir = path.join(outDir, 'clusters');
mkdirSync(clusterDir, { recursive: true });
if (values.targets) {
  const { benchTargets } = await import('./bench/targets.mjs');
  benchTargets({ repo, clusterDir, runner, run, log, seed, json: values.json });
  process.exit(0);
}
const results = [];
let compliance;
for (const size of sizes) {
  const file = path.join(clusterDir, `${size}-seed${seed}.json`);
  log(`bench: generating ${size} (seed ${seed})`);
  const generated = JSON.parse(run([runner('generate'), '--size', size, '--seed', String(seed), '--out', file], `generate ${size}`));
  if (values.diff) {
    log(`bench: diffing ${size} against 10 policy edits in a fresh process`);
    const args = ['--max-old-space-size=6144', runner('run-diff'), '--file', file, '--size', size, '--seed', String(seed)];
    results.push({ ...JSON.parse(run(args, `diff ${size}`).trim().split('\n').pop()), workloads: generated.workloads });
    continue;
  }
  log(`bench: measuring ${size} in a fresh process`);
  const profileDir = path.join(outDir, 'profiles');
  const profileName = `${size}-seed${seed}.cpuprofile`;
  const profileArgs = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-name=${profileName}`] : [];
  const args = [...profileArgs, '--max-old-space-size=4096', runner('run-size'), '--file', file, '--size', size, '--seed', String(seed)];
  if (size === 'S' && Number(values['naive-sample']) > 0) args.push('--naive-sample', values['naive-sample']);
  const measured = JSON.parse(run(args, `measure ${size}`).trim().split('\n').pop());
  results.push({ ...measured, workloads: generated.workloads, namespaces: generated.namespaces });
  // Compliance commands (issue 10) on the 1k-pod size only: whole CLI runs, each in a fresh process.
  if (size === 'S') {
    log('bench: compliance commands on S through the built CLI');
    const { benchCompliance } = await import('./bench/compliance-cli.mjs');
    compliance = { size, rows: benchCompliance(file) };
  }
  if (values.profile) log(run([runner('profile-summary'), path.join(profileDir, profileName), '30'], `profile summary ${size}`));
}

const machine = { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown', memGiB: Math.round(os.totalmem() / 2 ** 30) };
const command = `npm run bench -- ${values.diff ? '--diff ' : ''}--sizes ${sizes.join(',')} --seed ${seed}`;
if (values.json) {
  console.log(JSON.stringify({ seed, machine, command, results, ...(compliance ? { compliance } : {}) }, null, 2));
} else if (values.diff) {
  printDiffResults();
} else {
  const fmt = (v) => (v === undefined ? '-' : typeof v === 'number' ? v.toLocaleString('en-US') : String(v));
  const columns = [
    ['size', (r) => r.size],
    ['pods', (r) => r.pods],
    ['workloads', (r) => r.workloads],
    ['policies', (r) => r.policies],
    ['input MB', (r) => Math.round(r.bytes / 1e5) / 10],
    ['parse ms', (r) => r.parseMs],
    ['analysis ms', (r) => r.analysisMs],
    ['(build+analyze)', (r) => (r.buildMs === undefined ? undefined : `${r.buildMs}+${r.analyzeMs}`)],
    ['parse CPU ms', (r) => r.parseCpuMs],
    ['analysis CPU ms', (r) => r.analysisCpuMs],
    ['(build+analyze CPU)', (r) => (r.buildCpuMs === undefined ? undefined : `${r.buildCpuMs}+${r.analyzeCpuMs}`)],
    ['peak RSS MiB', (r) => r.peakRssMiB],
    ['classes', (r) => r.classes],
    ['port atoms', (r) => r.portAtoms],
    ['IP atoms', (r) => r.ipAtoms],
    ['eval p50/p99 µs', (r) => (r.evaluateUs ? `${r.evaluateUs.p50}/${r.evaluateUs.p99}` : undefined)],
    ['naive ÷ engine', (r) => (r.naiveRatio === undefined ? undefined : `${fmt(r.naiveRatio)}×`)],
  ];
  printTable(`netpol engine bench — seed ${seed} — ${machine.cpu} ×${machine.cpus}, node ${machine.node}`, columns);
  for (const r of results) {
    if (r.analysis) console.log(`${r.size}: ${r.analysis}`);
    if (r.naive) {
      const n = r.naive;
      console.log(
        `${r.size} naive baseline: ${fmt(n.sampledPairs)} sampled pairs in ${fmt(n.sampleMs)} ms, extrapolated to ${fmt(n.podPairs)} pod pairs + ` +
          `${fmt(n.ipPairs)} pod/IP-atom pairs × ${n.portsPerProtocol} port boundaries × 3 protocols ≈ ${fmt(n.estimatedTotalMs)} ms`,
      );
    }
    if (r.spotCheck) console.log(`${r.size} spot check engine vs naive: ${fmt(r.spotCheck.points)} points, ${r.spotCheck.mismatches} mismatches${r.spotCheck.first ? ` (first: ${r.spotCheck.first})` : ''}`);
  }
  if (compliance) {
    const { printComplianceBench } = await import('./bench/compliance-cli.mjs');
    console.log('');
    printComplianceBench(compliance.size, compliance.rows);
  }
  console.log(`rerun: ${command}`);
}

function printTable(title, columns) {
  const fmt = (v) => (v === undefined ? '-' : typeof v === 'number' ? v.toLocaleString('en-US') : String(v));
  const rows = [columns.map(([h]) => h), ...results.map((r) => columns.map(([, get]) => fmt(get(r))))];
  const widths = columns.map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  console.log(title);
  rows.forEach((row, i) => {
    console.log(row.map((cell, j) => (j === 0 ? cell.padEnd(widths[j]) : cell.padStart(widths[j]))).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  });
}

function printDiffResults() {
  printTable(`netpol engine diff bench (10 policy edits) — seed ${seed} — ${machine.cpu} ×${machine.cpus}, node ${machine.node}`, [
    ['size', (r) => r.size],
    ['pods', (r) => r.pods],
    ['workloads', (r) => r.workloads],
    ['policies old/new', (r) => r.policies.join('/')],
    ['analysis ms old/new', (r) => r.analysisMs.map(Math.round).join('/')],
    ['diff ms', (r) => r.diffMs],
    ['diff CPU ms', (r) => r.diffCpuMs],
    ['warm diff ms/CPU', (r) => `${r.diffWarmMs}/${r.diffWarmCpuMs}`],
    ['causes ms', (r) => r.causesMs],
    ['causes CPU ms', (r) => r.causesCpuMs],
    ['changed/added/removed pairs', (r) => `${r.counts.changed}/${r.counts.added}/${r.counts.removed}`],
    ['pairs with cause', (r) => r.pairsWithCause],
    ['peak RSS MiB', (r) => r.finalRssMiB],
  ]);
  for (const r of results) {
    console.log(`${r.size} edits: ports changed ${r.edits.portsChanged.join(', ')}; deleted ${r.edits.deleted.join(', ')}; added ${r.edits.added.join(', ')}`);
  }
  console.log(`rerun: ${command}`);
}
