// np-guard conformance for `netpol list DIR --explain`, one test per case of explain/ (the core ones and the
// AdminNetworkPolicy / BaselineAdminNetworkPolicy ones, case.json "category"): the BUILT `netpol` bin as a
// child process, stdout compared byte for byte (after CRLF → LF) with expected.txt.
// Build first: npx tsc -p libs/engine/tsconfig.lib.json && npx tsc -p apps/cli/tsconfig.app.json
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
const BIN = path.join(REPO_ROOT, 'apps/cli/bin/netpol.mjs');
const CORPUS = process.env.NETPOL_CONFORMANCE_DIR ?? path.resolve(import.meta.dirname, '../../../../shared/conformance/np-guard');
const EXPLAIN_DIR = path.join(CORPUS, 'explain');

function category(name: string): string | undefined {
  const file = path.join(EXPLAIN_DIR, name, 'case.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { category?: string }).category : undefined;
}

const allCases = existsSync(EXPLAIN_DIR)
  ? readdirSync(EXPLAIN_DIR)
      .filter((name) => statSync(path.join(EXPLAIN_DIR, name)).isDirectory())
      .sort()
  : [];
const coreCases = allCases.filter((name) => category(name) === 'core');
const anpCases = allCases.filter((name) => category(name) === 'anp');

const lf = (text: string) => text.replace(/\r\n/g, '\n');

async function list(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [BIN, 'list', ...args], { cwd: REPO_ROOT, maxBuffer: 64 << 20, encoding: 'utf8' });
}

describe('np-guard conformance: netpol list --explain', () => {
  it('finds the core explain cases and the built CLI', () => {
    expect(coreCases.length).toBeGreaterThanOrEqual(7);
    expect(anpCases.length).toBeGreaterThanOrEqual(8);
    expect(existsSync(path.join(REPO_ROOT, 'apps/cli/dist/main.js'))).toBe(true);
  });

  it.each(allCases)('%s', async (name) => {
    const dir = path.join(EXPLAIN_DIR, name);
    const { stdout } = await list(path.join(dir, 'input'), '--explain');
    expect(lf(stdout)).toBe(lf(readFileSync(path.join(dir, 'expected.txt'), 'utf8')));
  });

  it('refuses --explain with another format than txt (exit 2, nothing on stdout)', async () => {
    const input = path.join(EXPLAIN_DIR, coreCases[0] ?? 'missing', 'input');
    const failure = await list(input, '--explain', '-o', 'json').then(
      () => undefined,
      (error: { code?: number; stdout?: string; stderr?: string }) => error,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stdout).toBe('');
    expect(failure?.stderr).toMatch(/--explain supports -o txt only/);
  });
});

describe('netpol eval --explain', () => {
  it('ends with the explanation of the asked port in np-guard sentences, rules by field path (vm_example, TCP 80)', async () => {
    const input = path.join(EXPLAIN_DIR, 'vm_example', 'input');
    const { stdout } = await run(
      process.execPath,
      [BIN, 'eval', input, '--src', 'default/new-vm-1', '--dst', 'default/new-vm-2', '--port', '80', '--explain'],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    expect(stdout.split('\n')[0]).toBe('allowed');
    const explanation = [
      'Allowed TCP 80 due to the following policies and rules:',
      '\tEgress (Allowed)',
      "\t\tNetworkPolicy 'default/policy2' allows connections by spec.egress[0]",
      '\tIngress (Allowed)',
      "\t\tNetworkPolicy 'default/policy3' allows connections by spec.ingress[0]",
    ];
    expect(stdout.endsWith(`\n\n${explanation.join('\n')}\n`)).toBe(true);
    // One language: the whole output names rules by field path only.
    expect(stdout).not.toMatch(/rule #\d/);
  });
});
