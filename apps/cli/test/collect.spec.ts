// `netpol collect` against a fake kube-apiserver (HTTPS on 127.0.0.1, recorded-shape list responses).
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectCommand } from '../src/commands/collect.js';
import { runCollect } from '../src/collect/run.js';
import { type FakeApiServer, startFakeApiServer } from './collect-fake-apiserver.js';
import { DEFAULTS, TOKEN, type TempDir, bufferIo, closedLoopbackPort, identities, tempDir, writeKubeconfig } from './collect-helpers.js';

const FORBIDDEN = ['/apis/batch/v1/cronjobs'];

// Every object of the fixture cluster, in the order the snapshot must have: (apiVersion, kind, namespace, name).
const ALL_OBJECTS = [
  'apps/v1 DaemonSet kube-system cilium',
  'apps/v1 Deployment kube-system coredns',
  'apps/v1 Deployment shop api',
  'apps/v1 Deployment shop frontend',
  'apps/v1 ReplicaSet kube-system coredns-5d78c9869d',
  'apps/v1 ReplicaSet shop api-7c9d5f4b8',
  'apps/v1 ReplicaSet shop frontend-5b6c7d8e9',
  'apps/v1 ReplicaSet shop frontend-6f7d8b9c5',
  'apps/v1 StatefulSet monitoring prometheus',
  'apps/v1 StatefulSet shop db',
  'batch/v1 Job shop report-28934760',
  'cilium.io/v2 CiliumNetworkPolicy shop api-l7',
  'networking.k8s.io/v1 NetworkPolicy monitoring allow-scrape-egress',
  'networking.k8s.io/v1 NetworkPolicy shop allow-api-to-db',
  'networking.k8s.io/v1 NetworkPolicy shop allow-frontend-ingress',
  'networking.k8s.io/v1 NetworkPolicy shop allow-frontend-to-api',
  'networking.k8s.io/v1 NetworkPolicy shop default-deny-all',
  'policy.networking.k8s.io/v1alpha1 AdminNetworkPolicy  allow-dns-cluster-wide',
  'policy.networking.k8s.io/v1alpha1 BaselineAdminNetworkPolicy  default',
  'v1 Namespace  default',
  'v1 Namespace  kube-system',
  'v1 Namespace  monitoring',
  'v1 Namespace  shop',
  'v1 Node  kind-control-plane',
  'v1 Node  kind-worker',
  'v1 Pod default debug',
  'v1 Pod kube-system cilium-4fz8q',
  'v1 Pod kube-system coredns-5d78c9869d-8kq2x',
  'v1 Pod monitoring prometheus-0',
  'v1 Pod shop api-7c9d5f4b8-mz6tp',
  'v1 Pod shop db-0',
  'v1 Pod shop frontend-6f7d8b9c5-h2x9k',
  'v1 Pod shop frontend-6f7d8b9c5-q8w4z',
  'v1 Pod shop report-28934760-x2vbn',
  'v1 Service default kubernetes',
  'v1 Service kube-system kube-dns',
  'v1 Service monitoring prometheus',
  'v1 Service shop api',
  'v1 Service shop db',
  'v1 Service shop frontend',
  'v1 ServiceAccount default default',
  'v1 ServiceAccount kube-system default',
  'v1 ServiceAccount monitoring default',
  'v1 ServiceAccount shop default',
  'v1 ServiceAccount shop shop-web',
];
// Cluster-scoped objects every scope reads: the cluster-wide policies and the Nodes.
const CLUSTER_SCOPED_POLICIES = ALL_OBJECTS.filter((id) => id.startsWith('policy.networking.k8s.io/') || id.startsWith('v1 Node '));
const inNamespace = (ns: string) => ALL_OBJECTS.filter((id) => id.split(' ')[2] === ns || id === `v1 Namespace  ${ns}`);

let api: FakeApiServer;
let tmp: TempDir;
let kubeconfig: string;

