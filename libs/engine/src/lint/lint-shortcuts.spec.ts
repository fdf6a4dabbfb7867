// The lint rules' shortcuts (a "selects nothing" check stops at the first match; dead-allow-rule checks each
// (source class, destination class and ports) combination once) must find exactly what the plain pair-by-pair
// reading finds: seeded random clusters, each rule's findings against a naive re-statement of the rule.
import { describe, expect, it } from 'vitest';
import { Random } from '../../bench/random.js';
import { analyze } from '../analysis/analyze.js';
import { namedPortMap } from '../algebra/rule-ports.js';
import { parseManifests } from '../manifest/parse-manifests.js';
import { buildSnapshot } from '../model/snapshot.js';
import type { PolicyModel, RuleModel } from '../model/types.js';
import { lint } from './lint.js';
import { workloadsMatching, workloadToWorkload } from './query.js';

/** Integers in [0, n) from the seeded generator the bench clusters use (mulberry32): deterministic cases. */
function random(seed: number): (n: number) => number {
  const generator = new Random(seed);
  return (n) => Math.floor(generator.next() * n);
}

/** 2 namespaces, up to 8 deployments (1 or 2 replicas, a few named ports), up to 6 policies with pod peers. */
function cluster(seed: number): string {
  const next = random(seed);
  const docs: string[] = [];
  for (const ns of ['a', 'b']) docs.push(`apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}, labels: {team: ${ns}}}\n`);
  const apps = ['web', 'api', 'db'];
  const count = 1 + next(8);
  for (let i = 0; i < count; i++) {
    const ports = Array.from({ length: next(3) }, (_, k) => `{name: ${['http', 'dns', 'metrics'][next(3)]}, containerPort: ${8080 + k}, protocol: ${next(4) === 0 ? 'UDP' : 'TCP'}}`);
    docs.push(
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d${i}, namespace: ${['a', 'b'][next(2)]}}\nspec:\n  replicas: ${1 + next(2)}\n  selector: {matchLabels: {app: ${apps[next(3)]}, id: "d${i}"}}\n  template:\n    metadata: {labels: {app: ${apps[next(3)]}, id: "d${i}"}}\n    spec: {containers: [{name: c, image: x, ports: [${ports.join(', ')}]}]}\n`,
    );
  }
  const selector = () => (next(4) === 0 ? '{}' : `{matchLabels: {app: ${[...apps, 'none'][next(4)]}}}`);
  const peer = () => (next(3) === 0 ? `{namespaceSelector: {matchLabels: {team: ${['a', 'b', 'x'][next(3)]}}}, podSelector: ${selector()}}` : `{podSelector: ${selector()}}`);
  const port = () => (next(2) === 0 ? `{port: ${['http', 'dns', 'metrics'][next(3)]}, protocol: ${next(4) === 0 ? 'UDP' : 'TCP'}}` : `{port: ${8080 + next(3)}}`);
  const rules = (field: string) => Array.from({ length: next(3) }, () => `{${field}: [${Array.from({ length: 1 + next(2) }, peer).join(', ')}], ports: [${port()}]}`).join(', ');
  for (let i = 0; i < next(7); i++) {
    docs.push(
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p${i}, namespace: ${['a', 'b'][next(2)]}}\nspec:\n  podSelector: ${selector()}\n  policyTypes: [Ingress, Egress]\n  ingress: [${rules('from')}]\n  egress: [${rules('to')}]\n`,
    );
  }
  return docs.join('---\n');
}

const rulesOf = (policy: PolicyModel): RuleModel[] => [...policy.ingress.rules, ...policy.egress.rules];

describe('lint shortcuts agree with the pair-by-pair reading', () => {
  it('policy-selects-nothing, peer-selects-nothing and dead-allow-rule on 150 seeded clusters', () => {
    let deadSeen = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const parsed = parseManifests([{ path: 'c.yaml', text: cluster(seed) }]);
      expect(parsed.issues.filter((i) => i.severity === 'error'), `seed ${seed}`).toEqual([]);
      const { snapshot } = buildSnapshot(parsed.objects);
      const analysis = analyze(snapshot);
      const found = (rule: string) =>
        lint({ snapshot, analysis, objects: parsed.objects }, { rules: [rule] }).findings.map((f) => `${f.object.name} ${f.path}`).sort();
      const selected = (p: PolicyModel) => workloadsMatching(snapshot, null, p.podSelector, p.namespace);
      const peersOf = (p: PolicyModel, r: RuleModel) => [
        ...new Set((r.peers ?? []).flatMap((peer) => (peer.kind === 'pods' ? workloadsMatching(snapshot, peer.namespaceSelector, peer.podSelector, p.namespace) : []))),
      ];
      const expected = { nothing: [] as string[], peers: [] as string[], dead: [] as string[] };
      for (const p of snapshot.policies) {
        if (selected(p).length === 0) {
          expected.nothing.push(`${p.name} spec.podSelector`);
          continue;
        }
        for (const r of rulesOf(p)) {
          (r.peers ?? []).forEach((peer, index) => {
            if (peer.kind === 'pods' && workloadsMatching(snapshot, peer.namespaceSelector, peer.podSelector, p.namespace).length === 0) {
              expected.peers.push(`${p.name} ${r.path}.${r.direction === 'ingress' ? 'from' : 'to'}[${index}]`);
            }
          });
          const peers = peersOf(p, r);
          if (r.peers === null || peers.length === 0) continue;
          let live = false;
          for (const s of selected(p)) {
            for (const q of peers) {
              const [src, dst] = r.direction === 'egress' ? [s, q] : [q, s];
              if (src === dst && src.replicas < 2) continue;
              if (!workloadToWorkload(analysis, src, dst).intersect(r.allowed.resolve(namedPortMap(dst.ports))).isEmpty) live = true;
            }
          }
          if (!live) expected.dead.push(`${p.name} ${r.path}`);
        }
      }
      deadSeen += expected.dead.length;
      expect(found('policy-selects-nothing'), `seed ${seed}`).toEqual(expected.nothing.sort());
      expect(found('peer-selects-nothing'), `seed ${seed}`).toEqual(expected.peers.sort());
      expect(found('dead-allow-rule'), `seed ${seed}`).toEqual(expected.dead.sort());
    }
    // The cases exercise the rule both ways.
    expect(deadSeen).toBeGreaterThan(20);
  });
});
