// Calico rules (dialect matchers) in the factorised whole-snapshot analysis: a `nets` matcher splits one label
// class by pod IP, a rule's near end (`destination` of an ingress rule) narrows the subjects it applies to, exposure
// reads Calico rules, and whole-snapshot caveats name only what stays unmodelled.
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analysis/analyze.js';
import { clusterPeers, connectivity, pairConnections, type Peer } from '../src/analysis/connectivity.js';
import { podEndpoint, tracePair } from '../src/analysis/trace.js';
import { snapshotCaveats } from '../src/caveats/caveats.js';
import { exposure } from '../src/exposure/exposure.js';
import { loadSnapshot } from '../src/model/load.js';
import type { Snapshot } from '../src/model/types.js';

const pod = (namespace: string, name: string, labels: Record<string, string>, ip: string) => `
apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: ${namespace}, labels: ${JSON.stringify(labels)} }
spec: { containers: [{ name: c, ports: [{ containerPort: 80, name: http }] }] }
status: { podIP: ${ip} }
`;

function load(...docs: string[]): Snapshot {
  const { snapshot, issues } = loadSnapshot([{ path: 'in.yaml', text: docs.join('---\n') }]);
  expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
  return snapshot;
}

/** `src => dst : conn` of the pod-level connectivity, pods only. */
function podRows(snapshot: Snapshot): string[] {
  return connectivity(snapshot, { granularity: 'pod' })
    .filter((r) => r.src.type === 'pod' && r.dst.type === 'pod')
    .map((r) => `${r.src.name} => ${r.dst.name} : ${r.conn.key}`);
}

/** Every pod pair's factorised connections equal the per-pair trace's. */
function expectAgreesWithTrace(snapshot: Snapshot): void {
  const analysis = analyze(snapshot);
  const pods = clusterPeers(analysis, 'pod') as Extract<Peer, { type: 'pod' }>[];
  for (const src of pods) {
    for (const dst of pods) {
      if (src === dst) continue;
      expect(pairConnections(analysis, src, dst)!.key, `${src.name} => ${dst.name}`).toBe(tracePair(snapshot, podEndpoint(src.pod), podEndpoint(dst.pod)).allowed.key);
    }
  }
}

const TCP80 = 'TCP:80|UDP:|SCTP:';

