// The dialect verdict data (../shared/conformance/dialects, see its README) as the conformance specs read it, and
// the one way they ask it: every assertion of a case through ONE `netpol eval --batch` process of the BUILT bin.
// NETPOL_DIALECTS_DIR points at another checkout of the data (unseen cases of the same sources).
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
export const BIN = path.join(REPO_ROOT, 'apps/cli/bin/netpol.mjs');
export const DIALECTS =
  process.env.NETPOL_DIALECTS_DIR ??
  path.join(process.env.NETPOL_CONFORMANCE_DIR ? path.dirname(process.env.NETPOL_CONFORMANCE_DIR) : path.resolve(REPO_ROOT, '../shared/conformance'), 'dialects');

export interface Assertion {
  readonly from: string;
  readonly to: string;
  /** Absent (or null) for ICMP: a ping. */
  readonly port?: number | null;
  readonly protocol: string;
  readonly expect: 'allowed' | 'denied';
  readonly note?: string;
}

/** The case folders of a set, sorted. */
export function casesOf(set: string, root = DIALECTS): string[] {
  const dir = path.join(root, set);
  return readdirSync(dir)
    .filter((name) => statSync(path.join(dir, name)).isDirectory())
    .sort();
}

export function assertionsOf(set: string, name: string, root = DIALECTS): Assertion[] {
  return JSON.parse(readFileSync(path.join(root, set, name, 'assertions.json'), 'utf8')) as Assertion[];
}

/** Answers every assertion of a case in one process; `got` and `want` are comparable lines, one per assertion. */
export async function askCase(
  set: string,
  name: string,
  extraArgs: readonly string[] = [],
  root = DIALECTS,
): Promise<{ got: string[]; want: string[]; stderr: string; code: number | null }> {
  const assertions = assertionsOf(set, name, root);
  const questions = assertions.map((a) =>
    a.protocol === 'ICMP' ? { from: a.from, to: a.to, protocol: 'ICMP' } : { from: a.from, to: a.to, port: a.port, protocol: a.protocol },
  );
  const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number | null }>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'eval', path.join(root, set, name, 'input'), '--batch', ...extraArgs], { cwd: REPO_ROOT });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (exit) => resolve({ stdout: out, stderr: err, code: exit }));
    child.stdin.end(questions.map((q) => JSON.stringify(q)).join('\n'));
  });
  const answers = stdout
    .trimEnd()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { verdict?: string; error?: string });
  const label = (a: Assertion) => `${a.from} -> ${a.to} ${a.protocol} ${a.port ?? ''}`;
  return {
    got: assertions.map((a, i) => `${label(a)}: ${answers[i]?.verdict ?? `error ${answers[i]?.error}`}`),
    want: assertions.map((a) => `${label(a)}: ${a.expect}`),
    stderr,
    code,
  };
}
