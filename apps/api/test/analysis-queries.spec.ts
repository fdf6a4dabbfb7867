// The analysis queries over GraphQL (reachability, whoCanReach, reachableFrom, connectivity, namespaceMatrix,
// exposure) and REST connectivity, on the demo cluster, against the engine run directly on the demo files; and the
// analysis cache (memory, then Postgres after the memory is cleared or the server restarts); last, an upload with an
// AdminNetworkPolicy for the exposure's host-network flag.
import {
  analyze,
  connectivity as engineConnectivity,
  evaluate,
  formatConnlist,
  loadSnapshot,
  type PeerSpec,
  type Protocol,
  type Snapshot,
} from '@netpol-atlas/engine';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_VERSION } from '../src/analysis/engine-versions.js';
import { AnalysisService } from '../src/analysis/analysis.service.js';
import { demoDocuments } from '../src/demo/demo-data.service.js';
import { startApp, type TestApp } from './support/app.js';
import { REPO_ROOT } from './support/processes.js';
import { withClient } from './support/database.js';
import { errorCodes, gql, type Json } from './support/graphql.js';
import { CLIENT_SERVER_PODS_YAML, serverByAdminClientByNetworkPolicyYaml } from '../../../tools/testing/client-server.js';

const VERDICT_FIELDS = `allowed cniProfile caveats { code dialect apiVersion kind namespace name message } explanation {
  summary
  ingress { isolated policies checked allowed subject allowedBy { policy namespace rule ports { protocol from to name } } denials { policy namespace rule reason ports { protocol from to name } } }
  egress { isolated policies checked allowed subject allowedBy { policy namespace rule ports { protocol from to name } } denials { policy namespace rule reason ports { protocol from to name } } }
}`;
const REACHABILITY = `query($id: ID!, $from: PeerInput!, $to: PeerInput!, $port: Port!, $protocol: Protocol) {
  reachability(snapshotId: $id, from: $from, to: $to, port: $port, protocol: $protocol) { ${VERDICT_FIELDS} }
}`;
const REACH_FIELDS = 'peer { type namespace kind name ipRange } ports { protocol from to } portsText';

/** GraphQL returns null for the optional fields the engine's JSON leaves out (a port's `name`, a denial's `rule` and `ports`). */
function withoutNulls(value: Json): Json {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value && typeof value === 'object') {
    const optional = (k: string, v: unknown) => v === null && (k === 'name' || k === 'rule' || k === 'ports');
    return Object.fromEntries(Object.entries(value).filter(([k, v]) => !optional(k, v)).map(([k, v]) => [k, withoutNulls(v)]));
  }
  return value;
}

const ns = (namespace: string, name: string): PeerSpec => ({ namespace, name });
const prod = (name: string) => ns('production', name);
const FRONTEND = prod('frontend');
const BACKEND = prod('backend');
const DATABASE = prod('database');
const COREDNS = ns('kube-system', 'coredns');
const PROMETHEUS = ns('monitoring', 'prometheus');
const NGINX = ns('ingress-nginx', 'ingress-nginx-controller');
const ip = (address: string): PeerSpec => ({ ip: address });

/** `namespace/policy rule` of each allowing rule; `denied` when the side denies. */
type SideExpectation = readonly string[] | 'denied' | 'open' | 'unchecked';

interface DemoRow {
  readonly from: PeerSpec;
  readonly to: PeerSpec;
  readonly port: number;
  readonly protocol: Protocol;
  readonly allowed: boolean;
  readonly egress: SideExpectation;
  readonly ingress: SideExpectation;
}

const row = (from: PeerSpec, to: PeerSpec, port: number, protocol: Protocol, allowed: boolean, egress: SideExpectation, ingress: SideExpectation): DemoRow => ({
  from,
  to,
  port,
  protocol,
  allowed,
  egress,
  ingress,
});

