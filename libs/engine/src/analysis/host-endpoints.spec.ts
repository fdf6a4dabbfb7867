// Calico host endpoints beyond "outside → pod", one truth table per documented rule (docs.tigera.io
// reference/host-endpoints/{overview,forwarded,pre-dnat,untracked,summary}, reference/resources/hostendpoint,
// FelixConfiguration failsafe ports), through eval (the per-pair trace) and checked against the factorised analysis.
import { describe, expect, it } from 'vitest';
import { analyze } from './analyze.js';
import { atomPeers, clusterPeers, pairConnections } from './connectivity.js';
import { evaluate, evaluateIcmp } from './evaluate.js';
import { ipEndpoint, podEndpoint, tracePair } from './trace.js';
import { parseManifests } from '../manifest/parse-manifests.js';
import { buildSnapshot } from '../model/snapshot.js';
import type { Snapshot } from '../model/types.js';

const NS = `apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n`;
const node = (name: string, ip: string) => `apiVersion: v1\nkind: Node\nmetadata: {name: ${name}}\nstatus: {addresses: [{type: InternalIP, address: ${ip}}]}\n`;
const pod = (name: string, app: string, ip: string, nodeName: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: a, labels: {app: ${app}}}\nspec: {nodeName: ${nodeName}, containers: [{name: c, ports: [{containerPort: 8080}]}]}\nstatus: {podIP: ${ip}}\n`;
const CLUSTER = [
  NS,
  node('n1', '172.18.0.1'),
  node('n2', '172.18.0.2'),
  pod('web1', 'web', '10.0.1.1', 'n1'),
  pod('db1', 'db', '10.0.1.2', 'n1'),
  pod('web2', 'web', '10.0.2.1', 'n2'),
  pod('db2', 'db', '10.0.2.2', 'n2'),
];
const hep = (name: string, nodeName: string, iface: string, extra = '') =>
  `apiVersion: projectcalico.org/v3\nkind: HostEndpoint\nmetadata: {name: ${name}, labels: {role: fw}}\nspec: {node: ${nodeName}, interfaceName: "${iface}"${extra}}\n`;
const gnp = (name: string, spec: string) => `apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: ${name}}\nspec:\n  selector: role == 'fw'\n${spec}`;
const DENY_DB_FORWARD = (types: string) =>
  gnp('fwd', `  applyOnForward: true\n  types: [${types}]\n  ingress:\n  - action: Deny\n    destination: {selector: app == 'db'}\n  - action: Allow\n  egress:\n  - action: Deny\n    destination: {selector: app == 'db'}\n  - action: Allow\n`);

function snapshotOf(...docs: string[]): Snapshot {
  const parsed = parseManifests([{ path: 'in.yaml', text: [...CLUSTER, ...docs].join('---\n') }]);
  expect(parsed.issues.filter((i) => i.severity === 'error')).toEqual([]);
  return buildSnapshot(parsed.objects).snapshot;
}

const word = (allowed: boolean) => (allowed ? 'allowed' : 'denied');
const peer = (p: string) => (p.includes('/') ? { namespace: p.split('/')[0], pod: p.split('/')[1] } : { ip: p });
/** `from -> to port`: the eval verdict, for rows `[from, to, port?, protocol?]`. */
function table(snapshot: Snapshot, rows: readonly (readonly [string, string, number?, ('TCP' | 'UDP')?])[]): string[] {
  return rows.map(([from, to, port = 8080, protocol = 'TCP']) => `${from} -> ${to} ${protocol} ${port}: ${word(evaluate(snapshot, peer(from), peer(to), port, protocol).allowed)}`);
}

/** The factorised analysis agrees with the trace on every pod and atom pair. */
function expectFactorisedAgrees(snapshot: Snapshot): void {
  const analysis = analyze(snapshot);
  const pods = clusterPeers(analysis, 'pod');
  for (const src of [...pods, ...atomPeers(analysis.srcAtoms)]) {
    for (const dst of [...pods, ...atomPeers(analysis.dstAtoms)]) {
      if (src === dst || (src.type === 'ip' && dst.type === 'ip')) continue;
      const end = (p: typeof src) => (p.type === 'ip' ? ipEndpoint(p.family, p.first, p.last, p.name) : p.type === 'pod' ? podEndpoint(p.pod) : podEndpoint(p.workload.pods[0]));
      expect(pairConnections(analysis, src, dst)!.key, `${src.name} => ${dst.name}`).toBe(tracePair(snapshot, end(src), end(dst)).allowed.key);
    }
  }
}

describe('host endpoints: forwarded pod traffic (applyOnForward)', () => {
  it('wildcard host endpoints police all of their node\'s forwarded pod traffic, the same node included', () => {
    const s = snapshotOf(hep('h1', 'n1', '*'), hep('h2', 'n2', '*'), DENY_DB_FORWARD('Ingress, Egress'));
    expect(table(s, [['a/web1', 'a/db1'], ['a/web1', 'a/db2'], ['a/web2', 'a/db1'], ['a/web1', 'a/web2'], ['a/db1', 'a/web1']])).toEqual([
      'a/web1 -> a/db1 TCP 8080: denied',
      'a/web1 -> a/db2 TCP 8080: denied',
      'a/web2 -> a/db1 TCP 8080: denied',
      'a/web1 -> a/web2 TCP 8080: allowed',
      'a/db1 -> a/web1 TCP 8080: allowed',
    ]);
    const why = evaluate(s, peer('a/web1'), peer('a/db2'), 8080, 'TCP').explanation.summary;
    expect(why).toContain('host endpoints: h1 egress (forwarded): denied by fwd spec.egress[0] (Deny); h2 ingress (forwarded): denied by fwd spec.ingress[0] (Deny)');
    expectFactorisedAgrees(s);
  });

  it('the source node polices egress, the destination node ingress; a direction no applyOnForward policy selects is allowed', () => {
    // Egress only on n1's host endpoint: traffic from n1's pods to db is denied; from n2's pods it is allowed.
    const s = snapshotOf(hep('h1', 'n1', '*'), hep('h2', 'n2', '*'), DENY_DB_FORWARD('Egress'));
    expect(table(s, [['a/web1', 'a/db2'], ['a/web2', 'a/db1'], ['a/web2', 'a/db2']])).toEqual([
      'a/web1 -> a/db2 TCP 8080: denied',
      'a/web2 -> a/db1 TCP 8080: denied',
      'a/web2 -> a/db2 TCP 8080: denied',
    ]);
    const only = snapshotOf(hep('h1', 'n1', '*'), DENY_DB_FORWARD('Ingress'));
    expect(table(only, [['a/web2', 'a/db1'], ['a/web1', 'a/db2']])).toEqual(['a/web2 -> a/db1 TCP 8080: denied', 'a/web1 -> a/db2 TCP 8080: allowed']);
    expectFactorisedAgrees(only);
  });

  it('a policy selecting the host endpoint without applyOnForward does not police forwarded traffic', () => {
    const s = snapshotOf(hep('h1', 'n1', '*'), gnp('host-only', `  types: [Egress]\n  egress:\n  - action: Deny\n`));
    expect(table(s, [['a/web1', 'a/db2'], ['a/web1', '198.51.100.7'], ['172.18.0.1', '198.51.100.7']])).toEqual([
      'a/web1 -> a/db2 TCP 8080: allowed',
      'a/web1 -> 198.51.100.7 TCP 8080: allowed',
      // It polices what the host itself sends.
      '172.18.0.1 -> 198.51.100.7 TCP 8080: denied',
    ]);
  });

  it('an applyOnForward policy selecting the host endpoint denies what none of its rules allows', () => {
    const s = snapshotOf(hep('h1', 'n1', '*'), gnp('fwd', `  applyOnForward: true\n  types: [Egress]\n  egress:\n  - action: Allow\n    protocol: TCP\n    destination: {ports: [8080]}\n`));
    expect(table(s, [['a/web1', 'a/db2', 8080], ['a/web1', 'a/db2', 9090], ['a/web1', '198.51.100.7', 443]])).toEqual([
      'a/web1 -> a/db2 TCP 8080: allowed',
      'a/web1 -> a/db2 TCP 9090: denied',
      'a/web1 -> 198.51.100.7 TCP 443: denied',
    ]);
    expect(evaluate(s, peer('a/web1'), peer('a/db2'), 9090, 'TCP').explanation.summary).toContain('h1 egress (forwarded): denied by what no applyOnForward rule allows is denied');
    expectFactorisedAgrees(s);
  });

  it('a named-interface host endpoint polices only traffic leaving or entering its node, and the verdict says it assumes the interface', () => {
    const s = snapshotOf(hep('h1', 'n1', 'eth0'), hep('h2', 'n2', 'eth0'), DENY_DB_FORWARD('Ingress, Egress'));
    expect(table(s, [['a/web1', 'a/db1'], ['a/web1', 'a/db2'], ['a/web2', 'a/db2']])).toEqual([
      'a/web1 -> a/db1 TCP 8080: allowed',
      'a/web1 -> a/db2 TCP 8080: denied',
      'a/web2 -> a/db2 TCP 8080: allowed',
    ]);
    expect(evaluate(s, peer('a/web1'), peer('a/db2'), 8080, 'TCP').explanation.summary).toContain('uncertain: host endpoint h1 (interface eth0) is assumed to be the interface the traffic leaves its node through');
    expectFactorisedAgrees(s);
  });

  it('pod traffic leaving the cluster is policed by its node\'s host endpoints (egress)', () => {
    const s = snapshotOf(hep('h1', 'n1', '*'), gnp('fwd', `  applyOnForward: true\n  types: [Egress]\n  egress:\n  - action: Deny\n    destination: {nets: [198.51.100.0/24]}\n  - action: Allow\n`));
    expect(table(s, [['a/web1', '198.51.100.7'], ['a/web1', '203.0.113.9'], ['a/web2', '198.51.100.7']])).toEqual([
      'a/web1 -> 198.51.100.7 TCP 8080: denied',
      'a/web1 -> 203.0.113.9 TCP 8080: allowed',
      'a/web2 -> 198.51.100.7 TCP 8080: allowed',
    ]);
    expectFactorisedAgrees(s);
  });

  it('an untracked Deny drops forwarded traffic; on a wildcard host endpoint untracked policy does not apply', () => {
    const dnt = gnp('dnt', `  doNotTrack: true\n  applyOnForward: true\n  types: [Egress]\n  egress:\n  - action: Deny\n    destination: {selector: app == 'db'}\n`);
    expect(table(snapshotOf(hep('h1', 'n1', 'eth0'), dnt), [['a/web1', 'a/db2']])).toEqual(['a/web1 -> a/db2 TCP 8080: denied']);
    expect(table(snapshotOf(hep('h1', 'n1', '*'), dnt), [['a/web1', 'a/db2']])).toEqual(['a/web1 -> a/db2 TCP 8080: allowed']);
  });
});

describe('host endpoints: traffic to and from the host', () => {
  const OUTSIDE = '198.51.100.7';
  it('a host endpoint no policy selects denies traffic to its host except the failsafe ports', () => {
    const s = snapshotOf(hep('h2', 'n2', 'eth0', ', expectedIPs: [172.18.0.2]'));
    expect(table(s, [[OUTSIDE, '172.18.0.2', 8080], [OUTSIDE, '172.18.0.2', 22], [OUTSIDE, '172.18.0.2', 6443], [OUTSIDE, '172.18.0.2', 68, 'UDP'], [OUTSIDE, '172.18.0.1', 8080]])).toEqual([
      `${OUTSIDE} -> 172.18.0.2 TCP 8080: denied`,
      `${OUTSIDE} -> 172.18.0.2 TCP 22: allowed`,
      `${OUTSIDE} -> 172.18.0.2 TCP 6443: allowed`,
      `${OUTSIDE} -> 172.18.0.2 UDP 68: allowed`,
      `${OUTSIDE} -> 172.18.0.1 TCP 8080: allowed`,
    ]);
    expect(evaluateIcmp(s, peer(OUTSIDE), peer('172.18.0.2')).allowed).toBe(false);
    // The verdict names the host endpoint's caveat (what stays unmodelled: FelixConfiguration failsafe ports...).
    expect(evaluate(s, peer(OUTSIDE), peer('172.18.0.2'), 8080, 'TCP').caveats.map((c) => `${c.code} ${c.kind} ${c.name}`)).toEqual(['UNMODELLED_POLICY HostEndpoint h2']);
    // The projectcalico-default-allow profile allows what no policy selects.
    const open = snapshotOf(hep('h2', 'n2', 'eth0', ', expectedIPs: [172.18.0.2], profiles: [projectcalico-default-allow]'));
    expect(table(open, [[OUTSIDE, '172.18.0.2', 8080]])).toEqual([`${OUTSIDE} -> 172.18.0.2 TCP 8080: allowed`]);
  });

  it('normal policies selecting the host endpoint decide traffic to the host, applyOnForward or not', () => {
    const s = snapshotOf(hep('h2', 'n2', '*'), gnp('host', `  types: [Ingress]\n  ingress:\n  - action: Allow\n    protocol: TCP\n    destination: {ports: [8080]}\n`));
    expect(table(s, [[OUTSIDE, '172.18.0.2', 8080], [OUTSIDE, '172.18.0.2', 9090], ['a/web1', '172.18.0.2', 9090]])).toEqual([
      `${OUTSIDE} -> 172.18.0.2 TCP 8080: allowed`,
      `${OUTSIDE} -> 172.18.0.2 TCP 9090: denied`,
      'a/web1 -> 172.18.0.2 TCP 9090: denied',
    ]);
    expectFactorisedAgrees(s);
  });

  it('untracked policies decide first: a Deny drops, an Allow skips the normal policies but needs an untracked Allow for the reply', () => {
    const untracked = (egress: string) =>
      gnp('dnt', `  doNotTrack: true\n  applyOnForward: true\n  types: [Ingress, Egress]\n  ingress:\n  - action: Deny\n    source: {nets: [203.0.113.5/32]}\n  - action: Allow\n    protocol: TCP\n    destination: {ports: [8080]}\n  egress:\n${egress}`);
    const denyAllNormal = gnp('normal', `  types: [Ingress]\n  ingress:\n  - action: Deny\n`);
    const eth0 = hep('h2', 'n2', 'eth0', ', expectedIPs: [172.18.0.2]');
    const s = snapshotOf(eth0, untracked(`  - action: Allow\n`), denyAllNormal);
    expect(table(s, [['203.0.113.5', '172.18.0.2', 8080], [OUTSIDE, '172.18.0.2', 8080], [OUTSIDE, '172.18.0.2', 9090]])).toEqual([
      '203.0.113.5 -> 172.18.0.2 TCP 8080: denied',
      `${OUTSIDE} -> 172.18.0.2 TCP 8080: allowed`,
      `${OUTSIDE} -> 172.18.0.2 TCP 9090: denied`,
    ]);
    expect(evaluate(s, peer(OUTSIDE), peer('172.18.0.2'), 8080, 'TCP').explanation.summary).toContain('h2 ingress (to / from the host): allowed by untracked dnt spec.ingress[1] (Allow)');
    // No untracked Allow for the reply (egress allows UDP only): the untracked connection cannot answer.
    const noReply = snapshotOf(eth0, untracked(`  - action: Allow\n    protocol: UDP\n`), gnp('normal', `  types: [Ingress]\n  ingress:\n  - action: Allow\n`));
    expect(table(noReply, [[OUTSIDE, '172.18.0.2', 8080]])).toEqual([`${OUTSIDE} -> 172.18.0.2 TCP 8080: denied`]);
    // A wildcard host endpoint ignores untracked policy: the normal policy decides.
    const wildcard = snapshotOf(hep('h2', 'n2', '*'), untracked(`  - action: Allow\n`), gnp('normal', `  types: [Ingress]\n  ingress:\n  - action: Allow\n`));
    expect(table(wildcard, [['203.0.113.5', '172.18.0.2', 8080]])).toEqual(['203.0.113.5 -> 172.18.0.2 TCP 8080: allowed']);
  });

  it('pre-DNAT policies decide before the normal ones: a Deny drops, an Allow skips them', () => {
    const pre = gnp('pre', `  preDNAT: true\n  applyOnForward: true\n  types: [Ingress]\n  ingress:\n  - action: Deny\n    source: {nets: [203.0.113.0/24]}\n  - action: Allow\n    protocol: TCP\n    destination: {ports: [8080]}\n`);
    const s = snapshotOf(hep('h2', 'n2', '*'), pre, gnp('normal', `  types: [Ingress]\n  ingress:\n  - action: Allow\n    protocol: TCP\n    destination: {ports: [9090]}\n`));
    expect(table(s, [['203.0.113.5', '172.18.0.2', 9090], [OUTSIDE, '172.18.0.2', 8080], [OUTSIDE, '172.18.0.2', 9090], [OUTSIDE, '172.18.0.2', 7070]])).toEqual([
      '203.0.113.5 -> 172.18.0.2 TCP 9090: denied',
      `${OUTSIDE} -> 172.18.0.2 TCP 8080: allowed`,
      `${OUTSIDE} -> 172.18.0.2 TCP 9090: allowed`,
      `${OUTSIDE} -> 172.18.0.2 TCP 7070: denied`,
    ]);
  });

  it('traffic the host sends is policed by its host endpoint\'s egress policies (default deny but the outbound failsafe ports)', () => {
    const s = snapshotOf(hep('h2', 'n2', 'eth0', ', expectedIPs: [172.18.0.2]'));
    expect(table(s, [['172.18.0.2', OUTSIDE, 8080], ['172.18.0.2', OUTSIDE, 53, 'UDP'], ['172.18.0.2', OUTSIDE, 6443]])).toEqual([
      `172.18.0.2 -> ${OUTSIDE} TCP 8080: denied`,
      `172.18.0.2 -> ${OUTSIDE} UDP 53: allowed`,
      `172.18.0.2 -> ${OUTSIDE} TCP 6443: allowed`,
    ]);
  });
});
