// `netpol list --summary` through the BUILT bin: every count is checked against the full listings of the same
// inputs (`-o csv` rows, txt rows, the `--exposure` report), on the demo cluster and on a small cluster with IPv6
// ranges, SCTP, an isolated and an open workload and an AdminNetworkPolicy `nodes` peer (a caveat).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasPublicAddress, parseConnString } from '@netpol-atlas/engine';
import { runNetpol } from './run-netpol.js';

const DEMO = path.resolve(import.meta.dirname, '../../../libs/engine/test/fixtures/demo');

const SMALL_CLUSTER = `
apiVersion: v1
kind: Namespace
metadata: { name: shop, labels: { kubernetes.io/metadata.name: shop } }
---
apiVersion: v1
kind: Namespace
metadata: { name: ops, labels: { kubernetes.io/metadata.name: ops } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: web, ports: [{ containerPort: 8080, name: http }] }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: db, namespace: shop }
spec:
  replicas: 1
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec: { containers: [{ name: db, image: db }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: sctp-gw, namespace: ops }
spec:
  replicas: 1
  selector: { matchLabels: { app: sctp-gw } }
  template:
    metadata: { labels: { app: sctp-gw } }
    spec: { containers: [{ name: gw, image: gw }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: tools, namespace: ops }
spec:
  replicas: 1
  selector: { matchLabels: { app: tools } }
  template:
    metadata: { labels: { app: tools } }
    spec: { containers: [{ name: tools, image: tools }] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web-ingress, namespace: shop }
spec:
  podSelector: { matchLabels: { app: web } }
  policyTypes: [Ingress]
  ingress:
  - from: [{ ipBlock: { cidr: 0.0.0.0/0, except: [10.0.0.0/8] } }, { ipBlock: { cidr: 2001:db8::/32 } }, { namespaceSelector: {} }]
    ports: [{ port: http }]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: db-isolated, namespace: shop }
spec:
  podSelector: { matchLabels: { app: db } }
  policyTypes: [Ingress, Egress]
  ingress:
  - from: [{ podSelector: { matchLabels: { app: web } } }]
    ports: [{ port: 5432 }]
  egress:
  - to: [{ ipBlock: { cidr: 10.1.0.0/16 } }, { ipBlock: { cidr: fd00::/8 } }]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: sctp-gw, namespace: ops }
spec:
  podSelector: { matchLabels: { app: sctp-gw } }
  policyTypes: [Ingress]
  ingress:
  - from: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: ops } } }]
    ports: [{ protocol: SCTP, port: 3868 }, { protocol: UDP, port: 53 }]
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: { name: node-egress }
spec:
  priority: 20
  subject: { namespaces: { matchLabels: { kubernetes.io/metadata.name: ops } } }
  egress:
  - name: allow-nodes
    action: Allow
    to: [{ nodes: { matchLabels: { role: infra } } }]
    ports: [{ portNumber: { protocol: TCP, port: 10250 } }]
`;

