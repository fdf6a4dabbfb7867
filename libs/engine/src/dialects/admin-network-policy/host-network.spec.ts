// Host-network pods under AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy: never a
// subject, never matched by a `namespaces` / `pods` peer, still matched through their node's address by
// `networks` and `nodes` peers (compile.ts quotes the API). Truth tables through both engine paths (the factorised
// analysis behind `list`, the per-pair trace behind `eval`), and the two checked against each other pair by pair.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../analysis/analyze.js';
import { atomPeers, clusterPeers, pairConnections, type Peer } from '../../analysis/connectivity.js';
import { evaluate, type PeerSpec } from '../../analysis/evaluate.js';
import { ipEndpoint, podEndpoint, tracePair, type Endpoint } from '../../analysis/trace.js';
import { parseManifests } from '../../manifest/parse-manifests.js';
import { buildSnapshot } from '../../model/snapshot.js';
import type { Snapshot } from '../../model/types.js';
import { connString } from '../../output/conn-string.js';

const NODES = ['n0:172.18.0.10', 'n1:172.18.0.11']
  .map((n) => n.split(':'))
  .map(([name, ip]) => `apiVersion: v1\nkind: Node\nmetadata:\n  name: ${name}\nstatus:\n  addresses:\n  - {type: InternalIP, address: ${ip}}\n`)
  .join('---\n');
