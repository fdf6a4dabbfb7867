import { describe, expect, it } from 'vitest';
import { parseManifests } from './parse-manifests.js';

const parse = (text: string, path = 'in.yaml') => parseManifests([{ path, text }]);
const codes = (text: string, path?: string) => parse(text, path).issues.map((issue) => issue.code);

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
  labels:
    app: web
spec:
  containers:
  - name: c
    ports:
    - containerPort: 8080
      name: http
`;

describe('parseManifests: documents', () => {
  it('reads every document of a multi-document YAML file with its index and line', () => {
    const text = `${POD}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n`;
    const result = parse(text);
    expect(result.issues).toEqual([]);
    expect(result.objects.map((o) => [o.object.kind, o.source.document, o.source.line, o.source.pathPrefix])).toEqual([
      ['Pod', 0, 1, ''],
      ['Namespace', 1, 15, ''],
    ]);
  });

  it('reads CRLF text with the same lines as LF text', () => {
    const crlf = `${POD}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n`.replace(/\n/g, '\r\n');
    const result = parse(crlf);
    expect(result.issues).toEqual([]);
    expect(result.objects.map((o) => o.source.line)).toEqual([1, 15]);
    expect(result.objects[0]!.object.metadata.labels).toEqual({ app: 'web' });
  });

  it('skips empty documents silently but keeps counting them', () => {
    const result = parse(`---\n# only a comment\n---\n---\n${POD}`);
    expect(result.issues).toEqual([]);
    expect(result.objects).toHaveLength(1);
    expect(result.objects[0]!.source.document).toBeGreaterThan(0);
  });

  it('skips a text with no documents at all', () => {
    expect(parse('')).toEqual({ objects: [], issues: [] });
    expect(parse('# nothing here\n')).toEqual({ objects: [], issues: [] });
  });

  it('strips a UTF-8 byte order mark', () => {
    expect(parse(`\uFEFF${POD}`).objects).toHaveLength(1);
  });

  it('skips documents that are not Kubernetes objects with a warning', () => {
    const result = parse('name: my-chart\nversion: 1.0.0\n---\n- a\n- b\n---\njust text\n');
    expect(result.objects).toEqual([]);
    expect(result.issues.map((i) => [i.code, i.severity, i.document])).toEqual([
      ['IGNORED_DOCUMENT', 'warning', 0],
      ['IGNORED_DOCUMENT', 'warning', 1],
      ['IGNORED_DOCUMENT', 'warning', 2],
    ]);
  });

  it('drops kinds that play no part with an UNKNOWN_KIND warning', () => {
    const result = parse('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: b\n');
    expect(result.objects).toEqual([]);
    expect(result.issues).toMatchObject([{ code: 'UNKNOWN_KIND', severity: 'warning', line: 1, path: '' }]);
  });

  it.each([
    ['networking.k8s.io/v1', 'NetworkPolicie', 'NetworkPolicy'],
    ['networking.k8s.io/v1', 'networkpolicy', 'NetworkPolicy'],
    ['v1', 'Namspace', 'Namespace'],
    ['apps/v1', 'Deploymnet', 'Deployment'],
    ['cilium.io/v2', 'CiliumNetworkPolcy', 'CiliumNetworkPolicy'],
    ['crd.projectcalico.org/v1', 'GlobalNetwrokPolicy', 'GlobalNetworkPolicy'],
    ['policy.networking.k8s.io/v1alpha1', 'AdminNetworkPolicie', 'AdminNetworkPolicy'],
    // Plurals (the resource name written as the kind): 3 edits from the kind, still a kind kubectl refuses.
    ['networking.k8s.io/v1', 'NetworkPolicies', 'NetworkPolicy'],
    ['networking.k8s.io/v1', 'networkpolicies', 'NetworkPolicy'],
    ['crd.projectcalico.org/v1', 'GlobalNetworkPolicies', 'GlobalNetworkPolicy'],
    ['projectcalico.org/v3', 'GlobalNetworkPolicies', 'GlobalNetworkPolicy'],
    ['cilium.io/v2', 'CiliumNetworkPolicys', 'CiliumNetworkPolicy'],
    ['cilium.io/v2', 'CiliumClusterwideNetworkPolicies', 'CiliumClusterwideNetworkPolicy'],
    ['policy.networking.k8s.io/v1alpha1', 'AdminNetworkPolicies', 'AdminNetworkPolicy'],
    ['apps/v1', 'Deployments', 'Deployment'],
    ['v1', 'Pods', 'Pod'],
  ])('rejects %s kind %s, a typo of a kind of that group, with its location and "did you mean %s"', (apiVersion, kind, meant) => {
    const text = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\napiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: p\n  namespace: a\nspec: {}\n`;
    const result = parseManifests([{ path: 'typo.yaml', text }]);
    expect(result.issues).toEqual([
      {
        code: 'UNKNOWN_KIND',
        severity: 'error',
        message: `unknown kind "${kind}" in ${apiVersion}: did you mean \`${meant}\`?`,
        file: 'typo.yaml',
        document: 1,
        path: 'kind',
        line: 7,
      },
    ]);
    expect(result.objects.map((o) => o.object.kind)).toEqual(['Namespace']);
  });

  it('locates a typo\'d kind inside a List at its item', () => {
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicie', metadata: { name: 'p' } }] });
    const result = parseManifests([{ path: 'list.json', text }]);
    expect(result.issues).toMatchObject([{ code: 'UNKNOWN_KIND', severity: 'error', document: 0, path: 'items[0].kind' }]);
  });

  it.each([
    ['example.com/v1', 'NetworkPolicie'],
    ['v1', 'ConfigMap'],
    ['v1', 'Secret'],
    ['networking.k8s.io/v1', 'Ingress'],
    ['cilium.io/v2', 'CiliumNode'],
    ['crd.projectcalico.org/v1', 'IPPool'],
    // Plurals of unknown groups' kinds and of real kinds not read stay warnings too.
    ['example.com/v1', 'NetworkPolicies'],
    ['example.com/v1', 'GlobalNetworkPolicies'],
    ['v1', 'ConfigMaps'],
    ['v1', 'Secrets'],
    ['cilium.io/v2', 'CiliumNodes'],
    ['crd.projectcalico.org/v1', 'IPPools'],
  ])('keeps %s %s (an unknown group, or a real kind not read) an UNKNOWN_KIND warning', (apiVersion, kind) => {
    const result = parse(`apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: x\n`);
    expect(result.issues).toMatchObject([{ code: 'UNKNOWN_KIND', severity: 'warning', path: '' }]);
    expect(result.issues[0]!.message).toContain('plays no part in the analysis: ignored');
  });

  it('keeps Service objects without any warning', () => {
    const result = parse('apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n');
    expect(result.issues).toEqual([]);
    expect(result.objects[0]!.object.kind).toBe('Service');
  });

  it.each([
    ['cilium.io/v2', 'CiliumNetworkPolicy'],
    ['cilium.io/v2', 'CiliumClusterwideNetworkPolicy'],
  ])('validates %s %s with its dialect (unknown spec fields are UNKNOWN_FIELD)', (apiVersion, kind) => {
    const text = (field: string) => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: p\nspec:\n  endpointSelector: {}\n${field}`;
    expect(parse(text('  ingress: [{fromEndpoints: [{}]}]\n')).objects.map((o) => o.object.kind)).toEqual([kind]);
    expect(parse(text('  ingress: [{fromEndpoint: [{}]}]\n')).issues).toMatchObject([{ code: 'UNKNOWN_FIELD', severity: 'error', path: 'spec.ingress[0].fromEndpoint' }]);
  });

  it.each([
    ['projectcalico.org/v3', 'StagedNetworkPolicy'],
    ['crd.projectcalico.org/v1', 'StagedGlobalNetworkPolicy'],
  ])('keeps %s %s in objects with a NOT_MODELLED warning', (apiVersion, kind) => {
    const result = parse(`apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: p\nspec:\n  anything: [1, 2]\n`);
    expect(result.objects.map((o) => o.object.kind)).toEqual([kind]);
    expect(result.issues).toMatchObject([{ code: 'NOT_MODELLED', severity: 'warning' }]);
  });

  it('does not read a Calico NetworkPolicy as a Kubernetes one (Calico validates it: podSelector is not its field)', () => {
    const result = parse('apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata:\n  name: p\nspec:\n  podSelector: 3\n');
    expect(result.issues.map((i) => `${i.code} ${i.path}`)).toEqual(['UNKNOWN_FIELD spec.podSelector']);
  });

  it('ignores a NetworkPolicy of another API version with a warning', () => {
    const result = parse('apiVersion: extensions/v1beta1\nkind: NetworkPolicy\nmetadata:\n  name: p\n');
    expect(result.objects).toEqual([]);
    expect(result.issues).toMatchObject([{ code: 'UNKNOWN_KIND', severity: 'warning' }]);
    expect(result.issues[0]!.message).toContain('networking.k8s.io/v1');
  });

  it('requires kind when apiVersion is given', () => {
    expect(parse('apiVersion: v1\nmetadata:\n  name: x\n').issues).toMatchObject([
      { code: 'MISSING_FIELD', severity: 'error', path: 'kind' },
    ]);
  });

  it('requires metadata.name on kept kinds', () => {
    expect(parse('apiVersion: v1\nkind: Pod\nmetadata:\n  namespace: a\n').issues).toMatchObject([
      { code: 'MISSING_FIELD', severity: 'error', path: 'metadata.name', line: 3 },
    ]);
  });

  it('rejects a kind that is not a string', () => {
    expect(parse('apiVersion: v1\nkind: 3\nmetadata:\n  name: x\n').issues).toMatchObject([
      { code: 'WRONG_TYPE', path: 'kind', line: 2 },
    ]);
  });
});

describe('parseManifests: lists', () => {
  it('flattens kind: List, locating each item with its items[i] prefix and line', () => {
    const text = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: a\n- apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: b\n`;
    const result = parse(text);
    expect(result.issues).toEqual([]);
    expect(result.objects.map((o) => [o.object.metadata.name, o.source.pathPrefix, o.source.line])).toEqual([
      ['a', 'items[0]', 4],
      ['b', 'items[1]', 8],
    ]);
  });

  it('gives items without kind and apiVersion those of their XxxList', () => {
    const text = 'kind: NamespaceList\napiVersion: v1\nitems:\n- metadata:\n    name: default\n';
    const [only] = parse(text).objects;
    expect(only!.object.kind).toBe('Namespace');
    expect(only!.object.apiVersion).toBe('v1');
  });

  it('warns about an item of a plain List that has no kind', () => {
    const result = parse('apiVersion: v1\nkind: List\nitems:\n- metadata:\n    name: x\n');
    expect(result.objects).toEqual([]);
    expect(result.issues).toMatchObject([{ code: 'IGNORED_DOCUMENT', path: 'items[0]', line: 4 }]);
  });

  it('prefixes the paths of issues inside list items', () => {
    const text = 'apiVersion: v1\nkind: PodList\nitems:\n- metadata:\n    name: ok\n- metadata:\n    name: bad\n  spec:\n    hostNetwork: 7\n';
    const result = parse(text);
    expect(result.objects.map((o) => o.object.metadata.name)).toEqual(['ok']);
    expect(result.issues).toMatchObject([{ code: 'WRONG_TYPE', path: 'items[1].spec.hostNetwork', line: 9 }]);
  });

  it('rejects items that are not a list', () => {
    expect(parse('apiVersion: v1\nkind: List\nitems: 4\n').issues).toMatchObject([{ code: 'WRONG_TYPE', path: 'items', line: 3 }]);
  });

  it('reads `kubectl get -o json` output, locating items by line', () => {
    const body = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'n' } },
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b', namespace: 'n' }, spec: { hostNetwork: 'no' } },
      ],
    };
    const text = JSON.stringify(body, null, 2);
    const result = parse(text, 'pods.json');
    expect(result.objects.map((o) => [o.object.metadata.name, o.source.pathPrefix, o.source.line])).toEqual([['a', 'items[0]', 5]]);
    // JSON has no YAML 1.1 ambiguity: "no" is simply a string where a boolean belongs.
    expect(result.issues).toMatchObject([{ code: 'WRONG_TYPE', path: 'items[1].spec.hostNetwork', line: 21 }]);
    expect(text.split('\n')[20]).toContain('"hostNetwork"');
  });

  it('locates issues inside a single JSON object by line', () => {
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', labels: { 'app.kubernetes.io/name': true } } }, null, 2);
    expect(parse(text, 'pod.json').issues).toMatchObject([{ code: 'WRONG_TYPE', path: 'metadata.labels[app.kubernetes.io/name]', line: 7 }]);
  });

  it('locates JSON list items even when some items are not objects', () => {
    const text = '{"apiVersion": "v1", "kind": "List", "items": [\n  "stray",\n  [1],\n  {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a"}}\n]}';
    const result = parse(text, 'l.json');
    expect(result.issues.map((i) => [i.code, i.path, i.line])).toEqual([
      ['IGNORED_DOCUMENT', 'items[0]', 2],
      ['IGNORED_DOCUMENT', 'items[1]', 3],
    ]);
    expect(result.objects.map((o) => [o.source.pathPrefix, o.source.line])).toEqual([['items[2]', 4]]);
  });

  it('reads JSON from a file whose name does not say so', () => {
    expect(parse('{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"x"}}', 'stdin').objects).toHaveLength(1);
  });

  it('reads YAML flow style that is not JSON', () => {
    expect(parse('{apiVersion: v1, kind: Namespace, metadata: {name: x}}', 'ns.yaml').objects).toHaveLength(1);
  });

  it('keeps objects in input order across files', () => {
    const result = parseManifests([
      { path: 'b.yaml', text: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n' },
      { path: 'a.json', text: '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a"}}' },
    ]);
    expect(result.objects.map((o) => [o.source.file, o.object.metadata.name])).toEqual([
      ['b.yaml', 'b'],
      ['a.json', 'a'],
    ]);
  });

  it('reports issues of a document on its own file and document index', () => {
    const issues = parse(`${POD}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: 5\n`).issues;
    expect(issues).toMatchObject([{ code: 'WRONG_TYPE', file: 'in.yaml', document: 1, path: 'metadata.name', line: 18 }]);
  });

  it('accepts a valid Namespace without any issue', () => {
    expect(codes('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ok\n')).toEqual([]);
  });
});
