// The validators' path-free fast checks (taken for JSON, where no YAML 1.1 look-alike can be in play) must report
// exactly what the full checks report: the same JSON read with the fast checks off (a document that does not claim
// `yaml11Free`) must give the same issues and objects, for valid and invalid fields alike.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readJson } from './json-reader.js';
import { resolveLimits } from './limits.js';
import { CollectState, collectValue } from './parse-manifests.js';
import type { RawDocument } from './raw-document.js';
import type { Issue, ParsedObject } from './types.js';

function collect(text: string, fastChecks: boolean): { objects: ParsedObject[]; issues: Issue[] } {
  const read = readJson('fast-path.json', text, resolveLimits(undefined));
  const issues: Issue[] = [...read.issues];
  const objects: ParsedObject[] = [];
  for (const read_ of read.documents) {
    const document: RawDocument = fastChecks
      ? read_
      : {
          file: read_.file,
          index: read_.index,
          value: read_.value,
          lineAt: (path) => read_.lineAt(path),
          isYaml11Value: () => false,
          isYaml11Key: () => false,
          yaml11Free: false,
          charactersScreened: read_.charactersScreened,
        };
    collectValue(document, document.value, [], {}, objects, issues, new CollectState(1000));
  }
  return { objects, issues };
}

const oneOf = <T>(...values: T[]) => fc.constantFrom(...values);
const absent = undefined;
const labelKey = oneOf('app', 'app.kubernetes.io/name', 'bad key', '/x', 'a/b/c', '-x', 'x'.repeat(64), 'constructor');
const labelText = oneOf<unknown>('web', '', 'bad value', 'x'.repeat(64), 7, true, null);
const labels = fc.option(fc.oneof(fc.dictionary(labelKey, labelText, { maxKeys: 3 }), oneOf<unknown>('app', [], 3)), { nil: absent });
const portValue = oneOf<unknown>(absent, null, 0, 1, 80, 65535, 65536, -1, 8.5, '80', 'http', 'HTTP', 'a--b', '-x', 'x'.repeat(16), '123', true);
const protocol = oneOf<unknown>(absent, null, 'TCP', 'UDP', 'SCTP', 'tcp', 'ICMP', 6);
const name = oneOf<unknown>(absent, null, 'web', 'http', 'Bad', 'x'.repeat(16), 3, false);

const containerPort = fc.option(
  fc.oneof(fc.record({ containerPort: portValue, hostPort: portValue, name, protocol }, { requiredKeys: [] }), oneOf<unknown>(null, 'p', [])),
  { nil: absent },
);
const container = fc.oneof(
  fc.record({ name, ports: fc.option(fc.oneof(fc.array(containerPort, { maxLength: 3 }), oneOf<unknown>('p', {})), { nil: absent }) }, { requiredKeys: [] }),
  oneOf<unknown>(null, 'c', []),
);
const requirement = fc.oneof(
  fc.record(
    {
      key: oneOf<unknown>(absent, null, 'app', 'bad key', 5),
      operator: oneOf<unknown>(absent, null, 'In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 1),
      values: fc.option(fc.oneof(fc.array(labelText, { maxLength: 2 }), oneOf<unknown>('v', {})), { nil: absent }),
    },
    { requiredKeys: [] },
  ),
  oneOf<unknown>(null, 'r'),
);
const selector = fc.option(
  fc.oneof(
    fc.record({ matchLabels: labels, matchExpressions: fc.option(fc.oneof(fc.array(requirement, { maxLength: 2 }), oneOf<unknown>('e', {})), { nil: absent }) }, { requiredKeys: [] }),
    oneOf<unknown>(null, 'sel', []),
  ),
  { nil: absent },
);
const ownerReference = fc.oneof(
  fc.record(
    {
      apiVersion: oneOf<unknown>(absent, null, 'apps/v1', 1),
      kind: oneOf<unknown>(absent, null, 'ReplicaSet', true),
      name: oneOf<unknown>(absent, null, 'web-1', 2),
      uid: oneOf<unknown>(absent, null, 'u-1', 3),
      controller: oneOf<unknown>(absent, null, true, false, 'true', 1),
    },
    { requiredKeys: [] },
  ),
  oneOf<unknown>(null, 'owner'),
);
const metadata = fc.record({
  name: oneOf<unknown>('web', 'web-1'),
  namespace: oneOf<unknown>('shop'),
  labels,
  ownerReferences: fc.option(fc.oneof(fc.array(ownerReference, { maxLength: 2 }), oneOf<unknown>('o')), { nil: absent }),
});
const policyPort = fc.oneof(fc.record({ protocol, port: portValue, endPort: portValue }, { requiredKeys: [] }), oneOf<unknown>(null, 'p'));

const pod = fc.record({
  apiVersion: fc.constant('v1'),
  kind: fc.constant('Pod'),
  metadata,
  spec: fc.record({ containers: fc.array(container, { maxLength: 2 }), initContainers: fc.option(fc.array(container, { maxLength: 1 }), { nil: absent }) }, { requiredKeys: [] }),
});
const deployment = fc.record({
  apiVersion: fc.constant('apps/v1'),
  kind: fc.constant('Deployment'),
  metadata,
  spec: fc.record({ selector, template: fc.record({ metadata: fc.record({ labels }, { requiredKeys: [] }), spec: fc.record({ containers: fc.array(container, { maxLength: 2 }) }) }, { requiredKeys: [] }) }, { requiredKeys: [] }),
});
const peer = fc.oneof(fc.record({ podSelector: selector, namespaceSelector: selector }, { requiredKeys: [] }), oneOf<unknown>(null, 'peer'));
const rule = (peers: 'from' | 'to') =>
  fc.oneof(
    fc.record({ ports: fc.option(fc.oneof(fc.array(policyPort, { maxLength: 3 }), oneOf<unknown>('ports')), { nil: absent }), [peers]: fc.option(fc.array(peer, { maxLength: 2 }), { nil: absent }) }, { requiredKeys: [] }),
    oneOf<unknown>(null, 'rule'),
  );
const policy = fc.record({
  apiVersion: fc.constant('networking.k8s.io/v1'),
  kind: fc.constant('NetworkPolicy'),
  metadata,
  spec: fc.record({ podSelector: selector, ingress: fc.option(fc.array(rule('from'), { maxLength: 2 }), { nil: absent }), egress: fc.option(fc.array(rule('to'), { maxLength: 2 }), { nil: absent }) }, { requiredKeys: [] }),
});

describe('validation fast checks (JSON)', () => {
  it('report exactly what the full checks report, valid or not', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(pod, deployment, policy), { minLength: 1, maxLength: 4 }), fc.boolean(), (items, pretty) => {
        const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, pretty ? 2 : undefined);
        const fast = collect(text, true);
        const full = collect(text, false);
        expect(fast.issues).toEqual(full.issues);
        expect(fast.objects).toEqual(full.objects);
      }),
      { numRuns: 400, seed: 13 },
    );
  });

  it('takes the fast checks on clean objects and still reports a bad one with its location', () => {
    const items = [
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a', namespace: 'shop', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, name: 'http', protocol: 'TCP' }] }] } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b', namespace: 'shop', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, name: 'http', protocol: 'tcp' }] }] } },
    ];
    const { issues, objects } = collect(JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2), true);
    expect(objects.map((o) => o.object.metadata.name)).toEqual(['a']);
    expect(issues.map(({ code, path, line }) => ({ code, path, line }))).toEqual([{ code: 'INVALID_VALUE', path: 'items[1].spec.containers[0].ports[0].protocol', line: 48 }]);
  });
});
