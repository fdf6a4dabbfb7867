// Cilium conformance (../shared/conformance/dialects: cilium-cli, from cilium/cilium-cli's connectivity suite, and
// cilium-docs, Cilium's deny-policy truth table): every assertion through the BUILT `netpol` bin, one test per case,
// one `netpol eval --batch --cni cilium` process per case (the data's verdicts hold under Cilium: the `-knp` cases
// are Kubernetes NetworkPolicies over Cilium's derived labels).
// ICMP assertions (ping: no port) are asked as {"protocol":"ICMP"} questions.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { askCase, assertionsOf, BIN, casesOf, DIALECTS, REPO_ROOT } from './dialect-conformance.js';

const run = promisify(execFile);

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
      expect(assertionsOf(set, name).length).toBeGreaterThan(0);
      const { got, want, stderr, code } = await askCase(set, name, ['--cni', 'cilium']);
      expect(code, stderr).toBe(0);
      expect(got).toEqual(want);
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
