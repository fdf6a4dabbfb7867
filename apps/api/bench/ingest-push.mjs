// Measures a big upload end to end: `netpol push <kubectl-style List JSON> --cluster C` → the built API server →
// embedded PostgreSQL. Prints one JSON line: sizes, push wall time, server ingest time and CPU time, peak RSS of push
// and server.
//
//   npx tsc -p tools/bench/tsconfig.json && npx tsc -p apps/api/tsconfig.app.json && npx tsc -p apps/cli/tsconfig.app.json
//   node apps/api/bench/ingest-push.mjs --size L --seed 1        # 50k pods (the engine bench's synthetic cluster)
//   node apps/api/bench/ingest-push.mjs --file dump.json          # any `kubectl get … -A -o json` output
//   … --profile DIR                                                # the server's CPU profiles (every thread) in DIR
//   … --rss-timeline                                               # the server's resident set every 100 ms (where the peak is)
//
// Every process is a child of this one (generator, PostgreSQL, API, push) and is stopped at the end. Figures are
// reported, never asserted (the machine is shared).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';

const REPO = path.resolve(import.meta.dirname, '..', '..', '..');
const API_MAIN = path.join(REPO, 'apps/api/dist/apps/api/src/main.js');
const NETPOL = path.join(REPO, 'apps/cli/bin/netpol.mjs');
const GENERATOR = path.join(REPO, 'tools/bench/dist/tools/bench/generate.js');

const { values } = parseArgs({ options: { size: { type: 'string' }, seed: { type: 'string', default: '1' }, file: { type: 'string' }, cluster: { type: 'string', default: 'bench' }, profile: { type: 'string' }, 'rss-timeline': { type: 'boolean' } } });
const work = mkdtempSync(path.join(os.tmpdir(), 'netpol-ingest-bench-'));
const children = [];
const log = (line) => process.stderr.write(`bench: ${line}\n`);
const mib = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;

function firstLine(child, pattern) {
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      const match = pattern.exec(line);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`${path.basename(child.spawnargs[1])} exited (${code})`)));
  });
}

/** CPU seconds (user + system, every thread) a live process has used, from /proc. */
function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Peak resident set (VmHWM) of a live process, in MiB. */
function peakRssMiB(pid) {
  const kib = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return kib ? Math.round(Number(kib) / 1024) : undefined;
}

