import { describe, expect, it } from 'vitest';
import { controller, namespace, parsed, pod, policy, snapshotOf } from '../../test/builders.js';
import { buildSnapshot } from './snapshot.js';
import { workloadPods, podCount } from './workloads.js';

const names = (objects: Parameters<typeof snapshotOf>[0]) => snapshotOf(objects).workloads.map((w) => w.displayName);

describe('workload naming (np-guard)', () => {
  it.each([
    ['a pod without owner is its own workload', [pod('ns', 'etcd')], ['ns/etcd[Pod]']],
    ['a pod is named by its controller owner', [pod('ns', 'fe-abc', { owner: { kind: 'ReplicaSet', name: 'fe-99' } })], ['ns/fe-99[ReplicaSet]']],
    ['an owner without kind shows as Pod', [pod('ns', 'p', { owner: { name: 'sec' } })], ['ns/sec[Pod]']],
    ['a Node owner is ignored (static pod)', [pod('ns', 'kube-apiserver-n1', { owner: { kind: 'Node', name: 'n1' } })], ['ns/kube-apiserver-n1[Pod]']],
    ['a non-controller owner is ignored', [pod('ns', 'p', { owner: { kind: 'ReplicaSet', name: 'rs', controller: false } })], ['ns/p[Pod]']],
    ['no namespace means default', [pod(undefined, 'p')], ['default/p[Pod]']],
    ['virt-launcher pods are skipped', [pod('ns', 'virt-launcher-vm1'), pod('ns', 'p')], ['ns/p[Pod]']],
    [
      'pods of one owner make one workload',
      [pod('ns', 'a-1', { owner: { kind: 'DaemonSet', name: 'a' } }), pod('ns', 'a-2', { owner: { kind: 'DaemonSet', name: 'a' } })],
      ['ns/a[DaemonSet]'],
    ],
    ['a controller is named by itself', [controller('StatefulSet', 'ns', 'db')], ['ns/db[StatefulSet]']],
    ['sorted by name in byte order', [pod('ns', 'x-y'), pod('ns', 'x'), pod('ns-a', 'z')], ['ns-a/z[Pod]', 'ns/x-y[Pod]', 'ns/x[Pod]']],
  ])('%s', (_name, objects, expected) => {
    expect(names(objects)).toEqual(expected);
  });
});

describe('controllers and the pods they own', () => {
  const deployment = controller('Deployment', 'ns', 'web', { labels: { app: 'web' }, replicas: 3, uid: 'd1' });
  const rs = controller('ReplicaSet', 'ns', 'web-5f', { labels: { app: 'web' }, replicas: 3, owner: { kind: 'Deployment', name: 'web', uid: 'd1' } });
  const oldRs = controller('ReplicaSet', 'ns', 'web-4e', { labels: { app: 'web' }, replicas: 0, owner: { kind: 'Deployment', name: 'web' } });
  const webPod = (n: string) => pod('ns', n, { labels: { app: 'web', pod: n }, owner: { kind: 'ReplicaSet', name: 'web-5f' } });

  it('a controller alone stands for its pods (template labels, declared replicas)', () => {
    const s = snapshotOf([deployment]);
    expect(s.workloads).toHaveLength(1);
    expect(s.workloads[0]).toMatchObject({ displayName: 'ns/web[Deployment]', replicas: 3, labels: { app: 'web' }, topLevel: { kind: 'Deployment', name: 'web' } });
    // Listed up to two replicas (alike), counted arithmetically: never one model object per replica.
    expect(workloadPods(s.workloads[0]).map((p) => p.name)).toEqual(['web-0', 'web-1']);
    expect(podCount(s.workloads[0])).toBe(3);
  });

  it('a workload of 2^31-1 replicas costs what one of 2 costs', () => {
    const huge = controller('Deployment', 'ns', 'huge', { labels: { app: 'huge' }, replicas: 2147483647 });
    const start = process.memoryUsage().heapUsed;
    const s = snapshotOf([huge]);
    expect(podCount(s.workloads[0])).toBe(2147483647);
    expect(workloadPods(s.workloads[0])).toHaveLength(2);
    expect(process.memoryUsage().heapUsed - start).toBeLessThan(64 * 1024 * 1024);
  });

  it('pods in the input represent their controllers (a kubectl dump); old revisions stand for nothing', () => {
    const s = snapshotOf([deployment, rs, oldRs, webPod('web-5f-a'), webPod('web-5f-b')]);
    expect(s.workloads.map((w) => w.displayName)).toEqual(['ns/web-5f[ReplicaSet]']);
    expect(s.workloads[0]).toMatchObject({ replicas: 2, topLevel: { kind: 'Deployment', name: 'web' } });
  });

  it('without pods, the deepest present controller stands for them', () => {
    const s = snapshotOf([deployment, rs, oldRs]);
    expect(s.workloads.map((w) => w.displayName)).toEqual(['ns/web-5f[ReplicaSet]']);
    expect(s.workloads[0].topLevel).toEqual({ kind: 'Deployment', name: 'web' });
  });

  it('ownership follows only objects present in the input (and matching uids)', () => {
    const alone = snapshotOf([webPod('p1')]);
    expect(alone.workloads[0].topLevel).toEqual({ kind: 'ReplicaSet', name: 'web-5f' });
    const otherUid = controller('ReplicaSet', 'ns', 'web-5f', { owner: { kind: 'Deployment', name: 'web', uid: 'other' } });
    const s = snapshotOf([deployment, otherUid, webPod('p1')]);
    expect(s.workloads.map((w) => `${w.displayName} top ${w.topLevel.kind}/${w.topLevel.name}`)).toEqual([
      'ns/web-5f[ReplicaSet] top Deployment/web', // named by the reference; the object is another one
      'ns/web[Deployment] top Deployment/web',
    ]);
  });

  it('Job → CronJob', () => {
    const cron = controller('CronJob', 'ns', 'backup', { labels: { app: 'backup' } });
    const job = controller('Job', 'ns', 'backup-123', { labels: { app: 'backup' }, owner: { kind: 'CronJob', name: 'backup' } });
    const p = pod('ns', 'backup-123-x', { labels: { app: 'backup' }, owner: { kind: 'Job', name: 'backup-123' } });
    expect(snapshotOf([cron]).workloads[0].labels).toEqual({ app: 'backup' });
    const s = snapshotOf([cron, job, p]);
    expect(s.workloads.map((w) => w.displayName)).toEqual(['ns/backup-123[Job]']);
    expect(s.workloads[0].topLevel).toEqual({ kind: 'CronJob', name: 'backup' });
  });
});

