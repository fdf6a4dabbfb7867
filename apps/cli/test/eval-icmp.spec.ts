// `netpol eval --protocol ICMP`: ping (echo request) and explicit ICMP types through the BUILT bin. NetworkPolicy v1
// has no ICMP: a rule without `ports` allows every protocol, ICMP included; a rule with `ports` allows only those
// ports (never ICMP); a pod no policy isolates accepts anything.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
const BIN = path.join(REPO_ROOT, 'apps/cli/bin/netpol.mjs');

const pod = (ns: string, name: string, ip: string) => `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: ${ns}, labels: { app: ${name} } }
spec: { containers: [{ name: c, ports: [{ containerPort: 80 }] }] }
status: { phase: Running, podIP: ${ip} }
`;
const MANIFESTS = [
  pod('a', 'client', '10.0.0.1'),
  pod('a', 'portless', '10.0.0.2'),
  pod('a', 'ported', '10.0.0.3'),
  pod('a', 'open', '10.0.0.4'),
  pod('a', 'v6', 'fd00::5'),
  `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: from-client-any-protocol, namespace: a }
spec: { podSelector: { matchLabels: { app: portless } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: client } } }] }] }
`,
  `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: from-client-tcp-80, namespace: a }
spec: { podSelector: { matchLabels: { app: ported } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: client } } }], ports: [{ port: 80 }] }] }
`,
].join('---\n');

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'netpol-icmp-'));
  writeFileSync(path.join(dir, 'cluster.yaml'), MANIFESTS);
});

async function evalIcmp(from: string, to: string, ...extra: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [BIN, 'eval', dir, '--src', from, '--dst', to, '--protocol', 'ICMP', ...extra], { cwd: REPO_ROOT });
  return stdout;
}

describe('netpol eval --protocol ICMP (NetworkPolicy v1)', () => {
  it('a port-less rule allows ping; a rule with ports does not; no policy: allowed', async () => {
    const portless = await evalIcmp('a/client', 'a/portless');
    expect(portless.split('\n')[0]).toBe('allowed');
    expect(portless).toContain('ICMP echo request (type 8)');
    expect((await evalIcmp('a/client', 'a/ported')).split('\n')[0]).toBe('denied');
    expect((await evalIcmp('a/ported', 'a/open')).split('\n')[0]).toBe('allowed');
    expect((await evalIcmp('a/open', 'a/portless')).split('\n')[0]).toBe('denied');
  });

  it('takes --icmp-type/--icmp-code, IPv6 ends ask ICMPv6 (type 128), and refuses --port', async () => {
    expect(await evalIcmp('a/client', 'a/portless', '--icmp-type', '3', '--icmp-code', '1')).toContain('ICMP type 3 code 1');
    expect(await evalIcmp('a/client', 'a/v6')).toContain('ICMPv6 echo request (type 128)');
    await expect(run(process.execPath, [BIN, 'eval', dir, '--src', 'a/client', '--dst', 'a/open', '--protocol', 'ICMP', '--port', '80'], { cwd: REPO_ROOT })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('takes no --port'),
    });
    await expect(run(process.execPath, [BIN, 'eval', dir, '--src', 'a/client', '--dst', 'a/open', '--port', '80', '--icmp-type', '8'], { cwd: REPO_ROOT })).rejects.toMatchObject({ code: 2 });
  });

  it('answers ICMP questions in --batch as the single eval does', async () => {
    const lines = [
      { from: 'a/client', to: 'a/portless', protocol: 'ICMP' },
      { from: 'a/client', to: 'a/ported', protocol: 'ICMP' },
      { from: 'a/client', to: 'a/ported', port: 80, protocol: 'TCP' },
      { from: 'a/client', to: 'a/portless', protocol: 'ICMP', icmpType: 0 },
      { from: 'a/client', to: 'a/ported', protocol: 'ICMP', port: 80 },
    ];
    const stdout = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'eval', dir, '--batch'], { cwd: REPO_ROOT });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.on('error', reject);
      child.on('close', () => resolve(out));
      child.stdin.end(lines.map((l) => JSON.stringify(l)).join('\n'));
    });
    const answers = stdout.trim().split('\n').map((l) => JSON.parse(l) as { verdict?: string; error?: string });
    expect(answers.slice(0, 4).map((a) => a.verdict)).toEqual(['allowed', 'denied', 'allowed', 'allowed']);
    expect(answers[4].error).toContain('no port');
  });
});
