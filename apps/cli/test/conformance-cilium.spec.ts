// Cilium conformance (../shared/conformance/dialects: cilium-cli, from cilium/cilium-cli's connectivity suite, and
// cilium-docs, Cilium's deny-policy truth table): every assertion through the BUILT `netpol` bin, one test per case,
// one `netpol eval --batch --cni cilium` process per case (the data's verdicts hold under Cilium: the `-knp` cases
// are Kubernetes NetworkPolicies over Cilium's derived labels).
// ICMP assertions (ping: no port) are asked as {"protocol":"ICMP"} questions.
import { execFile, spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
const BIN = path.join(REPO_ROOT, 'apps/cli/bin/netpol.mjs');
const DIALECTS = process.env.NETPOL_DIALECTS_DIR ?? path.resolve(REPO_ROOT, '../shared/conformance/dialects');

interface Assertion {
  readonly from: string;
  readonly to: string;
  readonly port: number | null;
  readonly protocol: string;
  readonly expect: 'allowed' | 'denied';
}

const casesOf = (set: string) =>
  readdirSync(path.join(DIALECTS, set))
    .filter((name) => statSync(path.join(DIALECTS, set, name)).isDirectory())
    .sort();
const assertionsOf = (set: string, name: string) => JSON.parse(readFileSync(path.join(DIALECTS, set, name, 'assertions.json'), 'utf8')) as Assertion[];

/** One process answers every question of a case (JSON lines in, one verdict line out each, in order). */
function batch(input: string, questions: readonly Assertion[]): Promise<{ verdicts: string[]; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'eval', input, '--batch', '--cni', 'cilium'], { cwd: REPO_ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const answers = stdout.trimEnd().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { verdict?: string; error?: string });
      resolve({ verdicts: answers.map((a) => a.verdict ?? `error: ${a.error}`), stderr, code });
    });
    child.stdin.end(questions.map((q) => JSON.stringify(q.protocol === 'ICMP' ? { from: q.from, to: q.to, protocol: 'ICMP' } : { from: q.from, to: q.to, port: q.port, protocol: q.protocol })).join('\n'));
  });
}

for (const [set, caseCount, assertionCount, icmpCount] of [
  ['cilium-cli', 16, 100, 18],
  ['cilium-docs', 5, 15, 5],
] as const) {
  describe(`Cilium conformance: ${set}`, () => {
    const cases = casesOf(set);

    it('has the cases and assertions the README lists', () => {
      expect(cases.length).toBe(caseCount);
      const all = cases.flatMap((name) => assertionsOf(set, name));
      expect(all.length).toBe(assertionCount);
      expect(all.filter((a) => a.protocol === 'ICMP').length).toBe(icmpCount);
    });

    it.each(cases)('%s', async (name) => {
      const questions = assertionsOf(set, name);
      expect(questions.length).toBeGreaterThan(0);
      const { verdicts, code } = await batch(path.join(DIALECTS, set, name, 'input'), questions);
      expect(code).toBe(0);
      const got = questions.map((q, i) => `${q.from} -> ${q.to} ${q.protocol} ${q.port}: ${verdicts[i]}`);
      expect(got).toEqual(questions.map((q) => `${q.from} -> ${q.to} ${q.protocol} ${q.port}: ${q.expect}`));
    }, 60_000);
  });
}

describe('Cilium conformance through the per-question eval', () => {
  it('answers as the batch does, names the profile, and the rule that denied', async () => {
    const input = path.join(DIALECTS, 'cilium-cli', 'client-egress-to-echo-service-account-deny', 'input');
    const { stdout } = await run(process.execPath, [BIN, 'eval', input, '--src', 'cilium-test/client', '--dst', 'cilium-test/echo-same-node', '--port', '8080'], { cwd: REPO_ROOT });
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('denied');
    expect(lines[1]).toContain('egress: denied by cilium-test/client-egress-to-echo-service-account-deny spec.egressDeny[0] (action deny)');
    // Cilium policies in the input: the cilium profile applies without --cni.
    expect(lines[2]).toBe('cni profile: cilium');
    const explained = await run(process.execPath, [BIN, 'eval', input, '--src', 'cilium-test/client', '--dst', 'cilium-test/echo-same-node', '--port', '8080', '--explain'], { cwd: REPO_ROOT });
    expect(explained.stdout).toContain('  cilium-test/client-egress-to-echo-service-account-deny spec.egressDeny[0]: denies it (action deny)\n');
    // np-guard's allow-only wording is not printed for Cilium policies (it would say "Allowed").
    expect(explained.stdout).not.toContain('due to the following policies and rules');
    const json = await run(process.execPath, [BIN, 'eval', input, '--src', 'cilium-test/client', '--dst', 'cilium-test/echo-other-node', '--port', '8080', '-o', 'json'], { cwd: REPO_ROOT });
    expect(JSON.parse(json.stdout)).toMatchObject({ allowed: true, cniProfile: 'cilium', caveats: [] });
  }, 60_000);

  it('a -knp case holds under --cni cilium only: under the np-guard default its derived-label selectors match nothing', async () => {
    const input = path.join(DIALECTS, 'cilium-cli', 'echo-ingress-knp', 'input');
    const ask = (...cni: string[]) => run(process.execPath, [BIN, 'eval', input, '--src', 'cilium-test/client2', '--dst', 'cilium-test/echo-same-node', '--port', '8080', ...cni], { cwd: REPO_ROOT });
    expect((await ask('--cni', 'cilium')).stdout.split('\n')[0]).toBe('allowed');
    const fallback = (await ask()).stdout.split('\n');
    expect([fallback[0], fallback[2]]).toEqual(['denied', 'cni profile: np-guard']);
  }, 60_000);
});
