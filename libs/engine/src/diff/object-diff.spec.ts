import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../manifest/types.js';
import { applyRevert, diffObjects } from './object-diff.js';

function np(name: string, spec: Record<string, unknown>, namespace = 'default'): KubeObject {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

function deployment(name: string, labels: Record<string, string>, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', annotations: { a: '1' }, ...extra },
    spec: { replicas: 2, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'x:1' }] } } },
  };
}

const webRule = { from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080 }] };
const dnsRule = { from: [{ namespaceSelector: {} }], ports: [{ protocol: 'UDP', port: 53 }] };

describe('diffObjects', () => {
  it('a duplicate identity: the later object wins, even when the earlier one lines up with the other side', () => {
    const spec = (port: number) => ({ podSelector: {}, ingress: [{ ports: [{ port }] }] });
    const lined = diffObjects([np('a', spec(80)), np('b', spec(80))], [np('a', spec(80)), np('c', spec(80)), np('b', spec(80)), np('a', spec(81))]);
    expect(lined.changes.map((c) => `${c.change} ${c.id}`)).toEqual(['modified NetworkPolicy/default/a', 'added NetworkPolicy/default/c']);
    const earlier = diffObjects([np('a', spec(81)), np('a', spec(80))], [np('a', spec(80))]);
    expect(earlier.changes).toEqual([]);
  });

  it('objects listed in another order, added and removed ones among them: same changes as in step', () => {
    const objects = Array.from({ length: 40 }, (_, i) => np(`p${String(i).padStart(2, '0')}`, { podSelector: {}, ingress: [{ ports: [{ port: 1000 + i }] }] }));
    const edited = objects.filter((_, i) => i !== 3 && i !== 30).map((o, i) => (i === 10 ? np(o.metadata.name, { podSelector: {} }) : o));
    edited.splice(20, 0, np('zz', { podSelector: {} }));
    const inStep = diffObjects(objects, edited);
    expect(inStep.changes.map((c) => `${c.change} ${c.id}`)).toEqual(['removed NetworkPolicy/default/p03', 'modified NetworkPolicy/default/p11', 'removed NetworkPolicy/default/p30', 'added NetworkPolicy/default/zz']);
    expect(diffObjects([...objects].reverse(), edited)).toEqual(inStep);
  });

  it('identifies objects by API group and kind: a Calico NetworkPolicy is not the Kubernetes one of the same name', () => {
    const calico: KubeObject = { apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name: 'api', namespace: 'default' }, spec: { selector: 'all()' } };
    const before = [np('api', { podSelector: {} })];
    const after = [np('api', { podSelector: {} }), calico];
    const { changes } = diffObjects(before, after);
    expect(changes.map((c) => `${c.change} ${c.ref.kind}.${c.ref.apiGroup} ${c.ref.namespace}/${c.ref.name}`)).toEqual(['added NetworkPolicy.projectcalico.org default/api']);
  });

  it('reports a service account change (Calico and Cilium select by it); an absent one is default', () => {
    const pod = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c' }], ...spec } });
    expect(diffObjects([pod({})], [pod({ serviceAccountName: 'default' })]).changes).toEqual([]);
    const { changes } = diffObjects([pod({})], [pod({ serviceAccountName: 'web' })]);
    expect(changes.map((c) => c.fields.map((f) => f.path))).toEqual([['spec.serviceAccountName']]);
    const account = (labels: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'web', namespace: 'default', labels } });
    expect(diffObjects([account({ team: 'a' })], [account({ team: 'b' })]).changes.map((c) => c.id)).toEqual(['ServiceAccount/default/web']);
  });

  it('reports a port change down to the rule part, with a readable summary', () => {
    const before = [np('api', { podSelector: {}, ingress: [dnsRule, webRule] })];
    const after = [np('api', { podSelector: {}, ingress: [dnsRule, { ...webRule, ports: [{ port: 8080, endPort: 8090 }] }] })];
    const { changes } = diffObjects(before, after);
    expect(changes).toHaveLength(1);
    expect(changes[0].change).toBe('modified');
    expect(changes[0].fields.map((f) => f.summary)).toEqual([
      'NetworkPolicy default/api: spec.ingress[1].ports changed from 8080 to 8080-8090',
    ]);
  });

  it('matches identical rules even when a rule is inserted before them', () => {
    const before = [np('api', { podSelector: {}, ingress: [webRule] })];
    const after = [np('api', { podSelector: {}, ingress: [dnsRule, webRule] })];
    const { changes } = diffObjects(before, after);
    expect(changes[0].fields.map((f) => [f.path, f.change])).toEqual([['spec.ingress[0]', 'added']]);
    expect(changes[0].fields[0].summary).toBe(
      'NetworkPolicy default/api: spec.ingress[0] added: from namespaceSelector {} on UDP 53',
    );
  });

  it('reports policies added and removed, and selector and policyTypes changes', () => {
    const before = [np('a', { podSelector: { matchLabels: { app: 'x' } } }), np('gone', { podSelector: {} })];
    const after = [
      np('a', { podSelector: { matchLabels: { app: 'y' } }, policyTypes: ['Ingress', 'Egress'] }),
      np('new', { podSelector: {} }),
    ];
    const { changes } = diffObjects(before, after);
    expect(changes.map((c) => [c.id, c.change])).toEqual([
      ['NetworkPolicy/default/a', 'modified'],
      ['NetworkPolicy/default/gone', 'removed'],
      ['NetworkPolicy/default/new', 'added'],
    ]);
    expect(changes[0].fields.map((f) => f.summary)).toEqual([
      'NetworkPolicy default/a: spec.podSelector.matchLabels.app changed from x to y',
      'NetworkPolicy default/a: spec.policyTypes added: ["Ingress","Egress"]',
    ]);
  });

  it('ignores fields analysis does not use, and reports label keys of workloads one by one', () => {
    const before = [deployment('web', { app: 'web', tier: 'a' })];
    const after = [
      {
        ...deployment('web', { app: 'web', tier: 'b', extra: 'x' }, { annotations: { a: '2' } }),
        spec: {
          replicas: 5,
          template: { metadata: { labels: { app: 'web', tier: 'b', extra: 'x' } }, spec: { containers: [{ name: 'c', image: 'x:2' }] } },
        },
      },
    ];
    const { changes } = diffObjects(before, after);
    expect(changes[0].fields.map((f) => f.path)).toEqual([
      'spec.template.metadata.labels.extra',
      'spec.template.metadata.labels.tier',
    ]);
    expect(diffObjects(before, [deployment('web', { app: 'web', tier: 'a' }, { annotations: { b: '1' } })]).changes).toEqual([]);
  });

  it('reverts exactly one change at a time', () => {
    const before = [np('api', { podSelector: {}, ingress: [dnsRule, webRule] }), deployment('web', { app: 'web' })];
    const after = [np('api', { podSelector: {}, ingress: [webRule] }), deployment('web', { app: 'api' })];
    const { changes, reverts } = diffObjects(before, after);
    const ids = changes.flatMap((c) => c.fields.map((f) => f.id));
    expect(ids).toEqual(['Deployment/default/web#spec.template.metadata.labels.app', 'NetworkPolicy/default/api#spec.ingress[0]']);
    const undoRule = applyRevert(after, reverts.get(ids[1])!);
    expect(diffObjects(before, undoRule).changes.map((c) => c.id)).toEqual(['Deployment/default/web']);
    const undoLabel = applyRevert(after, reverts.get(ids[0])!);
    expect(diffObjects(before, undoLabel).changes.map((c) => c.id)).toEqual(['NetworkPolicy/default/api']);
    expect(after[1].spec).toEqual(deployment('web', { app: 'api' }).spec); // the input is not mutated
  });

  it('reverts object additions and removals', () => {
    const before = [np('old', { podSelector: {} })];
    const after = [np('new', { podSelector: {} })];
    const { reverts } = diffObjects(before, after);
    expect(applyRevert(after, reverts.get('NetworkPolicy/default/new')!)).toEqual([]);
    expect(applyRevert(after, reverts.get('NetworkPolicy/default/old')!).map((o) => o.metadata.name)).toEqual(['new', 'old']);
  });

  it('treats namespace labels per key', () => {
    const ns = (labels: Record<string, string>): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', labels } });
    const { changes } = diffObjects([ns({ env: 'dev' })], [ns({ env: 'prod' })]);
    expect(changes[0].fields.map((f) => f.summary)).toEqual(['Namespace team-a: metadata.labels.env changed from dev to prod']);
  });
});

describe('object diff ignores container-port fields analysis does not read', () => {
  it('a hostPort or an explicit TCP protocol is not a modification', () => {
    const pod = (ports: unknown[]) =>
      ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a', labels: { app: 'x' } }, spec: { containers: [{ name: 'c', ports }] } }) as KubeObject;
    expect(diffObjects([pod([{ name: 'http', containerPort: 80 }])], [pod([{ name: 'http', containerPort: 80, protocol: 'TCP', hostPort: 8080 }])]).changes).toEqual([]);
    expect(diffObjects([pod([{ name: 'http', containerPort: 80 }])], [pod([{ name: 'http', containerPort: 81 }])]).changes).toHaveLength(1);
  });
});
