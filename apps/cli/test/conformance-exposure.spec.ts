// np-guard conformance for `netpol list --exposure`, one test per case of exposure/: the BUILT `netpol` bin as a
// child process, stdout compared byte for byte (after CRLF → LF) with expected.txt, and `-o json` with expected.json
// where it exists. Core cases, and the AdminNetworkPolicy / BaselineAdminNetworkPolicy ones (category "anp";
// FORMAT.md section 10): tiered exposure — deny and pass rules, the baseline tier, default allow.
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

const casesOf = (wanted: string) =>
  existsSync(CASES_DIR)
    ? readdirSync(CASES_DIR)
        .filter((name) => statSync(path.join(CASES_DIR, name)).isDirectory() && category(path.join(CASES_DIR, name)) === wanted)
        .sort()
    : [];
const cases = casesOf('core');

const lf = (text: string) => text.replace(/\r\n/g, '\n');

async function listExposure(input: string, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [BIN, 'list', input, '--exposure', ...args], {
    cwd: REPO_ROOT,
    maxBuffer: 64 << 20,
    encoding: 'utf8',
  });
}

describe('np-guard conformance: netpol list --exposure', () => {
  it('finds the core exposure cases and the built CLI', () => {
    expect(cases.length).toBeGreaterThanOrEqual(45);
    expect(existsSync(path.join(REPO_ROOT, 'apps/cli/dist/main.js'))).toBe(true);
  });

  it.each(cases)('%s', async (name) => expectCase(name));

  it('rejects -o dot and --pods with exit code 2', async () => {
    const input = path.join(CASES_DIR, cases[0] ?? 'missing', 'input');
    await expect(listExposure(input, '-o', 'dot')).rejects.toMatchObject({ code: 2 });
    await expect(listExposure(input, '--pods')).rejects.toMatchObject({ code: 2 });
  });
});

describe('np-guard conformance: netpol list --exposure with AdminNetworkPolicy / BaselineAdminNetworkPolicy', () => {
  const anp = casesOf('anp');

  it('finds the 14 ANP exposure cases', () => {
    expect(anp).toHaveLength(14);
  });

  it.each(anp)('%s', async (name) => expectCase(name));
});

async function expectCase(name: string): Promise<void> {
  const dir = path.join(CASES_DIR, name);
  const input = path.join(dir, 'input');
  const txt = await listExposure(input);
  expect(lf(txt.stdout)).toBe(lf(readFileSync(path.join(dir, 'expected.txt'), 'utf8')));
  const expectedJson = path.join(dir, 'expected.json');
  if (existsSync(expectedJson)) {
    const json = await listExposure(input, '-o', 'json');
    expect(lf(json.stdout)).toBe(lf(readFileSync(expectedJson, 'utf8')));
  }
}
