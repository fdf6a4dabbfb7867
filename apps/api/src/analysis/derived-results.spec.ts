// The derived results the cache stores: the connectivity table (its stored form round-trips to the same np-guard
// output) and the exposure summary (internet / cluster-wide / unprotected), on small hand-written snapshots.
import { analyze, CONNLIST_FORMATS, formatConnlist, iterateConnectivity, loadSnapshot } from '@netpol-atlas/engine';
import { describe, expect, it } from 'vitest';
import { decodeTable, encodeTable, tableFromAnalysis, tableRows } from './connectivity-table.js';
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
  it('stores compactly and decodes to the same np-guard output in every format', () => {
    const { analysis } = shop();
    const table = tableFromAnalysis(analysis);
    const stored = encodeTable(table);
    const decoded = decodeTable(stored);
    expect(decoded).toEqual(table);
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