beforeAll(async () => {
  api = await startFakeApiServer({ token: TOKEN, forbidden: FORBIDDEN });
  tmp = tempDir();
  kubeconfig = writeKubeconfig(tmp, api.url);
});
afterAll(async () => {
  await api?.close();
  tmp?.remove();
});

function requestsSince(start: number) {
  return api.requests.slice(start);
}

describe('netpol collect -A', () => {
  let snapshotText: string;
  let stderr: string;
  let requests: FakeApiServer['requests'];

  beforeAll(async () => {
    const start = api.requests.length;
    const out = path.join(tmp.dir, 'all.json');
    const io = bufferIo();
    const code = await runCollect({ ...DEFAULTS, kubeconfig, allNamespaces: true, out, chunkSize: 2 }, io);
    expect(code, io.stderr).toBe(0);
    expect(io.stdout).toBe('');
    snapshotText = readFileSync(out, 'utf8');
    stderr = io.stderr;
    requests = requestsSince(start);
  });

  it('sends the kubeconfig token with every request, over TLS verified against the kubeconfig CA', () => {
    expect(requests.length).toBeGreaterThan(10);
    for (const request of requests) expect(request.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('follows continue tokens: 9 pods in pages of 2 take 5 requests', () => {
    const pods = requests.filter((r) => r.path === '/api/v1/pods');
    expect(pods.map((r) => r.query.limit)).toEqual(['2', '2', '2', '2', '2']);
    expect(pods[0].query.continue).toBeUndefined();
    const tokens = pods.slice(1).map((r) => r.query.continue);
    expect(tokens.every((t) => typeof t === 'string' && t.length > 0)).toBe(true);
    expect(new Set(tokens).size).toBe(4);
    expect(stderr).toContain('netpol collect: pods (all namespaces): 9 objects in 5 pages\n');
  });

  it('writes ONE kind: List whose items carry apiVersion and kind, sorted by apiVersion, kind, namespace, name', () => {
    const list = JSON.parse(snapshotText);
    expect(list.apiVersion).toBe('v1');
    expect(list.kind).toBe('List');
    expect(identities(list)).toEqual(ALL_OBJECTS);
    for (const item of list.items) {
      expect(Object.keys(item).slice(0, 2)).toEqual(['apiVersion', 'kind']);
    }
  });

  it('lists cluster-wide paths and discovers the optional policy APIs', () => {
    const paths = new Set(requests.map((r) => r.path));
    for (const p of ['/api/v1/namespaces', '/api/v1/nodes', '/api/v1/pods', '/api/v1/services', '/apis/apps/v1/deployments', '/apis/batch/v1/jobs',
      '/apis/networking.k8s.io/v1/networkpolicies', '/apis/policy.networking.k8s.io/v1alpha1', '/apis/cilium.io/v2',
      '/apis/projectcalico.org/v3', '/apis/cilium.io/v2/ciliumclusterwidenetworkpolicies']) {
      expect(paths, p).toContain(p);
    }
    expect([...paths].some((p) => p.includes('/namespaces/'))).toBe(false);
    // Calico is not served (404 on discovery): its lists are never requested.
    expect([...paths].filter((p) => p.startsWith('/apis/projectcalico.org/'))).toEqual(['/apis/projectcalico.org/v3']);
  });

  it('reports a missing CRD quietly and a 403 as a warning naming the resource', () => {
    expect(stderr).toContain('netpol collect: networkpolicies.projectcalico.org: skipped, projectcalico.org/v3 is not served\n');
    expect(stderr).toContain('netpol collect: globalnetworkpolicies.projectcalico.org: skipped, projectcalico.org/v3 is not served\n');
    expect(stderr).toContain('netpol collect: ciliumclusterwidenetworkpolicies.cilium.io: 0 objects in 1 page\n');
    expect(stderr).toMatch(/netpol collect: warning: cronjobs\.batch NOT collected: 403 Forbidden \(cronjobs\.batch is forbidden: .*cannot list resource "cronjobs"/);
    expect(stderr.match(/warning:/g)).toHaveLength(1);
    expect(stderr).toContain('snapshot INCOMPLETE: 1 resource read(s) refused');
  });

  it('detects the CNI from its agent DaemonSet and records it beside the objects (List annotations)', () => {
    const list = JSON.parse(snapshotText);
    expect(list.metadata.annotations['netpol-atlas.io/cni']).toBe('cilium');
    expect(list.metadata.annotations['netpol-atlas.io/cni-evidence']).toBe('DaemonSet kube-system/cilium');
    expect(stderr).toContain('netpol collect: CNI: cilium (DaemonSet kube-system/cilium)\n');
    // Not inside any object: the stored content (the projected items) never carries it.
    expect(JSON.stringify(list.items)).not.toContain('netpol-atlas.io/cni');
  });

  it('records in the snapshot what is missing and what is not installed', () => {
    const annotations = JSON.parse(snapshotText).metadata.annotations;
    expect(annotations['netpol-atlas.io/complete']).toBe('false');
    expect(annotations['netpol-atlas.io/scope']).toBe('all-namespaces');
    expect(annotations['netpol-atlas.io/context']).toBe('shop');
    // Every optional kind of the dialect registry that the fake cluster does not serve (Calico's CRDs are read only
    // where its API server is absent, as here).
    expect(annotations['netpol-atlas.io/not-installed'].split(',')).toEqual([
      'ciliumcidrgroups.cilium.io', 'clusternetworkpolicies.policy.networking.k8s.io',
      'globalnetworkpolicies.crd.projectcalico.org', 'globalnetworkpolicies.projectcalico.org',
      'globalnetworksets.crd.projectcalico.org', 'globalnetworksets.projectcalico.org',
      'hostendpoints.crd.projectcalico.org', 'hostendpoints.projectcalico.org',
      'networkpolicies.crd.projectcalico.org', 'networkpolicies.projectcalico.org',
      'networksets.crd.projectcalico.org', 'networksets.projectcalico.org',
      'stagedglobalnetworkpolicies.crd.projectcalico.org', 'stagedglobalnetworkpolicies.projectcalico.org',
      'stagedkubernetesnetworkpolicies.crd.projectcalico.org', 'stagedkubernetesnetworkpolicies.projectcalico.org',
      'stagednetworkpolicies.crd.projectcalico.org', 'stagednetworkpolicies.projectcalico.org',
      'tiers.crd.projectcalico.org', 'tiers.projectcalico.org',
    ]);
    const missing = JSON.parse(annotations['netpol-atlas.io/missing']);
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatchObject({ resource: 'cronjobs.batch', status: 403, reason: 'Forbidden' });
    expect(missing[0].message).toContain('cannot list resource "cronjobs" in API group "batch" at the cluster scope');
    expect(missing[0].namespace).toBeUndefined();
  });

  it('keeps what analysis needs from each object', () => {
    const list = JSON.parse(snapshotText);
    const pod = list.items.find((o: any) => o.kind === 'Pod' && o.metadata.name === 'frontend-6f7d8b9c5-h2x9k');
    expect(pod.metadata.namespace).toBe('shop');
    expect(pod.metadata.labels).toEqual({ app: 'frontend', tier: 'web', 'pod-template-hash': '6f7d8b9c5' });
    expect(pod.metadata.ownerReferences[0]).toMatchObject({ kind: 'ReplicaSet', name: 'frontend-6f7d8b9c5' });
    expect(pod.spec.containers[0].ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    const ciliumPod = list.items.find((o: any) => o.kind === 'Pod' && o.metadata.name === 'cilium-4fz8q');
    expect(ciliumPod.spec.hostNetwork).toBe(true);
    const policy = list.items.find((o: any) => o.kind === 'NetworkPolicy' && o.metadata.name === 'allow-frontend-ingress');
    expect(policy.spec.ingress[0].from[0].ipBlock).toEqual({ cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] });
    expect(policy.spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 'http' }]);
    const namespace = list.items.find((o: any) => o.kind === 'Namespace' && o.metadata.name === 'shop');
    expect(namespace.metadata.labels.team).toBe('commerce');
    const anp = list.items.find((o: any) => o.kind === 'AdminNetworkPolicy');
    expect(anp.spec.priority).toBe(10);
    // A Node keeps its name, labels and IP addresses (host names are not what peers match).
    const node = list.items.find((o: any) => o.kind === 'Node' && o.metadata.name === 'kind-worker');
    expect(node.metadata.labels['kubernetes.io/hostname']).toBe('kind-worker');
    expect(node.status.addresses).toEqual([{ type: 'InternalIP', address: '172.18.0.3' }]);
    expect(stderr).toContain('netpol collect: nodes: 2 objects in 1 page\n');
    // A ServiceAccount keeps its labels (Calico's serviceAccounts.selector), not its token references.
    const account = list.items.find((o: any) => o.kind === 'ServiceAccount' && o.metadata.name === 'shop-web');
    expect(account).toEqual({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'shop-web', namespace: 'shop', labels: { team: 'shop' } } });
  });

  it('applies the engine projection: a pod keeps exactly name, labels, owners, service account, ports and addresses', () => {
    const list = JSON.parse(snapshotText);
    const pod = list.items.find((o: any) => o.kind === 'Pod' && o.metadata.name === 'frontend-6f7d8b9c5-h2x9k');
    expect(pod).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'frontend-6f7d8b9c5-h2x9k',
        namespace: 'shop',
        labels: { app: 'frontend', tier: 'web', 'pod-template-hash': '6f7d8b9c5' },
        ownerReferences: [{ kind: 'ReplicaSet', name: 'frontend-6f7d8b9c5', uid: '8ff34739-8ff3-4ff3-9473-8ff347398ff3', controller: true }],
      },
      spec: { nodeName: 'kind-worker', serviceAccountName: 'default', containers: [{ ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }] },
      status: { phase: 'Running', podIP: '10.244.1.11', hostIP: '172.18.0.3' },
    });
  });

  it('drops the noise: managedFields, last-applied-configuration, container statuses', () => {
    const list = JSON.parse(snapshotText);
    for (const item of list.items) {
      expect(item.metadata.managedFields, `${item.kind} ${item.metadata.name}`).toBeUndefined();
      expect(item.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toBeUndefined();
      expect(item.status?.containerStatuses).toBeUndefined();
      expect(item.status?.conditions).toBeUndefined();
    }
  });

  it('gives the same bytes whatever the page size', async () => {
    const io = bufferIo();
    const code = await runCollect({ ...DEFAULTS, kubeconfig, allNamespaces: true, out: '-', chunkSize: 500 }, io);
    expect(code).toBe(0);
    expect(io.stdout).toBe(snapshotText);
    expect(io.stderr).toContain('wrote 45 objects to stdout');
  });
});