const pod = (ns: string, name: string, hostNetwork: boolean, status: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n  labels: {app: web}\nspec:\n` +
  `${hostNetwork ? '  hostNetwork: true\n  nodeName: n0\n' : ''}  containers:\n  - name: c\n    ports:\n    - {name: web, containerPort: 8080}\nstatus:\n${status}`;
// In each namespace a pod and a host-network pod with the same labels: only hostNetwork tells them apart.
const PODS = [
  pod('a', 'a', false, '  podIP: 10.244.1.10\n'),
  pod('a', 'ha', true, '  phase: Running\n'),
  pod('b', 'b', false, '  podIP: 10.244.2.10\n'),
  pod('b', 'hb', true, '  phase: Running\n'),
].join('---\n');

const ns = (name: string) => `{matchLabels: {kubernetes.io/metadata.name: ${name}}}`;
/** A policy of `kind` whose subject is namespace `subject`, with one Deny rule (Accept/Allow: `action`). */
function policy(kind: 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy' | 'ClusterNetworkPolicy/Admin' | 'ClusterNetworkPolicy/Baseline', subject: string, direction: 'ingress' | 'egress', peer: string, action = 'Deny'): string {
  const [realKind, tier] = kind.split('/');
  const head =
    realKind === 'ClusterNetworkPolicy'
      ? `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata:\n  name: c\nspec:\n  tier: ${tier}\n  priority: 4\n`
      : `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: ${realKind}\nmetadata:\n  name: ${realKind === 'AdminNetworkPolicy' ? 'p' : 'default'}\nspec:\n${realKind === 'AdminNetworkPolicy' ? '  priority: 4\n' : ''}`;
  return `${head}  subject:\n    namespaces: ${ns(subject)}\n  ${direction}:\n  - action: ${action}\n    ${direction === 'ingress' ? 'from' : 'to'}:\n    - ${peer}\n`;
}

function build(...docs: string[]): Snapshot {
  const parsed = parseManifests([{ path: 'in.yaml', text: [NODES, PODS, ...docs].join('---\n') }]);
  expect(parsed.issues.filter((i) => i.severity === 'error')).toEqual([]);
  return buildSnapshot(parsed.objects).snapshot;
}

/** TCP 8080 from `src` to `dst` (`ns/pod`): the trace's verdict and the analysis's, which must agree. */
function allowed(snapshot: Snapshot, src: string, dst: string): boolean {
  const [srcNs, srcPod] = src.split('/');
  const [dstNs, dstPod] = dst.split('/');
  const traced = evaluate(snapshot, { namespace: srcNs, pod: srcPod }, { namespace: dstNs, pod: dstPod }, 8080, 'TCP').allowed;
  const analysis = analyze(snapshot);
  const peers = clusterPeers(analysis, 'pod');
  const find = (name: string) => peers.find((p) => p.name === `${name}[Pod]`)!;
  const analysed = pairConnections(analysis, find(src), find(dst))!.contains('TCP', 8080);
  expect(analysed, `${src} → ${dst}: analysis vs trace`).toBe(traced);
  return traced;
}

/** Every pod → pod (both directions) and pod ↔ IP-atom pair: the analysis's connections equal the trace's. */
function expectAgreement(snapshot: Snapshot): number {
  const analysis = analyze(snapshot);
  const pods = clusterPeers(analysis, 'pod');
  const endpointOf = (peer: Peer): Endpoint => {
    if (peer.type === 'pod') return podEndpoint(peer.pod);
    if (peer.type === 'ip') return ipEndpoint(peer.family, peer.first, peer.last, peer.name);
    throw new Error('pod granularity only');
  };
  const pairs: [Peer, Peer][] = [];
  for (const src of pods) for (const dst of pods) if (src !== dst) pairs.push([src, dst]);
  for (const src of atomPeers(analysis.srcAtoms)) for (const dst of pods) pairs.push([src, dst]);
  for (const src of pods) for (const dst of atomPeers(analysis.dstAtoms)) pairs.push([src, dst]);
  const disagreements: string[] = [];
  for (const [src, dst] of pairs) {
    const analysed = pairConnections(analysis, src, dst)!;
    const traced = tracePair(snapshot, endpointOf(src), endpointOf(dst)).allowed;
    if (!analysed.equals(traced)) disagreements.push(`${src.name} → ${dst.name}: analysis ${connString(analysed)}, trace ${connString(traced)}`);
  }
  expect(disagreements).toEqual([]);
  return pairs.length;
}

describe('host-network pods are never matched by namespaces / pods peers', () => {
  it('AdminNetworkPolicy egress Deny to a namespace: its pod denied, its host-network pod not', () => {
    const snapshot = build(policy('AdminNetworkPolicy', 'a', 'egress', `namespaces: ${ns('b')}`));
    expect(allowed(snapshot, 'a/a', 'b/b')).toBe(false);
    expect(allowed(snapshot, 'a/a', 'b/hb')).toBe(true);
  });

  it('AdminNetworkPolicy ingress Deny from a namespace (pods peer): its pod denied, its host-network pod not', () => {
    const snapshot = build(policy('AdminNetworkPolicy', 'a', 'ingress', `pods: {namespaceSelector: ${ns('b')}, podSelector: {matchLabels: {app: web}}}`));
    expect(allowed(snapshot, 'b/b', 'a/a')).toBe(false);
    expect(allowed(snapshot, 'b/hb', 'a/a')).toBe(true);
  });

  it('BaselineAdminNetworkPolicy and ClusterNetworkPolicy in both tiers: the same', () => {
    for (const kind of ['BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy/Admin', 'ClusterNetworkPolicy/Baseline'] as const) {
      const snapshot = build(policy(kind, 'a', 'egress', `namespaces: ${ns('b')}`));
      expect([kind, allowed(snapshot, 'a/a', 'b/b'), allowed(snapshot, 'a/a', 'b/hb')]).toEqual([kind, false, true]);
    }
  });
});

describe('controllers standing for their pods (no Pod objects)', () => {
  it('a host-network DaemonSet is neither matched by a namespaces peer nor a subject, in both engine paths', () => {
    const ds = (name: string, hostNetwork: boolean) =>
      `apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: ${name}\n  namespace: b\nspec:\n  selector: {matchLabels: {app: ${name}}}\n  template:\n` +
      `    metadata:\n      labels: {app: ${name}}\n    spec:\n${hostNetwork ? '      hostNetwork: true\n' : ''}      containers:\n      - name: c\n        image: x\n`;
    const snapshot = build(ds('agent', true), ds('plain', false), policy('AdminNetworkPolicy', 'a', 'egress', `namespaces: ${ns('b')}`), policy('BaselineAdminNetworkPolicy', 'b', 'egress', 'namespaces: {}'));
    const verdict = (src: PeerSpec, dst: PeerSpec) => evaluate(snapshot, src, dst, 8080, 'TCP').allowed;
    expect(verdict({ namespace: 'a', pod: 'a' }, { namespace: 'b', name: 'agent' })).toBe(true);
    expect(verdict({ namespace: 'a', pod: 'a' }, { namespace: 'b', name: 'plain' })).toBe(false);
    expect(verdict({ namespace: 'b', name: 'agent' }, { namespace: 'a', pod: 'a' })).toBe(true);
    expect(verdict({ namespace: 'b', name: 'plain' }, { namespace: 'a', pod: 'a' })).toBe(false);
    expectAgreement(snapshot);
  });
});

describe('host-network pods are never the subject', () => {
  it('AdminNetworkPolicy: a namespace\'s pods are denied egress, its host-network pod is not', () => {
    const snapshot = build(policy('AdminNetworkPolicy', 'a', 'egress', 'namespaces: {}'));
    expect(allowed(snapshot, 'a/a', 'b/b')).toBe(false);
    expect(allowed(snapshot, 'a/ha', 'b/b')).toBe(true);
  });

  it('AdminNetworkPolicy: a namespace\'s pods are denied ingress, its host-network pod is not', () => {
    const snapshot = build(policy('AdminNetworkPolicy', 'b', 'ingress', 'namespaces: {}'));
    expect(allowed(snapshot, 'a/a', 'b/b')).toBe(false);
    expect(allowed(snapshot, 'a/a', 'b/hb')).toBe(true);
  });

  it('BaselineAdminNetworkPolicy and ClusterNetworkPolicy in both tiers: the same', () => {
    for (const kind of ['BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy/Admin', 'ClusterNetworkPolicy/Baseline'] as const) {
      const snapshot = build(policy(kind, 'b', 'ingress', 'namespaces: {}'));
      expect([kind, allowed(snapshot, 'a/a', 'b/b'), allowed(snapshot, 'a/a', 'b/hb')]).toEqual([kind, false, true]);
    }
  });
});

describe('networks and nodes peers still match a host-network pod through its node address', () => {
  it('a networks peer covering the node IP denies the host-network pod, not the pod outside it', () => {
    const snapshot = build(policy('AdminNetworkPolicy', 'a', 'egress', 'networks: ["172.18.0.0/24"]'));
    expect(allowed(snapshot, 'a/a', 'b/hb')).toBe(false);
    expect(allowed(snapshot, 'a/a', 'b/b')).toBe(true);
    expect(evaluate(snapshot, { namespace: 'a', pod: 'a' }, { ip: '172.18.0.10' }, 8080, 'TCP').allowed).toBe(false);
  });

  it('a nodes peer: the same', () => {
    const snapshot = build(policy('AdminNetworkPolicy', 'a', 'egress', 'nodes: {}'));
    expect(allowed(snapshot, 'a/a', 'b/hb')).toBe(false);
    expect(allowed(snapshot, 'a/a', 'b/b')).toBe(true);
  });

  it('but a host-network pod is still no subject of the policy holding them', () => {
    const snapshot = build(policy('AdminNetworkPolicy', 'a', 'egress', 'networks: ["0.0.0.0/0"]'));
    expect(allowed(snapshot, 'a/a', 'b/b')).toBe(false);
    expect(allowed(snapshot, 'a/ha', 'b/b')).toBe(true);
  });
});

describe('NetworkPolicy v1 unchanged', () => {
  it('a host-network pod a NetworkPolicy selects is isolated like any pod, with the HOST_NETWORK warning', () => {
    const np = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\n  namespace: b\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n';
    const parsed = parseManifests([{ path: 'in.yaml', text: [NODES, PODS, np].join('---\n') }]);
    const { snapshot, issues } = buildSnapshot(parsed.objects);
    expect(allowed(snapshot, 'a/a', 'b/b')).toBe(false);
    expect(allowed(snapshot, 'a/a', 'b/hb')).toBe(false);
    expect(issues.filter((i) => i.code === 'HOST_NETWORK').map((i) => i.message.split(' uses ')[0])).toEqual(['b/hb[Pod] (pod hb)']);
  });

  it('a NetworkPolicy namespaceSelector peer still matches a host-network pod', () => {
    const np = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: from-a\n  namespace: b\nspec:\n  podSelector: {}\n  ingress:\n  - from:\n    - namespaceSelector: ${ns('a')}\n`;
    const snapshot = build(np);
    expect(allowed(snapshot, 'a/a', 'b/b')).toBe(true);
    expect(allowed(snapshot, 'a/ha', 'b/b')).toBe(true);
  });
});

