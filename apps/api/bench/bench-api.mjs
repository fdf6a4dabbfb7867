// API benchmark (issue 4), not a test: figures are printed, never asserted.
//
//   node apps/api/bench/bench-api.mjs [--size M] [--seed 1] [--queries 1000] [--skip-build] [--json]
//                                     [--load] [--load-rps 100] [--load-seconds 60] [--ingest-only] [--cluster-file FILE]
//
// Builds the engine lib, the bench generator (tools/bench/tsconfig.json) and the api (tsc, then its threads' bundles), generates the seeded synthetic cluster of libs/engine/bench
// (size M = 10,000 pods), starts an embedded PostgreSQL and the BUILT server as child processes, then measures:
//   1. ingest: POST /api/v1/clusters/bench/snapshots of the gzipped `kubectl get -o json` List (as `netpol push`);
//   2. the first `reachability` query (cold: the server builds the engine model from the stored content);
//   3. p50 / p99 of N warm `reachability` queries (seeded random workload pairs, half within one namespace, and
//      common ports) over HTTP keep-alive, one at a time.
//   4. with --cold [--cold-analyses 3] (issue 13): ingests that many variants of the cluster (one more Namespace each,
//      so new content), then asks for their connectivity at once (cold: analysed in the server's worker threads)
//      while a client sends `{ __typename }` every 10 ms; prints that cheap query's p50/p99/max during the analyses,
//      then the same during cold reachability queries (their engine model is built in a model thread), then during
//      cold whoCanReach queries on that many more new variants (model in its model thread, the factorised analysis in
//      a worker thread, loaded onto the model there); then restarts the server and times the first reachability (the
//      model rebuilt from the stored content) and the first whoCanReach (the stored serialised analysis loaded onto
//      it); then, on that restarted server (memory cold, analyses stored), a diff with causes of two variants
//      (REST, txt), the lint of a third (REST) and a compliance report of a fourth (GraphQL) at once: the model
//      computations (model-computations.ts), in the model threads since issue 13, on the event loop before; then
//      that report as the dashboard reads it, three times: the compliance page's reports list and the report view
//      (controls with 100 evidence rows each; tens of MB of stored report at 50k pods). Each phase also prints the
//      CPU time of the server's event-loop thread (/proc/<pid>/task/<pid>/stat), a figure the machine's load does not
//      inflate.
//   4b. with --restarts N (issue 13, the first answer after a restart): the snapshot's analysis is computed (and
//      stored, with its stored model), then N times: the server restarts and the first reachability is timed (wall,
//      the server's event-loop CPU and its whole process' CPU, every thread, from the restart's "listening" line to
//      the answer), then the first whoCanReach, and the time from the process' spawn to its "listening" line and to
//      that first answer (a server that loaded its models before listening would show there). --server-main FILE runs another build of the server (A/B against
//      another worktree's apps/api/dist, same bench, same database flow).
//   --ingest-only (issue 13, server ingest of the L dump): stop after step 1 and print the ingest row: wall time, the
//      server's CPU over the upload (user + system, every thread: the parse worker too) and its peak RSS (VmHWM; the
//      server is fresh, so the peak is the upload's), with its idle RSS before. --cluster-file FILE ingests that
//      `kubectl get -o json` List instead of the generated one (e.g. the L dump of another checkout, not regenerated).
//   5. with --load (issue 9): a constant load of --load-rps reachability queries per second for --load-seconds
//      against 127.0.0.1 only (open loop: a query is sent every 1/rps s whatever the previous ones do), then
//      p50/p99/max latency and the errors are printed. Bounded, never asserted. The bench server gets
//      NETPOL_RATE_LIMIT=1000000 (the default limit of 1,200 per minute per client would refuse a 100 rps load).
// The server authenticates: it is started with NETPOL_BOOTSTRAP_ADMIN_TOKEN and every request sends that token.
// Progress goes to stderr; children are stopped on exit.
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { benchChildren } from '../../../tools/bench/children.mjs';