describe('netpol collect progress', () => {
  it('on a terminal, shows page-by-page counts on one rewritten line, cleared before the next message', async () => {
    const tty = bufferIo({ tty: true });
    expect(await runCollect({ ...DEFAULTS, kubeconfig, namespace: ['shop'], chunkSize: 2 }, tty)).toBe(0);
    expect(tty.stderr).toContain(
      '\r\u001b[Knetpol collect: pods in shop: 2 objects (page 1)\r\u001b[Knetpol collect: pods in shop: 4 objects (page 2)' +
        '\r\u001b[Knetpol collect: pods in shop: 5 objects (page 3)\r\u001b[Knetpol collect: pods in shop: 5 objects in 3 pages\n',
    );
  });
});

describe('netpol collect namespaces', () => {
  it('-n reads only the named namespaces through namespaced paths, plus cluster-scoped policies and Nodes', async () => {
    const start = api.requests.length;
    const io = bufferIo();
    const code = await runCollect({ ...DEFAULTS, kubeconfig, namespace: ['shop'], chunkSize: 2 }, io);
    expect(code, io.stderr).toBe(0);
    const list = JSON.parse(io.stdout);
    expect(identities(list)).toEqual([...inNamespace('shop'), ...CLUSTER_SCOPED_POLICIES].sort());
    const paths = requestsSince(start).map((r) => r.path);
    expect(paths).toContain('/api/v1/namespaces/shop');
    expect(paths).toContain('/api/v1/namespaces/shop/pods');
    expect(paths).toContain('/apis/cilium.io/v2/namespaces/shop/ciliumnetworkpolicies');
    expect(paths).toContain('/apis/policy.networking.k8s.io/v1alpha1/adminnetworkpolicies');
    expect(paths).not.toContain('/api/v1/pods');
    expect(paths).not.toContain('/api/v1/namespaces');
    expect(io.stderr).toMatch(/warning: cronjobs\.batch in shop NOT collected: 403 Forbidden/);
    const annotations = list.metadata.annotations;
    expect(annotations['netpol-atlas.io/scope']).toBe('namespaces: shop');
    expect(JSON.parse(annotations['netpol-atlas.io/missing'])).toMatchObject([{ resource: 'cronjobs.batch', namespace: 'shop', status: 403 }]);
  });

  it('-n still detects the CNI: reads the CNI namespaces\' DaemonSets without adding them to the snapshot', async () => {
    const start = api.requests.length;
    const io = bufferIo();
    expect(await runCollect({ ...DEFAULTS, kubeconfig, namespace: ['shop'] }, io), io.stderr).toBe(0);
    const list = JSON.parse(io.stdout);
    expect(identities(list).filter((id) => id.includes('DaemonSet'))).toEqual([]);
    const paths = requestsSince(start).map((r) => r.path);
    expect(paths).toContain('/apis/apps/v1/namespaces/kube-system/daemonsets');
    expect(paths).toContain('/apis/apps/v1/namespaces/calico-system/daemonsets');
    expect(list.metadata.annotations['netpol-atlas.io/cni']).toBe('cilium');
    expect(list.metadata.annotations['netpol-atlas.io/cni-evidence']).toBe('DaemonSet kube-system/cilium');
  });

  it('with DaemonSets forbidden, falls back to the served policy API group', async () => {
    const guarded = await startFakeApiServer({ token: TOKEN, forbidden: ['/apis/apps/v1/daemonsets'] });
    try {
      const io = bufferIo();
      const config = tmp.write('guarded.yaml', readFileSync(writeKubeconfig(tmp, guarded.url), 'utf8'));
      expect(await runCollect({ ...DEFAULTS, kubeconfig: config, namespace: ['shop'] }, io), io.stderr).toBe(0);
      const annotations = JSON.parse(io.stdout).metadata.annotations;
      expect(annotations['netpol-atlas.io/cni']).toBe('cilium');
      expect(annotations['netpol-atlas.io/cni-evidence']).toBe('API group cilium.io served (no agent DaemonSet readable)');
    } finally {
      await guarded.close();
      writeKubeconfig(tmp, api.url);
    }
  });

  it("defaults to the context's namespace, and --context picks another context", async () => {
    const local = tempDir();
    try {
      const file = writeKubeconfig(local, api.url, { namespace: 'monitoring', extraContext: true });
      const io = bufferIo();
      expect(await runCollect({ ...DEFAULTS, kubeconfig: file }, io), io.stderr).toBe(0);
      expect(identities(JSON.parse(io.stdout))).toEqual([...inNamespace('monitoring'), ...CLUSTER_SCOPED_POLICIES].sort());
      expect(io.stderr).toContain('(context shop, namespaces: monitoring)');

      const other = bufferIo();
      expect(await runCollect({ ...DEFAULTS, kubeconfig: file, context: 'other' }, other), other.stderr).toBe(0);
      expect(identities(JSON.parse(other.stdout))).toEqual([...inNamespace('kube-system'), ...CLUSTER_SCOPED_POLICIES].sort());
    } finally {
      local.remove();
    }
  });

  it('several -n namespaces through the command line, de-duplicated', async () => {
    const io = bufferIo();
    let exitCode: number | undefined;
    const program = new Command().exitOverride().addCommand(collectCommand(io, (code) => (exitCode = code)));
    await program.parseAsync(['collect', '--kubeconfig', kubeconfig, '-n', 'shop', 'monitoring', 'shop', '--chunk-size', '3', '--out', '-'], { from: 'user' });
    expect(exitCode, io.stderr).toBe(0);
    const list = JSON.parse(io.stdout);
    expect(identities(list)).toEqual([...inNamespace('monitoring'), ...inNamespace('shop'), ...CLUSTER_SCOPED_POLICIES].sort());
    expect(list.metadata.annotations['netpol-atlas.io/scope']).toBe('namespaces: monitoring,shop');
  });
});

