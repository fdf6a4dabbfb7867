// `npm start`: build what the server needs, start PostgreSQL (embedded, unless DATABASE_URL is set), run the API
// (which applies the migrations and loads the demo cluster into an empty store), and print the URL.
//
//   npm start                 → http://localhost:3000 (PORT changes it)
//   node tools/start.mjs --no-build    skip the build (use the existing dist folders)
//
// The embedded server keeps its data in NETPOL_DATA_DIR (default .data/pg; see tools/embedded-pg.mjs for clones
// under a 0700 folder). Ctrl-C stops the API, then PostgreSQL.
import { spawn, spawnSync } from 'node:child_process';
import net from 'node:net';
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

/** Resolves with the listen error's code when `port` cannot be listened on (e.g. EADDRINUSE), else undefined. */
function portProblem(port) {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', (error) => resolve(error.code ?? error.message));
    probe.listen(port, () => probe.close(() => resolve(undefined)));
  });
}

// Before building and starting PostgreSQL: a taken port would otherwise end in the API's EADDRINUSE stack trace.
const wantedPort = Number(process.env.PORT ?? 3000);
if (wantedPort !== 0) {
  const problem = await portProblem(wantedPort);
  if (problem) {
    const taken = problem === 'EADDRINUSE' ? 'is in use by another process' : `cannot be listened on (${problem})`;
    console.error(`npm start: port ${wantedPort} ${taken}; set PORT to another one (PORT=3001 npm start)`);
    process.exit(1);
  }
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

/** Starts the embedded PostgreSQL (on `port` when given); resolves with its URLs and the real data folder
 *  (embedded-pg may keep it elsewhere when the postgres user cannot reach the wanted one) once it is up. */
async function startPostgres(port) {
  const args = [path.join(ROOT, 'tools', 'embedded-pg.mjs'), '--stop-on-stdin-close', '--report-data-dir', ...(port ? ['--port', String(port)] : [])];
  const pg = spawn(process.execPath, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'], env });
  children.push(pg);
  const urls = {};
  const lines = readline.createInterface({ input: pg.stdout });
  const up = new Promise((resolve, reject) => {
    lines.on('line', (line) => {
      const role = /^PG (app|owner) (\S+)$/.exec(line);
      if (role) urls[role[1]] = role[2];
      if (line.startsWith('PG data in ')) urls.location = line.slice('PG '.length);
      if (/^PG \S+ up$/.test(line)) resolve(urls);
    });
    pg.once('exit', (code) => reject(new Error(`embedded-pg exited (${code}) before it was ready`)));
  });
  return { pg, urls: await up };
}

let databaseUrl = process.env.DATABASE_URL;
let ownerUrl = process.env.DATABASE_OWNER_URL;
if (!databaseUrl) {
  let pg;
  let location;
  try {
    ({ pg, urls: { app: databaseUrl, owner: ownerUrl, location } } = await startPostgres());
  } catch (error) {
    fail(`embedded PostgreSQL did not start: ${error.message}`);
  }
  console.log(`npm start: embedded PostgreSQL ready, ${location ?? 'data in an unknown folder'}`);
  // Supervised: if it dies, start it again on the same port (bounded: MAX_PG_RESTARTS within PG_RESTART_WINDOW_MS);
  // the API's pool reconnects, answering 503 meanwhile. Beyond the bound, everything stops with a non-zero code.
  const MAX_PG_RESTARTS = 3;
  const PG_RESTART_WINDOW_MS = 10 * 60_000;
  const restarts = [];
  const port = new URL(databaseUrl).port;
  const supervise = (child) =>
    child.once('exit', async (code) => {
      if (stopping) return;
      const now = Date.now();
      while (restarts.length && now - restarts[0] > PG_RESTART_WINDOW_MS) restarts.shift();
      if (restarts.length >= MAX_PG_RESTARTS) return fail(`embedded PostgreSQL stopped (${code}) ${restarts.length + 1} times in ${PG_RESTART_WINDOW_MS / 60_000} minutes; giving up`);
      restarts.push(now);
      console.error(`npm start: embedded PostgreSQL stopped (${code}); restarting it (${restarts.length}/${MAX_PG_RESTARTS})`);
      children.splice(children.indexOf(child), 1);
      try {
        const restarted = await startPostgres(port);
        console.error('npm start: embedded PostgreSQL is back');
        supervise(restarted.pg);
      } catch (error) {
        fail(`embedded PostgreSQL did not restart: ${error.message}`);
      }
    });
  supervise(pg);
}

// Migrations as the owner role, in their own process: the server never holds the owner's password.
if (ownerUrl) {
  const migrate = spawnSync(process.execPath, [MAIN, '--migrate'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...env, DATABASE_OWNER_URL: ownerUrl, DATABASE_URL: databaseUrl },
  });
  if (migrate.status !== 0) fail(`the migrations failed (${migrate.status ?? migrate.signal})`);
}

const apiEnv = { ...env, DATABASE_URL: databaseUrl, PORT: process.env.PORT ?? '3000' };
delete apiEnv.DATABASE_OWNER_URL;
if (ownerUrl) apiEnv.NETPOL_MIGRATIONS = 'skip';
const api = spawn(process.execPath, [MAIN], {
  cwd: ROOT,
  stdio: ['ignore', 'pipe', 'inherit'],
  env: apiEnv,
});
children.push(api);
api.once('exit', (code, signal) => {
  if (stopping) return;
  console.error(`npm start: the API stopped (${code ?? signal}); stopping`);
  // Whatever the API's own code, an API that stops by itself is a failure of `npm start`.
  stopAll(code || 1);
});
try {
  const [, url] = await watchLines(api, /listening on (http:\/\/[^\s"]+)/);
  const ready = await fetch(`${url}/readyz`).then((res) => res.ok, () => false);
  if (!ready) fail(`${url}/readyz is not ready`);
  console.log(`\nNetpol Atlas is ready: ${url}  (demo cluster: ${url}/ ; GraphQL: ${url}/graphql, in a browser ${url}/graphiql ; Ctrl-C stops)\n`);
} catch (error) {
  fail(error.message);
}
