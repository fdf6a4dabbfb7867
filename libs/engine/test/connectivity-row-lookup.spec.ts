// `Analysis.classRow` (issue 13, output phase): a source class's row looked up in one call, its egress membership
// masks gathered set by set (through a sparse set's members, or `has` on a dense one), must give exactly
// `classToClass` / `classToAtom` for every destination entity. The random property clusters are small (their peer
// sets are bitsets); this one has 150 classes, so most peer sets are sparse and both paths run. Fixed seed.
import { describe, expect, it } from 'vitest';
import type { ConnectionSet } from '../src/algebra/connection-set.js';
import { analyze } from '../src/analysis/analyze.js';
import { iterateConnectivity, pairConnections, clusterPeers, atomPeers } from '../src/analysis/connectivity.js';
import type { Analysis } from '../src/analysis/types.js';
import { buildSnapshot } from '../src/model/snapshot.js';
import { parseManifests } from '../src/manifest/parse-manifests.js';
import { namespace, pod, policy, snapshotOf } from './builders.js';

const PODS = 150;

/** Deterministic pseudo-random integers below `n` (a fixed LCG). */
function random(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
}

function cluster(seed: number): Analysis {
  const next = random(seed);
  const objects = [namespace('shop', { team: 'shop' }), namespace('ops', { team: 'ops' })];
  for (let i = 0; i < PODS; i++) {
    const ns = i % 5 === 0 ? 'ops' : 'shop';
    objects.push(pod(ns, `p${i}`, { labels: { app: `a${i}`, group: `g${i % 7}` }, ports: [{ name: 'http', containerPort: 8000 + (i % 3) }] }));
  }
  const cidrs = ['10.0.0.0/8', '10.1.0.0/16', '192.168.0.0/16', '0.0.0.0/0', '172.16.0.0/12', '10.1.2.0/24'];
  for (let i = 0; i < PODS; i++) {
    if (next(4) === 0) continue;
    const ns = i % 5 === 0 ? 'ops' : 'shop';
    const egress: Record<string, unknown>[] = [];
    for (let r = 0, rules = 1 + next(4); r < rules; r++) {
      const kind = next(5);
      const to =
        kind === 0
          ? [{ podSelector: { matchLabels: { group: `g${next(7)}` } } }]
          : kind === 1
            ? [{ ipBlock: { cidr: cidrs[next(cidrs.length)], ...(next(2) === 0 ? { except: ['10.1.2.0/24'] } : {}) } }]
            : kind === 2
              ? [{ namespaceSelector: { matchLabels: { team: 'ops' } }, podSelector: { matchLabels: { app: `a${next(PODS)}` } } }]
              : Array.from({ length: 1 + next(3) }, () => ({ podSelector: { matchLabels: { app: `a${next(PODS)}` } } }));
      egress.push({ to, ...(next(3) === 0 ? {} : { ports: [{ protocol: 'TCP', port: next(2) === 0 ? 'http' : 80 + next(3) }] }) });
    }
    const ingress = next(2) === 0 ? [{ from: [{ podSelector: { matchLabels: { app: `a${next(PODS)}` } } }, { ipBlock: { cidr: cidrs[next(cidrs.length)] } }] }] : [];
    objects.push(
      policy(ns, `np${i}`, {
        podSelector: { matchLabels: { app: `a${i}` } },
        policyTypes: ingress.length > 0 ? ['Egress', 'Ingress'] : ['Egress'],
        egress,
        ...(ingress.length > 0 ? { ingress } : {}),
      }),
    );
  }
  return analyze(snapshotOf(objects));
}