const repo = path.resolve(import.meta.dirname, '../../..');
const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'M' },
    seed: { type: 'string', default: '1' },
    queries: { type: 'string', default: '1000' },
    'skip-build': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    // Extra node flags for the server, e.g. "--trace-gc" or "--cpu-prof --cpu-prof-dir=/tmp/prof".
    'server-node-args': { type: 'string', default: '' },
    // Copy the server's stdout and stderr to this file.
    'server-log': { type: 'string' },
    // Also time GET …/connectivity?format=txt computed, from memory, and from Postgres after a server restart.
    cache: { type: 'boolean', default: false },
    load: { type: 'boolean', default: false },
    cold: { type: 'boolean', default: false },
    restarts: { type: 'string', default: '0' },
    'server-main': { type: 'string' },
    'ingest-only': { type: 'boolean', default: false },
    'cluster-file': { type: 'string' },
    // With the ingest row: the server's resident set every 100 ms of the upload (where its peak is).
    'rss-timeline': { type: 'boolean', default: false },
    // With --cold: print each cheap query slower than this (ms) to stderr with the CLOCK_MONOTONIC time (µs) it ended,
    // to match against a server CPU profile (--server-node-args="--cpu-prof …": its timestamps are the same clock).
    'log-slow-ms': { type: 'string' },
    'cold-analyses': { type: 'string', default: '3' },
    'load-rps': { type: 'string', default: '100' },
    'load-seconds': { type: 'string', default: '60' },
  },
});
const logSlowMs = values['log-slow-ms'] === undefined ? undefined : Number(values['log-slow-ms']);
const loadRps = Number(values['load-rps']);
const loadSeconds = Number(values['load-seconds']);
if (values.load && !(loadRps > 0 && loadRps <= 1000 && loadSeconds > 0 && loadSeconds <= 600)) {
  console.error('--load-rps must be 1 to 1000 and --load-seconds 1 to 600');
  process.exit(2);
}
const ADMIN_TOKEN = `npat_${randomBytes(9).toString('base64url')}_${randomBytes(32).toString('base64url')}`;
const AUTH = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const size = values.size.toUpperCase();
const seed = Number(values.seed);
const queries = Number(values.queries);
if (!['S', 'M', 'L'].includes(size) || !Number.isInteger(seed) || !(queries > 0)) {
  console.error('usage: bench-api.mjs [--size S|M|L] [--seed N] [--queries N] [--skip-build] [--json] [--ingest-only] [--cluster-file FILE]');
  process.exit(2);
}
const log = (line) => process.stderr.write(`bench-api: ${line}\n`);
const { children, run, startChild, stopChildren } = benchChildren(repo, log);

