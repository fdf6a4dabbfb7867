// `eval --explain` and `list --explain` through the BUILT bin on Cilium and Calico clusters: a rule there can allow
// ICMP next to (or instead of) ports, and the port lists name it (`TCP 80, ICMP type 8`, `ICMP:[type 8]`).
// NetworkPolicy-only snapshots keep np-guard's text (conformance-explain pins it byte for byte).
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_SERVER_PODS_YAML, calicoServerIn } from '../../../tools/testing/client-server.js';

const run = promisify(execFile);
const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
const BIN = path.join(REPO_ROOT, 'apps/cli/bin/netpol.mjs');

const PODS = CLIENT_SERVER_PODS_YAML;

const CILIUM = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: server-in, namespace: a }
spec:
  endpointSelector: { matchLabels: { app: server } }
  ingress:
    - fromEndpoints: [{ matchLabels: { app: client } }]
      toPorts: [{ ports: [{ port: "80", protocol: TCP }] }]
      icmps: [{ fields: [{ type: 8, family: IPv4 }] }]
`;

const CALICO = calicoServerIn(`    - { action: Allow, protocol: TCP, source: { selector: app == 'client' }, destination: { ports: [80] } }
    - { action: Allow, protocol: ICMP, source: { selector: app == 'client' }, icmp: { type: 8 } }
`);

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'netpol-explain-icmp-'));
  writeFileSync(path.join(dir, 'cilium.yaml'), `${PODS}---\n${CILIUM}`);
  writeFileSync(path.join(dir, 'calico.yaml'), `${PODS}---\n${CALICO}`);
});

async function netpol(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [BIN, ...args], { cwd: dir });
  return stdout;
}

describe('explanations name ICMP on Cilium and Calico clusters (built bin)', () => {
  it('eval --explain: the allowing Cilium rule lists `TCP 80, ICMP type 8`', async () => {
    const out = await netpol('eval', 'cilium.yaml', '--src', 'a/client', '--dst', 'a/server', '--port', '80', '--explain');
    expect(out).toContain('\n  allowed by a/server-in spec.ingress[0]: TCP 80, ICMP type 8\n');
  });

  it('eval --explain: a port the Cilium rule does not list names what it allows, ICMP included', async () => {
    const out = await netpol('eval', 'cilium.yaml', '--src', 'a/client', '--dst', 'a/server', '--port', '81', '--explain');
    expect(out).toContain('\n  a/server-in spec.ingress[0]: allows only TCP 80, ICMP type 8, not the asked port\n');
  });

  it('list --explain: the Calico ICMP rule has its class `Allowed ICMP:[type 8]`', async () => {
    const out = await netpol('list', 'calico.yaml', '--explain');
    const block = out.split('Connections between ').find((b) => b.startsWith('a/client[Pod] => a/server[Pod]:'));
    const titles = block?.split('\n').filter((l) => /^\t(Allowed|Denied) /.test(l)).map((l) => l.replace(/ due to .*/, '').trim());
    expect(titles).toEqual(['Allowed ICMP:[type 8]', 'Allowed TCP:[80]', 'Denied TCP:[1-79,81-65535], UDP, SCTP, ICMP:[type 0-7,type 9-255], ICMPv6']);
  });
});
