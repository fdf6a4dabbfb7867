// The BUILT `netpol` bin as a child process, for the CLI specs: exit code and both streams, never a throw.
// NETPOL_SERVER from the developer's shell is dropped (a spec names a server only when it means one).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

export const NETPOL_BIN = path.resolve(import.meta.dirname, '../bin/netpol.mjs');

const run = promisify(execFile);

export interface NetpolRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runNetpol(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<NetpolRun> {
  try {
    const { stdout, stderr } = await run(process.execPath, [NETPOL_BIN, ...args], { env: { ...process.env, NETPOL_SERVER: undefined, ...env }, maxBuffer: 1 << 26 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