/** mulberry32: a small seeded generator, so the query mix is the same for a seed. */
function random(seedValue) {
  let a = seedValue >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
function post(port, pathName, body, headers, via = agent) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathName, method: 'POST', agent: via, headers: { 'Content-Length': body.length, ...AUTH, ...headers } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const REACHABILITY = `query($id: ID!, $from: PeerInput!, $to: PeerInput!, $port: Port!) {
  reachability(snapshotId: $id, from: $from, to: $to, port: $port) { allowed explanation { summary
    ingress { isolated policies allowedBy { policy namespace rule ports { protocol from to name } } }
    egress { isolated policies allowedBy { policy namespace rule ports { protocol from to name } } } } } }`;

const WHO_CAN_REACH = `query($id: ID!, $to: PeerInput!, $port: Port!) {
  whoCanReach(snapshotId: $id, to: $to, port: $port) { peer { type namespace kind name ipRange } portsText } }`;

async function whoCanReach(port, variables, via = agent) {
  const body = Buffer.from(JSON.stringify({ query: WHO_CAN_REACH, variables }));
  const t0 = performance.now();
  const res = await post(port, '/graphql', body, { 'Content-Type': 'application/json' }, via);
  const ms = performance.now() - t0;
  const parsed = JSON.parse(res.text);
  if (res.status !== 200 || parsed.errors) throw new Error(`whoCanReach failed: ${res.status} ${res.text.slice(0, 500)}`);
  return { ms, peers: parsed.data.whoCanReach.length };
}

async function reachability(port, variables, via = agent) {
  const body = Buffer.from(JSON.stringify({ query: REACHABILITY, variables }));
  const t0 = performance.now();
  const res = await post(port, '/graphql', body, { 'Content-Type': 'application/json' }, via);
  const ms = performance.now() - t0;
  const parsed = JSON.parse(res.text);
  if (res.status !== 200 || parsed.errors) throw new Error(`reachability failed: ${res.status} ${res.text.slice(0, 500)}`);
  return { ms, allowed: parsed.data.reachability.allowed };
}

/** The server's resident set (`VmRSS`) or its peak (`VmHWM`) in MiB, from /proc. */
function serverRssMiB(field) {
  const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
  return Math.round(Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024);
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const round = (ms) => Math.round(ms * 100) / 100;

// 1. Build and generate.
const tsc = path.join(repo, 'node_modules/typescript/bin/tsc');
if (!values['skip-build']) {
  log('building libs/engine, the bench generator (tools/bench) and apps/api');
  run([tsc, '-p', 'libs/engine/tsconfig.lib.json'], 'engine build');
  run([tsc, '-p', 'tools/bench/tsconfig.json'], 'bench generator build');
  run([tsc, '-p', 'apps/api/tsconfig.app.json'], 'api build');
  run([path.join(repo, 'node_modules/rolldown/bin/cli.mjs'), '-c', 'apps/api/rolldown.config.mjs', '--logLevel', 'warn'], 'api thread bundles');
}
const clusterDir = path.join(repo, 'tools/bench/dist/clusters');
mkdirSync(clusterDir, { recursive: true });
const file = values['cluster-file'] ? path.resolve(values['cluster-file']) : path.join(clusterDir, `${size}-seed${seed}.json`);
if (!existsSync(file)) {
  log(`generating ${size} (seed ${seed})`);
  run([path.join(repo, 'tools/bench/dist/tools/bench/generate.js'), '--size', size, '--seed', String(seed), '--out', file], 'generate');
}
const listText = readFileSync(file);
const list = JSON.parse(listText.toString('utf8'));
const pods = list.items.filter((o) => o.kind === 'Pod').length;
const topLevel = list.items.filter((o) => ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob'].includes(o.kind));
const policies = list.items.filter((o) => o.kind === 'NetworkPolicy').length;

const bodyLimit = `${64 * Math.max(1, Math.ceil(listText.length / 2 ** 26))}MiB`;

// 2. Database and server.
log('starting embedded PostgreSQL');
const pg = await startChild([path.join(repo, 'tools/embedded-pg.mjs'), '--throwaway', '--stop-on-stdin-close'], {}, /^PG (\S+) up$/, 'embedded-pg');
log('starting the built server');
// One secret for every start: the admin token must still verify after a restart.
const TOKEN_SECRET = randomBytes(32).toString('base64url');
const startServer = () =>
  startChild(
    ['--max-old-space-size=4096', ...values['server-node-args'].split(' ').filter(Boolean), path.resolve(values['server-main'] ?? path.join(repo, 'apps/api/dist/apps/api/src/main.js'))],
    {
      DATABASE_URL: pg.match[1],
      PORT: '0',
      NETPOL_DEMO_DATA: 'off',
      DASHBOARD_DIST: path.join(os.tmpdir(), 'no-dashboard'),
      NETPOL_TOKEN_SECRET: TOKEN_SECRET,
      NETPOL_BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN,
      NETPOL_RATE_LIMIT: '1000000',
      // The L dump (126 MB) is over the default 64 MiB: the limit is the next multiple of 64 MiB that holds it.
      NETPOL_BODY_LIMIT: bodyLimit,
      // Cold means cold: no analysis job runs in the server after an ingest.
      NETPOL_JOBS: 'off',
      // A diff with causes of 10k-pod snapshots may take minutes on a loaded machine: measured, not cut at 120 s.
      NETPOL_REQUEST_TIMEOUT_MS: '900000',
    },
    /listening on http:\/\/localhost:(\d+)/,
    'server',
  );
let server = await startServer();
let port = Number(server.match[1]);
// Every server's output (restarts too) goes to one file.
const logFile = values['server-log'] ? createWriteStream(values['server-log']) : undefined;
const logServer = () => {
  if (!logFile) return;
  server.child.stdout.pipe(logFile, { end: false });
  server.child.stderr.pipe(logFile, { end: false });
};
logServer();

// 3. Ingest (gzip, as `netpol push`).
const gz = gzipSync(listText);
log(`ingesting ${pods} pods (${(listText.length / 2 ** 20).toFixed(1)} MiB, ${(gz.length / 2 ** 20).toFixed(1)} MiB gzip)`);
const idleRssMiB = serverRssMiB('VmRSS');
const ingestCpuBefore = serverProcessCpuSeconds();
let t0 = performance.now();
const rssTimeline = [];
const rssTimer = values['rss-timeline'] ? setInterval(() => rssTimeline.push(`${Math.round(performance.now() - t0)}:${serverRssMiB('VmRSS')}`), 100) : undefined;
const ingest = await post(port, '/api/v1/clusters/bench/snapshots', gz, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
const ingestMs = performance.now() - t0;
// NETPOL_JOBS=off: no analysis job runs after the commit, so this is the upload's CPU alone.
const ingestCpuMs = (serverProcessCpuSeconds() - ingestCpuBefore) * 1000;
const ingestPeakRssMiB = serverRssMiB('VmHWM');
clearInterval(rssTimer);
if (ingest.status !== 201) throw new Error(`ingest failed: ${ingest.status} ${ingest.text.slice(0, 1000)}`);
const snapshotId = JSON.parse(ingest.text).id;
const ingestFigures = {
  command: `node apps/api/bench/bench-api.mjs --ingest-only --size ${size}${values['cluster-file'] ? ` --cluster-file ${values['cluster-file']}` : ''}`,
  bytes: listText.length,
  gzipBytes: gz.length,
  bodyLimit,
  contentSha256: JSON.parse(ingest.text).contentSha256,
  wallMs: round(ingestMs),
  serverCpuMs: round(ingestCpuMs),
  serverIdleRssMiB: idleRssMiB,
  serverPeakRssMiB: ingestPeakRssMiB,
  loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
  ...(rssTimer ? { serverRssTimelineMsMiB: rssTimeline.join(' ') } : {}),
};
if (values['ingest-only']) {
  if (values.json) console.log(JSON.stringify(ingestFigures, null, 2));
  else {
    console.log(`API bench — ${ingestFigures.command}`);
    console.log(`snapshot: ${pods} pods, ${(listText.length / 2 ** 20).toFixed(1)} MiB JSON, ${(gz.length / 2 ** 20).toFixed(1)} MiB gzip (NETPOL_BODY_LIMIT ${bodyLimit}); content ${ingestFigures.contentSha256}`);
    console.log(
      `ingest (gzip upload, parse, normalise, store): ${ingestFigures.wallMs} ms wall, server CPU ${ingestFigures.serverCpuMs} ms (every thread), server peak RSS ${ingestPeakRssMiB} MiB (idle ${idleRssMiB} MiB); load average ${ingestFigures.loadAverage.join(', ')}`,
    );
    if (rssTimer) console.log(`server RSS (ms:MiB): ${ingestFigures.serverRssTimelineMsMiB}`);
  }
  agent.destroy();
  stopChildren();
  await Promise.all(children.map((child) => (child.exitCode === null && child.signalCode === null ? new Promise((resolve) => child.once('exit', resolve)) : undefined)));
  process.exit(0);
}

// 4. Queries: seeded random top-level workload pairs and common ports.
// Half the pairs inside one namespace (where tenant policies allow traffic), half across namespaces.
const next = random(seed);
const byNamespace = new Map();
for (const w of topLevel) byNamespace.set(w.metadata.namespace, [...(byNamespace.get(w.metadata.namespace) ?? []), w]);
const pickFrom = (items) => items[Math.floor(next() * items.length)];
const PORTS = ['8080', '3000', '9090', '9102', '5432', '6379', '53', '443', '80'];
const probe = () => {
  const a = pickFrom(topLevel);
  const b = next() < 0.5 ? pickFrom(byNamespace.get(a.metadata.namespace)) : pickFrom(topLevel);
  return {
    id: snapshotId,
    from: { namespace: a.metadata.namespace, name: a.metadata.name, kind: a.kind },
    to: { namespace: b.metadata.namespace, name: b.metadata.name, kind: b.kind },
    port: PORTS[Math.floor(next() * PORTS.length)],
  };
};
log('first reachability (cold)');
const cold = await reachability(port, probe());
log(`${queries} warm reachability queries`);
const latencies = [];
let allowed = 0;
t0 = performance.now();
for (let i = 0; i < queries; i++) {
  const r = await reachability(port, probe());
  latencies.push(r.ms);
  if (r.allowed) allowed++;
}
const wallMs = performance.now() - t0;
latencies.sort((a, b) => a - b);

// Baseline: the same number of `{ __typename }` queries (HTTP + GraphQL, no analysis), to separate the server's
// fixed cost from reachability's.
log(`${queries} baseline { __typename } queries`);
const baseline = [];
const trivial = Buffer.from(JSON.stringify({ query: '{ __typename }' }));
for (let i = 0; i < queries; i++) {
  const started = performance.now();
  const res = await post(port, '/graphql', trivial, { 'Content-Type': 'application/json' });
  if (res.status !== 200) throw new Error(`baseline query failed: ${res.status} ${res.text}`);
  baseline.push(performance.now() - started);
}
baseline.sort((a, b) => a - b);
const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
const serverPeakRssMiB = Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);

/** GET …/connectivity?format=txt: { ms, bytes, source } (the X-Netpol-Analysis-Cache header). */
function getConnectivity(id = snapshotId, via = agent) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    http
      .get({ host: '127.0.0.1', port, path: `/api/v1/snapshots/${id}/connectivity?format=txt`, agent: via, headers: AUTH }, (res) => {
        let bytes = 0;
        res.on('data', (chunk) => (bytes += chunk.length));
        res.on('end', () => resolve({ ms: round(performance.now() - started), bytes, source: res.headers['x-netpol-analysis-cache'] }));
      })
      .on('error', reject);
  });
}

