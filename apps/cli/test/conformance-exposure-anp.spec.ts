// np-guard conformance for `netpol list --exposure` on the cases with AdminNetworkPolicy / BaselineAdminNetworkPolicy
// objects (case.json category "anp"; FORMAT.md section 10): tiered exposure — deny and pass rules, the baseline
// tier, default allow for workloads no NetworkPolicy isolates. One test per case: the BUILT `netpol` bin, stdout
// byte for byte (after CRLF → LF) against expected.txt, and `-o json` against expected.json where it exists.
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
const CASES_DIR = path.join(CORPUS, 'exposure');

function category(dir: string): string | undefined {
  const file = path.join(dir, 'case.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { category?: string }).category : undefined;
}

const cases = existsSync(CASES_DIR)
  ? readdirSync(CASES_DIR)
      .filter((name) => statSync(path.join(CASES_DIR, name)).isDirectory() && category(path.join(CASES_DIR, name)) === 'anp')
      .sort()
  : [];

const lf = (text: string) => text.replace(/\r\n/g, '\n');

async function listExposure(input: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [BIN, 'list', input, '--exposure', ...args], { cwd: REPO_ROOT, maxBuffer: 64 << 20, encoding: 'utf8' });
  return stdout;
}

describe('np-guard conformance: netpol list --exposure with AdminNetworkPolicy / BaselineAdminNetworkPolicy', () => {
  it('finds the 14 ANP exposure cases and the built CLI', () => {
    expect(cases).toHaveLength(14);
    expect(existsSync(path.join(REPO_ROOT, 'apps/cli/dist/main.js'))).toBe(true);
  });

  it.each(cases)('%s', async (name) => {
    const dir = path.join(CASES_DIR, name);
    const input = path.join(dir, 'input');
    expect(lf(await listExposure(input))).toBe(lf(readFileSync(path.join(dir, 'expected.txt'), 'utf8')));
    const expectedJson = path.join(dir, 'expected.json');
    if (existsSync(expectedJson)) expect(lf(await listExposure(input, '-o', 'json'))).toBe(lf(readFileSync(expectedJson, 'utf8')));
  });
});
