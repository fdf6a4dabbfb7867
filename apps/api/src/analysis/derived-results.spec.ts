// The derived results the cache stores: the connectivity table (its stored form round-trips to the same np-guard
// output) and the exposure summary (internet / cluster-wide / unprotected), on small hand-written snapshots.
import { analyze, CONNLIST_FORMATS, formatConnlist, iterateConnectivity, loadSnapshot } from '@netpol-atlas/engine';
import { describe, expect, it } from 'vitest';
import { decodeTable, decodeTableAsync, encodeTable, tableFromAnalysis, tableRows } from './connectivity-table.js';
import { exposureSummary, hasPublicAddress } from '@netpol-atlas/engine';

const deployment = (name: string, labels: Record<string, string>, namespace = 'shop') => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  replicas: 2
  selector: {matchLabels: ${JSON.stringify(labels)}}
  template:
    metadata: {labels: ${JSON.stringify(labels)}}
    spec: {containers: [{name: c, image: i, ports: [{name: http, containerPort: 8080}]}]}
`;

const policy = (name: string, spec: string) => `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: shop}
spec:${spec}
`;

const SHOP = [
  deployment('web', { app: 'web' }),
  deployment('api', { app: 'api' }),
  deployment('db', { app: 'db' }),
  deployment('tool', { app: 'tool' }, 'ops'),
  // web: from the internet (all of IPv4 but the private 10/8) on 8080; api: from web and from 10/8 only;
  // db: from every pod of every namespace on 5432; tool (namespace ops): no policy at all.
  policy('web', `
  podSelector: {matchLabels: {app: web}}
  ingress: [{from: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}], ports: [{port: 8080}]}]`),
  policy('api', `
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress, Egress]
  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}, {ipBlock: {cidr: 10.0.0.0/8}}], ports: [{port: http}]}]
  egress: [{to: [{podSelector: {matchLabels: {app: db}}}]}]`),
  policy('db', `
  podSelector: {matchLabels: {app: db}}
  ingress: [{from: [{namespaceSelector: {}}], ports: [{port: 5432}, {port: 5433, protocol: UDP}]}]`),
].join('\n---\n');

function shop() {
  const documents = [{ path: 'shop.yaml', text: SHOP }];
  const loaded = loadSnapshot(documents);
  expect(loaded.issues.filter((i) => i.severity === 'error')).toEqual([]);
  return { analysis: analyze(loaded.snapshot) };
}

describe('connectivity table', () => {
  it('stores compactly and decodes to the same np-guard output in every format', async () => {
    const { analysis } = shop();
    const table = tableFromAnalysis(analysis);
    const stored = encodeTable(table);
    const decoded = decodeTable(stored);
    expect(decoded).toEqual(table);
    expect(await decodeTableAsync(stored)).toEqual(table);
    expect(encodeTable(decoded)).toEqual(stored);
    for (const format of CONNLIST_FORMATS) {
      expect(formatConnlist(tableRows(decoded), format), format).toBe(formatConnlist(iterateConnectivity(analysis), format));
    }
    // Peers once (sorted by name), connections once, rows as three integer columns.
    expect(table.peers.map((p) => p.name)).toEqual([...table.peers.map((p) => p.name)].sort());
    expect(new Set(table.conns).size).toBe(table.conns.length);
    expect(table.src.length).toBe([...iterateConnectivity(analysis)].length);
    expect(() => decodeTable(stored.subarray(0, stored.length - 4))).toThrow();
  });
});

describe('exposure summary', () => {
  it('internet-exposed from public ranges only, cluster-wide from every namespace, unprotected per direction', () => {
    const summary = exposureSummary(shop().analysis);
    const name = (x: { workload: { namespace: string; kind: string; name: string } }) => `${x.workload.namespace}/${x.workload.kind}/${x.workload.name}`;

    expect(summary.internetExposed.map((x) => [name(x), x.conn, x.ipRanges])).toEqual([
      // No policy selects tool: everything may connect. Ranges are the analysis' IP atoms holding public addresses
      // (10.0.0.0/8 is an atom of its own here, and wholly private).
      ['ops/Deployment/tool', 'All Connections', ['0.0.0.0-9.255.255.255', '11.0.0.0-255.255.255.255']],
      // api takes 10.0.0.0/8 only (not public); web takes the rest of IPv4 on 8080.
      ['shop/Deployment/web', 'TCP 8080', ['0.0.0.0-9.255.255.255', '11.0.0.0-255.255.255.255']],
    ]);
    expect(summary.clusterWideExposed.map((x) => [name(x), x.conn])).toEqual([
      ['ops/Deployment/tool', 'All Connections'],
      ['shop/Deployment/db', 'TCP 5432,UDP 5433'],
    ]);
    expect(summary.clusterWideExposed[1].ports).toEqual([
      { protocol: 'TCP', from: 5432, to: 5432 },
      { protocol: 'UDP', from: 5433, to: 5433 },
    ]);
    expect(summary.unprotected.map((x) => [name(x), x.ingress, x.egress])).toEqual([
      ['ops/Deployment/tool', true, true],
      ['shop/Deployment/db', false, true],
      ['shop/Deployment/web', false, true],
    ]);
  });

  it('cluster-wide: flagged exceptHostNetwork where only an AdminNetworkPolicy `namespaces: {}` opens the ports, merged per controller', () => {
    // admin-open: isolated, then opened on TCP 80 by an AdminNetworkPolicy from `namespaces: {}` (never a host-network
    // pod); np-open: by a NetworkPolicy's namespaceSelector {} (host-network pods included). web: two ReplicaSets of one
    // Deployment, track a opened by the AdminNetworkPolicy, track b by a NetworkPolicy, on the same TCP 80.
    const replicaSet = (track: string) => `
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web-${track}, namespace: shop, uid: rs-${track}, ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: web-uid, controller: true}]}
spec:
  replicas: 1
  selector: {matchLabels: {app: web, track: ${track}}}
  template:
    metadata: {labels: {app: web, track: ${track}}}
    spec: {containers: [{name: c, image: i, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web-${track}-1, namespace: shop, labels: {app: web, track: ${track}}, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-${track}, uid: rs-${track}, controller: true}]}
