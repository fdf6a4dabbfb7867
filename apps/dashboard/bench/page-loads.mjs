// Dashboard page loads on the seeded synthetic cluster (not a test: figures are printed, never asserted).
//
//   node apps/dashboard/bench/page-loads.mjs [--size M] [--seed 1] [--json]        (npm run bench:dashboard)
//
// Needs the built server and dashboard (`npm run build`). Builds the bench generator if needed, generates the
// cluster of libs/engine/bench (size M = 10,000 pods), starts an embedded PostgreSQL and the BUILT server (which
// serves the built dashboard) as child processes, uploads the cluster, then opens each page in headless Chromium
// twice: cold (the first visit, when the server computes the analysis) and warm (the next visit), timing navigation
// start → the page's content on screen. Progress goes to stderr; children are stopped on exit.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { benchChildren } from '../../../tools/bench/children.mjs';

const repo = path.resolve(import.meta.dirname, '../../..');
const { values } = parseArgs({
  options: { size: { type: 'string', default: 'M' }, seed: { type: 'string', default: '1' }, json: { type: 'boolean', default: false } },
});
const size = values.size.toUpperCase();
const seed = Number(values.seed);
const log = (line) => process.stderr.write(`bench-dashboard: ${line}\n`);
const { run, startChild } = benchChildren(repo, log);

const apiMain = path.join(repo, 'apps/api/dist/apps/api/src/main.js');
const dashboardDist = path.join(repo, 'apps/dashboard/dist');
for (const file of [apiMain, path.join(dashboardDist, 'index.html')]) {
  if (!existsSync(file)) {
    log(`${path.relative(repo, file)} is missing: run \`npm run build\` first`);
    process.exit(2);
  }
}

// 1. The synthetic cluster.
const generator = path.join(repo, 'tools/bench/dist/tools/bench/generate.js');
if (!existsSync(generator)) {
  log('building the bench generator (tools/bench)');
  run([path.join(repo, 'node_modules/typescript/bin/tsc'), '-p', 'tools/bench/tsconfig.json'], 'bench generator build');
}
const clusterDir = path.join(repo, 'tools/bench/dist/clusters');
mkdirSync(clusterDir, { recursive: true });
const file = path.join(clusterDir, `${size}-seed${seed}.json`);
if (!existsSync(file)) {
  log(`generating ${size} (seed ${seed})`);
  run([generator, '--size', size, '--seed', String(seed), '--out', file], 'generate');
}
const listText = readFileSync(file);

// 2. Database, server, upload.
log('starting embedded PostgreSQL and the built server');
const pg = await startChild([path.join(repo, 'tools/embedded-pg.mjs'), '--throwaway', '--stop-on-stdin-close'], {}, /^PG (\S+) up$/, 'embedded-pg');
const server = await startChild(
  ['--max-old-space-size=4096', apiMain],
  // Authentication off (a throwaway local server): the bench times pages, not the sign-in.
  {
    DATABASE_URL: pg.match[1],
    PORT: '0',
    DASHBOARD_DIST: dashboardDist,
    NETPOL_AUTH: 'off',
    NETPOL_DEMO_DATA: 'off',
    // The L dump (126 MB) is over the default 64 MiB: the limit is the next multiple of 64 MiB that holds it.
    NETPOL_BODY_LIMIT: `${64 * Math.max(1, Math.ceil(listText.length / 2 ** 26))}MiB`,
  },
  /listening on http:\/\/localhost:(\d+)/,
  'server',
);
const base = `http://127.0.0.1:${server.match[1]}`;
log(`uploading ${size} (${(listText.length / 2 ** 20).toFixed(1)} MiB)`);
const upload = await fetch(`${base}/api/v1/clusters/bench/snapshots`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
  body: gzipSync(listText),
});
if (upload.status !== 201) throw new Error(`upload failed: ${upload.status} ${(await upload.text()).slice(0, 500)}`);
const id = (await upload.json()).id;
const gql = async (query) => (await (await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })).json()).data;
const first = await gql(`{ snapshot(id: "${id}") { counts { pods workloads policies namespaces } workloads(first: 1) { edges { node { namespace kind name } } } policies(first: 1) { edges { node { namespace name } } } } }`);
const workload = first.snapshot.workloads.edges[0].node;
const policy = first.snapshot.policies.edges[0].node;
log(`snapshot ${id}: ${JSON.stringify(first.snapshot.counts)}`);

