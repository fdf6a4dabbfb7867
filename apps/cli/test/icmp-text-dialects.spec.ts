// Connection texts on Calico and Cilium clusters, through the BUILT bin: their policies decide ICMP apart from
// ports, so the text names ICMP whenever it is allowed (`ICMP,TCP 80`), and `All Connections` needs ICMP too.
// NetworkPolicy-only snapshots keep np-guard's text (the np-guard conformance specs pin it byte for byte).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_SERVER_PODS_YAML, calicoServerIn } from '../../../tools/testing/client-server.js';

const run = promisify(execFile);
const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
const BIN = path.join(REPO_ROOT, 'apps/cli/bin/netpol.mjs');

const PODS = CLIENT_SERVER_PODS_YAML;

const calicoPolicy = (icmp: boolean) => calicoServerIn(`    - action: Allow
      protocol: TCP
      source: { selector: app == 'client' }
      destination: { ports: [80] }
${icmp ? "    - action: Allow\n      protocol: ICMP\n      source: { selector: app == 'client' }\n" : ''}`);

const ciliumPolicy = (ingress: string) => `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: server-in, namespace: a }
spec:
  endpointSelector: { matchLabels: { app: server } }
${ingress}`;

const SNAPSHOTS: Record<string, string> = {
  'calico-tcp80': calicoPolicy(false),
  'calico-tcp80-icmp': calicoPolicy(true),
  // a source selector with no label-selector form (no representative peer: an exposure caveat)
  'calico-unrepresented': calicoServerIn(`    - { action: Allow, protocol: TCP, source: { selector: app starts with 'cli' }, destination: { ports: [80] } }
    - { action: Allow, protocol: ICMP, source: { selector: app starts with 'cli' } }
`),
  // a port-less allow (every protocol, ICMP included) with TCP 80 denied
  'cilium-all-but-tcp80': ciliumPolicy(`  ingress:
    - fromEndpoints: [{ matchLabels: { app: client } }]
  ingressDeny:
    - fromEndpoints: [{ matchLabels: { app: client } }]
      toPorts: [{ ports: [{ port: "80", protocol: TCP }] }]
`),
  // protocol ANY: every TCP/UDP/SCTP port, no ICMP
  'cilium-any-ports': ciliumPolicy(`  ingress:
    - fromEndpoints: [{ matchLabels: { app: client } }]
      toPorts: [{ ports: [{ port: "0", protocol: ANY }] }]
`),
  'cilium-tcp80-ping': ciliumPolicy(`  ingress:
    - fromEndpoints: [{ matchLabels: { app: client } }]
      toPorts: [{ ports: [{ port: "80", protocol: TCP }] }]
    - fromEndpoints: [{ matchLabels: { app: client } }]
      icmps: [{ fields: [{ type: 8, family: IPv4 }] }]
`),
  'networkpolicy-tcp80': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: server-in, namespace: a }
spec: { podSelector: { matchLabels: { app: server } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: client } } }], ports: [{ port: 80 }] }] }
`,
};

let root = '';
beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'netpol-icmp-text-'));
  for (const [name, policy] of Object.entries(SNAPSHOTS)) {
    mkdirSync(path.join(root, name));
    writeFileSync(path.join(root, name, 'cluster.yaml'), `${PODS}---\n${policy}`);
  }
});

async function netpol(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
}

/** The client → server connection text of `netpol list` (txt). */
async function clientToServer(snapshot: string, ...extra: string[]): Promise<string | undefined> {
  const { stdout } = await netpol('list', path.join(root, snapshot), ...extra);
  return /^a\/client\[Pod\] => a\/server\[Pod\] : (.*)$/m.exec(stdout)?.[1];
}

describe('connection texts on Calico and Cilium snapshots name ICMP', () => {
  it('list (txt and json): ICMP allowed next to TCP 80 is named', async () => {
    expect(await clientToServer('calico-tcp80-icmp')).toBe('ICMP,TCP 80');
    expect(await clientToServer('cilium-tcp80-ping')).toBe('ICMP type 8,TCP 80');
    const { stdout } = await netpol('list', path.join(root, 'calico-tcp80-icmp'), '-o', 'json');
    const rows = JSON.parse(stdout) as { src: string; dst: string; conn: string }[];
    expect(rows.find((r) => r.src === 'a/client[Pod]' && r.dst === 'a/server[Pod]')?.conn).toBe('ICMP,TCP 80');
  });

  it('list: ICMP allowed beside other ports is named, and every port without ICMP is not `All Connections`', async () => {
    expect(await clientToServer('cilium-all-but-tcp80')).toBe('ICMP,ICMPv6,SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535');
    expect(await clientToServer('cilium-any-ports')).toBe('SCTP 1-65535,TCP 1-65535,UDP 1-65535');
    expect(await clientToServer('calico-tcp80')).toBe('TCP 80');
    // unrestricted pairs stay `All Connections` (every port and all ICMP)
    const { stdout } = await netpol('list', path.join(root, 'calico-tcp80'));
    expect(stdout).toContain('a/server[Pod] => a/client[Pod] : All Connections');
  });

  it('diff: allowing ICMP next to TCP 80 is a change, in txt and json', async () => {
    const { stdout } = await netpol('diff', path.join(root, 'calico-tcp80'), path.join(root, 'calico-tcp80-icmp'));
    expect(stdout).toBe(
      'Connectivity diff:\ndiff-type: changed, source: a/client[Pod], destination: a/server[Pod], ref1: TCP 80, ref2: ICMP,TCP 80\n',
    );
    const json = JSON.parse((await netpol('diff', path.join(root, 'calico-tcp80'), path.join(root, 'calico-tcp80-icmp'), '-o', 'json')).stdout) as {
      pairs: { old: string; new: string; gained: unknown[] }[];
    };
    expect(json.pairs).toHaveLength(1);
    expect(json.pairs[0]).toMatchObject({ old: 'TCP 80', new: 'ICMP,TCP 80', gained: [{ protocol: 'ICMP', messages: 'ICMP' }] });
  });

  it('exposure: the connlist part names ICMP too, and Calico selectors without a representative peer are named', async () => {
    const { stdout, stderr } = await netpol('list', path.join(root, 'calico-tcp80-icmp'), '--exposure');
    expect(stdout).toContain('a/client[Pod] => a/server[Pod] : ICMP,TCP 80\n');
    // `app == 'client'` is a label selector: a representative peer (absorbed by the real client pod), no caveat.
    expect(stderr).not.toContain('representative peer');
    const unrepresented = await netpol('list', path.join(root, 'calico-unrepresented'), '--exposure');
    expect(unrepresented.stdout).toContain('a/client[Pod] => a/server[Pod] : ICMP,TCP 80\n');
    expect(unrepresented.stderr).toContain(
      "warning: NetworkPolicy a/server-in (projectcalico.org/v3) spec.ingress[0].source (selector: \"app starts with 'cli'\"): exposure makes no representative peer",
    );
    expect(unrepresented.stderr).toContain('spec.ingress[1].source');
  });

  it('a NetworkPolicy-only snapshot keeps np-guard text and has no exposure caveat', async () => {
    expect(await clientToServer('networkpolicy-tcp80')).toBe('TCP 80');
    const { stdout, stderr } = await netpol('list', path.join(root, 'networkpolicy-tcp80'), '--exposure');
    expect(stdout).toContain('a/server[Pod] => a/client[Pod] : All Connections');
    expect(stderr).not.toContain('representative peer');
  });
});
