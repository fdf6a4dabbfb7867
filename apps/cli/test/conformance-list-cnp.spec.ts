// ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2) conformance: np-guard's ANP/BANP list cases translated
// mechanically to v1alpha2 (ANP → tier Admin, BANP → tier Baseline, Allow → Accept, ports → protocols; see
// tools/testing/translate-anp-to-cnp.mjs, which wrote fixtures/cnp-from-np-guard), asserting np-guard's expected
// outputs unchanged: the BUILT `netpol` bin, one test per case, txt and json where np-guard has one.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
const BIN = path.join(REPO_ROOT, 'apps/cli/bin/netpol.mjs');
const CASES_DIR = path.join(import.meta.dirname, 'fixtures/cnp-from-np-guard');
const cases = readdirSync(CASES_DIR)
  .filter((name) => statSync(path.join(CASES_DIR, name)).isDirectory())
  .sort();

const lf = (text: string) => text.replace(/\r\n/g, '\n');

async function list(input: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [BIN, 'list', input, ...args], { cwd: REPO_ROOT, maxBuffer: 64 << 20, encoding: 'utf8' });
  return stdout;
}

describe('ClusterNetworkPolicy v1alpha2: np-guard ANP/BANP list cases translated', () => {
  it('has every translated case, with no v1alpha1 policy left', () => {
    expect(cases.length).toBe(54);
    const texts = cases.flatMap((name) => readdirSync(path.join(CASES_DIR, name, 'input')).map((f) => readFileSync(path.join(CASES_DIR, name, 'input', f), 'utf8')));
    expect(texts.some((t) => /kind: (Baseline)?AdminNetworkPolicy/.test(t))).toBe(false);
    expect(texts.filter((t) => t.includes('kind: ClusterNetworkPolicy')).length).toBeGreaterThanOrEqual(54);
  });

  it.each(cases)('%s', async (name) => {
    const dir = path.join(CASES_DIR, name);
    const input = path.join(dir, 'input');
    expect(lf(await list(input))).toBe(lf(readFileSync(path.join(dir, 'expected.txt'), 'utf8')));
    const expectedJson = path.join(dir, 'expected.json');
    if (existsSync(expectedJson)) expect(lf(await list(input, '-o', 'json'))).toBe(lf(readFileSync(expectedJson, 'utf8')));
  });
});
