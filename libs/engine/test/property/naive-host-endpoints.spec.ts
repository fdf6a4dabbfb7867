// Calico host endpoints: the naive evaluator (naive-dialects.ts, written from docs.tigera.io's host endpoint
// reference) first against the upstream verdicts of the host endpoint cases, then against the engine's eval on every
// pod and address pair of those cases and of scenarios for each documented rule (forwarded pod traffic, wildcard and
// named interfaces, untracked / pre-DNAT / normal policies, failsafe ports, default deny and the default-allow profile).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/analysis/evaluate.js';
import { parseManifests } from '../../src/manifest/parse-manifests.js';
import { buildSnapshot } from '../../src/model/snapshot.js';
import { buildNaiveDialectCluster, dialectAllowed, type Probe } from './naive-dialects.js';
import { findPod, type NaivePeer } from './naive-evaluator.js';

const UPSTREAM = path.resolve(import.meta.dirname, '../../../../apps/cli/test/fixtures/dialects-upstream/telepathy');
const SHARED = path.resolve(import.meta.dirname, '../../../../../shared/conformance/dialects/telepathy');
const caseDirs = [UPSTREAM, SHARED].flatMap((root) =>
  existsSync(root)
    ? readdirSync(root)
        .filter((name) => name.startsWith('zz-calico-gnp-hep'))
        .sort()
        .map((name) => ({ name, dir: path.join(root, name) }))
    : [],
);

function readCase(dir: string): string {
  const input = path.join(dir, 'input');
  return readdirSync(input)
    .sort()
    .map((f) => readFileSync(path.join(input, f), 'utf8'))
    .join('\n---\n');
}

const parseText = (text: string) => parseManifests([{ path: 'in.yaml', text }]);
const peerOf = (cluster: ReturnType<typeof buildNaiveDialectCluster>, text: string): NaivePeer =>
  text.includes('/') ? findPod(cluster.base, text.split('/')[0], text.split('/')[1]) : { ip: text };

describe('naive host endpoint reading against the upstream verdicts', () => {
  it.each(caseDirs.filter((c) => c.dir.startsWith(UPSTREAM)).map((c) => [c.name, c.dir]))('%s', (_name, dir) => {
    const cluster = buildNaiveDialectCluster(
      parseText(readCase(dir)).objects.map((o) => o.object),
      'calico',
    );
    const rows = JSON.parse(readFileSync(path.join(dir, 'assertions.json'), 'utf8')) as { from: string; to: string; port: number; protocol: 'TCP'; expect: string }[];
    const got = rows.map((r) => `${r.from} -> ${r.to}: ${dialectAllowed(cluster, peerOf(cluster, r.from), peerOf(cluster, r.to), { protocol: r.protocol, port: r.port }) ? 'allowed' : 'denied'}`);
    expect(got).toEqual(rows.map((r) => `${r.from} -> ${r.to}: ${r.expect}`));
  });
});

