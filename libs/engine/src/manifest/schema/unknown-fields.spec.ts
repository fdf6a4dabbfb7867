import { describe, expect, it } from 'vitest';
import { parseManifests } from '../parse-manifests.js';
import { closed, closestField, leaves } from './field-schema.js';
import { kindSchema, registerKindSchema } from './registry.js';

const parse = (text: string) => parseManifests([{ path: 'in.yaml', text }]);
const policy = (spec: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n  namespace: a\nspec:\n${spec}`;

describe('unknown fields (strict field validation)', () => {
  it.each([
    ['  podSelector:\n    matchLabel:\n      app: x\n', 'spec.podSelector.matchLabel', 'matchLabels', 8],
    ['  podSelector: {}\n  policyTyes: [Ingress]\n', 'spec.policyTyes', 'policyTypes', 8],
    ['  podSelector: {}\n  ingres:\n  - {}\n', 'spec.ingres', 'ingress', 8],
    ['  podSelector: {}\n  ingress:\n  - form:\n    - podSelector: {}\n', 'spec.ingress[0].form', 'from', 9],
    ['  podSelector: {}\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 10.0.0.0/8\n        excepts: [10.1.0.0/16]\n', 'spec.egress[0].to[0].ipBlock.excepts', 'except', 12],
    ['  podSelector: {}\n  ingress:\n  - ports:\n    - port: 80\n      endport: 90\n', 'spec.ingress[0].ports[0].endport', 'endPort', 11],
    ['  podSelector:\n    matchExpressions:\n    - key: a\n      operator: Exists\n      value: [x]\n', 'spec.podSelector.matchExpressions[0].value', 'values', 11],
  ])('refuses a NetworkPolicy with %j: UNKNOWN_FIELD at its path, with a suggestion', (spec, path, suggestion, line) => {
    const result = parse(policy(spec));
    expect(result.objects).toEqual([]);
    expect(result.issues).toMatchObject([{ code: 'UNKNOWN_FIELD', severity: 'error', path, line }]);
    expect(result.issues[0]!.message).toContain(`did you mean \`${suggestion}\`?`);
  });

  it('refuses keys named like Object.prototype members (looked up as own fields only)', () => {
    const result = parse(policy('  podSelector: {}\n  constructor: 1\n  hasOwnProperty: 2\n'));
    expect(result.issues.map((i) => [i.code, i.path])).toEqual([
      ['UNKNOWN_FIELD', 'spec.constructor'],
      ['UNKNOWN_FIELD', 'spec.hasOwnProperty'],
    ]);
  });

  it('gives no suggestion when no known field is close', () => {
    const result = parse(policy('  podSelector: {}\n  frobnicate: true\n'));
    expect(result.issues).toMatchObject([{ code: 'UNKNOWN_FIELD', path: 'spec.frobnicate' }]);
    expect(result.issues[0]!.message).toBe('unknown field "frobnicate"');
  });

  it('refuses unknown fields along the parts analysis reads of the other kinds', () => {
    const text = [
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  lables: {app: x}\nspec:\n  template:\n    metadata:\n      lables: {app: x}\n    spec:\n      hostNetwrok: true\n      containers:\n      - name: c\n        prots: []\n',
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nstatus:\n  podIp: 10.0.0.1\n',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  selectr: {app: x}\n  ports:\n  - port: 80\n    targetport: 8080\n',
      'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: c\nspec:\n  jobTemplate:\n    spec:\n      paralelism: 2\n',
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n  label: {a: b}\n',
    ].join('---\n');
    const issues = parse(text).issues.filter((i) => i.code === 'UNKNOWN_FIELD');
    expect(issues.map((i) => [i.document, i.path, i.message.replace(/.*did you mean /, '')])).toEqual([
      [0, 'metadata.lables', '`labels`?'],
      [0, 'spec.template.metadata.lables', '`labels`?'],
      [0, 'spec.template.spec.hostNetwrok', '`hostNetwork`?'],
      [0, 'spec.template.spec.containers[0].prots', '`ports`?'],
      [1, 'status.podIp', '`podIP`?'],
      [2, 'spec.selectr', '`selector`?'],
      [2, 'spec.ports[0].targetport', '`targetPort`?'],
      [3, 'spec.jobTemplate.spec.paralelism', '`parallelism`?'],
      [4, 'metadata.label', '`labels`?'],
    ]);
    expect(issues.every((i) => i.severity === 'error')).toBe(true);
  });

  it('accepts unknown fields in parts analysis never reads', () => {
    const text = [
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  strategy:\n    whatever: 1\n  template:\n    spec:\n      volumes:\n      - name: v\n        madeUp: {x: 1}\n      containers:\n      - name: c\n        resources: {anything: 1}\n',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: e\nstatus:\n  somethingNew: 1\n',
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns1\nspec:\n  anything: 1\n',
    ].join('---\n');
    expect(parse(text).issues).toEqual([]);
  });

  it('leaves policy kinds of dialects not modelled lenient (NOT_MODELLED only)', () => {
    // Calico's staged policies are kept (what-if) but not modelled yet.
    const text = 'apiVersion: projectcalico.org/v3\nkind: StagedNetworkPolicy\nmetadata:\n  name: p\n  namespace: a\nspec:\n  selector: all()\n  madeUp: 1\n';
    expect(parse(text).issues).toMatchObject([{ code: 'NOT_MODELLED', severity: 'warning' }]);
  });

  it('checks the fields of modelled dialects (Calico) strictly', () => {
    const text =
      'apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata:\n  name: p\n  namespace: a\nspec:\n  selector: app == "x"\n  types: [Ingress]\n  madeUp: 1\n';
    expect(parse(text).issues).toMatchObject([{ code: 'UNKNOWN_FIELD', severity: 'error', path: 'spec.madeUp' }]);
  });

  it('warns (np-guard compatibility) on an unknown field of a container port', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    ports:\n    - containerport: 80\n';
    const issues = parse(text).issues;
    expect(issues.find((i) => i.code === 'UNKNOWN_FIELD')).toMatchObject({ severity: 'warning', path: 'spec.containers[0].ports[0].containerport' });
    expect(issues.every((i) => i.severity === 'warning')).toBe(true);
  });

  it('takes the schemas of a dialect registered by API group + kind', () => {
    expect(kindSchema('example.io/v1', 'Widget')).toBeUndefined();
    registerKindSchema('example.io', 'Widget', closed(leaves('apiVersion', 'kind', 'metadata', 'spec')));
    expect(kindSchema('example.io/v2', 'Widget')).toBeDefined();
    expect(kindSchema('example.io/v1', 'Widget')).toBeDefined(); // the lookup before registering is not remembered
    expect(kindSchema('networking.k8s.io/v1', 'NetworkPolicy')).toBe(kindSchema('networking.k8s.io/v2', 'NetworkPolicy'));
    expect(kindSchema('projectcalico.org/v3', 'NetworkPolicy')).toBeUndefined();
  });

  it.each([
    ['matchLabel', 'matchLabels'],
    ['MATCHLABELS', 'matchLabels'],
    ['matchLabesl', 'matchLabels'],
    ['podselector', 'podSelector'],
    ['xyz', undefined],
    ['to', undefined],
  ])('suggests for %s: %s', (key, expected) => {
    expect(closestField(key, ['matchLabels', 'matchExpressions', 'podSelector', 'from'])).toBe(expected);
  });
});