describe('identity classes', () => {
  const classesOf = (snapshot: Snapshot) => {
    const analysis = analyze(snapshot);
    return new Set(clusterPeers(analysis, 'pod').map((p) => (p.type === 'pod' ? p.classId : -1))).size;
  };

  it('split pods differing only in hostNetwork only when a policy of these kinds exists', () => {
    const np = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\n  namespace: b\nspec:\n  podSelector: {matchLabels: {app: web}}\n';
    // Pods have no podIP-matching blocks here: one class per namespace without an AdminNetworkPolicy ...
    expect(classesOf(build(np))).toBe(2);
    // ... and the host-network pods apart with one (four classes).
    expect(classesOf(build(np, policy('AdminNetworkPolicy', 'a', 'egress', `namespaces: ${ns('b')}`)))).toBe(4);
  });
});

describe('analysis and trace agree on a snapshot with host-network pods', () => {
  it('every pod pair and pod ↔ IP atom pair, under all four kinds and NetworkPolicies at once', () => {
    const snapshot = build(
      policy('AdminNetworkPolicy', 'a', 'egress', `pods: {namespaceSelector: ${ns('b')}, podSelector: {}}`, 'Pass'),
      policy('BaselineAdminNetworkPolicy', 'b', 'ingress', 'namespaces: {}'),
      policy('ClusterNetworkPolicy/Admin', 'b', 'egress', 'networks: ["172.18.0.0/16"]'),
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np\n  namespace: a\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - ports:\n    - port: 8080\n',
    );
    // 4 pods (12 ordered pairs) plus each pod against every IP atom on both sides.
    expect(expectAgreement(snapshot)).toBeGreaterThan(12);
    // Spot checks that make the table non-trivial. a/a → b/b: passed to the NetworkPolicy (8080 allowed), then
    // the baseline denies b/b's ingress; b/hb is neither the baseline's subject nor the Pass's peer.
    expect(allowed(snapshot, 'a/a', 'b/b')).toBe(false);
    expect(allowed(snapshot, 'a/a', 'b/hb')).toBe(true);
    // The Admin CNP denies b/b egress to node addresses (a/ha's), not b/hb's (no subject) nor toward a/a.
    expect(allowed(snapshot, 'b/b', 'a/ha')).toBe(false);
    expect(allowed(snapshot, 'b/hb', 'a/ha')).toBe(true);
    expect(allowed(snapshot, 'b/b', 'a/a')).toBe(true);
  });
});