describe('Calico matchers in the factorised analysis', () => {
  it('splits one label class by pod IP when a rule tests source nets', () => {
    const snapshot = load(
      pod('shop', 'web', { app: 'web' }, '10.0.0.10'),
      pod('shop', 'client-a', { app: 'client' }, '10.0.1.5'),
      pod('shop', 'client-b', { app: 'client' }, '10.0.2.5'),
      `
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: { name: web-from-subnet }
spec:
  selector: app == 'web'
  types: [Ingress]
  ingress:
    - action: Allow
      protocol: TCP
      source: { nets: [10.0.1.0/24] }
      destination: { ports: [80] }
`,
    );
    const analysis = analyze(snapshot);
    const classOf = (name: string) => {
      const w = snapshot.workloads.find((x) => x.name === name)!;
      return analysis.workloadClass[w.id];
    };
    // Same namespace and labels, different subnets: two classes.
    expect(classOf('client-a')).not.toBe(classOf('client-b'));
    const rows = podRows(snapshot).filter((r) => r.includes('=> shop/web'));
    expect(rows).toEqual([`shop/client-a[Pod] => shop/web[Pod] : ${TCP80}`]);
    // The source atoms are cut at the rule's nets.
    expect(analysis.srcAtoms.map((a) => a.text)).toContain('10.0.1.0-10.0.1.255');
    expectAgreesWithTrace(snapshot);
  });

  it('keeps NetworkPolicy-only classes when no matcher tests an address', () => {
    const snapshot = load(pod('shop', 'client-a', { app: 'client' }, '10.0.1.5'), pod('shop', 'client-b', { app: 'client' }, '10.0.2.5'));
    const analysis = analyze(snapshot);
    expect(analysis.classes.length).toBe(1);
  });

  it('applies a rule only to the subjects its near end (destination of an ingress rule) selects', () => {
    const snapshot = load(
      pod('shop', 'web', { app: 'web' }, '10.0.0.10'),
      pod('shop', 'db', { app: 'db' }, '10.0.0.11'),
      pod('shop', 'client', { app: 'client' }, '10.0.0.12'),
      `
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: { name: only-web-from-client, namespace: shop }
spec:
  selector: all()
  types: [Ingress]
  ingress:
    - action: Allow
      protocol: TCP
      source: { selector: app == 'client' }
      destination: { selector: app == 'web', ports: [http] }
`,
    );
    const rows = podRows(snapshot);
    expect(rows).toContain(`shop/client[Pod] => shop/web[Pod] : ${TCP80}`);
    // db is selected (end-of-tier deny) but the rule's destination is not db: nothing reaches it.
    expect(rows.filter((r) => r.includes('=> shop/db'))).toEqual([]);
    const analysis = analyze(snapshot);
    const web = snapshot.workloads.find((w) => w.name === 'web')!;
    const db = snapshot.workloads.find((w) => w.name === 'db')!;
    // Same policies, different near-end results: different ingress profiles.
    expect(analysis.classes[analysis.workloadClass[web.id]].ingressProfile).not.toBe(analysis.classes[analysis.workloadClass[db.id]].ingressProfile);
    expectAgreesWithTrace(snapshot);
  });

  it('decides tiers, order, Pass and end-of-tier deny as the trace does', () => {
    const snapshot = load(
      pod('shop', 'web', { app: 'web' }, '10.0.0.10'),
      pod('shop', 'client', { app: 'client' }, '10.0.0.12'),
      pod('ops', 'probe', { app: 'probe' }, '10.0.5.1'),
      `
apiVersion: v1
kind: Namespace
metadata: { name: ops, labels: { team: ops } }
---
apiVersion: projectcalico.org/v3
kind: Tier
metadata: { name: security }
spec: { order: 100 }
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: { name: security.guard }
spec:
  tier: security
  order: 10
  selector: app == 'web'
  types: [Ingress]
  ingress:
    - action: Pass
      source: { namespaceSelector: team == 'ops' }
    - action: Deny
      protocol: TCP
      destination: { ports: [22] }
    - action: Allow
      protocol: TCP
      source: { selector: app == 'client' }
      destination: { ports: [80] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web-from-ops, namespace: shop }
spec:
  podSelector: { matchLabels: { app: web } }
  ingress:
    - from: [{ namespaceSelector: { matchLabels: { team: ops } } }]
      ports: [{ port: 80 }]
`,
    );
    const rows = podRows(snapshot).filter((r) => r.includes('=> shop/web'));
    expect(rows).toEqual([`ops/probe[Pod] => shop/web[Pod] : ${TCP80}`, `shop/client[Pod] => shop/web[Pod] : ${TCP80}`]);
    expectAgreesWithTrace(snapshot);
  });

  it('shows a Calico allow from every endpoint as entire-cluster exposure, and none where the near end fails', () => {
    const snapshot = load(
      pod('shop', 'web', { app: 'web' }, '10.0.0.10'),
      pod('shop', 'db', { app: 'db' }, '10.0.0.11'),
      `
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: { name: web-open }
spec:
  selector: app in {'web', 'db'}
  types: [Ingress]
  ingress:
    - action: Allow
      protocol: TCP
      destination: { selector: app == 'web', ports: [80] }
`,
    );
    const lines = exposure(snapshot).workloads.flatMap((w) => w.ingress.lines.filter((l) => l.target.type === 'entire-cluster').map((l) => `${w.workload} <= ${l.target.name} : ${l.connection.text}`));
    expect(lines).toEqual(['shop/web[Pod] <= entire-cluster : TCP 80']);
  });

  it('names only what stays unmodelled (service accounts) among whole-snapshot caveats', () => {
    const snapshot = load(
      pod('shop', 'web', { app: 'web' }, '10.0.0.10'),
      `
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: { name: plain, namespace: shop }
spec:
  selector: app == 'web'
  ingress: [{ action: Allow, source: { selector: app == 'client' } }]
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: { name: by-account, namespace: shop }
spec:
  selector: app == 'web'
  ingress: [{ action: Allow, source: { serviceAccounts: { names: [api] } } }]
`,
    );
    const caveats = snapshotCaveats(snapshot).map((c) => `${c.code} ${c.name}`);
    expect(caveats.some((c) => c.endsWith(' plain'))).toBe(false);
    expect(caveats.some((c) => c.endsWith(' by-account'))).toBe(true);
  });
});