describe('Analysis.classRow', () => {
  for (const seed of [1, 2, 3]) {
    it(`equals classToClass / classToAtom for every class and destination entity (seed ${seed})`, () => {
      const analysis = cluster(seed);
      const classCount = analysis.classes.length;
      expect(classCount).toBeGreaterThan(100);
      // Sparse peer sets (and dense ones) do occur.
      expect(analysis.peerSets.some((s) => s.sparseMembers !== undefined && s.size > 0)).toBe(true);
      const entityCount = classCount + analysis.dstAtoms.length;
      const all = Int32Array.from({ length: entityCount }, (_, e) => e);
      const rows = [all, all.filter((e) => e % 3 === 0), all.filter((e) => e % 7 === 2), all.filter((e) => e >= classCount - 5)];
      let nonEmpty = 0;
      for (let src = 0; src < classCount; src++) {
        for (const entities of rows) {
          const out: ConnectionSet[] = [];
          analysis.classRow!(src, entities, entities.length, out);
          const expected = Array.from(entities, (e) => (e < classCount ? analysis.classToClass(src, e) : analysis.classToAtom(src, e - classCount)));
          expect(out.slice(0, entities.length).map((c) => c.key)).toEqual(expected.map((c) => c.key));
          nonEmpty += expected.filter((c) => !c.isEmpty).length;
        }
      }
      expect(nonEmpty).toBeGreaterThan(0);
    });
  }

  it('Calico host endpoints cut the row as they cut the pair lookups (forwarded traffic to db denied)', () => {
    // No pod policy: only the host endpoints' applyOnForward policy denies anything (cf. host-endpoints.spec.ts).
    const node = (name: string, ip: string) => `apiVersion: v1\nkind: Node\nmetadata: {name: ${name}}\nstatus: {addresses: [{type: InternalIP, address: ${ip}}]}\n`;
    const hostPod = (name: string, app: string, ip: string, nodeName: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: a, labels: {app: ${app}}}\nspec: {nodeName: ${nodeName}, containers: [{name: c, ports: [{containerPort: 8080}]}]}\nstatus: {podIP: ${ip}}\n`;
    const hep = (name: string, nodeName: string) =>
      `apiVersion: projectcalico.org/v3\nkind: HostEndpoint\nmetadata: {name: ${name}, labels: {role: fw}}\nspec: {node: ${nodeName}, interfaceName: "*"}\n`;
    const deny =
      `apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: fwd}\nspec:\n  selector: role == 'fw'\n  applyOnForward: true\n  types: [Ingress, Egress]\n` +
      `  ingress:\n  - action: Deny\n    destination: {selector: app == 'db'}\n  - action: Allow\n  egress:\n  - action: Deny\n    destination: {selector: app == 'db'}\n  - action: Allow\n`;
    const docs = [
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n`,
      node('n1', '172.18.0.1'),
      node('n2', '172.18.0.2'),
      hostPod('web1', 'web', '10.0.1.1', 'n1'),
      hostPod('db1', 'db', '10.0.1.2', 'n1'),
      hostPod('web2', 'web', '10.0.2.1', 'n2'),
      hostPod('db2', 'db', '10.0.2.2', 'n2'),
      hep('h1', 'n1'),
      hep('h2', 'n2'),
      deny,
    ];
    const analysis = analyze(buildSnapshot(parseManifests([{ path: 'in.yaml', text: docs.join('---\n') }]).objects).snapshot);
    const classCount = analysis.classes.length;
    const all = Int32Array.from({ length: classCount + analysis.dstAtoms.length }, (_, e) => e);
    let cut = 0;
    for (let src = 0; src < classCount; src++) {
      const out: ConnectionSet[] = [];
      analysis.classRow!(src, all, all.length, out);
      const expected = Array.from(all, (e) => (e < classCount ? analysis.classToClass(src, e) : analysis.classToAtom(src, e - classCount)));
      expect(out.map((c) => c.key)).toEqual(expected.map((c) => c.key));
      cut += expected.filter((c) => c.isEmpty).length;
    }
    // The host endpoints do cut some pair (else this case would not test the cut).
    expect(cut).toBeGreaterThan(0);
  });

  it('the listing (which looks rows up through classRow) equals the exhaustive pair loop', () => {
    const analysis = cluster(4);
    const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    const peers = clusterPeers(analysis);
    const expected: string[] = [];
    for (const src of [...peers, ...atomPeers(analysis.srcAtoms)].sort(byName)) {
      for (const dst of [...peers, ...atomPeers(analysis.dstAtoms)].sort(byName)) {
        if (src === dst || (src.type === 'ip' && dst.type === 'ip')) continue;
        const conn = pairConnections(analysis, src, dst);
        if (conn && !conn.isEmpty) expected.push(`${src.name} => ${dst.name} : ${conn.key}`);
      }
    }
    const rows = [...iterateConnectivity(analysis)].map((r) => `${r.src.name} => ${r.dst.name} : ${r.conn.key}`);
    expect(rows.length).toBeGreaterThan(PODS);
    expect(rows).toEqual(expected);
  });
});