// 3. The browser.
let executablePath = process.env.CHROME_PATH?.trim();
let args = ['--no-sandbox', '--disable-gpu'];
if (!executablePath) {
  const { default: sparticuz } = await import('@sparticuz/chromium');
  executablePath = await sparticuz.executablePath();
  args = [...new Set([...args, ...sparticuz.args.filter((arg) => !arg.startsWith('--headless'))])];
}
const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'netpol-bench-browser-'));
const context = await chromium.launchPersistentContext(userDataDir, { executablePath, headless: true, args, viewport: { width: 1280, height: 900 } });

const enc = encodeURIComponent;
const pages = [
  ['inventory', '/', '.inventory-grid .card'],
  ['explorer', `/snapshots/${id}`, 'section[aria-labelledby="snapshot-policies"] table'],
  ['workload', `/snapshots/${id}/workloads/${enc(workload.namespace)}/${enc(workload.kind)}/${enc(workload.name)}`, 'section[aria-labelledby="reach-in"] table, section[aria-labelledby="reach-in"] .empty'],
  ['policy', `/snapshots/${id}/policies/${enc(policy.namespace)}/${enc(policy.name)}`, '.yaml'],
  ['service map (namespaces)', `/snapshots/${id}/map`, '.map-canvas[data-ready="true"]'],
  ['service map (one namespace)', `/snapshots/${id}/map?ns=${enc(workload.namespace)}`, '.map-canvas[data-ready="true"]'],
  ['connectivity', `/snapshots/${id}/connectivity`, 'section[aria-labelledby="allowed-connections"] table'],
  ['exposure', `/snapshots/${id}/exposure`, 'section[aria-labelledby="exposure-unprotected"] .muted'],
  ['reachability form', `/snapshots/${id}/reachability`, 'form[aria-label="Reachability question"]'],
  // The policy page's per-rule connections (Policy.ruleConnections), its table or its empty/error state.
  ['policy rule connections', `/snapshots/${id}/policies/${enc(policy.namespace)}/${enc(policy.name)}`, 'section[aria-labelledby="rule-connections"] :is(table, .empty, [role="alert"])'],
  ['findings (lint)', `/snapshots/${id}/findings`, 'section[aria-labelledby="findings-list"] :is(ol, .empty)'],
  ['compliance', '/clusters/bench/compliance', 'section[aria-labelledby="report-history"]'],
];
const results = [];
try {
  for (const [name, pathname, ready] of pages) {
    const timings = [];
    for (const visit of ['cold', 'warm']) {
      const page = await context.newPage();
      const t0 = performance.now();
      await page.goto(`${base}${pathname}`);
      await page.locator(ready).first().waitFor({ timeout: 300_000 });
      timings.push(Math.round(performance.now() - t0));
      await page.close();
      log(`${name} (${visit}): ${timings.at(-1)} ms`);
    }
    results.push({ page: name, coldMs: timings[0], warmMs: timings[1] });
  }
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}

if (values.json) {
  console.log(JSON.stringify({ size, seed, counts: first.snapshot.counts, pages: results }, null, 2));
} else {
  const c = first.snapshot.counts;
  console.log(`Dashboard page loads, size ${size} (seed ${seed}): ${c.pods} pods, ${c.workloads} workloads, ${c.policies} policies, ${c.namespaces} namespaces`);
  console.log('page                          cold ms   warm ms');
  for (const r of results) console.log(`${r.page.padEnd(28)}${String(r.coldMs).padStart(9)}${String(r.warmMs).padStart(10)}`);
}
process.exit(0);
