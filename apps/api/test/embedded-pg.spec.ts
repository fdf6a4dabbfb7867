// tools/embedded-pg.mjs as the tests and `npm start` use it: a child process that prints `PG <url> up`, stops on
// SIGTERM or when its stdin closes, and leaves no throwaway data behind.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withClient } from './support/database.js';
import { REPO_ROOT, waitForLine } from './support/processes.js';

function startThrowaway(): ChildProcess {
  return spawn(process.execPath, [path.join(REPO_ROOT, 'tools', 'embedded-pg.mjs'), '--throwaway', '--stop-on-stdin-close'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
}

async function dataDirectory(url: string): Promise<string> {
  return withClient(url, async (client) => (await client.query<{ data_directory: string }>('SHOW data_directory')).rows[0].data_directory);
}

const exited = (child: ChildProcess) => new Promise((resolve) => child.once('exit', resolve));

describe('tools/embedded-pg.mjs', () => {
  it('serves a throwaway database directly under the temp folder and deletes it on SIGTERM', async () => {
    const child = startThrowaway();
    const [, url] = await waitForLine(child, /^PG (\S+) up$/, 60_000);
    expect(new URL(url).pathname).toBe('/netpol');
    const dir = await dataDirectory(url);
    expect(path.dirname(dir)).toBe(os.tmpdir());
    expect(existsSync(path.join(dir, 'PG_VERSION'))).toBe(true);
    const done = exited(child);
    child.kill('SIGTERM');
    await done;
    expect(existsSync(dir)).toBe(false);
  });

  it('stops and cleans up when its parent goes away (stdin closes)', async () => {
    const child = startThrowaway();
    const [, url] = await waitForLine(child, /^PG (\S+) up$/, 60_000);
    const dir = await dataDirectory(url);
    const done = exited(child);
    child.stdin!.end();
    await done;
    expect(existsSync(dir)).toBe(false);
  });

  it('removes throwaway dirs abandoned by a killed run, and only those', async () => {
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
    const abandoned = path.join(os.tmpdir(), `netpol-pg-${deadPid}-1`);
    const inUse = path.join(os.tmpdir(), `netpol-pg-${process.pid}-1`);
    for (const dir of [abandoned, inUse]) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'PG_VERSION'), '18\n');
    }
    const child = startThrowaway();
    try {
      await waitForLine(child, /^PG (\S+) up$/, 60_000);
      expect(existsSync(abandoned)).toBe(false);
      expect(existsSync(inUse)).toBe(true);
    } finally {
      const done = exited(child);
      child.kill('SIGTERM');
      await done;
      rmSync(inUse, { recursive: true, force: true });
      rmSync(abandoned, { recursive: true, force: true });
    }
  });
});
