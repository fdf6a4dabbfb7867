import type { KubeObject } from '@netpol-atlas/engine';
import { describe, expect, it } from 'vitest';
import { inventoryOf } from './snapshot-inventory.js';

const obj = (kind: string, name: string, namespace: string | undefined, extra: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): KubeObject =>
  ({ apiVersion: kind === 'Namespace' || kind === 'Pod' ? 'v1' : 'apps/v1', kind, metadata: { name, ...(namespace ? { namespace } : {}), ...metadata }, ...extra }) as KubeObject;
const owned = (kind: string, name: string) => ({ ownerReferences: [{ apiVersion: 'apps/v1', kind, name, controller: true }] });

describe('inventoryOf', () => {
  it('manifest-only: workloads are the controllers; pods are their replicas (default 1, DaemonSet/CronJob/Job 1)', () => {
    const inventory = inventoryOf([
      obj('Deployment', 'web', 'a', { spec: { replicas: 3, template: { metadata: { labels: { app: 'web' } } } } }),
      obj('Deployment', 'idle', 'a', { spec: { replicas: 0 } }),
      obj('StatefulSet', 'db', 'a', { spec: {} }),
      obj('DaemonSet', 'agent', 'b', { spec: {} }),
      obj('CronJob', 'backup', 'a', { spec: { jobTemplate: { spec: { template: { metadata: { labels: { app: 'backup' } } } } } } }),
      obj('Job', 'once', 'a', { spec: {} }),
    ]);
    expect(inventory.counts).toEqual({ namespaces: 2, pods: 3 + 0 + 1 + 1 + 1 + 1, workloads: 6, policies: 0 });
    expect(inventory.workloads.map((w) => [w.namespace, w.kind, w.name, w.replicas])).toEqual([
      ['a', 'CronJob', 'backup', null],
      ['a', 'Deployment', 'idle', 0],
      ['a', 'Deployment', 'web', 3],
      ['a', 'Job', 'once', null],
      ['a', 'StatefulSet', 'db', 1],
      ['b', 'DaemonSet', 'agent', null],
    ]);
    expect(inventory.workloads[0].labels).toEqual([{ key: 'app', value: 'backup' }]);
    // Namespaces an object lives in count even without a Namespace object.
    expect(inventory.namespaces).toEqual([{ name: 'a', labels: [] }, { name: 'b', labels: [] }]);
  });

  it('live cluster: pods are the Pod objects; owned ReplicaSets, Jobs and Pods belong to their top-level controller', () => {
    const inventory = inventoryOf([
      obj('Namespace', 'a', undefined, {}, { labels: { team: 'x', env: 'prod' } }),
      obj('Deployment', 'web', 'a', { spec: { replicas: 2 } }),
      obj('ReplicaSet', 'web-1', 'a', { spec: { replicas: 2 } }, owned('Deployment', 'web')),
      obj('Pod', 'web-1-x', 'a', {}, { ...owned('ReplicaSet', 'web-1'), labels: { app: 'web' } }),
      obj('Pod', 'web-1-y', 'a', {}, owned('ReplicaSet', 'web-1')),
      obj('CronJob', 'backup', 'a', { spec: {} }),
      obj('Job', 'backup-1', 'a', { spec: {} }, owned('CronJob', 'backup')),
      obj('Pod', 'backup-1-z', 'a', {}, owned('Job', 'backup-1')),
      obj('Pod', 'debug', 'a', {}, { labels: { run: 'debug' } }),
      // Its owner is not in the snapshot (e.g. an operator's resource): it is shown as a workload of its own.
      obj('Pod', 'orphan', 'a', {}, owned('ReplicaSet', 'gone')),
      obj('NetworkPolicy', 'deny', 'a', { spec: { podSelector: {} } }),
      obj('NetworkPolicy', 'out', 'a', { spec: { podSelector: {}, egress: [] } }),
      obj('NetworkPolicy', 'typed', 'a', { spec: { podSelector: {}, policyTypes: ['Egress'] } }),
      { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name: 'anp' }, spec: { ingress: [] } } as KubeObject,
    ]);
    expect(inventory.counts).toEqual({ namespaces: 1, pods: 5, workloads: 4, policies: 4 });
    expect(inventory.workloads.map((w) => `${w.kind}/${w.name}`)).toEqual(['CronJob/backup', 'Deployment/web', 'Pod/debug', 'Pod/orphan']);
    expect(inventory.workloads[2].labels).toEqual([{ key: 'run', value: 'debug' }]);
    expect(inventory.namespaces[0].labels).toEqual([{ key: 'env', value: 'prod' }, { key: 'team', value: 'x' }]);
    expect(inventory.policies.map((p) => [p.namespace, p.kind, p.name, p.policyTypes.join('+')])).toEqual([
      [null, 'AdminNetworkPolicy', 'anp', 'Ingress'],
      ['a', 'NetworkPolicy', 'deny', 'Ingress'],
      ['a', 'NetworkPolicy', 'out', 'Ingress+Egress'],
      ['a', 'NetworkPolicy', 'typed', 'Egress'],
    ]);
  });
});
