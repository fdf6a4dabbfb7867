// np-guard conformance, one test per case: the BUILT `netpol` bin as a child process, stdout compared byte for
// byte (after CRLF → LF) with expected.txt, and `-o json` with expected.json where it exists.
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
const CASES_DIR = path.join(CORPUS, 'cases');
const caseNames = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => statSync(path.join(dir, name)).isDirectory())
        .sort()
    : [];
const cases = caseNames(CASES_DIR);
// AdminNetworkPolicy / BaselineAdminNetworkPolicy cases (policy.networking.k8s.io/v1alpha1).
const ANP_CASES_DIR = path.join(CORPUS, 'cases-anp');
const anpCases = caseNames(ANP_CASES_DIR);

const lf = (text: string) => text.replace(/\r\n/g, '\n');

async function list(input: string, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [BIN, 'list', input, ...args], { cwd: REPO_ROOT, maxBuffer: 64 << 20, encoding: 'utf8' });
}

describe('np-guard conformance: netpol list', () => {
  it('finds the corpus and the built CLI', () => {
    expect(cases.length).toBeGreaterThanOrEqual(34);
    expect(existsSync(path.join(REPO_ROOT, 'apps/cli/dist/main.js'))).toBe(true);
  });

  it.each(cases)('%s', async (name) => {
    await expectCase(path.join(CASES_DIR, name));
  });
});

describe('np-guard conformance: netpol list, AdminNetworkPolicy cases', () => {
  it('finds the ANP corpus', () => {
    expect(anpCases.length).toBeGreaterThanOrEqual(54);
  });

  it.each(anpCases)('%s', async (name) => {
    await expectCase(path.join(ANP_CASES_DIR, name));
  });
});

async function expectCase(dir: string): Promise<void> {
  const input = path.join(dir, 'input');
  const txt = await list(input);
  expect(lf(txt.stdout)).toBe(lf(readFileSync(path.join(dir, 'expected.txt'), 'utf8')));
  const expectedJson = path.join(dir, 'expected.json');
  if (existsSync(expectedJson)) {
    const json = await list(input, '-o', 'json');
    expect(lf(json.stdout)).toBe(lf(readFileSync(expectedJson, 'utf8')));
  }
}
