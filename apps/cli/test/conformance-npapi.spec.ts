// network-policy-api conformance as verdict data (../shared/conformance/dialects: npapi-anp-v1alpha1 for
// AdminNetworkPolicy / BaselineAdminNetworkPolicy, npapi-cnp-v1alpha2 for ClusterNetworkPolicy): every assertion
// of every case through the BUILT `netpol eval --batch`, one process and one test per case. Node peers and
// host-network pods included. Unseen cases of the same suites (another checkout through NETPOL_DIALECTS_DIR) run
// the same way.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
const BIN = path.join(REPO_ROOT, 'apps/cli/bin/netpol.mjs');
const DIALECTS =
  process.env.NETPOL_DIALECTS_DIR ??
  path.join(process.env.NETPOL_CONFORMANCE_DIR ? path.dirname(process.env.NETPOL_CONFORMANCE_DIR) : path.resolve(REPO_ROOT, '../shared/conformance'), 'dialects');

interface Assertion {
  readonly from: string;
  readonly to: string;
  readonly port?: number;
  readonly protocol: string;
  readonly expect: 'allowed' | 'denied';
  readonly note?: string;
}

function casesOf(set: string): string[] {
  const dir = path.join(DIALECTS, set);
  return readdirSync(dir).filter((name) => statSync(path.join(dir, name)).isDirectory()).sort();
}

function batch(input: string, questions: readonly object[]): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'eval', input, '--batch'], { cwd: REPO_ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, stderr, code }));
    child.stdin.end(questions.map((q) => JSON.stringify(q)).join('\n'));
  });
}

const SUITES = [
  { set: 'npapi-anp-v1alpha1', cases: 46, assertions: 137 },
  { set: 'npapi-cnp-v1alpha2', cases: 48, assertions: 143 },
] as const;

for (const suite of SUITES) {
  describe(`network-policy-api conformance: ${suite.set}`, () => {
    const cases = casesOf(suite.set);

    it('has at least the cases and assertions of the known suite', () => {
      expect(cases.length).toBeGreaterThanOrEqual(suite.cases);
      const count = cases.reduce((n, c) => n + (JSON.parse(readFileSync(path.join(DIALECTS, suite.set, c, 'assertions.json'), 'utf8')) as unknown[]).length, 0);
      expect(count).toBeGreaterThanOrEqual(suite.assertions);
    });

    it.each(cases)('%s', async (name) => {
      const dir = path.join(DIALECTS, suite.set, name);
      const assertions = JSON.parse(readFileSync(path.join(dir, 'assertions.json'), 'utf8')) as Assertion[];
      expect(existsSync(path.join(dir, 'input'))).toBe(true);
      const questions = assertions.map((a) => ({ from: a.from, to: a.to, ...(a.port !== undefined ? { port: a.port } : {}), protocol: a.protocol }));
      const { stdout, stderr, code } = await batch(path.join(dir, 'input'), questions);
      expect(code, stderr).toBe(0);
      const answers = stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { verdict?: string; error?: string });
      expect(answers).toHaveLength(assertions.length);
      const got = assertions.map((a, i) => `${a.from} → ${a.to} ${a.protocol} ${a.port ?? ''}: ${answers[i].verdict ?? `error ${answers[i].error}`}`);
      const want = assertions.map((a) => `${a.from} → ${a.to} ${a.protocol} ${a.port ?? ''}: ${a.expect}`);
      expect(got).toEqual(want);
    }, 60_000);
  });
}