spec: {containers: [{name: c, image: i, ports: [{containerPort: 80}]}]}
status: {phase: Running, podIP: 10.1.0.${track === 'a' ? 1 : 2}}
`;
    const text = [
      deployment('admin-open', { app: 'admin-open' }),
      deployment('np-open', { app: 'np-open' }),
      `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, uid: web-uid}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: i, ports: [{containerPort: 80}]}]}
`,
      replicaSet('a'),
      replicaSet('b'),
      policy('deny-in', `
  podSelector: {matchExpressions: [{key: app, operator: In, values: [admin-open, web]}]}
  policyTypes: [Ingress]`),
      policy('np-open', `
  podSelector: {matchLabels: {app: np-open}}
  ingress: [{from: [{namespaceSelector: {}}], ports: [{port: 80}]}]`),
      policy('web-b-open', `
  podSelector: {matchLabels: {track: b}}
  ingress: [{from: [{namespaceSelector: {}}], ports: [{port: 80}]}]`),
      `
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: open-80}
spec:
  priority: 5
  subject: {pods: {namespaceSelector: {}, podSelector: {matchExpressions: [{key: app, operator: In, values: [admin-open]}]}}}
  ingress: [{name: all-namespaces, action: Allow, from: [{namespaces: {}}], ports: [{portNumber: {protocol: TCP, port: 80}}]}]
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: open-web-a}
spec:
  priority: 6
  subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {track: a}}}}
  ingress: [{name: all-namespaces, action: Allow, from: [{namespaces: {}}], ports: [{portNumber: {protocol: TCP, port: 80}}]}]
`,
    ].join('\n---\n');
    const loaded = loadSnapshot([{ path: 'hostnet.yaml', text }]);
    expect(loaded.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(loaded.snapshot.workloads.filter((w) => w.topLevel.name === 'web').map((w) => w.displayName)).toEqual(['shop/web-a[ReplicaSet]', 'shop/web-b[ReplicaSet]']);
    const summary = exposureSummary(analyze(loaded.snapshot));
    expect(summary.clusterWideExposed.map((x) => [`${x.workload.kind}/${x.workload.name}`, x.conn, x.exceptHostNetwork ?? false])).toEqual([
      ['Deployment/admin-open', 'TCP 80', true],
      ['Deployment/np-open', 'TCP 80', false],
      // track a's line leaves host-network pods out, track b's TCP 80 does not: the controller's TCP 80 covers them.
      ['Deployment/web', 'TCP 80', false],
    ]);
    // Without track b's NetworkPolicy, web's TCP 80 comes from the AdminNetworkPolicy alone.
    const adminOnly = loadSnapshot([{ path: 'hostnet.yaml', text: text.replace('track: b}}\n  ingress', 'track: none}}\n  ingress') }]);
    const web = exposureSummary(analyze(adminOnly.snapshot)).clusterWideExposed.find((x) => x.workload.name === 'web');
    expect([web?.conn, web?.exceptHostNetwork]).toEqual(['TCP 80', true]);
  });

  it('public addresses: outside the RFC 6890 special-purpose blocks', () => {
    const v4 = (text: string) => BigInt(text.split('.').reduce((n, part) => n * 256 + Number(part), 0));
    expect(hasPublicAddress(4, v4('10.0.0.0'), v4('10.255.255.255'))).toBe(false);
    expect(hasPublicAddress(4, v4('172.16.0.0'), v4('172.31.255.255'))).toBe(false);
    expect(hasPublicAddress(4, v4('172.16.0.0'), v4('172.32.0.0'))).toBe(true);
    expect(hasPublicAddress(4, v4('8.8.8.8'), v4('8.8.8.8'))).toBe(true);
    expect(hasPublicAddress(4, v4('224.0.0.0'), v4('255.255.255.255'))).toBe(false);
    expect(hasPublicAddress(4, v4('0.0.0.0'), v4('255.255.255.255'))).toBe(true);
    expect(hasPublicAddress(6, 0xfc00n << 112n, (0xfe00n << 112n) - 1n)).toBe(false);
    expect(hasPublicAddress(6, 0x2001n << 112n, 0x2001n << 112n)).toBe(true);
  });
});