const calicoSelecting = (tier: string, extra: Record<string, unknown>) =>
  parsed({
    apiVersion: 'projectcalico.org/v3',
    kind: 'GlobalNetworkPolicy',
    metadata: { name: 'by-tier' },
    spec: { selector: `tier == '${tier}'`, types: ['Ingress'], ingress: [{ action: 'Allow' }], ...extra },
  });

describe('pods of one owner with different labels (np-guard)', () => {
  const pods = [
    namespace('default'),
    pod('default', 'pod-1', { labels: { security: 'internal', app: 'command', tier: 'agent' }, owner: { name: 'sec' } }),
    pod('default', 'pod-2', { labels: { security: 'internal', app: 'query' }, owner: { name: 'sec' } }),
  ];
  const ingressFrom = (podSelector: unknown) => policy('default', 'p', { podSelector: {}, ingress: [{ from: [{ podSelector }] }] });
  it.each([
    ['no policy', [], false],
    ['a selector on a label both share', [ingressFrom({ matchLabels: { security: 'internal' } })], false],
    ['Exists on a key both have (values differ)', [ingressFrom({ matchExpressions: [{ key: 'app', operator: 'Exists' }] })], false],
    ['In on a key whose values differ', [ingressFrom({ matchExpressions: [{ key: 'app', operator: 'In', values: ['query'] }] })], true],
    ['matchLabels on a key whose values differ', [ingressFrom({ matchLabels: { app: 'command' } })], true],
    ['Exists on a key only one has', [ingressFrom({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] })], true],
    ['policy podSelector on a differing key', [policy('default', 'q', { podSelector: { matchLabels: { tier: 'agent' } } })], true],
    ['a policy of another namespace', [policy('other', 'q', { podSelector: { matchLabels: { tier: 'agent' } } })], false],
    // Decided semantically: a selector that matches every replica alike splits nothing.
    ['In over both differing values', [ingressFrom({ matchExpressions: [{ key: 'app', operator: 'In', values: ['query', 'command'] }] })], false],
    ['NotIn excluding neither value', [ingressFrom({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['other'] }] })], false],
    [
      'an ingress rule of an Egress-only policy (not enforced)',
      [policy('default', 'e', { podSelector: {}, policyTypes: ['Egress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'command' } } }] }] })],
      false,
    ],
    [
      'the same ingress rule when Ingress is enforced',
      [policy('default', 'e', { podSelector: {}, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'command' } } }] }] })],
      true,
    ],
    // A Calico preDNAT policy polices host endpoints only: its selector picks no pod as a subject, so it splits nothing.
    ['a Calico policy selecting on a differing key', [calicoSelecting('agent', {})], true],
    ['the same selector on a preDNAT policy (host endpoints only)', [calicoSelecting('agent', { preDNAT: true, applyOnForward: true })], false],
  ])('%s: error %s', (_name, extra, isError) => {
    const { issues } = buildSnapshot([...pods, ...extra]);
    const errors = issues.filter((i) => i.severity === 'error');
    expect(errors.length > 0).toBe(isError);
    if (isError) expect(errors[0]).toMatchObject({ code: 'INCONSISTENT_LABELS', path: 'metadata.labels', file: 'test.yaml' });
  });
});

