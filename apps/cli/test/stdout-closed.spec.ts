// A CI step that reads only the start of a report (`netpol list … | head`, `netpol check … | head -1`) closes the
// pipe before the CLI has written everything: the built CLI drops the rest quietly (no EPIPE stack trace) and exits
// with the command's own code, so a failing `check` still fails the job.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NETPOL_BIN } from './run-netpol.js';

const DEMO = path.resolve(import.meta.dirname, '../../api/data/demo');
const scratch = mkdtempSync(path.join(tmpdir(), 'netpol-stdout-closed-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs the built CLI with its stdout pipe closed by the reader at once: exit code and stderr. */
function runWithClosedStdout(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [NETPOL_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NETPOL_SERVER: undefined } });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('a reader that closes stdout early', () => {
  it('list --explain: exit 0, no stack trace', async () => {
    const run = await runWithClosedStdout(['list', DEMO, '--explain']);
    expect(run.stderr).not.toMatch(/EPIPE|Error|at /);
    expect(run.code).toBe(0);
  });

  it('report -o pdf (binary stdout): exit 0, no stack trace', async () => {
    const run = await runWithClosedStdout(['report', DEMO, '--framework', 'cis', '-o', 'pdf', '--at', '2026-01-01T00:00:00Z']);
    expect(run.stderr).not.toMatch(/EPIPE|Error|at /);
    expect(run.code).toBe(0);
  });

  it('check with a forbidden change still exits 1', async () => {
    const proposed = path.join(scratch, 'proposed');
    cpSync(DEMO, proposed, { recursive: true });
    const policies = path.join(proposed, '30-production-policies.yaml');
    const edited = readFileSync(policies, 'utf8').replaceAll('port: 8080', 'port: 8081');
    expect(edited).not.toBe(readFileSync(policies, 'utf8'));
    writeFileSync(policies, edited);
    const run = await runWithClosedStdout(['check', proposed, '--against', DEMO]);
    expect(run.stderr).not.toMatch(/EPIPE|Error|at /);
    expect(run.code).toBe(1);
  });
});
