// `npm run bench -- --targets [--seed N] [--json]` (issue 13): prints a "now" figure for every engine/CLI row of
// issue 13's targets table, each measured in a fresh process (tools/bench/run-*.ts, built by tools/bench.mjs).
// Wall ms on a shared machine are noisy: CPU ms (user + system) are printed next to them. Never asserted.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export function benchTargets({ repo, clusterDir, runner, run, log, seed, json }) {
  const clusters = {};
  for (const size of ['M', 'L']) {
    const file = path.join(clusterDir, `${size}-seed${seed}.json`);
    log(`bench: generating ${size} (seed ${seed}) as JSON and YAML`);
    run([runner('generate'), '--size', size, '--seed', String(seed), '--out', file, ...(size === 'L' ? ['--yaml'] : [])], `generate ${size}`);
    clusters[size] = file;
  }
  const measure = (what, args, heap = 6144) => {
    log(`bench: ${what}`);
    return JSON.parse(run([`--max-old-space-size=${heap}`, ...args], what).trim().split('\n').pop());
  };
  const sizeM = measure('parse + analysis M', [runner('run-size'), '--file', clusters.M, '--size', 'M', '--seed', String(seed)]);
  const sizeL = measure('parse + analysis L', [runner('run-size'), '--file', clusters.L, '--size', 'L', '--seed', String(seed)]);
  const netpolParse = measure('netpol parse L (projected; one and two threads)', ['--expose-gc', runner('run-targets'), '--file', clusters.L, '--size', 'L', '--measure', 'netpol-parse']);
  const yamlL = measure('YAML parse L', [runner('run-targets'), '--file', clusters.L, '--size', 'L', '--measure', 'yaml']);
  const txtL = measure('txt output L', [runner('run-output'), '--file', clusters.L, '--size', 'L']);
  const list = cliList(repo, clusters.L, log, ['--exposure']);
  const summary = cliList(repo, clusters.L, log, ['--summary', '-o', 'json']);
  const diffL = measure('diff with causes L', [runner('run-diff'), '--file', clusters.L, '--size', 'L', '--seed', String(seed)]);
  const whatIf = measure('what-if L', [runner('run-targets'), '--file', clusters.L, '--size', 'L', '--measure', 'whatif']);
  const load = measure('serialised analysis load M', [runner('run-targets'), '--file', clusters.M, '--size', 'M', '--measure', 'load']);
  const MB = (bytes) => `${Math.round(bytes / 1e5) / 10} MB`;
  const rows = [
    [
      'parse L kubectl JSON dump',
      `${netpolParse.oneThreadMs} ms (CPU ${netpolParse.oneThreadCpuMs}) for ${MB(netpolParse.bytes)}, read + parse as netpol list does: ` +
        `projected, item by item; with the List's tail in a worker thread (NETPOL_PARSE_THREADS=1) ${netpolParse.threadsMs} ms (CPU ${netpolParse.threadsCpuMs}, both threads); ` +
        `parseManifests alone, unprojected, text in memory: ${sizeL.parseMs} ms (CPU ${sizeL.parseCpuMs})`,
      '≤ 1 s',
    ],
    ['parse L YAML manifests', `${yamlL.parseMs} ms (CPU ${yamlL.parseCpuMs}) for ${MB(yamlL.bytes)}, ${yamlL.documents} documents, ${yamlL.MBps} MB/s`, '≤ 2 s'],
    ['np-guard txt output of L connectivity', `${txtL.outputMs} ms (CPU ${txtL.outputCpuMs}) for ${txtL.rows} rows, ${MB(txtL.outputBytes)}`, '≤ 20 s (16M lines)'],
    ['analysis M build+analyze', `${sizeM.buildMs}+${sizeM.analyzeMs} ms (CPU ${sizeM.buildCpuMs}+${sizeM.analyzeCpuMs})`, '≤ 80 ms'],
    ['analysis L build+analyze', `${sizeL.buildMs}+${sizeL.analyzeMs} ms (CPU ${sizeL.buildCpuMs}+${sizeL.analyzeCpuMs})`, '≤ 400 ms'],
    ['netpol list --exposure on L JSON, end to end', `${list.wallMs} ms wall, CPU ${list.cpuMs} (${list.timings}), ${MB(list.stdoutBytes)} out`, '≤ 2 s'],
    ['netpol list --summary -o json on L JSON, end to end', `${summary.wallMs} ms wall, CPU ${summary.cpuMs} (${summary.timings}), ${summary.stdoutBytes} bytes out`, '≤ 2 s'],
    ['diff with causes L (10 policy edits)', `${diffL.causesMs} ms (CPU ${diffL.causesCpuMs}); diff alone ${diffL.diffMs} ms`, '≤ 1 s'],
    ['what-if of one edited policy L', `${whatIf.whatIfMs} ms (CPU ${whatIf.whatIfCpuMs}): ${whatIf.method}; median of 5 more ${whatIf.repeatMedianMs} ms (CPU ${whatIf.repeatMedianCpuMs}); full build+analyze ${whatIf.fullMs} ms (CPU ${whatIf.fullCpuMs})`, '≤ 50 ms'],
    ['serialised analysis load M', `${load.loadMs} ms (CPU ${load.loadCpuMs}) for ${MB(load.serialisedBytes)}; analyze ${load.analyzeMs} ms, build ${load.buildMs} ms`, '≤ 200 ms (first answer)'],
  ];
  if (json) {
    console.log(JSON.stringify({ seed, rows: rows.map(([measureName, now, target]) => ({ measure: measureName, now, target })), raw: { sizeM, sizeL, netpolParse, yamlL, txtL, list, summary, diffL, whatIf, load } }, null, 2));
    return;
  }
  const widths = [0, 1, 2].map((i) => Math.max(...[['measure', 'now', 'target'], ...rows].map((r) => r[i].length)));
  console.log(`netpol issue 13 targets — seed ${seed}`);
  for (const row of [['measure', 'now', 'target'], widths.map((w) => '-'.repeat(w)), ...rows]) console.log(row.map((c, i) => c.padEnd(widths[i])).join('  '));
  console.log(`rerun: npm run bench -- --targets --seed ${seed}`);
}

/** The built CLI on the L dump: `netpol list <args> --timings`, stdout counted, wall time of the process and its
 *  CPU time (user + system, printed by a preloaded exit hook: a shared machine's wall time is noisy). */
function cliList(repo, file, log, args) {
  const cli = path.join(repo, 'apps/cli/dist/main.js');
  if (!existsSync(cli)) return { wallMs: '-', cpuMs: '-', timings: 'CLI not built: npm run build', stdoutBytes: 0 };
  log(`bench: netpol list ${args.join(' ')} on L`);
  const cpuHook =
    'data:text/javascript,process.on("exit",()=>{const u=process.resourceUsage();' +
    'process.stderr.write("cpu: "+Math.round((u.userCPUTime+u.systemCPUTime)/1000)+"\\n")})';
  const t0 = performance.now();
  const result = spawnSync(process.execPath, ['--import', cpuHook, cli, 'list', file, ...args, '--timings'], { cwd: repo, maxBuffer: 4 << 30 });
  const wallMs = Math.round(performance.now() - t0);
  if (result.status !== 0) throw new Error(`netpol list failed (exit ${result.status}): ${String(result.stderr).slice(0, 2000)}`);
  const stderr = String(result.stderr);
  const timings = /timings: (.*)/.exec(stderr)?.[1] ?? '';
  const cpuMs = /^cpu: (\d+)$/m.exec(stderr)?.[1] ?? '-';
  return { wallMs, cpuMs, timings, stdoutBytes: result.stdout.length };
}