describe('pods of one owner that resolve a named port differently', () => {
  const owned = (name: string, port: number) =>
    pod('default', name, { labels: { app: 'api' }, owner: { kind: 'ReplicaSet', name: 'api-1' }, ports: [{ name: 'metrics', containerPort: port }] });
  const usesMetrics = policy('default', 'm', { podSelector: {}, ingress: [{ ports: [{ port: 'metrics' }] }] });

  it('is an error at workload level, whatever the input order', () => {
    for (const pods of [[owned('a', 9187), owned('b', 9188)], [owned('b', 9188), owned('a', 9187)]]) {
      const errors = buildSnapshot([...pods, usesMetrics]).issues.filter((i) => i.severity === 'error');
      expect(errors.map((e) => e.code)).toEqual(['INCONSISTENT_NAMED_PORTS']);
      expect(errors[0].message).toContain('"metrics"');
    }
  });

  it('is no error when no rule uses the name, or the pods agree', () => {
    expect(buildSnapshot([owned('a', 9187), owned('b', 9188)]).issues).toEqual([]);
    expect(buildSnapshot([owned('a', 9187), owned('b', 9187), usesMetrics]).issues).toEqual([]);
  });
});

describe('warnings and errors', () => {
  it('warns for every hostNetwork pod a policy selects', () => {
    const { issues } = buildSnapshot([
      pod('ns', 'host', { labels: { app: 'h' }, hostNetwork: true }),
      pod('ns', 'host2', { labels: { app: 'other' }, hostNetwork: true }),
      pod('ns', 'plain', { labels: { app: 'h' } }),
      policy('ns', 'p', { podSelector: { matchLabels: { app: 'h' } } }),
    ]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'HOST_NETWORK', severity: 'warning', path: 'spec.hostNetwork' });
    expect(issues[0].message).toContain('ns/host[Pod]');
  });

  it('rejects a policy defined twice', () => {
    const { snapshot, issues } = buildSnapshot([policy('ns', 'p', { podSelector: {} }), policy('ns', 'p', { podSelector: {} })]);
    expect(issues.map((i) => `${i.severity} ${i.code}`)).toEqual(['error DUPLICATE_OBJECT']);
    expect(snapshot.policies).toHaveLength(1);
  });

  it('rejects every later copy of a policy, wherever it was read (the first read is kept)', () => {
    const first = policy('ns', 'p', { podSelector: { matchLabels: { first: 'yes' } } });
    const { snapshot, issues } = buildSnapshot([policy('ns', 'q', {}), first, policy('ns', 'q', {}), policy('ns', 'p', {}), policy('ns', 'p', {})]);
    expect(issues.map((i) => `${i.code} ${i.message}`)).toEqual([
      'DUPLICATE_OBJECT NetworkPolicy ns/p is defined more than once',
      'DUPLICATE_OBJECT NetworkPolicy ns/p is defined more than once',
      'DUPLICATE_OBJECT NetworkPolicy ns/q is defined more than once',
    ]);
    expect(snapshot.policies.map((p) => p.fullName)).toEqual(['ns/p', 'ns/q']);
    expect(snapshot.policies[0].podSelector.toString()).toBe('first=yes');
  });

  it('defaults a policy namespace to default and sorts policies', () => {
    const { snapshot } = buildSnapshot([policy('', 'z', {}), policy('a', 'b', {})]);
    expect(snapshot.policies.map((p) => p.fullName)).toEqual(['a/b', 'default/z']);
    expect([...snapshot.namespaces.keys()]).toEqual(['a', 'default']);
  });
});

describe('container port lists of workloads', () => {
  it('are each workload its own, shared between equal lists, whatever the order and however many lists', () => {
    // 20 distinct lists (more than buildWorkloads compares before its keyed lookup), visited in an interleaved
    // order: each workload's first pod must get exactly its own ports, equal lists one shared array.
    type Port = { name?: string; containerPort: number; protocol?: string };
    const listOf = (k: number): Port[] => [{ name: `p${k}`, containerPort: 8000 + k, ...(k % 3 === 0 ? { protocol: 'UDP' } : {}) }, ...(k % 2 === 0 ? [{ containerPort: 9000 + k }] : [])];
    const order = [0, 1, 0, 2, 3, 1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 0, 19, 7, 2, 2];
    const objects = order.flatMap((k, i) => [0, 1].map((r) => pod('ns', `w${String(i).padStart(2, '0')}-${r}`, { owner: { kind: 'ReplicaSet', name: `w${String(i).padStart(2, '0')}` }, ports: listOf(k) })));
    const workloads = snapshotOf(objects).workloads;
    expect(workloads.map((w) => w.name)).toEqual(order.map((_, i) => `w${String(i).padStart(2, '0')}`));
    const expected = (k: number) => listOf(k).map((p) => ({ port: p.containerPort, protocol: p.protocol ?? 'TCP', ...(p.name ? { name: p.name } : {}) }));
    workloads.forEach((w, i) => {
      expect(w.ports).toEqual(expected(order[i]));
      expect(w.pods.every((p) => p.ports === w.ports)).toBe(true);
    });
    const first = new Map<number, unknown>();
    workloads.forEach((w, i) => {
      if (!first.has(order[i])) first.set(order[i], w.ports);
      expect(w.ports).toBe(first.get(order[i]));
    });
  });
});
