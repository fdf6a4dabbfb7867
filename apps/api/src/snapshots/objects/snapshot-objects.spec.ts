import type { KubeObject } from '@netpol-atlas/engine';
import { describe, expect, it } from 'vitest';
import { canonicalOrder } from '../../ingest/snapshot-content.js';
import { normaliseSnapshot } from './snapshot-objects.js';

const obj = (kind: string, name: string, namespace: string | undefined, extra: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): KubeObject =>
  ({
    apiVersion: ['Namespace', 'Pod'].includes(kind) ? 'v1' : ['Job', 'CronJob'].includes(kind) ? 'batch/v1' : 'apps/v1',
    kind,
    metadata: { name, ...(namespace ? { namespace } : {}), ...metadata },
    ...extra,
  }) as KubeObject;
const owned = (kind: string, name: string) => ({ ownerReferences: [{ apiVersion: 'apps/v1', kind, name, controller: true }] });
const template = (labels: Record<string, string>) => ({ template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'i' }] } } });
const netpol = (name: string, namespace: string, spec: Record<string, unknown>): KubeObject =>
  ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec }) as KubeObject;

describe('normaliseSnapshot', () => {
  it('manifest-only: workloads are the controllers, pods their replicas as the engine analyses them (synthetic)', () => {
    const result = normaliseSnapshot(
      canonicalOrder([
        obj('Deployment', 'web', 'a', { spec: { replicas: 3, ...template({ app: 'web' }) } }),
        obj('StatefulSet', 'db', 'a', { spec: template({ app: 'db' }) }),
        obj('DaemonSet', 'agent', 'b', { spec: template({ app: 'agent' }) }),
        obj('CronJob', 'backup', 'a', { spec: { jobTemplate: { spec: template({ app: 'backup' }) } } }),
      ]),
    );
    expect(result.counts).toEqual({ namespaces: 2, pods: 3 + 1 + 1 + 1, workloads: 4, policies: 0 });
    expect(result.workloads.map((w) => [w.namespace, w.kind, w.name, w.replicas, w.pods])).toEqual([
      ['a', 'CronJob', 'backup', null, 1],
      ['a', 'Deployment', 'web', 3, 3],
      ['a', 'StatefulSet', 'db', 1, 1],
      ['b', 'DaemonSet', 'agent', null, 1],
    ]);
    expect(result.workloads[0].labels).toEqual({ app: 'backup' });
    // Listed up to two replicas (alike), counted arithmetically above: never a row per replica.
    expect(result.pods.filter((p) => p.workloadName === 'web').map((p) => [p.name, p.synthetic, p.labels])).toEqual([
      ['web-0', true, { app: 'web' }],
      ['web-1', true, { app: 'web' }],
    ]);
    // Namespaces an object lives in count even without a Namespace object.
    expect(result.namespaces).toEqual([
      { name: 'a', labels: {}, declared: false },
      { name: 'b', labels: {}, declared: false },
    ]);
  });

  it('live cluster: Pod objects grouped under their top-level controller (Deployment, CronJob, or a missing owner)', () => {
    const result = normaliseSnapshot(
      canonicalOrder([
        obj('Namespace', 'a', undefined, {}, { labels: { team: 'x', env: 'prod' } }),
        obj('Deployment', 'web', 'a', { spec: { replicas: 2, ...template({ app: 'web' }) } }),
        obj('ReplicaSet', 'web-1', 'a', { spec: { replicas: 2, ...template({ app: 'web', hash: '1' }) } }, owned('Deployment', 'web')),
        obj('Pod', 'web-1-x', 'a', {}, { ...owned('ReplicaSet', 'web-1'), labels: { app: 'web', hash: '1' } }),
        obj('Pod', 'web-1-y', 'a', { status: { podIP: '10.0.0.2' } }, { ...owned('ReplicaSet', 'web-1'), labels: { app: 'web', hash: '1' } }),
        obj('CronJob', 'backup', 'a', { spec: { jobTemplate: { spec: template({ app: 'backup' }) } } }),
        obj('Job', 'backup-1', 'a', { spec: template({ app: 'backup' }) }, owned('CronJob', 'backup')),
        obj('Pod', 'backup-1-z', 'a', {}, { ...owned('Job', 'backup-1'), labels: { app: 'backup' } }),
        obj('Pod', 'debug', 'a', {}, { labels: { run: 'debug' } }),
        // Its owner is not in the snapshot (e.g. an operator's resource): grouped under that owner's name.
        obj('Pod', 'orphan-1', 'a', {}, owned('ReplicaSet', 'gone')),
        obj('Pod', 'orphan-2', 'a', {}, owned('ReplicaSet', 'gone')),
        netpol('deny', 'a', { podSelector: {} }),
        netpol('out', 'a', { podSelector: {}, egress: [{}] }),
        netpol('typed', 'a', { podSelector: {}, policyTypes: ['Egress'] }),
        { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name: 'anp', labels: { tier: 'platform' } }, spec: { ingress: [] } } as KubeObject,
        { apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'a' }, spec: { types: ['Ingress'] } } as KubeObject,
      ]),
    );
    expect(result.counts).toEqual({ namespaces: 1, pods: 6, workloads: 4, policies: 5 });
    expect(result.workloads.map((w) => `${w.kind}/${w.name}:${w.pods}`)).toEqual(['CronJob/backup:1', 'Deployment/web:2', 'Pod/debug:1', 'ReplicaSet/gone:2']);
    // A Deployment's labels are its pod template's (without the ReplicaSet's hash label).
    expect(result.workloads[1].labels).toEqual({ app: 'web' });
    expect(result.workloads[2].labels).toEqual({ run: 'debug' });
    expect(result.pods.map((p) => `${p.name}@${p.workloadKind}/${p.workloadName}:${p.synthetic}`)).toEqual([
      'backup-1-z@CronJob/backup:false',
      'debug@Pod/debug:false',
      'orphan-1@ReplicaSet/gone:false',
      'orphan-2@ReplicaSet/gone:false',
      'web-1-x@Deployment/web:false',
      'web-1-y@Deployment/web:false',
    ]);
    expect(result.pods[5].ips).toEqual(['10.0.0.2']);
    expect(result.namespaces).toEqual([{ name: 'a', labels: { env: 'prod', team: 'x' }, declared: true }]);
    expect(result.policies.map((p) => [p.namespace, p.kind, p.name, p.apiVersion, p.policyTypes.join('+'), p.analysed])).toEqual([
      [null, 'AdminNetworkPolicy', 'anp', 'policy.networking.k8s.io/v1alpha1', '', true], // analysed since the ANP dialect exists: directions it has rules in (none here)
      ['a', 'NetworkPolicy', 'deny', 'networking.k8s.io/v1', 'Ingress', true],
      ['a', 'NetworkPolicy', 'deny', 'projectcalico.org/v3', 'Ingress', true], // analysed since the Calico dialect exists
      ['a', 'NetworkPolicy', 'out', 'networking.k8s.io/v1', 'Ingress+Egress', true],
      ['a', 'NetworkPolicy', 'typed', 'networking.k8s.io/v1', 'Egress', true],
    ]);
    expect(result.policies[0].labels).toEqual({ tier: 'platform' });
  });

  it('lists every table in code-unit order of its key (upper case first, prefixes first, non-ASCII last); a Pod workload has no replicas', () => {
    const names = ['ab', 'a-b', 'B', 'a', 'é', 'a0'];
    const result = normaliseSnapshot(
      canonicalOrder(
        names.flatMap((name) => [
          obj('Pod', `p-${name}`, name === 'é' ? 'x' : name.toLowerCase(), {}, { labels: { app: name } }),
          obj('Deployment', `d-${name}`, 'x', { spec: template({ app: name }) }),
          netpol(`n-${name}`, 'x', { podSelector: {} }),
        ]),
      ),
    );
    // Code units: 'B' (0x42) < 'a' < 'a-b' ('-' 0x2d) < 'a0' < 'ab' < 'é' (0xe9).
    const order = ['B', 'a', 'a-b', 'a0', 'ab', 'é'];
    expect(result.namespaces.map((n) => n.name)).toEqual(['a', 'a-b', 'a0', 'ab', 'b', 'x']);
    // By (namespace, name): 'a' before 'a-b', though the joined text 'a-b/…' sorts before 'a/…'.
    expect(result.pods.map((p) => `${p.namespace}/${p.name}`)).toEqual([
      'a/p-a',
      'a-b/p-a-b',
      'a0/p-a0',
      'ab/p-ab',
      'b/p-B',
      'x/d-B-0',
      'x/d-a-0',
      'x/d-a-b-0',
      'x/d-a0-0',
      'x/d-ab-0',
      'x/d-é-0',
      'x/p-é',
    ]);
    expect(result.workloads.filter((w) => w.kind === 'Deployment').map((w) => w.name)).toEqual(order.map((name) => `d-${name}`));
    expect(result.policies.map((p) => p.name)).toEqual(order.map((name) => `n-${name}`));
    const bare = result.workloads.find((w) => w.kind === 'Pod' && w.name === 'p-é');
    expect(bare).toEqual({ namespace: 'x', kind: 'Pod', name: 'p-é', replicas: null, pods: 1, labels: { app: 'é' } });
  });

  it('depends on the content only: any input order gives the same rows; an object given twice is listed once', () => {
    const objects = [
      obj('Pod', 'p', 'a', {}, { labels: { app: 'x' } }),
      obj('Pod', 'p', 'a', {}, { labels: { app: 'x' } }),
      obj('Deployment', 'd', 'b', { spec: template({ app: 'd' }) }),
      netpol('n', 'b', { podSelector: {} }),
    ];
    const forward = normaliseSnapshot(canonicalOrder(objects));
    expect(normaliseSnapshot(canonicalOrder([...objects].reverse()))).toEqual(forward);
    // counts.pods: the Pod objects when there are any (the Deployment's synthetic replica is listed, not counted).
    expect(forward.counts).toEqual({ namespaces: 2, pods: 1, workloads: 2, policies: 1 });
    expect(forward.pods.map((pod) => `${pod.name}:${pod.synthetic}`)).toEqual(['p:false', 'd-0:true']);
  });
});