// Scenarios, one per rule: two nodes, a web and a db pod on each.
const node = (name: string, ip: string) => `apiVersion: v1\nkind: Node\nmetadata: {name: ${name}}\nstatus: {addresses: [{type: InternalIP, address: ${ip}}]}\n`;
const pod = (name: string, app: string, ip: string, nodeName: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: a, labels: {app: ${app}}}\nspec: {nodeName: ${nodeName}, containers: [{name: c, ports: [{containerPort: 8080}]}]}\nstatus: {podIP: ${ip}}\n`;
const CLUSTER = [`apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n`, node('n1', '172.18.0.1'), node('n2', '172.18.0.2'), pod('web1', 'web', '10.0.1.1', 'n1'), pod('db1', 'db', '10.0.1.2', 'n1'), pod('web2', 'web', '10.0.2.1', 'n2'), pod('db2', 'db', '10.0.2.2', 'n2')];
const hep = (name: string, nodeName: string, iface: string, extra = '') =>
  `apiVersion: projectcalico.org/v3\nkind: HostEndpoint\nmetadata: {name: ${name}, labels: {role: fw}}\nspec: {node: ${nodeName}, interfaceName: "${iface}"${extra}}\n`;
const gnp = (name: string, spec: string) => `apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: ${name}}\nspec:\n  selector: role == 'fw'\n${spec}`;
const FORWARD = gnp('fwd', `  applyOnForward: true\n  types: [Ingress, Egress]\n  ingress:\n  - action: Deny\n    destination: {selector: app == 'db'}\n  - action: Allow\n  egress:\n  - action: Deny\n    destination: {nets: [198.51.100.0/24]}\n  - action: Allow\n    protocol: TCP\n`);
const UNTRACKED = gnp('dnt', `  doNotTrack: true\n  applyOnForward: true\n  types: [Ingress, Egress]\n  ingress:\n  - action: Deny\n    source: {nets: [203.0.113.5/32]}\n  - action: Allow\n    protocol: TCP\n    destination: {ports: [8080]}\n  egress:\n  - action: Allow\n    protocol: TCP\n    destination: {ports: ["1024:65535"]}\n  - action: Allow\n    protocol: UDP\n`);
const PRE_DNAT = gnp('pre', `  preDNAT: true\n  applyOnForward: true\n  types: [Ingress]\n  ingress:\n  - action: Deny\n    source: {nets: [203.0.113.0/24]}\n  - action: Allow\n    protocol: TCP\n    destination: {ports: [9090]}\n`);
const HOST = gnp('host', `  types: [Ingress, Egress]\n  ingress:\n  - action: Allow\n    protocol: TCP\n    destination: {ports: [8080]}\n  egress:\n  - action: Allow\n    protocol: UDP\n`);
const SCENARIOS: Record<string, string[]> = {
  'wildcard, forward': [hep('h1', 'n1', '*'), hep('h2', 'n2', '*'), FORWARD],
  'named, forward': [hep('h1', 'n1', 'eth0'), hep('h2', 'n2', 'eth0', ', expectedIPs: [172.18.0.2]'), FORWARD],
  'one node, forward + host': [hep('h1', 'n1', '*'), FORWARD, HOST],
  'named, untracked + pre-DNAT + host': [hep('h2', 'n2', 'eth0', ', expectedIPs: [172.18.0.2]'), UNTRACKED, PRE_DNAT, HOST],
  'wildcard, untracked + pre-DNAT': [hep('h1', 'n1', '*'), hep('h2', 'n2', '*'), UNTRACKED, PRE_DNAT],
  'no policy, default-allow profile on one': [hep('h1', 'n1', 'eth0', ', expectedIPs: [172.18.0.1], profiles: [projectcalico-default-allow]'), hep('h2', 'n2', '*')],
};
const IPS = ['198.51.100.7', '203.0.113.5', '172.18.0.1', '172.18.0.2'];
const PROBES: Probe[] = [
  { protocol: 'TCP', port: 8080 },
  { protocol: 'TCP', port: 9090 },
  { protocol: 'TCP', port: 22 },
  { protocol: 'UDP', port: 53 },
  { protocol: 'UDP', port: 68 },
];

describe('engine = naive on host endpoint connections', () => {
  const all: [string, string][] = [
    ...Object.entries(SCENARIOS).map(([name, docs]): [string, string] => [name, [...CLUSTER, ...docs].join('---\n')]),
    ...caseDirs.map((c): [string, string] => [c.name, readCase(c.dir)]),
  ];
  it.each(all)('%s', (_name, text) => {
    const parsed = parseText(text);
    expect(parsed.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const { snapshot } = buildSnapshot(parsed.objects, { cni: 'calico' });
    const cluster = buildNaiveDialectCluster(
      parsed.objects.map((o) => o.object),
      'calico',
    );
    const pods = cluster.base.pods.map((p) => `${p.namespace}/${p.name}`);
    const hostIps = new Set([...cluster.nodeAddresses.values()].flat().concat(cluster.hostEndpoints.flatMap((h) => h.expectedIPs)));
    const ends = [...pods, ...IPS];
    const disagreements: string[] = [];
    let asked = 0;
    let denied = 0;
    for (const from of ends) {
      for (const to of ends) {
        if (from === to) continue;
        if (!from.includes('/') && !to.includes('/') && !hostIps.has(from) && !hostIps.has(to)) continue;
        for (const probe of PROBES) {
          if (probe.protocol === 'ICMP') continue;
          const spec = (t: string) => (t.includes('/') ? { namespace: t.split('/')[0], pod: t.split('/')[1] } : { ip: t });
          const engine = evaluate(snapshot, spec(from), spec(to), probe.port, probe.protocol).allowed;
          const naive = dialectAllowed(cluster, peerOf(cluster, from), peerOf(cluster, to), probe);
          asked++;
          if (!engine) denied++;
          if (engine !== naive) disagreements.push(`${from} -> ${to} ${probe.protocol} ${probe.port}: engine ${engine}, naive ${naive}`);
        }
      }
    }
    // Both verdicts occur: the comparison is not between two readings that allow everything.
    expect(denied).toBeGreaterThan(0);
    expect(denied).toBeLessThan(asked);
    expect(disagreements).toEqual([]);
  });
});