const scratch = mkdtempSync(path.join(tmpdir(), 'netpol-summary-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const small = path.join(scratch, 'small.yaml');
writeFileSync(small, SMALL_CLUSTER);

interface Summary {
  peers: { granularity: string; cluster: number; ipRanges: number };
  connections: { pairs: number; allConnections: number; byProtocol: Record<'TCP' | 'UDP' | 'SCTP' | 'ICMP', number>; ipv6Pairs: number };
  isolated: { workloads: number; ingress: number; egress: number };
  unprotected: { ingress: number; egress: number };
  exposed: { fromInternet: number; toInternet: number; fromEveryNamespace: number; toEveryNamespace: number };
  caveats: Record<string, number>;
}

async function stdoutOf(...args: string[]): Promise<string> {
  const r = await runNetpol(args);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

/** `-o csv` rows (IPv6 included), parsed; names hold no comma or quote, a conn text with commas is quoted. */
async function csvRows(input: string, ...extra: string[]): Promise<{ src: string; dst: string; conn: string }[]> {
  const lines = (await stdoutOf('list', input, '-o', 'csv', ...extra)).split('\n').filter(Boolean);
  expect(lines[0]).toBe('src,dst,conn');
  return lines.slice(1).map((line) => {
    const [src, dst] = line.split(',');
    const conn = line.slice(src.length + dst.length + 2);
    return { src, dst, conn: conn.startsWith('"') ? conn.slice(1, -1) : conn };
  });
}

function ipRange(peer: string): { family: 4 | 6; first: bigint; last: bigint } | undefined {
  const m = /^(.+)-(.+)\[External\]$/.exec(peer);
  if (!m) return undefined;
  const family = m[1].includes(':') ? 6 : 4;
  return { family, first: address(m[1], family), last: address(m[2], family) };
}

function address(text: string, family: 4 | 6): bigint {
  if (family === 4) return text.split('.').reduce((n, part) => (n << 8n) | BigInt(part), 0n);
  const [head, tail = ''] = text.split('::');
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const all = text.includes('::') ? [...groups(head), ...Array(8 - groups(head).length - groups(tail).length).fill('0'), ...groups(tail)] : groups(text);
  return all.reduce((n, group) => (n << 16n) | BigInt(`0x${group}`), 0n);
}

const isPublic = (peer: string) => {
  const range = ipRange(peer);
  return range !== undefined && hasPublicAddress(range.family, range.first, range.last);
};

describe.each([
  ['the demo cluster', DEMO],
  ['a small cluster with IPv6, SCTP and a caveat', small],
])('netpol list --summary on %s', (_name, input) => {
  it('counts what the listings show, line by line', async () => {
    const summary = JSON.parse(await stdoutOf('list', input, '--summary', '-o', 'json')) as Summary;
    const rows = await csvRows(input);
    const txtLines = (await stdoutOf('list', input)).split('\n').filter(Boolean);
    expect(rows.length).toBeGreaterThan(0);

    expect(summary.connections.pairs).toBe(rows.length);
    expect(summary.connections.pairs - summary.connections.ipv6Pairs).toBe(txtLines.length);
    expect(summary.connections.ipv6Pairs).toBe(rows.filter((r) => ipRange(r.src)?.family === 6 || ipRange(r.dst)?.family === 6).length);
    expect(summary.connections.allConnections).toBe(rows.filter((r) => r.conn === 'All Connections').length);
    for (const protocol of ['TCP', 'UDP', 'SCTP'] as const) {
      expect(summary.connections.byProtocol[protocol], protocol).toBe(rows.filter((r) => !parseConnString(r.conn).ports(protocol).isEmpty).length);
    }
    expect(summary.connections.byProtocol.ICMP).toBe(rows.filter((r) => r.conn.includes('ICMP')).length);

    const peers = new Set(rows.flatMap((r) => [r.src, r.dst]));
    expect(summary.peers.ipRanges).toBeGreaterThanOrEqual([...peers].filter((p) => p.endsWith('[External]')).length);
    expect(summary.peers.cluster).toBeGreaterThanOrEqual([...peers].filter((p) => !p.endsWith('[External]')).length);

    const distinct = (names: string[]) => new Set(names).size;
    expect(summary.exposed.fromInternet).toBe(distinct(rows.filter((r) => isPublic(r.src)).map((r) => r.dst)));
    expect(summary.exposed.toInternet).toBe(distinct(rows.filter((r) => isPublic(r.dst)).map((r) => r.src)));

    const exposureLines = (await stdoutOf('list', input, '--exposure')).split('\n');
    const exposed = (arrow: string) => distinct(exposureLines.filter((l) => l.includes(`\t${arrow} \tentire-cluster : `)).map((l) => l.split(' \t')[0].trim()));
    expect(summary.exposed.fromEveryNamespace).toBe(exposed('<='));
    expect(summary.exposed.toEveryNamespace).toBe(exposed('=>'));
    const unprotected = (direction: string) => exposureLines.filter((l) => l.endsWith(` is not protected on ${direction}`)).length;
    expect(summary.unprotected).toEqual({ ingress: unprotected('Ingress'), egress: unprotected('Egress') });
  });

  it('counts pod peers with --pods as the --pods listing', async () => {
    const summary = JSON.parse(await stdoutOf('list', input, '--summary', '--pods', '-o', 'json')) as Summary;
    const rows = await csvRows(input, '--pods');
    expect(summary.peers.granularity).toBe('pod');
    expect(summary.connections.pairs).toBe(rows.length);
    expect(summary.connections.allConnections).toBe(rows.filter((r) => r.conn === 'All Connections').length);
  });

  it('prints the same counts as text, and the same bytes every run', async () => {
    const summary = JSON.parse(await stdoutOf('list', input, '--summary', '-o', 'json')) as Summary;
    const text = await stdoutOf('list', input, '--summary');
    expect(await stdoutOf('list', input, '--summary')).toBe(text);
    const c = summary.connections;
    expect(text).toContain(
      `connections: ${c.pairs} pairs allowed (All Connections ${c.allConnections}; ` +
        `TCP ${c.byProtocol.TCP}, UDP ${c.byProtocol.UDP}, SCTP ${c.byProtocol.SCTP}, ICMP ${c.byProtocol.ICMP})\n`,
    );
    expect(text).toContain(`isolated workloads: ingress ${summary.isolated.ingress} of ${summary.isolated.workloads}, egress ${summary.isolated.egress} of ${summary.isolated.workloads}\n`);
    expect(text).toContain(`unprotected workloads (no policy selects them): ingress ${summary.unprotected.ingress}, egress ${summary.unprotected.egress}\n`);
    expect(text.split('\n').filter(Boolean)).toHaveLength(8);
  });
});

describe('netpol list --summary on the small cluster', () => {
  it('has IPv6 rows, SCTP, isolated and open workloads, and counts the nodes peer as a caveat', async () => {
    const summary = JSON.parse(await stdoutOf('list', small, '--summary', '-o', 'json')) as Summary;
    // The fixture was written to exercise each count: none of them is zero by accident.
    expect(summary.connections.ipv6Pairs).toBeGreaterThan(0);
    expect(summary.connections.byProtocol.SCTP).toBeGreaterThan(0);
    expect(summary.isolated).toEqual({ workloads: 4, ingress: 3, egress: 1 });
    // ops' workloads are the AdminNetworkPolicy's egress subjects: protected, not isolated.
    expect(summary.unprotected).toEqual({ ingress: 1, egress: 1 });
    expect(summary.exposed.fromInternet).toBeGreaterThan(0);
    expect(summary.caveats).toEqual({ UNMODELLED_PEER: 1 });
    expect(await stdoutOf('list', small, '--summary')).toContain('caveats: 1 (UNMODELLED_PEER 1)\n');
  });

  it('refuses formats other than txt and json, and --explain', async () => {
    const csv = await runNetpol(['list', small, '--summary', '-o', 'csv']);
    expect(csv.code).toBe(2);
    expect(csv.stderr).toBe('error: --summary supports -o txt or json\n');
    expect(csv.stdout).toBe('');
    const explain = await runNetpol(['list', small, '--summary', '--explain']);
    expect(explain.code).toBe(2);
    expect(explain.stderr).toBe('error: --summary and --explain cannot be combined\n');
  });
});