describe('netpol collect failures', () => {
  it('an unknown namespace is an error (exit 2)', async () => {
    const io = bufferIo();
    expect(await runCollect({ ...DEFAULTS, kubeconfig, namespace: ['shpo'] }, io)).toBe(2);
    expect(io.stderr).toContain('netpol collect: error: namespace "shpo" not found');
    expect(io.stdout).toBe('');
  });

  it('an unreachable API server exits 2 and writes nothing', async () => {
    const closedPort = await closedLoopbackPort();
    const local = tempDir();
    try {
      const file = writeKubeconfig(local, `https://127.0.0.1:${closedPort}`);
      const out = path.join(local.dir, 'never.json');
      const io = bufferIo();
      expect(await runCollect({ ...DEFAULTS, kubeconfig: file, allNamespaces: true, out }, io)).toBe(2);
      expect(io.stderr).toMatch(new RegExp(`error: cannot reach the API server https://127\\.0\\.0\\.1:${closedPort}: .*ECONNREFUSED`));
      expect(existsSync(out)).toBe(false);
    } finally {
      local.remove();
    }
  });

  it('a server certificate the kubeconfig does not trust exits 2 (TLS is verified)', async () => {
    const local = tempDir();
    try {
      const io = bufferIo();
      expect(await runCollect({ ...DEFAULTS, kubeconfig: writeKubeconfig(local, api.url, { withoutCa: true }), allNamespaces: true }, io)).toBe(2);
      expect(io.stderr).toMatch(/error: cannot reach the API server https:\/\/127\.0\.0\.1:\d+: .*(certificate|UNABLE_TO_VERIFY)/i);
    } finally {
      local.remove();
    }
  });

  it('rejected credentials (401) exit 2', async () => {
    const local = tempDir();
    try {
      const file = writeKubeconfig(local, api.url, {}, 'wrong-token');
      const io = bufferIo();
      expect(await runCollect({ ...DEFAULTS, kubeconfig: file, allNamespaces: true }, io)).toBe(2);
      expect(io.stderr).toContain('error: GET /api/v1/namespaces failed: 401 Unauthorized: Unauthorized (the kubeconfig credentials were rejected)');
      expect(io.stdout).toBe('');
    } finally {
      local.remove();
    }
  });

  it('a missing kubeconfig file or context exits 2', async () => {
    const io = bufferIo();
    expect(await runCollect({ ...DEFAULTS, kubeconfig: path.join(tmp.dir, 'absent.yaml') }, io)).toBe(2);
    expect(io.stderr).toContain('error: cannot load kubeconfig');
    const io2 = bufferIo();
    expect(await runCollect({ ...DEFAULTS, kubeconfig, context: 'prod' }, io2)).toBe(2);
    expect(io2.stderr).toContain('error: context "prod" not found in kubeconfig (contexts: shop)');
  });

  it('rejects contradictory options before any request', async () => {
    const start = api.requests.length;
    const cases: Array<[Parameters<typeof runCollect>[0], string]> = [
      [{ ...DEFAULTS, kubeconfig, allNamespaces: true, namespace: ['shop'] }, 'use either -A/--all-namespaces or -n/--namespace, not both'],
      [{ ...DEFAULTS, kubeconfig, push: 'http://127.0.0.1:1' }, '--push needs --cluster NAME'],
      [{ ...DEFAULTS, kubeconfig, push: 'http://127.0.0.1:1', cluster: 'c', out: 'x.json' }, 'use either --out or --push, not both'],
      [{ ...DEFAULTS, kubeconfig, cluster: 'c' }, '--cluster is only used with --push URL'],
      [{ ...DEFAULTS, kubeconfig, namespace: ['Bad_NS'] }, 'invalid namespace name "Bad_NS"'],
    ];
    for (const [options, message] of cases) {
      const io = bufferIo();
      expect(await runCollect(options, io)).toBe(2);
      expect(io.stderr).toContain(message);
    }
    expect(api.requests.length).toBe(start);
  });
});