async function stopAll() {
  for (const child of children.reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(work, { recursive: true, force: true });
}

try {
  let file = values.file;
  const out = { seed: values.size ? Number(values.seed) : undefined, size: values.size };
  if (!file) {
    if (!values.size) throw new Error('usage: ingest-push.mjs --size S|M|L [--seed N] | --file F');
    file = path.join(work, `${values.size}-seed${values.seed}.json`);
    log(`generating size ${values.size} seed ${values.seed}`);
    const generated = spawnSync(process.execPath, [GENERATOR, '--size', values.size, '--seed', values.seed, '--out', file], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (generated.status !== 0) throw new Error(`generator failed: ${generated.stderr}`);
    out.generated = JSON.parse(generated.stdout);
  }
  out.inputMiB = mib(statSync(file).size);

  const pg = spawn(process.execPath, [path.join(REPO, 'tools/embedded-pg.mjs'), '--throwaway', '--stop-on-stdin-close'], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(pg);
  const databaseUrl = await firstLine(pg, /^PG (\S+) up$/);
  // The server authenticates: its first admin token is given, and push sends it (NETPOL_TOKEN).
  const token = `npat_${randomBytes(9).toString('base64url')}_${randomBytes(32).toString('base64url')}`;
  const profile = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values.profile)}`] : [];
  const api = spawn(process.execPath, [...profile, API_MAIN], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      NETPOL_DEMO_DATA: 'off',
      NETPOL_TOKEN_SECRET: randomBytes(32).toString('base64url'),
      NETPOL_BOOTSTRAP_ADMIN_TOKEN: token,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(api);
  const server = await firstLine(api, /listening on (http:\/\/\S+)/);
  // The server logs the time of each ingest stage for big uploads.
  const serverStages = [];
  // CPU read when the ingest logs its stages (the end of its transaction, before the answer): unlike the figure read
  // after push exits, it never includes the analysis job the server starts once the upload commits.
  let serverCpuAtStages;
  let serverCpuBefore;
  readline.createInterface({ input: api.stdout }).on('line', (line) => {
    // Nest colours its log lines: drop the escape sequences (ESC = U+001B) first.
    const stages = /IngestService\W+(.*)$/.exec(line.replaceAll(String.fromCharCode(27), '').replace(/\[[0-9;]*m/g, ''));
    if (stages) serverStages.push(stages[1].trim());
    if (stages && serverCpuBefore !== undefined) serverCpuAtStages ??= cpuSeconds(api.pid) - serverCpuBefore;
  });
  out.serverIdleRssMiB = peakRssMiB(api.pid);
  log(`server ${server} up; pushing ${out.inputMiB} MiB`);

  // push's own peak RSS: printed by a preload at its exit (maxRSS is in KiB).
  const preload = `data:text/javascript,process.on('exit',()=>process.stderr.write('maxRSS '+process.resourceUsage().maxRSS+'\\n'))`;
  serverCpuBefore = cpuSeconds(api.pid);
  const started = performance.now();
  const rssTimeline = [];
  const rssTimer = values['rss-timeline']
    ? setInterval(() => {
        const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${api.pid}/status`, 'utf8'))?.[1];
        rssTimeline.push(`${Math.round(performance.now() - started)}:${Math.round(Number(kib) / 1024)}`);
      }, 100)
    : undefined;
  let sentAt;
  const push = spawn(process.execPath, ['--import', preload, NETPOL, 'push', file, '--cluster', values.cluster, '--server', server], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NETPOL_TOKEN: token },
  });
  children.push(push);
  const stderr = [];
  readline.createInterface({ input: push.stderr }).on('line', (line) => {
    const at = Math.round(performance.now() - started);
    stderr.push(`${at} ms ${line}`);
    if (line.includes('sent; the server is parsing')) sentAt = at;
    if (!line.startsWith('maxRSS')) log(`push +${at} ms: ${line}`);
  });
  let stdout = '';
  push.stdout.on('data', (chunk) => (stdout += chunk));
  const code = await new Promise((resolve) => push.once('exit', resolve));
  const total = Math.round(performance.now() - started);
  clearInterval(rssTimer);
  if (code !== 0) throw new Error(`push exited ${code}:\n${stderr.join('\n')}`);
  const answer = JSON.parse(stdout);
  const pushRss = Number(/maxRSS (\d+)/.exec(stderr.join('\n'))?.[1] ?? 0);
  Object.assign(out, {
    counts: answer.counts,
    pushWallMs: total,
    // From the last byte handed to the HTTP client to the 201: the server's read, parse, normalise and store.
    serverIngestMs: sentAt === undefined ? undefined : total - sentAt,
    pushPeakRssMiB: Math.round(pushRss / 1024),
    serverPeakRssMiB: peakRssMiB(api.pid),
    // The server's CPU time for the whole upload (all its threads): a figure the machine's load does not inflate.
    serverCpuMs: Math.round((cpuSeconds(api.pid) - serverCpuBefore) * 1000),
    // The ingest alone: read, parse, normalise and store, up to its stage log line.
    serverIngestCpuMs: serverCpuAtStages === undefined ? undefined : Math.round(serverCpuAtStages * 1000),
    serverStages,
    ...(rssTimer ? { serverRssTimelineMsMiB: rssTimeline.join(' ') } : {}),
    pushStderr: stderr.filter((line) => !/maxRSS/.test(line)),
  });
  const listed = await (await fetch(`${server}/graphql`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: `{ snapshot(id: "${answer.id}") { pods(first: 1) { totalCount } workloads(first: 1) { totalCount } policies(first: 1) { totalCount } } }` }),
  })).json();
  out.stored = listed.data?.snapshot ?? listed.errors;
  console.log(JSON.stringify(out));
} finally {
  await stopAll();
}