// shared notes: demo-cluster.md, "Verdicts these imply" (the blocking side and the rule paths).
const DEMO_VERDICTS: readonly DemoRow[] = [
  row(FRONTEND, BACKEND, 8080, 'TCP', true, ['production/frontend-egress-restrict spec.egress[1]'], ['production/backend-ingress spec.ingress[0]']),
  row(FRONTEND, DATABASE, 5432, 'TCP', false, 'denied', 'denied'),
  row(BACKEND, DATABASE, 5432, 'TCP', true, ['production/backend-egress spec.egress[1]'], ['production/database-allow-backend-only spec.ingress[0]']),
  row(BACKEND, COREDNS, 53, 'UDP', true, ['production/backend-egress spec.egress[0]'], 'open'),
  row(BACKEND, ip('10.1.2.3'), 53, 'UDP', true, ['production/backend-egress spec.egress[0]'], 'unchecked'),
  row(FRONTEND, COREDNS, 53, 'TCP', true, ['production/frontend-egress-restrict spec.egress[0]'], 'open'),
  row(FRONTEND, ip('8.8.8.8'), 53, 'UDP', false, 'denied', 'unchecked'),
  row(PROMETHEUS, DATABASE, 9187, 'TCP', true, 'open', ['production/database-allow-backend-only spec.ingress[2]']),
  row(PROMETHEUS, BACKEND, 8080, 'TCP', true, 'open', ['production/allow-prometheus-scrape spec.ingress[0]']),
  row(PROMETHEUS, BACKEND, 9090, 'TCP', true, 'open', ['production/allow-prometheus-scrape spec.ingress[0]']),
  row(NGINX, BACKEND, 8080, 'TCP', true, 'open', ['production/backend-ingress spec.ingress[1]']),
  row(NGINX, FRONTEND, 3000, 'TCP', false, 'open', 'denied'),
  row(prod('db-backup'), DATABASE, 5432, 'TCP', false, 'denied', ['production/database-allow-backend-only spec.ingress[1]']),
  row(BACKEND, prod('redis'), 6379, 'TCP', false, ['production/backend-egress spec.egress[2]'], 'denied'),
  row({ namespace: 'production', pod: 'database-0' }, { namespace: 'production', pod: 'database-1' }, 5432, 'TCP', false, ['production/database-allow-backend-only spec.egress[1]'], 'denied'),
  row(BACKEND, ip('8.8.8.8'), 443, 'TCP', true, ['production/backend-egress spec.egress[3]'], 'unchecked'),
  row(BACKEND, ip('10.1.2.3'), 443, 'TCP', false, 'denied', 'unchecked'),
  row(BACKEND, ip('172.31.255.255'), 443, 'TCP', false, 'denied', 'unchecked'),
  row(BACKEND, ip('172.32.0.0'), 443, 'TCP', true, ['production/backend-egress spec.egress[3]'], 'unchecked'),
  row(DATABASE, COREDNS, 53, 'UDP', true, ['production/database-allow-backend-only spec.egress[0]'], 'open'),
];

const label = (peer: PeerSpec) => ('ip' in peer ? peer.ip : 'pod' in peer ? `${peer.namespace}/${peer.pod}` : `${peer.namespace}/${peer.name}`);

function expectSide(side: Json, expected: SideExpectation, what: string): void {
  if (expected === 'unchecked') return expect(side.checked, what).toBe(false);
  expect(side.checked, what).toBe(true);
  if (expected === 'open') return expect([side.isolated, side.allowed], what).toEqual([false, true]);
  if (expected === 'denied') {
    expect([side.isolated, side.allowed], what).toEqual([true, false]);
    return expect(side.denials.length, what).toBeGreaterThan(0);
  }
  expect(side.allowed, what).toBe(true);
  expect(side.allowedBy.map((a: Json) => `${a.namespace}/${a.policy} ${a.rule}`), what).toEqual(expected);
}