describe('netpol collect resilience', () => {
  it('retries a 429 after Retry-After and restarts a list whose continue token expired (410)', async () => {
    const flaky = await startFakeApiServer({ token: TOKEN, forbidden: FORBIDDEN, throttleOnce: ['/api/v1/services'], expireContinueOnce: ['/api/v1/pods'] });
    const local = tempDir();
    try {
      const io = bufferIo();
      const code = await runCollect({ ...DEFAULTS, kubeconfig: writeKubeconfig(local, flaky.url), allNamespaces: true, chunkSize: 2 }, io);
      expect(code, io.stderr).toBe(0);
      expect(identities(JSON.parse(io.stdout))).toEqual(ALL_OBJECTS);
      expect(io.sleeps).toEqual([1000]);
      const pods = flaky.requests.filter((r) => r.path === '/api/v1/pods').map((r) => (r.query.continue ? 'next' : 'first'));
      // page 1, the expired page 2, then the whole list again: 1 + 1 + 5 requests.
      expect(pods).toEqual(['first', 'next', 'first', 'next', 'next', 'next', 'next']);
      // 6 services in pages of 2, after one throttled first request.
      expect(flaky.requests.filter((r) => r.path === '/api/v1/services').map((r) => r.query.continue ? 'next' : 'first')).toEqual(['first', 'first', 'next', 'next']);
    } finally {
      local.remove();
      await flaky.close();
    }
  });
});

describe('the built netpol bin', () => {
  const bin = path.resolve(import.meta.dirname, '../bin/netpol.mjs');

  it('runs `netpol collect -A --out FILE` (build first: npx tsc -p apps/cli/tsconfig.app.json)', async () => {
    const out = path.join(tmp.dir, 'bin.json');
    const { stderr } = await promisify(execFile)(process.execPath, [bin, 'collect', '--kubeconfig', kubeconfig, '-A', '--out', out]);
    expect(stderr).toContain('warning: cronjobs.batch NOT collected');
    expect(identities(JSON.parse(readFileSync(out, 'utf8')))).toEqual(ALL_OBJECTS);
  });

  it('exits 2 when no kubeconfig exists at all (no --kubeconfig, no KUBECONFIG, empty HOME)', async () => {
    const home = tempDir();
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, HOME: home.dir };
      delete env.KUBECONFIG;
      const error = await promisify(execFile)(process.execPath, [bin, 'collect'], { env }).then(() => undefined, (e: { code: number; stderr: string }) => e);
      expect(error?.code).toBe(2);
      expect(error?.stderr).toContain('netpol collect: error: no kubeconfig found: pass --kubeconfig or set KUBECONFIG');
    } finally {
      home.remove();
    }
  });
});
