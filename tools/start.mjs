// `npm start`: build what the server needs, start PostgreSQL (embedded, unless DATABASE_URL is set), run the API
// (which applies the migrations and loads the demo cluster into an empty store), and print the URL.
//
//   npm start                 → http://localhost:3000 (PORT changes it)
//   node tools/start.mjs --no-build    skip the build (use the existing dist folders)
//
// The embedded server keeps its data in NETPOL_DATA_DIR (default .data/pg; see tools/embedded-pg.mjs for clones
// under a 0700 folder). Ctrl-C stops the API, then PostgreSQL.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

const ROOT = path.resolve(import.meta.dirname, '..');
const MAIN = path.join(ROOT, 'apps', 'api', 'dist', 'apps', 'api', 'src', 'main.js');
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };
const children = [];
let stopping = false;

function fail(message) {
  if (stopping) return;
  console.error(`npm start: ${message}`);
  stopAll(1);
}

/** Stops the API first (it holds database connections), then PostgreSQL; exits with `code`. */
async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const child of [...children].reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  process.exit(code);
}

/** Resolves with the first match of `pattern` in the child's stdout lines; other lines are echoed. */
function watchLines(child, pattern, echo = true) {
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    let matched = false;
    lines.on('line', (line) => {
      if (echo) console.log(line);
      const match = !matched && pattern.exec(line);
      if (match) {
        matched = true;
        resolve(match);
      }
    });
    child.once('exit', (code) => {
      if (!matched) reject(new Error(`${path.basename(child.spawnargs.at(-1) ?? '')} exited (${code}) before it was ready`));
    });
  });
}

if (!process.argv.includes('--no-build')) {
  console.log('npm start: building (engine, api, dashboard, cli)…');
  const build = spawnSync('npx', ['--no-install', 'nx', 'run-many', '-t', 'build', '--output-style=static'], {
    cwd: ROOT,
    stdio: 'inherit',
    env,
  });
  if (build.status !== 0) {
    console.error('npm start: the build failed');
    process.exit(build.status ?? 1);
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stopAll(0));

let databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  const pg = spawn(process.execPath, [path.join(ROOT, 'tools', 'embedded-pg.mjs'), '--stop-on-stdin-close', '--report-data-dir'], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
    env,
  });
  children.push(pg);
  // The real data folder (embedded-pg may keep it elsewhere when the postgres user cannot reach the wanted one).
  let location = 'data in an unknown folder';
  readline.createInterface({ input: pg.stdout }).on('line', (line) => {
    if (line.startsWith('PG data in ')) location = line.slice('PG '.length);
  });
  try {
    [, databaseUrl] = await watchLines(pg, /^PG (\S+) up$/, false);
  } catch (error) {
    fail(`embedded PostgreSQL did not start: ${error.message}`);
  }
  console.log(`npm start: embedded PostgreSQL ready, ${location}`);
  pg.once('exit', (code) => stopping || fail(`embedded PostgreSQL stopped (${code})`));
}

const api = spawn(process.execPath, [MAIN], {
  cwd: ROOT,
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...env, DATABASE_URL: databaseUrl, PORT: process.env.PORT ?? '3000' },
});
children.push(api);
api.once('exit', (code) => {
  if (stopping) return;
  console.error(`npm start: the API stopped (${code})`);
  stopAll(code ?? 1);
});
try {
  const [, url] = await watchLines(api, /listening on (http:\/\/\S+)/);
  const ready = await fetch(`${url}/readyz`).then((res) => res.ok, () => false);
  if (!ready) fail(`${url}/readyz is not ready`);
  console.log(`\nNetpol Atlas is ready: ${url}  (demo cluster: ${url}/ ; GraphQL: ${url}/graphql ; Ctrl-C stops)\n`);
} catch (error) {
  fail(error.message);
}