/** GET `pathName` as text: { status, text }. */
function getText(pathName, via = agent) {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: pathName, agent: via, headers: AUTH }, (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
      })
      .on('error', reject);
  });
}

const GENERATE_REPORT = `mutation($id: ID!, $framework: String!) { generateReport(snapshotId: $id, framework: $framework) { id } }`;
// What the dashboard's compliance page and report view ask (apps/dashboard/src/pages/compliance/queries.ts).
const COMPLIANCE_PAGE = `{ reports(cluster: "bench-cold", first: 50) { totalCount edges { node { id framework generatedAt summary { verdict pass fail manual notApplicable } changes { flipped { control from to } } } } } }`;
const REPORT_VIEW = `query($id: ID!) { report(id: $id) { id framework summary { verdict pass fail } changes { previousReportId flipped { control from to } }
  controls { id reference title requirement status summary exceptions { path owner expires justification connections } evidence(first: 100) { totalCount edges { node { kind status subject peer ports zones detail } } } } } }`;

/** When the running server's process was started (restartServer). */
let serverSpawnedAt = performance.now();

/** Stops the server and starts another on the same database (its memory cache empty, Postgres kept). */
async function restartServer() {
  server.child.kill('SIGTERM');
  await new Promise((resolve) => server.child.once('exit', resolve));
  agent.destroy();
  serverSpawnedAt = performance.now();
  server = await startServer();
  port = Number(server.match[1]);
  logServer();
}