describe('analysis queries on the demo cluster', () => {
  let t: TestApp;
  let id: string;
  let engine: Snapshot;

  beforeAll(async () => {
    t = await startApp({ loadDemoData: true });
    const res = await gql(t, '{ cluster(name: "demo") { latestSnapshot { id } } }');
    id = res.data!.cluster.latestSnapshot.id;
    const loaded = loadSnapshot(await demoDocuments());
    expect(loaded.issues.filter((i) => i.severity === 'error')).toEqual([]);
    engine = loaded.snapshot;
  });
  afterAll(() => t?.close());

  const reach = (from: PeerSpec, to: PeerSpec, port: number | string, protocol?: Protocol) =>
    gql(t, REACHABILITY, { id, from, to, port: String(port), ...(protocol ? { protocol } : {}) });

  it.each(DEMO_VERDICTS.map((r) => [`${label(r.from)} → ${label(r.to)} ${r.protocol} ${r.port}`, r] as const))(
    'reachability: %s (demo verdict table; same JSON as the engine)',
    async (what, r) => {
      const res = await reach(r.from, r.to, r.port, r.protocol);
      expect(res.errors).toBeUndefined();
      const verdict = res.data!.reachability;
      expect(verdict.allowed, what).toBe(r.allowed);
      expectSide(verdict.explanation.egress, r.egress, `${what}: egress`);
      expectSide(verdict.explanation.ingress, r.ingress, `${what}: ingress`);
      expect(withoutNulls(verdict)).toEqual(JSON.parse(JSON.stringify(evaluate(engine, r.from, r.to, r.port, r.protocol))));
    },
  );

  it('reachability: protocol defaults to TCP, named ports resolve on the destination, kinds match the top-level controller', async () => {
    const byName = await reach(FRONTEND, BACKEND, 'http');
    expect(byName.errors).toBeUndefined();
    expect(byName.data!.reachability.allowed).toBe(true);
    expect(byName.data!.reachability.explanation.summary).toContain('TCP 8080 (http)');
    const dns = await reach(BACKEND, COREDNS, 'dns', 'UDP');
    expect(dns.data!.reachability.allowed).toBe(true);
    const cronJob = await reach({ namespace: 'production', name: 'db-backup', kind: 'cronjob' }, DATABASE, 5432);
    expect(cronJob.data!.reachability.allowed).toBe(false);
    const statefulSet = await reach(BACKEND, { namespace: 'production', name: 'database', kind: 'StatefulSet' }, 5432);
    expect(statefulSet.data!.reachability.allowed).toBe(true);
  });

  it('reachability: PeerInput must name exactly one workload, pod or IP (BAD_USER_INPUT), unknown peers are NOT_FOUND', async () => {
    const bad: Json[] = [
      {},
      { namespace: 'production' },
      { name: 'backend' },
      { pod: 'database-0' },
      { ip: '10.0.0.1', namespace: 'production' },
      { namespace: 'production', name: 'backend', pod: 'backend-0' },
      { namespace: 'production', kind: 'Deployment' },
      { namespace: 'production', name: '' },
      { ip: 'not-an-ip' },
    ];
    for (const from of bad) {
      const res = await reach(from, BACKEND, 8080);
      expect(errorCodes(res), JSON.stringify(from)).toEqual(['BAD_USER_INPUT']);
    }
    expect(errorCodes(await reach(FRONTEND, BACKEND, 70000))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await reach(FRONTEND, BACKEND, 'no-such-port'))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await reach(ip('1.2.3.4'), ip('5.6.7.8'), 80))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await reach(prod('nope'), BACKEND, 80))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await reach({ namespace: 'production', name: 'backend', kind: 'StatefulSet' }, BACKEND, 80))).toEqual(['NOT_FOUND']);
    const badId = await gql(t, REACHABILITY, { id: 'x', from: FRONTEND, to: BACKEND, port: '80' });
    expect(errorCodes(badId)).toEqual(['BAD_USER_INPUT']);
    const missing = await gql(t, REACHABILITY, { id: '00000000-0000-4000-8000-000000000000', from: FRONTEND, to: BACKEND, port: '80' });
    expect(errorCodes(missing)).toEqual(['NOT_FOUND']);
  });

  /** Every workload of the demo (np-guard naming = top-level naming here: no Pod objects). */
  const workloads = () => engine.workloads.map((w) => ({ spec: { namespace: w.namespace, name: w.name, kind: w.kind }, key: `${w.namespace}/${w.kind}/${w.name}` }));
  const peerKey = (p: Json) => (p.type === 'WORKLOAD' ? `${p.namespace}/${p.kind}/${p.name}` : p.ipRange);

  it('whoCanReach: exactly the workloads whose reachability is allowed, with all their ports', async () => {
    for (const [to, port, protocol] of [
      [BACKEND, '8080', 'TCP'],
      [DATABASE, '5432', 'TCP'],
      [COREDNS, 'dns', 'UDP'],
      [ip('8.8.8.8'), '443', 'TCP'],
    ] as const) {
      const res = await gql(t, `query($id: ID!, $to: PeerInput!, $port: Port!, $protocol: Protocol) {
        whoCanReach(snapshotId: $id, to: $to, port: $port, protocol: $protocol) { ${REACH_FIELDS} } }`, { id, to, port, protocol });
      expect(res.errors).toBeUndefined();
      const expected = workloads()
        .filter((w) => !('name' in to && w.spec.name === to.name && w.spec.namespace === to.namespace))
        .filter((w) => evaluate(engine, w.spec, to, port, protocol).allowed)
        .map((w) => w.key)
        .sort();
      const got = res.data!.whoCanReach.filter((r: Json) => r.peer.type === 'WORKLOAD').map((r: Json) => peerKey(r.peer));
      expect(got, `${label(to)} ${port}`).toEqual(expected);
    }
    const backend = await gql(t, `query($id: ID!) { whoCanReach(snapshotId: $id, to: { namespace: "production", name: "backend" }, port: "8080") { ${REACH_FIELDS} } }`, { id });
    expect(backend.data!.whoCanReach.map((r: Json) => `${peerKey(r.peer)} ${r.portsText}`)).toEqual([
      'ingress-nginx/Deployment/ingress-nginx-controller TCP 8080',
      'monitoring/Deployment/prometheus TCP 8080,9090',
      'production/Deployment/frontend TCP 8080',
    ]);
    expect(backend.data!.whoCanReach[1].ports).toEqual([{ protocol: 'TCP', from: 8080, to: 8080 }, { protocol: 'TCP', from: 9090, to: 9090 }]);
  });

  it('reachableFrom: workloads and IP ranges with the allowed ports', async () => {
    const res = await gql(t, `query($id: ID!, $from: PeerInput!) { reachableFrom(snapshotId: $id, from: $from) { ${REACH_FIELDS} } }`, { id, from: FRONTEND });
    expect(res.errors).toBeUndefined();
    expect(res.data!.reachableFrom.map((r: Json) => `${peerKey(r.peer)} ${r.portsText}`)).toEqual([
      'kube-system/Deployment/coredns TCP 53,UDP 53',
      'production/Deployment/backend TCP 8080',
    ]);
    const backend = await gql(t, `query($id: ID!) { reachableFrom(snapshotId: $id, from: { namespace: "production", name: "backend" }) { ${REACH_FIELDS} } }`, { id });
    const ranges = backend.data!.reachableFrom.filter((r: Json) => r.peer.type === 'IP_RANGE');
    // DNS to every IP (egress[0], `to: []`), HTTPS to the public part of 0.0.0.0/0 (egress[3]).
    expect(ranges.find((r: Json) => r.peer.ipRange === '0.0.0.0-9.255.255.255')?.portsText).toBe('TCP 53,443,UDP 53');
    expect(ranges.find((r: Json) => r.peer.ipRange === '10.0.0.0-10.255.255.255')?.portsText).toBe('TCP 53,UDP 53');
    // Every destination agrees with reachability on DNS.
    for (const w of workloads()) {
      if (w.spec.name === 'backend') continue;
      const listed = backend.data!.reachableFrom.find((r: Json) => peerKey(r.peer) === w.key);
      const allowed = evaluate(engine, BACKEND, w.spec, 53, 'UDP').allowed;
      expect(Boolean(listed?.portsText.includes('UDP 53')), w.key).toBe(allowed);
    }
  });

  const CONNECTIVITY = `query($id: ID!, $first: Int, $after: String, $filter: ConnectivityFilter) {
    connectivity(snapshotId: $id, first: $first, after: $after, filter: $filter) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { from { type namespace kind name ipRange } to { type namespace kind name ipRange } ports { protocol from to } portsText } }
    } }`;
  const rowText = (node: Json) => {
    const name = (p: Json) => (p.type === 'WORKLOAD' ? `${p.namespace}/${p.name}[${p.kind}]` : `${p.ipRange}[External]`);
    return `${name(node.from)} => ${name(node.to)} : ${node.portsText}`;
  };
  const allRows = async (filter?: Json, first = 7) => {
    const out: Json[] = [];
    let after: string | undefined;
    for (let page = 0; page < 100; page++) {
      const res = await gql(t, CONNECTIVITY, { id, first, after, filter });
      expect(res.errors).toBeUndefined();
      const c = res.data!.connectivity;
      out.push(...c.edges.map((e: Json) => e.node));
      if (!c.pageInfo.hasNextPage) {
        expect(out).toHaveLength(c.totalCount);
        return out;
      }
      after = c.pageInfo.endCursor;
    }
    throw new Error('too many pages');
  };

  it('netpol who-can-reach / reachable-from print the same JSON as the GraphQL fields', async () => {
    const cli = (...args: string[]) => {
      const run = spawnSync(process.execPath, [path.join(REPO_ROOT, 'apps/cli/dist/main.js'), ...args], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      return JSON.parse(run.stdout) as Json;
    };
    const demo = path.join(REPO_ROOT, 'apps/api/data/demo');
    for (const [to, port] of [[BACKEND, '8080'], [DATABASE, '5432'], [FRONTEND, '8080']] as const) {
      const res = await gql(t, `query($id: ID!, $to: PeerInput!, $port: Port!) { whoCanReach(snapshotId: $id, to: $to, port: $port) { ${REACH_FIELDS} } }`, { id, to, port });
      expect(cli('who-can-reach', demo, label(to), '--port', port)).toEqual(res.data!.whoCanReach);
      const from = await gql(t, `query($id: ID!, $from: PeerInput!) { reachableFrom(snapshotId: $id, from: $from) { ${REACH_FIELDS} } }`, { id, from: to });
      expect(cli('reachable-from', demo, label(to))).toEqual(from.data!.reachableFrom);
    }
  });

  it('connectivity: every row of the engine, paged with cursors (top-level names), and filtered', async () => {
    const rows = await allRows();
    // No IPv6 in the demo: txt has every row.
    const engineLines = formatConnlist(engineConnectivity(analyze(engine)), 'txt').trim().split('\n');
    expect(rows.map(rowText).sort()).toEqual([...engineLines].sort());
    expect(rows.length).toBeGreaterThan(10);
    // Sorted by (from, to): workloads by namespace/kind/name, then IP ranges.
    const first = rows[0];
    expect(first.from).toEqual({ type: 'WORKLOAD', namespace: 'ingress-nginx', kind: 'Deployment', name: 'ingress-nginx-controller', ipRange: null });

    const fromMonitoring = await allRows({ fromNamespace: 'monitoring' }, 100);
    expect(fromMonitoring.map(rowText)).toEqual(rows.filter((r) => r.from.namespace === 'monitoring').map(rowText));
    const postgres = await allRows({ port: 5432, protocol: 'TCP', toNamespace: 'production' }, 100);
    expect(postgres.map(rowText)).toEqual(
      rows.filter((r) => r.to.namespace === 'production' && r.ports.some((p: Json) => p.protocol === 'TCP' && p.from <= 5432 && 5432 <= p.to)).map(rowText),
    );
    expect(postgres.map(rowText)).toContain('production/backend[Deployment] => production/database[StatefulSet] : TCP 5432');
    const backend = await allRows({ workload: 'production/backend' }, 100);
    expect(backend.length).toBeGreaterThan(0);
    expect(backend.every((r) => r.from.name === 'backend' || r.to.name === 'backend')).toBe(true);
    expect(backend.map(rowText)).toEqual(rows.filter((r) => r.from.name === 'backend' || r.to.name === 'backend').map(rowText));

    expect(errorCodes(await gql(t, CONNECTIVITY, { id, first: 101 }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(t, CONNECTIVITY, { id, first: 5, after: 'bm90LWEtY3Vyc29y' }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(t, CONNECTIVITY, { id, filter: { port: 0 } }))).toEqual(['BAD_USER_INPUT']);
  });

  it('namespaceMatrix: allowed workload pairs per namespace pair', async () => {
    const res = await gql(t, `query($id: ID!) { namespaceMatrix(snapshotId: $id) {
      namespaces { name workloads reachableFromIpRanges reachingIpRanges } cells { from to allowedPairs allPortsPairs possiblePairs } } }`, { id });
    expect(res.errors).toBeUndefined();
    const m = res.data!.namespaceMatrix;
    expect(m.namespaces.map((n: Json) => `${n.name}:${n.workloads}`)).toEqual(['ingress-nginx:1', 'kube-system:1', 'monitoring:1', 'production:5']);
    const rows = await allRows(undefined, 100);
    const expected = new Map<string, number>();
    for (const r of rows) if (r.from.namespace && r.to.namespace) expected.set(`${r.from.namespace}>${r.to.namespace}`, (expected.get(`${r.from.namespace}>${r.to.namespace}`) ?? 0) + 1);
    expect(new Map(m.cells.map((c: Json) => [`${c.from}>${c.to}`, c.allowedPairs]))).toEqual(expected);
    const prodCell = m.cells.find((c: Json) => c.from === 'production' && c.to === 'production');
    expect(prodCell.possiblePairs).toBe(20);
    expect(prodCell.allPortsPairs).toBe(0);
    // The three unprotected platform workloads take connections from IP ranges; production's do not.
    expect(m.namespaces.map((n: Json) => n.reachableFromIpRanges)).toEqual([1, 1, 1, 0]);
    expect(m.namespaces.find((n: Json) => n.name === 'production').reachingIpRanges).toBe(1);

    // What a dashboard asks of a big cluster: the busiest cells, the busiest namespaces and the cells among them.
    const selected = await gql(t, `query($id: ID!) { namespaceMatrix(snapshotId: $id) {
      cellCount cross: cellCount(crossNamespace: true) busiestNamespaces(first: 2)
      busiest: cells(busiest: 2) { from to allowedPairs } busiestCross: cells(crossNamespace: true, busiest: 1) { from to allowedPairs }
      among: cells(amongBusiest: 2) { from to allowedPairs } } }`, { id });
    expect(selected.errors).toBeUndefined();
    const s = selected.data!.namespaceMatrix;
    const cells = m.cells as Json[];
    const byKey = (a: Json, b: Json) => (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0);
    const busiestFirst = (list: Json[]) => [...list].sort((a, b) => b.allowedPairs - a.allowedPairs || byKey(a, b));
    const brief = (c: Json) => ({ from: c.from, to: c.to, allowedPairs: c.allowedPairs });
    expect(s.cellCount).toBe(cells.length);
    expect(s.cross).toBe(cells.filter((c) => c.from !== c.to).length);
    expect(s.busiest).toEqual(busiestFirst(cells).slice(0, 2).sort(byKey).map(brief));
    expect(s.busiestCross).toEqual(busiestFirst(cells.filter((c) => c.from !== c.to)).slice(0, 1).map(brief));
    const activity = (ns: string) => cells.reduce((sum, c) => sum + (c.from === ns || c.to === ns ? c.allowedPairs : 0), 0);
    const busiestTwo = m.namespaces.map((n: Json) => n.name as string).sort((a: string, b: string) => activity(b) - activity(a) || (a < b ? -1 : 1)).slice(0, 2).sort();
    expect(s.busiestNamespaces).toEqual(busiestTwo);
    expect(s.among).toEqual(cells.filter((c) => busiestTwo.includes(c.from) && busiestTwo.includes(c.to)).map(brief));
    expect(s.among.length).toBeGreaterThan(0);
    // Limits are declared in the arguments' types.
    for (const bad of ['cells(busiest: 0) { from }', 'cells(busiest: 10001) { from }', 'cells(amongBusiest: 501) { from }', 'busiestNamespaces(first: 0)']) {
      expect(errorCodes(await gql(t, `query($id: ID!) { namespaceMatrix(snapshotId: $id) { ${bad} } }`, { id })), bad).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('exposure: internet-exposed, cluster-wide-exposed and unprotected workloads', async () => {
    const res = await gql(t, `query($id: ID!) { exposure(snapshotId: $id) {
      internetExposed { workload { namespace kind name } portsText ports { protocol from to } ipRanges }
      clusterWideExposed { workload { namespace kind name } portsText ipRanges exceptHostNetwork }
      unprotected { workload { namespace kind name } ingress egress } } }`, { id });
    expect(res.errors).toBeUndefined();
    const e = res.data!.exposure;
    const platform = ['ingress-nginx/Deployment/ingress-nginx-controller', 'kube-system/Deployment/coredns', 'monitoring/Deployment/prometheus'];
    const key = (x: Json) => `${x.workload.namespace}/${x.workload.kind}/${x.workload.name}`;
    expect(e.unprotected.map((u: Json) => `${key(u)} ${u.ingress} ${u.egress}`)).toEqual(platform.map((p) => `${p} true true`));
    expect(e.internetExposed.map(key)).toEqual(platform);
    expect(e.internetExposed[0].ipRanges).toEqual(['0.0.0.0-255.255.255.255']);
    expect(e.internetExposed[0].portsText).toBe('All Connections');
    expect(e.clusterWideExposed.map(key)).toEqual(platform);
    expect(e.clusterWideExposed[0].ipRanges).toEqual([]);
    // Unprotected: open to everything, host-network pods included.
    expect(e.clusterWideExposed.map((x: Json) => x.exceptHostNetwork)).toEqual([false, false, false]);
  });

  it('GET /api/v1/snapshots/{id}/connectivity: the np-guard formats, the same bytes as the engine', async () => {
    const analysis = analyze(engine);
    for (const format of ['txt', 'json', 'csv', 'md', 'dot'] as const) {
      const res = await t.http.get(`/api/v1/snapshots/${id}/connectivity?format=${format}`).buffer(true).parse((r, cb) => {
        let text = '';
        r.setEncoding('utf8');
        r.on('data', (chunk: string) => (text += chunk));
        r.on('end', () => cb(null, text));
      });
      expect(res.status, format).toBe(200);
      expect(res.body, format).toBe(formatConnlist(engineConnectivity(analysis), format));
    }
    const txt = await t.http.get(`/api/v1/snapshots/${id}/connectivity`);
    expect(txt.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(txt.text).toContain('production/frontend[Deployment] => production/backend[Deployment] : TCP 8080\n');
    expect((await t.http.get(`/api/v1/snapshots/${id}/connectivity?format=yaml`)).status).toBe(400);
    expect((await t.http.get('/api/v1/snapshots/nope/connectivity')).status).toBe(400);
    expect((await t.http.get('/api/v1/snapshots/00000000-0000-4000-8000-000000000000/connectivity')).status).toBe(404);
  });

  it('cache: memory on the second query, Postgres after the memory is cleared or the server restarts', async () => {
    const service = t.app.get(AnalysisService);
    await service.clearMemory();
    const before = service.stats();
    const get = () => t.http.get(`/api/v1/snapshots/${id}/connectivity?format=txt`);
    const first = await get();
    expect(first.headers['x-netpol-analysis-cache']).toMatch(/^(store|computed)$/);
    const second = await get();
    expect(second.headers['x-netpol-analysis-cache']).toBe('memory');
    expect(second.text).toBe(first.text);
    await service.clearMemory();
    const third = await get();
    expect(third.headers['x-netpol-analysis-cache']).toBe('store');
    expect(third.text).toBe(first.text);
    const after = service.stats();
    expect(after.connectivity.memory - before.connectivity.memory).toBe(1);
    expect(after.connectivity.store - before.connectivity.store).toBeGreaterThanOrEqual(1);
    // GraphQL reads its rows, stored with the same analysis: nothing is computed again; the second read is memory's.
    const computedOf = (stats: ReturnType<typeof service.stats>) => Object.values(stats).reduce((sum, c) => sum + c.computed, 0);
    const computed = computedOf(after);
    await gql(t, CONNECTIVITY, { id, first: 1 });
    await gql(t, CONNECTIVITY, { id, first: 1 });
    const rowsRead = service.stats()['connectivity-rows'];
    expect(computedOf(service.stats())).toBe(computed);
    expect(rowsRead.store - (after['connectivity-rows']?.store ?? 0)).toBe(1);
    expect(rowsRead.memory - (after['connectivity-rows']?.memory ?? 0)).toBe(1);

    // Postgres holds one compact row per (content, engine version, options, kind).
    const stored = await withClient(t.databaseUrl, (client) =>
      client.query<{ kind: string; engine_version: number; options_key: string; size_bytes: number }>(
        'SELECT kind, engine_version, options_key, size_bytes FROM analysis_results ORDER BY kind',
      ),
    );
    expect(stored.rows.map((r) => [r.kind, r.engine_version, r.options_key])).toEqual([
      ['analysis-v1', ENGINE_VERSION, '{"hostNetwork":"as-pod","ipBlockMatchesPods":false}'],
      ['cni-profile-v2', ENGINE_VERSION, '{"hostNetwork":"as-pod","ipBlockMatchesPods":false}'],
      ['connectivity', ENGINE_VERSION, '{"hostNetwork":"as-pod","ipBlockMatchesPods":false}'],
      ['connectivity-rows', ENGINE_VERSION, '{"hostNetwork":"as-pod","ipBlockMatchesPods":false}'],
      ['connectivity-rows-merged-ip', ENGINE_VERSION, '{"hostNetwork":"as-pod","ipBlockMatchesPods":false}'],
      ['exposure-v2', ENGINE_VERSION, '{"hostNetwork":"as-pod","ipBlockMatchesPods":false}'],
      ['model-v3', ENGINE_VERSION, '{"hostNetwork":"as-pod","ipBlockMatchesPods":false}'],
      ['namespace-matrix', ENGINE_VERSION, '{"hostNetwork":"as-pod","ipBlockMatchesPods":false}'],
    ]);
    expect(stored.rows.find((r) => r.kind === 'connectivity')!.size_bytes).toBeLessThan(first.text.length);

    // Another engine option is another key: computed apart, never served from the default's entry.
    const sha = (await gql(t, `query($id: ID!) { snapshot(id: $id) { contentSha256 } }`, { id })).data!.snapshot.contentSha256;
    const other = await service.connectivity(sha, { ipBlockMatchesPods: true });
    expect(other.source).toBe('computed');

    // A restarted server (same database) answers from Postgres and prunes rows of older engine versions.
    await withClient(t.databaseUrl, (client) =>
      client.query(
        `INSERT INTO analysis_results (content_sha256, engine_version, options_key, kind, payload, size_bytes)
         VALUES ($1, $2, 'old', 'connectivity', '\\x00'::bytea, 1)`,
        [sha, ENGINE_VERSION - 1],
      ),
    );
    const restarted = await startApp({ databaseUrl: t.databaseUrl });
    try {
      const cold = await restarted.http.get(`/api/v1/snapshots/${id}/connectivity?format=txt`);
      expect(cold.headers['x-netpol-analysis-cache']).toBe('store');
      expect(cold.text).toBe(first.text);
      expect(restarted.app.get(AnalysisService).stats().model.computed).toBe(0);
      const old = await withClient(t.databaseUrl, (client) => client.query('SELECT 1 FROM analysis_results WHERE engine_version < $1', [ENGINE_VERSION]));
      expect(old.rowCount).toBe(0);
    } finally {
      await restarted.close();
    }
  });

  // Last: its upload adds a cluster and cached rows the cache test above does not expect.
  it('exposure: an AdminNetworkPolicy `namespaces: {}` opening is flagged exceptHostNetwork, a NetworkPolicy `namespaceSelector: {}` one is not', async () => {
    // server: isolated, then opened on TCP 80 by an AdminNetworkPolicy (never matches a host-network pod); client: by a
    // NetworkPolicy from every namespace (host-network pods included) and from 0.0.0.0/0.
    const manifests = [CLIENT_SERVER_PODS_YAML, serverByAdminClientByNetworkPolicyYaml({ clientFromInternet: true })].join('---\n');
    const upload = await t.http.post('/api/v1/clusters/hostnet-exposure/snapshots').set('Content-Type', 'application/yaml').send(manifests);
    expect(upload.status, JSON.stringify(upload.body)).toBe(201);
    const res = await gql(
      t,
      `query($id: ID!) { exposure(snapshotId: $id) { internetExposed { workload { name } exceptHostNetwork } clusterWideExposed { workload { name } portsText exceptHostNetwork } } }`,
      { id: (upload.body as { id: string }).id },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.exposure.clusterWideExposed).toEqual([
      { workload: { name: 'client' }, portsText: 'TCP 80', exceptHostNetwork: false },
      { workload: { name: 'server' }, portsText: 'TCP 80', exceptHostNetwork: true },
    ]);
    // The flag speaks of cluster-wide exposure only (client is open to 0.0.0.0/0 too).
    expect(res.data!.exposure.internetExposed).toEqual([{ workload: { name: 'client' }, exceptHostNetwork: false }]);
  });
});