describe('incremental re-analysis (what-if)', () => {
  it('adding an AdminNetworkPolicy to a snapshot with host-network pods re-analyses in full, and agrees', async () => {
    const { reanalyze, policyIdentity } = await import('../../analysis/incremental.js');
    const { patchSnapshotPolicies } = await import('../../model/patch-policies.js');
    const np = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np\n  namespace: b\nspec:\n  podSelector: {matchLabels: {app: web}}\n  ingress:\n  - {}\n';
    const base = analyze(build(np));
    const added = parseManifests([{ path: 'anp.yaml', text: policy('AdminNetworkPolicy', 'a', 'egress', `namespaces: ${ns('b')}`) }]).objects;
    const patched = patchSnapshotPolicies(base.snapshot, { remove: [], add: added, firstReadIndex: 100 })!;
    const r = reanalyze(base, patched.snapshot, patched.changed);
    expect([r.method, r.reason]).toEqual(['full', expect.stringMatching(/host-network/)]);
    const names = (a: ReturnType<typeof analyze>) =>
      clusterPeers(a, 'pod').flatMap((src) => clusterPeers(a, 'pod').map((dst) => `${src.name}→${dst.name}:${connString(pairConnections(a, src, dst)!)}`));
    expect(names(r.analysis)).toEqual(names(analyze(patched.snapshot)));
    expect(allowed(r.analysis.snapshot, 'a/a', 'b/hb')).toBe(true);
    expect(allowed(r.analysis.snapshot, 'a/a', 'b/b')).toBe(false);
    // Without host-network pods the same edit stays incremental (no cost to other clusters).
    const plainPods = [pod('a', 'a', false, '  podIP: 10.244.1.10\n'), pod('b', 'b', false, '  podIP: 10.244.2.10\n')].join('---\n');
    const plain = analyze(buildSnapshot(parseManifests([{ path: 'in.yaml', text: [plainPods, np].join('---\n') }]).objects).snapshot);
    const plainPatched = patchSnapshotPolicies(plain.snapshot, { remove: [], add: added, firstReadIndex: 100 })!;
    expect(plainPatched.changed).toEqual([policyIdentity(plainPatched.snapshot.policies.find((p) => p.kind === 'AdminNetworkPolicy')!)]);
    const incremental = reanalyze(plain, plainPatched.snapshot, plainPatched.changed);
    expect(incremental.method).toBe('incremental');
    expect(names(incremental.analysis)).toEqual(names(analyze(plainPatched.snapshot)));
  });
});
