// Regression (found by the ingest fuzz, test/fuzz/ingest-fuzz.spec.ts): a null list item passed validation, since a
// null field is an absent one, and the compilers or lint rules then read a property of null (`matchExpressions:
// [null]` threw in Selector.compile, `from: [null]` and `ports: [null]` in the lint rules). A null list item is now
// WRONG_TYPE at its path, in every validator (the Checker decides it, so the dialects' validators too).
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/analyze.js';
import { lint } from '../../src/lint/index.js';
import { parseManifests } from '../../src/manifest/parse-manifests.js';
import { buildSnapshot } from '../../src/model/snapshot.js';

const BASE = `apiVersion: v1
kind: Namespace
metadata: {name: a}
---
apiVersion: v1
kind: Pod
metadata: {name: base, namespace: a, labels: {app: x}}
spec:
  containers: [{name: c, ports: [{containerPort: 80, name: http}]}]
---
`;

const networkPolicy = (spec: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np, namespace: a}\nspec:\n${spec}\n`;
const anp = (spec: string) =>
  `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: x}\nspec:\n  priority: 1\n${spec}\n`;

/** [name, the document after BASE, the path of the WRONG_TYPE issue]. The first three threw before the fix. */
const CASES: ReadonlyArray<readonly [string, string, string]> = [
  ['peer podSelector matchExpressions: [null]', networkPolicy('  podSelector: {}\n  ingress:\n  - from:\n    - podSelector:\n        matchExpressions: [null]'), 'spec.ingress[0].from[0].podSelector.matchExpressions[0]'],
  ['ingress from: [null]', networkPolicy('  podSelector: {}\n  ingress:\n  - from: [null]'), 'spec.ingress[0].from[0]'],
  ['ingress ports: [null]', networkPolicy('  podSelector: {}\n  ingress:\n  - ports: [null]'), 'spec.ingress[0].ports[0]'],
  ['spec.podSelector matchExpressions: [null]', networkPolicy('  podSelector:\n    matchExpressions: [null]'), 'spec.podSelector.matchExpressions[0]'],
  ['ingress: [null]', networkPolicy('  podSelector: {}\n  ingress: [null]'), 'spec.ingress[0]'],
  ['ipBlock except: [null]', networkPolicy('  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock: {cidr: 10.0.0.0/8, except: [null]}'), 'spec.ingress[0].from[0].ipBlock.except[0]'],
  ['policyTypes: [null]', networkPolicy('  podSelector: {}\n  policyTypes: [null]'), 'spec.policyTypes[0]'],
  ['matchExpressions values: [null]', networkPolicy('  podSelector:\n    matchExpressions: [{key: a, operator: In, values: [null]}]'), 'spec.podSelector.matchExpressions[0].values[0]'],
  ['Pod containers: [null]', 'apiVersion: v1\nkind: Pod\nmetadata: {name: q, namespace: a}\nspec:\n  containers: [null]\n', 'spec.containers[0]'],
  ['Pod ownerReferences: [null]', 'apiVersion: v1\nkind: Pod\nmetadata: {name: q, namespace: a, ownerReferences: [null]}\n', 'metadata.ownerReferences[0]'],
  ['Deployment selector matchExpressions: [null]', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d, namespace: a}\nspec:\n  selector: {matchExpressions: [null]}\n  template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c}]}}\n', 'spec.selector.matchExpressions[0]'],
  ['Service ports: [null]', 'apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: a}\nspec:\n  selector: {a: b}\n  ports: [null]\n', 'spec.ports[0]'],
  ['AdminNetworkPolicy subject matchExpressions: [null]', anp('  subject: {namespaces: {matchExpressions: [null]}}'), 'spec.subject.namespaces.matchExpressions[0]'],
  ['AdminNetworkPolicy ports: [null]', anp('  subject: {namespaces: {}}\n  ingress: [{action: Allow, from: [{namespaces: {}}], ports: [null]}]'), 'spec.ingress[0].ports[0]'],
  ['CiliumNetworkPolicy fromEndpoints: [null]', 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: c, namespace: a}\nspec:\n  endpointSelector: {}\n  ingress: [{fromEndpoints: [null]}]\n', 'spec.ingress[0].fromEndpoints[0]'],
];

describe('a null list item is WRONG_TYPE at its path, never a crash further on', () => {
  it.each(CASES)('%s', (_name, document, path) => {
    const parsed = parseManifests([{ path: 'null.yaml', text: BASE + document }]);
    const errors = parsed.issues.filter((issue) => issue.severity === 'error');
    expect(errors).toContainEqual(expect.objectContaining({ code: 'WRONG_TYPE', path, document: 2, file: 'null.yaml', line: expect.any(Number) }));
    expect(errors.find((issue) => issue.path === path)?.message).toMatch(/got null \(a list item may not be null\)$/);
  });

  it('what a careless user meant instead (the same lists without the null) builds, analyses and lints', () => {
    for (const [, document] of CASES.slice(0, 3)) {
      const fixed = document.replace(/\[null\]/g, '[]');
      const parsed = parseManifests([{ path: 'fixed.yaml', text: BASE + fixed }]);
      expect(parsed.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
      const built = buildSnapshot(parsed.objects);
      const analysis = analyze(built.snapshot);
      expect(lint({ snapshot: built.snapshot, analysis, objects: parsed.objects }, { at: '2026-01-01T00:00:00Z' }).findings.length).toBeGreaterThan(0);
    }
  });

  it('a null field stays an absent field (no issue)', () => {
    const parsed = parseManifests([{ path: 'absent.yaml', text: BASE + networkPolicy('  podSelector: {matchExpressions: null, matchLabels: null}\n  ingress: null\n  policyTypes: null') }]);
    expect(parsed.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
  });
});