/** Open-loop constant load: one reachability query every 1/rps s for `seconds`; latencies and errors. */
async function constantLoad(rps, seconds) {
  const loadAgent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.round(rps * seconds);
  const latenciesMs = [];
  const errors = new Map();
  const inFlight = [];
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rps;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(
      reachability(port, probe(), loadAgent).then(
        (r) => latenciesMs.push(r.ms),
        (error) => {
          const key = String(error.message).slice(0, 80);
          errors.set(key, (errors.get(key) ?? 0) + 1);
        },
      ),
    );
  }
  await Promise.all(inFlight);
  const wall = (performance.now() - started) / 1000;
  loadAgent.destroy();
  latenciesMs.sort((a, b) => a - b);
  return {
    targetRps: rps,
    seconds,
    sent: total,
    achievedRps: Math.round((total / wall) * 10) / 10,
    ok: latenciesMs.length,
    errors: [...errors].reduce((n, [, c]) => n + c, 0),
    errorKinds: Object.fromEntries(errors),
    p50Ms: round(percentile(latenciesMs, 50) ?? 0),
    p99Ms: round(percentile(latenciesMs, 99) ?? 0),
    maxMs: round(latenciesMs.at(-1) ?? 0),
  };
}

/** CPU seconds (user + system) the server's main thread (the event loop: its tid is the pid) has used, from /proc. */
function serverMainThreadCpuSeconds() {
  try {
    const stat = readFileSync(`/proc/${server.child.pid}/task/${server.child.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/**
 * p50/p99/max of `{ __typename }` sent every 10 ms (one connection) while `work()` runs; and work's result; and the
 * CPU the server's event-loop thread spent meanwhile (independent of the machine's load, unlike the latencies).
 */
async function cheapQueriesDuring(work) {
  const cpuBefore = serverMainThreadCpuSeconds();
  const cheapAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const cheap = [];
  let running = true;
  let failed = 0;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      // A connection the server resets (its keep-alive timer fires after a long block of its event loop) is counted.
      const res = await post(port, '/graphql', trivial, { 'Content-Type': 'application/json' }, cheapAgent).catch(() => ({ status: 0 }));
      if (res.status !== 200) failed++;
      else {
        const ms = performance.now() - started;
        cheap.push(ms);
        if (logSlowMs !== undefined && ms > logSlowMs) console.error(`SLOW ${Math.round(ms)} ms ending at mono ${process.hrtime.bigint() / 1000n}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  const started = performance.now();
  const outcome = await work();
  const wallMs = round(performance.now() - started);
  running = false;
  await loop;
  cheapAgent.destroy();
  cheap.sort((a, b) => a - b);
  const eventLoopCpuMs = round((serverMainThreadCpuSeconds() - cpuBefore) * 1000);
  return { wallMs, outcome, eventLoopCpuMs, cheap: { count: cheap.length, failed, p50Ms: round(percentile(cheap, 50)), p99Ms: round(percentile(cheap, 99)), maxMs: round(cheap.at(-1)) } };
}

let coldFigures;
if (values.cold) {
  const n = Math.max(1, Math.min(8, Number(values['cold-analyses']) || 3));
  const ingestVariants = async (prefix) => {
    log(`ingesting ${n} variants for cold analyses (${prefix})`);
    const ids = [];
    for (let i = 0; i < n; i++) {
      const variant = { ...list, items: [...list.items, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `${prefix}-${i}` } }] };
      const body = gzipSync(JSON.stringify(variant));
      const upload = () => post(port, '/api/v1/clusters/bench-cold/snapshots', body, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
      // A kept-alive socket the server closes (its keep-alive timeout) as the next upload starts fails with EPIPE or
      // ECONNRESET: sent again once (the same content is stored once either way).
      const res = await upload().catch((error) => (['EPIPE', 'ECONNRESET'].includes(error.code) ? upload() : Promise.reject(error)));
      if (res.status !== 201) throw new Error(`variant ingest failed: ${res.status} ${res.text.slice(0, 500)}`);
      ids.push(JSON.parse(res.text).id);
    }
    return ids;
  };
  const variantIds = await ingestVariants('bench-cold');
  log(`${n} cold connectivity analyses at once (worker threads) with a cheap query every 10 ms`);
  const coldAgent = new http.Agent({ keepAlive: true, maxSockets: n });
  const analyses = await cheapQueriesDuring(() => Promise.all(variantIds.map((id) => getConnectivity(id, coldAgent))));
  log(`${n} cold reachability queries (engine model built in the model threads) with a cheap query every 10 ms`);
  const reach = await cheapQueriesDuring(() => Promise.all(variantIds.map((id) => reachability(port, { ...probe(), id }, coldAgent))));
  const whoIds = await ingestVariants('bench-cold-who');
  log(`${n} cold whoCanReach queries on new variants with a cheap query every 10 ms`);
  const who = await cheapQueriesDuring(() => Promise.all(whoIds.map((id) => whoCanReach(port, { id, to: probe().to, port: '8080' }, coldAgent))));
  coldAgent.destroy();
  // After a restart: the snapshot's analysis is computed (and stored) first, then the server restarts.
  const target = { id: snapshotId, to: probe().to, port: '8080' };
  const beforeRestart = await whoCanReach(port, target);
  await restartServer();
  const cpuAtStart = serverMainThreadCpuSeconds();
  const firstReachability = await reachability(port, probe());
  const firstReachabilityCpuMs = round((serverMainThreadCpuSeconds() - cpuAtStart) * 1000);
  const firstWhoCanReach = await whoCanReach(port, target);
  if (firstWhoCanReach.peers !== beforeRestart.peers) throw new Error('whoCanReach answered differently after the restart');
  log('a diff with causes, a lint and a compliance report at once (cold models, stored analyses) with a cheap query every 10 ms');
  const computeAgent = new http.Agent({ keepAlive: true, maxSockets: 3 });
  // A failure is printed with the figures (the other phases' figures are kept).
  const timed = async (what, request) => {
    const started = performance.now();
    const res = await request().catch((error) => ({ status: 0, text: String(error) }));
    const ok = res.status === 200 && !/"errors"/.test(res.text.slice(0, 20));
    return { what: ok ? what : `${what} (FAILED ${res.status}: ${res.text.slice(0, 120)})`, ms: round(performance.now() - started), bytes: res.text.length };
  };
  const computations = await cheapQueriesDuring(() =>
    Promise.all([
      // With one variant (--cold-analyses 1), its diff against the base snapshot.
      timed('diff --explain', () => getText(`/api/v1/diff?from=${n > 1 ? variantIds[0] : snapshotId}&to=${variantIds[n > 1 ? 1 : 0]}&format=txt&explain=true`, computeAgent)),
      timed('lint', () => getText(`/api/v1/snapshots/${variantIds[2 % n]}/lint?format=json`, computeAgent)),
      timed('report', () =>
        post(port, '/graphql', Buffer.from(JSON.stringify({ query: GENERATE_REPORT, variables: { id: whoIds[0], framework: 'pci-dss-4.0' } })), { 'Content-Type': 'application/json' }, computeAgent),
      ),
    ]),
  );
  computeAgent.destroy();
  // The report just generated, as the dashboard reads it: the compliance page's list (each report's summary and
  // flips) and the report view (controls, a page of 100 evidence rows each), one after the other, three times.
  log("the dashboard's compliance page and report view of the stored report, with a cheap query every 10 ms");
  const pagesAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const graphql = (query, variables) => post(port, '/graphql', Buffer.from(JSON.stringify({ query, variables })), { 'Content-Type': 'application/json' }, pagesAgent);
  const reportPages = await cheapQueriesDuring(async () => {
    const each = [];
    for (let round = 0; round < 3; round++) {
      let reportId;
      each.push(
        await timed('compliance page', async () => {
          const res = await graphql(COMPLIANCE_PAGE);
          reportId = JSON.parse(res.text).data?.reports?.edges?.[0]?.node?.id;
          return res;
        }),
      );
      each.push(await timed('report view', () => graphql(REPORT_VIEW, { id: reportId ?? '' })));
    }
    return each;
  });
  pagesAgent.destroy();
  coldFigures = {
    analyses: n,
    connectivity: { wallMs: analyses.wallMs, eachMs: analyses.outcome.map((c) => c.ms), sources: analyses.outcome.map((c) => c.source), cheap: analyses.cheap, eventLoopCpuMs: analyses.eventLoopCpuMs },
    reachability: { wallMs: reach.wallMs, eachMs: reach.outcome.map((r) => round(r.ms)), cheap: reach.cheap, eventLoopCpuMs: reach.eventLoopCpuMs },
    whoCanReach: { wallMs: who.wallMs, eachMs: who.outcome.map((r) => round(r.ms)), cheap: who.cheap, eventLoopCpuMs: who.eventLoopCpuMs },
    computations: { wallMs: computations.wallMs, each: computations.outcome, cheap: computations.cheap, eventLoopCpuMs: computations.eventLoopCpuMs },
    reportPages: { wallMs: reportPages.wallMs, each: reportPages.outcome, cheap: reportPages.cheap, eventLoopCpuMs: reportPages.eventLoopCpuMs },
    afterRestart: { firstReachabilityMs: round(firstReachability.ms), firstReachabilityEventLoopCpuMs: firstReachabilityCpuMs, firstWhoCanReachMs: round(firstWhoCanReach.ms) },
  };
}

/** CPU seconds (user + system) of the whole server process (every thread: model threads, GC), from /proc. */
function serverProcessCpuSeconds() {
  try {
    const stat = readFileSync(`/proc/${server.child.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

let restartFigures;
const restarts = Math.max(0, Math.min(20, Number(values.restarts) || 0));
if (restarts > 0) {
  const target = { id: snapshotId, to: probe().to, port: '8080' };
  // The analysis (and the stored model with it) is stored before the first restart.
  const reference = await whoCanReach(port, target);
  const question = probe();
  const expected = await reachability(port, question);
  restartFigures = [];
  for (let i = 0; i < restarts; i++) {
    log(`restart ${i + 1}/${restarts}: first reachability`);
    await restartServer();
    const cpuAtStart = serverMainThreadCpuSeconds();
    const processCpuAtStart = serverProcessCpuSeconds();
    const listenedAt = performance.now();
    const first = await reachability(port, question);
    const sinceSpawnMs = round(performance.now() - serverSpawnedAt);
    const startMs = round(listenedAt - serverSpawnedAt);
    const eventLoopCpuMs = round((serverMainThreadCpuSeconds() - cpuAtStart) * 1000);
    const processCpuMs = round((serverProcessCpuSeconds() - processCpuAtStart) * 1000);
    if (first.allowed !== expected.allowed) throw new Error('reachability answered differently after the restart');
    const who = await whoCanReach(port, target);
    if (who.peers !== reference.peers) throw new Error('whoCanReach answered differently after the restart');
    restartFigures.push({ firstReachabilityMs: round(first.ms), startMs, sinceSpawnMs, eventLoopCpuMs, processCpuMs, firstWhoCanReachMs: round(who.ms) });
  }
}

let loadFigures;
if (values.load) {
  log(`constant load: ${loadRps} reachability queries/s for ${loadSeconds} s against 127.0.0.1`);
  loadFigures = await constantLoad(loadRps, loadSeconds);
}

let cacheFigures;
if (values.cache) {
  log('connectivity: computed, then memory, then Postgres after a restart');
  const computed = await getConnectivity();
  const memory = await getConnectivity();
  await restartServer();
  const store = await getConnectivity();
  cacheFigures = { computed, memory, storeAfterRestart: store };
}

const result = {
  command: `node apps/api/bench/bench-api.mjs --size ${size} --seed ${seed} --queries ${queries}`,
  machine: { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? 'unknown' },
  snapshot: { pods, topLevelWorkloads: topLevel.length, policies, bytes: listText.length, gzipBytes: gz.length },
  ingestMs: round(ingestMs),
  ingest: ingestFigures,
  coldReachabilityMs: round(cold.ms),
  warm: {
    queries,
    allowed,
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    maxMs: round(latencies.at(-1)),
    meanMs: round(latencies.reduce((a, b) => a + b, 0) / latencies.length),
    throughputPerSecond: Math.round((queries / wallMs) * 1000),
  },
  baselineTypename: { p50Ms: round(percentile(baseline, 50)), p99Ms: round(percentile(baseline, 99)), maxMs: round(baseline.at(-1)) },
  loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
  serverPeakRssMiB,
  ...(cacheFigures ? { connectivityTxt: cacheFigures } : {}),
  ...(loadFigures ? { load: loadFigures } : {}),
  ...(coldFigures ? { cold: coldFigures } : {}),
  ...(restartFigures ? { restarts: restartFigures } : {}),
  bar: { warmP99Ms: 25, met: percentile(latencies, 99) <= 25 },
};
if (values.json) console.log(JSON.stringify(result, null, 2));
else {
  console.log(`API bench — ${result.command}`);
  console.log(`machine: Node ${result.machine.node}, ${result.machine.cpus} CPUs (${result.machine.cpu})`);
  console.log(`snapshot: ${pods} pods, ${topLevel.length} top-level workloads, ${policies} policies, ${(listText.length / 2 ** 20).toFixed(1)} MiB JSON`);
  console.log(`ingest (gzip upload, parse, normalise, store): ${result.ingestMs} ms, server CPU ${ingestFigures.serverCpuMs} ms, server peak RSS ${ingestFigures.serverPeakRssMiB} MiB`);
  console.log(`first reachability (cold model): ${result.coldReachabilityMs} ms`);
  console.log(`warm reachability over HTTP (${queries}, ${allowed} allowed): p50 ${result.warm.p50Ms} ms, p99 ${result.warm.p99Ms} ms, max ${result.warm.maxMs} ms, mean ${result.warm.meanMs} ms, ${result.warm.throughputPerSecond}/s`);
  console.log(`baseline { __typename } over HTTP: p50 ${result.baselineTypename.p50Ms} ms, p99 ${result.baselineTypename.p99Ms} ms, max ${result.baselineTypename.maxMs} ms`);
  console.log(`server peak RSS: ${serverPeakRssMiB} MiB; machine load average (1, 5, 15 min): ${result.loadAverage.join(', ')}`);
  if (cacheFigures) {
    const f = (x) => `${x.ms} ms (${x.source}, ${(x.bytes / 2 ** 20).toFixed(1)} MiB)`;
    console.log(`connectivity txt: ${f(cacheFigures.computed)}; again ${f(cacheFigures.memory)}; after restart ${f(cacheFigures.storeAfterRestart)}`);
  }
  if (loadFigures) {
    const l = loadFigures;
    console.log(`load: ${l.targetRps} rps for ${l.seconds} s (achieved ${l.achievedRps} rps): ${l.ok} ok, ${l.errors} errors; p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms, max ${l.maxMs} ms${l.errors ? ` ${JSON.stringify(l.errorKinds)}` : ''}`);
  }
  if (coldFigures) {
    const c = coldFigures;
    const q = (x) => `p50 ${x.p50Ms} ms, p99 ${x.p99Ms} ms, max ${x.maxMs} ms over ${x.count}${x.failed ? ` (${x.failed} failed: connection reset)` : ''}`;
    console.log(`${c.analyses} cold connectivity analyses at once (threads): ${c.connectivity.wallMs} ms (each ${c.connectivity.eachMs.join(', ')} ms, ${c.connectivity.sources.join('/')}); cheap query meanwhile: ${q(c.connectivity.cheap)}; server event-loop CPU ${c.connectivity.eventLoopCpuMs} ms`);
    console.log(`${c.analyses} cold reachability queries at once (model in the model threads): ${c.reachability.wallMs} ms; cheap query meanwhile: ${q(c.reachability.cheap)}; server event-loop CPU ${c.reachability.eventLoopCpuMs} ms`);
    console.log(`${c.analyses} cold whoCanReach queries at once (new contents): ${c.whoCanReach.wallMs} ms (each ${c.whoCanReach.eachMs.join(', ')} ms); cheap query meanwhile: ${q(c.whoCanReach.cheap)}; server event-loop CPU ${c.whoCanReach.eventLoopCpuMs} ms`);
    console.log(`after a restart, at once: ${c.computations.each.map((e) => `${e.what} ${e.ms} ms`).join(', ')}: ${c.computations.wallMs} ms; cheap query meanwhile: ${q(c.computations.cheap)}; server event-loop CPU ${c.computations.eventLoopCpuMs} ms`);
    console.log(`the stored report as the dashboard reads it: ${c.reportPages.each.map((e) => `${e.what} ${e.ms} ms (${e.bytes} bytes)`).join(', ')}; cheap query meanwhile: ${q(c.reportPages.cheap)}; server event-loop CPU ${c.reportPages.eventLoopCpuMs} ms`);
    console.log(`after a restart: first reachability ${c.afterRestart.firstReachabilityMs} ms (server event-loop CPU ${c.afterRestart.firstReachabilityEventLoopCpuMs} ms), then first whoCanReach ${c.afterRestart.firstWhoCanReachMs} ms`);
  }
  for (const [i, r] of (restartFigures ?? []).entries()) {
    console.log(`restart ${i + 1}: first reachability ${r.firstReachabilityMs} ms (server CPU meanwhile: event loop ${r.eventLoopCpuMs} ms, whole process ${r.processCpuMs} ms), then first whoCanReach ${r.firstWhoCanReachMs} ms; process start to listening ${r.startMs} ms, to the first answer ${r.sinceSpawnMs} ms`);
  }
  console.log(`bar (warm p99 <= 25 ms): ${result.bar.met ? 'met' : 'NOT met'}`);
}
agent.destroy();
stopChildren();
// A child ended by a signal has no exit code: waiting for its (past) 'exit' would never end (Node exits 13).
await Promise.all(children.map((child) => (child.exitCode === null && child.signalCode === null ? new Promise((resolve) => child.once('exit', resolve)) : undefined)));
process.exit(0);
