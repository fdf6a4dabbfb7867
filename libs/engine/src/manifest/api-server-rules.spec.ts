// Regressions for the API server's rules the parser applies beyond field syntax: one object per
// (API group, kind, namespace, name), the namespace-name label, and the bounded issue list.
import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '../model/snapshot.js';
import { limitIssues, MAX_REPORTED_ISSUES } from './limits.js';
import { parseManifests } from './parse-manifests.js';

const parse = (text: string, options = {}) => parseManifests([{ path: 'in.yaml', text }], options);
const obj = (apiVersion: string, kind: string, name: string, namespace?: string) =>
  `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}`;

describe('duplicates: API group + kind + namespace + name', () => {
  it.each([
    ['Namespaces', obj('v1', 'Namespace', 'a'), obj('v1', 'Namespace', 'a')],
    ['Deployments apps/v1 and apps/v1beta1', obj('apps/v1', 'Deployment', 'd', 'a'), obj('apps/v1beta1', 'Deployment', 'd', 'a')],
    ['Pods of one name', obj('v1', 'Pod', 'p', 'a'), obj('v1', 'Pod', 'p', 'a')],
    ['Services, one in default implicitly', obj('v1', 'Service', 's'), obj('v1', 'Service', 's', 'default')],
    ['NetworkPolicies', obj('networking.k8s.io/v1', 'NetworkPolicy', 'p', 'a'), obj('networking.k8s.io/v1', 'NetworkPolicy', 'p', 'a')],
  ])('refuses two %s, naming both locations, keeping the first', (_what, first, second) => {
    const result = parse(`${first}---\n${second}`);
    expect(result.objects).toHaveLength(1);
    expect(result.objects[0]!.source.document).toBe(0);
    const secondLine = first.split('\n').length + 1; // after the `---`
    expect(result.issues).toMatchObject([{ code: 'DUPLICATE_OBJECT', severity: 'error', document: 1, path: 'metadata.name', line: secondLine }]);
    expect(result.issues[0]!.message).toContain(`first at in.yaml, 1st document, line 1, again here (in.yaml, 2nd document, line ${secondLine})`);
  });

  it.each([
    ['a Calico and a Kubernetes NetworkPolicy', obj('projectcalico.org/v3', 'NetworkPolicy', 'p', 'a'), obj('networking.k8s.io/v1', 'NetworkPolicy', 'p', 'a')],
    ['a Deployment and a ReplicaSet', obj('apps/v1', 'Deployment', 'd', 'a'), obj('apps/v1', 'ReplicaSet', 'd', 'a')],
    ['Pods in two namespaces', obj('v1', 'Pod', 'p', 'a'), obj('v1', 'Pod', 'p', 'b')],
    ['a Namespace and a Pod', obj('v1', 'Namespace', 'a'), obj('v1', 'Pod', 'a', 'a')],
  ])('accepts %s of one name', (_what, first, second) => {
    const result = parse(`${first}---\n${second}`);
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(result.objects).toHaveLength(2);
  });

  it('finds a duplicate across files and List items', () => {
    const list = '{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a"}}]}';
    const result = parseManifests([
      { path: 'one.yaml', text: obj('v1', 'Namespace', 'a') },
      { path: 'two.json', text: list },
    ]);
    expect(result.issues).toMatchObject([{ code: 'DUPLICATE_OBJECT', file: 'two.json', path: 'items[0].metadata.name' }]);
  });
});

describe('kubernetes.io/metadata.name', () => {
  it('overrides another value with the namespace name, with a warning, and analysis sees the name', () => {
    const text = `${obj('v1', 'Namespace', 'prod')}  labels:\n    kubernetes.io/metadata.name: dev\n    team: a\n`;
    const result = parse(text);
    expect(result.issues).toMatchObject([{ code: 'OVERRIDDEN_VALUE', severity: 'warning', path: 'metadata.labels[kubernetes.io/metadata.name]', line: 6 }]);
    expect(result.objects[0]!.object.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'prod', team: 'a' });
    expect(buildSnapshot(result.objects).snapshot.namespaces.get('prod')!.labels['kubernetes.io/metadata.name']).toBe('prod');
  });

  it('leaves a matching or absent label alone, silently', () => {
    const matching = `${obj('v1', 'Namespace', 'prod')}  labels:\n    kubernetes.io/metadata.name: prod\n`;
    expect(parse(matching).issues).toEqual([]);
    const absent = parse(`${obj('v1', 'Namespace', 'prod')}  labels:\n    team: a\n`);
    expect(absent.issues).toEqual([]);
    expect(absent.objects[0]!.object.metadata.labels).toEqual({ team: 'a' });
  });
});

describe('bounded counts', () => {
  it('stops at maxObjects with one OBJECT_LIMIT error at the first object over it', () => {
    const text = Array.from({ length: 5 }, (_, i) => obj('v1', 'Namespace', `n${i}`)).join('---\n');
    const result = parse(text, { maxObjects: 3 });
    expect(result.objects).toHaveLength(3);
    expect(result.issues).toMatchObject([{ code: 'OBJECT_LIMIT', severity: 'error', document: 3 }]);
  });

  it('lists at most MAX_REPORTED_ISSUES issues, errors first kept, and counts the rest', () => {
    const issues = [
      ...Array.from({ length: 1500 }, (_, i) => ({ severity: 'warning', n: i })),
      ...Array.from({ length: 10 }, (_, i) => ({ severity: 'error', n: 2000 + i })),
    ];
    const limited = limitIssues(issues);
    expect(limited.issues).toHaveLength(MAX_REPORTED_ISSUES);
    expect(limited.omitted).toBe(510);
    expect(limited.issues.filter((i) => i.severity === 'error')).toHaveLength(10);
    expect(limited.issues.map((i) => i.n)).toEqual([...limited.issues.map((i) => i.n)].sort((a, b) => a - b));
    expect(limitIssues(issues.slice(0, 5))).toEqual({ issues: issues.slice(0, 5), omitted: 0 });
  });
});
