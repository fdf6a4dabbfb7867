// One identity per pod, and per-pod answers that never refuse (issue: engine seams, wrong answers).
import { describe, expect, it } from 'vitest';
import { evaluate, EvaluateError, forPodLevel, loadSnapshot } from '../src/index.js';

const DENY_ALL = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny-all, namespace: ns }
spec: { podSelector: {}, policyTypes: [Ingress, Egress] }
`;
const deployment = (replicas: number) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: d1, namespace: ns }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: d1 } }
  template: { metadata: { labels: { app: d1 } }, spec: { containers: [{ name: c }] } }
`;
const load = (...docs: string[]) => loadSnapshot([{ path: 'in.yaml', text: docs.join('\n---\n') }]).snapshot;

describe('a one-pod workload to itself', () => {
  it('is the same pod (allowed, whatever the policies) for replicas: 1 and for a bare Pod', () => {
    const s = load(deployment(1), DENY_ALL);
    const asWorkload = evaluate(s, { namespace: 'ns', name: 'd1' }, { namespace: 'ns', name: 'd1' }, 80);
    expect(asWorkload.allowed).toBe(true);
    expect(asWorkload.explanation.summary).toMatch(/a pod may always reach itself/);
    const bare = load('apiVersion: v1\nkind: Pod\nmetadata: { name: p, namespace: ns }\nspec: { containers: [{ name: c }] }', DENY_ALL);
    expect(evaluate(bare, { namespace: 'ns', name: 'p' }, { namespace: 'ns', name: 'p' }, 80).allowed).toBe(true);
  });

  it('names the synthetic replica once: d1-0 → d1 is d1-0 → d1-0', () => {
    const s = load(deployment(1), DENY_ALL);
    expect(evaluate(s, { namespace: 'ns', pod: 'd1-0' }, { namespace: 'ns', name: 'd1' }, 80).allowed).toBe(true);
    expect(evaluate(s, { namespace: 'ns', pod: 'd1-0' }, { namespace: 'ns', pod: 'd1-0' }, 80).allowed).toBe(true);
  });

  it('means two distinct replicas when there are two, which the policies decide', () => {
    const s = load(deployment(2), DENY_ALL);
    expect(evaluate(s, { namespace: 'ns', name: 'd1' }, { namespace: 'ns', name: 'd1' }, 80).allowed).toBe(false);
    expect(evaluate(s, { namespace: 'ns', pod: 'd1-0' }, { namespace: 'ns', name: 'd1' }, 80).allowed).toBe(false);
  });
});

describe('pods of one owner that an enforced selector splits', () => {
  const owned = (name: string, role: string) => `
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ns
  labels: { app: db, statefulset.kubernetes.io/pod-name: ${name}, role: ${role} }
  ownerReferences: [{ apiVersion: apps/v1, kind: StatefulSet, name: db, controller: true }]
spec: { containers: [{ name: c }] }`;
  const onlyPrimary = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: primary, namespace: ns }
spec:
  podSelector: { matchLabels: { statefulset.kubernetes.io/pod-name: db-0 } }
  ingress: []
`;

  it('refuses the workload-level question, naming the pods to ask about instead', () => {
    const { snapshot, issues } = loadSnapshot([{ path: 'in.yaml', text: [owned('db-0', 'primary'), owned('db-1', 'replica'), onlyPrimary].join('\n---\n') }]);
    expect(issues.map((i) => `${i.severity} ${i.code}`)).toEqual(['error INCONSISTENT_LABELS']);
    expect(forPodLevel(issues).map((i) => i.severity)).toEqual(['warning']);
    expect(() => evaluate(snapshot, { namespace: 'ns', name: 'db' }, { namespace: 'ns', name: 'db' }, 5432)).toThrow(EvaluateError);
    try {
      evaluate(snapshot, { namespace: 'ns', name: 'db' }, { namespace: 'ns', name: 'db' }, 5432);
    } catch (e) {
      expect((e as EvaluateError).code).toBe('SPLIT_WORKLOAD');
      expect((e as EvaluateError).candidates).toEqual(['ns/db-0', 'ns/db-1']);
    }
    // Per pod: answered, each pod on its own labels.
    expect(evaluate(snapshot, { namespace: 'ns', pod: 'db-1' }, { namespace: 'ns', pod: 'db-0' }, 5432).allowed).toBe(false);
    expect(evaluate(snapshot, { namespace: 'ns', pod: 'db-0' }, { namespace: 'ns', pod: 'db-1' }, 5432).allowed).toBe(true);
  });
});

// checkLabelGaps searches only the selectors reading a label key on which the owner's pods differ (model/checks.ts):
// the selector it names must still be the first splitting one in policy order, wherever it is declared.
describe('which selector splits an owner', () => {
  const pod = (name: string, labels: string) => `
apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ns
  labels: ${labels}
  ownerReferences: [{ apiVersion: apps/v1, kind: ReplicaSet, name: web, controller: true }]
spec: { containers: [{ name: c }] }`;
  const policy = (namespace: string, name: string, from: string) => `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: ${name}, namespace: ${namespace} }
spec: { podSelector: {}, ingress: [{ from: [${from}] }] }`;
  const pods = [pod('web-a', '{ app: web, tier: front }'), pod('web-b', '{ app: web, tier: front, canary: "true" }')];
  const issuesOf = (...docs: string[]) => loadSnapshot([{ path: 'in.yaml', text: [...pods, ...docs].join('\n---\n') }]).issues;

  it('ignores selectors that read only keys the pods share', () => {
    const shared = policy('aa', 'shared', '{ namespaceSelector: {}, podSelector: { matchLabels: { app: web, tier: front } } }');
    expect(issuesOf(shared)).toEqual([]);
  });

  it('names a cross-namespace selector on a key only one pod has (DoesNotExist), before a later own-namespace one', () => {
    const cross = policy('aa', 'no-canary', "{ namespaceSelector: {}, podSelector: { matchExpressions: [{ key: canary, operator: DoesNotExist }] } }");
    const own = policy('ns', 'canary', '{ podSelector: { matchLabels: { canary: "true" } } }');
    const issues = issuesOf(own, cross);
    expect(issues.map((i) => i.code)).toEqual(['INCONSISTENT_LABELS']);
    expect(issues[0]!.message).toContain('selector `!canary` of NetworkPolicy "aa/no-canary"');
    expect(issues[0]!.path).toBe('metadata.labels');
  });

  it('names an own-namespace selector when no earlier selector splits', () => {
    const own = policy('ns', 'canary', '{ podSelector: { matchLabels: { canary: "true" } } }');
    const elsewhere = policy('zz', 'other-ns', '{ podSelector: { matchLabels: { canary: "true" } } }');
    const issues = issuesOf(elsewhere, own);
    expect(issues.map((i) => i.code)).toEqual(['INCONSISTENT_LABELS']);
    expect(issues[0]!.message).toContain('selector `canary=true` of NetworkPolicy "ns/canary"');
  });
});
