// Issue 13: incremental re-analysis of one edited / added / removed policy (analysis/incremental.ts, with the
// snapshot patched by model/patch-policies.ts) answers exactly as a full build + analyze of the edited objects:
// every connectivity row (workload and pod granularity), and the what-if diff. Property test on random clusters
// with a random single-policy edit, and edge cases that must take (or must fall back from) the incremental path.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analysis/analyze.js';
import { loadAnalysis, serializeAnalysis } from '../src/analysis/serialize.js';
import { connectivity } from '../src/analysis/connectivity.js';
import { reanalyze, type Reanalysis } from '../src/analysis/incremental.js';
import type { Analysis } from '../src/analysis/types.js';
import { analyzeEdited, whatIf, type WhatIfChanges } from '../src/diff/api.js';
import { formatDiff } from '../src/diff/format.js';
import { parseManifests } from '../src/manifest/parse-manifests.js';
import type { ParsedObject } from '../src/manifest/types.js';
import { buildSnapshot } from '../src/model/snapshot.js';
import { connString } from '../src/output/conn-string.js';
import { clusterArb, type GeneratedCluster } from './property/cluster-arbitrary.js';

type Obj = Record<string, unknown> & { kind: string; metadata: Record<string, unknown> };

const SEED = Number(process.env.INCREMENTAL_SEED ?? 20261206);
const NUM_RUNS = Number(process.env.INCREMENTAL_RUNS ?? 250);
const POLICY_KINDS = new Set(['NetworkPolicy', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy']);

function objectsOf(documents: GeneratedCluster['documents']): ParsedObject[] {
  const parsed = parseManifests(documents);
  const errors = parsed.issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) throw new Error(`invalid input: ${JSON.stringify(errors)}`);
  return [...parsed.objects];
}

/** Every connectivity row at both granularities, as text. */
function rows(analysis: Analysis): { workload: string[]; pod: string[] } {
  const text = (granularity: 'workload' | 'pod') =>
    connectivity(analysis, { granularity }).map((r) => `${r.src.name} => ${r.dst.name} : ${connString(r.conn)}`);
  return { workload: text('workload'), pod: text('pod') };
}

const refOf = (o: Obj) => ({ kind: o.kind, namespace: o.metadata.namespace as string | undefined, name: o.metadata.name as string });
const apiGroupOf = (o: Obj) => String(o.apiVersion).split('/')[0];

/** Runs the what-if both ways and checks they agree; returns how the incremental side analysed. */
function checkEdit(base: readonly ParsedObject[], changes: WhatIfChanges): Reanalysis['method'] {
  const baseAnalysis = analyze(buildSnapshot(base).snapshot);
  const incremental = whatIf({ objects: base, analysis: baseAnalysis }, changes);
  const full = whatIf({ objects: base }, changes);
  expect(full.reanalysis.method).toBe('full');
  expect(formatDiff(incremental.diff, 'json')).toBe(formatDiff(full.diff, 'json'));
  expect(incremental.changes).toEqual(full.changes);
  expect(incremental.issues.map((i) => `${i.code} ${i.message}`)).toEqual(full.issues.map((i) => `${i.code} ${i.message}`));
  return incremental.reanalysis.method;
}

/** The objects with the changes applied as whatIf applies them. */
function editedObjects(base: readonly ParsedObject[], changes: WhatIfChanges): ParsedObject[] {
  const proposed = parseManifests(changes.manifests ?? []).objects;
  const key = (o: { kind: string; metadata: { namespace?: string; name: string } }) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  const drop = new Set([...proposed.map((o) => key(o.object)), ...(changes.delete ?? []).map((r) => `${r.kind}/${r.namespace ?? ''}/${r.name}`)]);
  return [...base.filter((o) => !drop.has(key(o.object))), ...proposed];
}

/** Applies the changes to the objects as whatIf does, builds and analyses in full. */
function fullAnalysisOf(base: readonly ParsedObject[], changes: WhatIfChanges): Analysis {
  return analyze(buildSnapshot(editedObjects(base, changes)).snapshot);
}

/** The incremental analysis of the same changes (through the engine's own patch + reanalyze). */
async function incrementalAnalysisOf(base: readonly ParsedObject[], changes: WhatIfChanges): Promise<Reanalysis> {
  const { patchSnapshotPolicies } = await import('../src/model/patch-policies.js');
  const { policyIdentity } = await import('../src/analysis/incremental.js');
  const baseAnalysis = analyze(buildSnapshot(base).snapshot);
  const proposed = parseManifests(changes.manifests ?? []).objects;
  const named = new Set([...proposed.map((o) => `${o.object.kind}/${o.object.metadata.name}`), ...(changes.delete ?? []).map((r) => `${r.kind}/${r.name}`)]);
  const remove = baseAnalysis.snapshot.policies.filter((p) => named.has(`${p.kind}/${p.name}`)).map(policyIdentity);
  const patched = patchSnapshotPolicies(baseAnalysis.snapshot, { remove, add: proposed, firstReadIndex: base.length });
  if (!patched) throw new Error('not patchable');
  // The patched snapshot is the one buildSnapshot makes of the edited objects, as far as analyses can tell.
  const built = fullAnalysisOf(base, changes).snapshot;
  expect(patched.snapshot.policies.map((p) => `${p.id} ${p.kind} ${p.fullName}`)).toEqual(built.policies.map((p) => `${p.id} ${p.kind} ${p.fullName}`));
  expect([...patched.snapshot.namespaces.keys()]).toEqual([...built.namespaces.keys()]);
  expect([...patched.snapshot.splitWorkloads].map(([id, i]) => `${id} ${i.message}`)).toEqual([...built.splitWorkloads].map(([id, i]) => `${id} ${i.message}`));
  return reanalyze(baseAnalysis, patched.snapshot, patched.changed);
}

const doc = (object: unknown) => ({ path: 'proposed.json', text: JSON.stringify(object) });

describe('incremental re-analysis', () => {
  it('one random policy edit, addition or removal: incremental = full (connectivity rows and what-if diff)', async () => {
    const methods = { incremental: 0, full: 0 };
    await fc.assert(
      fc.asyncProperty(clusterArb, clusterArb, fc.constantFrom('edit', 'add', 'remove'), fc.nat(), fc.nat(), async (a, b, op, i, j) => {
        const base = objectsOf(a.documents);
        const own = (a.objects as Obj[]).filter((o) => POLICY_KINDS.has(o.kind));
        const donors = (b.objects as Obj[]).filter((o) => POLICY_KINDS.has(o.kind));
        let changes: WhatIfChanges;
        if (op === 'remove') {
          fc.pre(own.length > 0);
          const target = own[i % own.length];
          changes = { delete: [{ ...refOf(target), apiGroup: apiGroupOf(target) }] };
        } else if (op === 'edit') {
          fc.pre(own.length > 0);
          const target = own[i % own.length];
          const sameKind = donors.filter((d) => d.kind === target.kind);
          fc.pre(sameKind.length > 0);
          changes = { manifests: [doc({ ...sameKind[j % sameKind.length], metadata: target.metadata })] };
        } else {
          fc.pre(donors.length > 0);
          const donor = donors[j % donors.length];
          fc.pre(donor.kind !== 'BaselineAdminNetworkPolicy' || !own.some((o) => o.kind === donor.kind));
          const name = donor.kind === 'BaselineAdminNetworkPolicy' ? 'default' : 'added-by-whatif';
          changes = { manifests: [doc({ ...donor, metadata: { ...donor.metadata, name } })] };
        }
        const method = checkEdit(base, changes);
        methods[method]++;
        const incremental = await incrementalAnalysisOf(base, changes);
        const full = fullAnalysisOf(base, changes);
        expect(rows(incremental.analysis)).toEqual(rows(full));
        // The CLI's path (`netpol diff` of two object lists): the edited list recognised as a policy-only change.
        const editedList = editedObjects(base, changes);
        const edited = analyzeEdited({ objects: base, analysis: analyze(buildSnapshot(base).snapshot) }, editedList);
        expect(edited).toBeDefined();
        expect(rows(edited!.analysis)).toEqual(rows(full));
        expect(edited!.issues.map((i) => `${i.code} ${i.message}`)).toEqual(buildSnapshot(editedList).issues.map((i) => `${i.code} ${i.message}`));
      }),
      { seed: SEED, numRuns: NUM_RUNS },
    );
    if (process.env.INCREMENTAL_LOG) console.log(methods);
    // The property must exercise the incremental path itself, not only its fallback.
    expect(methods.incremental).toBeGreaterThan(methods.full / 4);
    expect(methods.incremental).toBeGreaterThan(NUM_RUNS / 10);
  });

  // A small cluster for the edge cases: web, db and client in namespace shop, tools in namespace ops.
  const pod = (namespace: string, name: string, labels: Record<string, string>, ips: string[] = []) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }] },
    ...(ips.length > 0 ? { status: { podIPs: ips.map((ip) => ({ ip })) } } : {}),
  });
  const np = (name: string, spec: Record<string, unknown>, namespace = 'shop') => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace },
    spec,
  });
  const anp = (name: string, priority: number, spec: Record<string, unknown>) => ({
    apiVersion: 'policy.networking.k8s.io/v1alpha1',
    kind: 'AdminNetworkPolicy',
    metadata: { name },
    spec: { priority, ...spec },
  });
  const webFromClient = np('web-from-client', {
    podSelector: { matchLabels: { app: 'web' } },
    ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }], ports: [{ port: 'http' }] }],
    egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }],
    policyTypes: ['Ingress', 'Egress'],
  });
  const dbFromWeb = np('db-from-web', {
    podSelector: { matchLabels: { app: 'db' } },
    ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }, { namespaceSelector: { matchLabels: { team: 'ops' } } }] }],
  });
  const opsOnly = anp('ops-to-shop', 10, {
    subject: { namespaces: { matchLabels: { 'kubernetes.io/metadata.name': 'shop' } } },
    ingress: [{ name: 'from-ops', action: 'Deny', from: [{ namespaces: { matchLabels: { team: 'ops' } } }] }],
  });
  const cluster = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { team: 'shop' } } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ops', labels: { team: 'ops' } } },
    pod('shop', 'web-1', { app: 'web', tier: 'front' }),
    pod('shop', 'web-2', { app: 'web', tier: 'back' }),
    pod('shop', 'db', { app: 'db' }),
    pod('shop', 'client', { app: 'client' }),
    pod('ops', 'tools', { app: 'tools' }),
    webFromClient,
    dbFromWeb,
    opsOnly,
    // The same ipBlock as web-from-client: removing that policy leaves the IP atoms as they are.
    np('tools-egress', { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }, { namespaceSelector: { matchLabels: { team: 'shop' } } }] }], policyTypes: ['Egress'] }, 'ops'),
  ];
  const baseObjects = objectsOf([{ path: 'cluster.json', text: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: cluster }) }]);

  /** The edit both ways: what-if diff and connectivity rows equal, the method as expected, some pair changed. */
  async function edge(changes: WhatIfChanges, method: Reanalysis['method'], reason?: RegExp) {
    expect(checkEdit(baseObjects, changes)).toBe(method);
    const incremental = await incrementalAnalysisOf(baseObjects, changes);
    expect(incremental.method).toBe(method);
    if (reason) expect(incremental.reason).toMatch(reason);
    const full = fullAnalysisOf(baseObjects, changes);
    expect(rows(incremental.analysis)).toEqual(rows(full));
    expect(rows(incremental.analysis)).not.toEqual(rows(analyze(buildSnapshot(baseObjects).snapshot)));
    return incremental;
  }

  it('analyzeEdited refuses object lists that differ in anything but policies', () => {
    const base = { objects: baseObjects, analysis: analyze(buildSnapshot(baseObjects).snapshot) };
    const relabelled = baseObjects.map((o) => (o.object.metadata.name === 'db' ? { ...o, object: { ...o.object, metadata: { ...o.object.metadata, labels: { app: 'web' } } } } : o));
    expect(analyzeEdited(base, relabelled)).toBeUndefined();
    expect(analyzeEdited(base, baseObjects.filter((o) => o.object.metadata.name !== 'tools'))).toBeUndefined();
    const same = analyzeEdited(base, baseObjects);
    expect(same?.reanalysis.method).toBe('incremental');
    expect(rows(same!.analysis)).toEqual(rows(base.analysis));
  });

  it('an edit in place (same policy, same rule count) reuses the base rules and re-analyses only the classes it selects', async () => {
    const spec = webFromClient.spec as { ingress: { ports: unknown[] }[] };
    const edit = np('web-from-client', { ...webFromClient.spec, ingress: [{ ...spec.ingress[0], ports: [{ port: 9090 }] }] });
    await edge({ manifests: [doc(edit)] }, 'incremental');
    const { patchSnapshotPolicies } = await import('../src/model/patch-policies.js');
    const { policyIdentity } = await import('../src/analysis/incremental.js');
    const base = analyze(buildSnapshot(baseObjects).snapshot);
    const target = base.snapshot.policies.find((p) => p.fullName === 'shop/web-from-client')!;
    const patched = patchSnapshotPolicies(base.snapshot, { remove: [policyIdentity(target)], add: parseManifests([doc(edit)]).objects, firstReadIndex: baseObjects.length - 1 })!;
    const r = reanalyze(base, patched.snapshot, patched.changed);
    expect(r.method).toBe('incremental');
    expect(rows(r.analysis)).toEqual(rows(fullAnalysisOf(baseObjects, { manifests: [doc(edit)] })));
    const edited = r.analysis.snapshot.policies.find((p) => p.fullName === 'shop/web-from-client')!;
    // The unchanged policies' rules are the base's own objects (copied, not numbered again); the edited one's are new.
    expect(r.analysis.rules.length).toBe(base.rules.length);
    for (const [i, rule] of r.analysis.rules.entries()) expect(rule === base.rules[i]).toBe(rule.policy !== edited.id);
    const web = r.analysis.classes.filter((c) => c.labels.app === 'web').map((c) => c.id);
    expect(r.affected?.ingress).toEqual(web);
    expect(r.affected?.egress).toEqual(web);
  });

  it('a policy that newly isolates a class (incremental)', async () => {
    const r = await edge({ manifests: [doc(np('deny-client-egress', { podSelector: { matchLabels: { app: 'client' } }, policyTypes: ['Egress'] }))] }, 'incremental');
    expect(r.affected?.egress.length).toBeGreaterThan(0);
    expect(r.affected?.ingress).toEqual([]);
  });

  it('removing the last policy that selects a class (incremental)', async () => {
    // web-from-client is the only policy isolating web for egress.
    const r = await edge({ delete: [{ kind: 'NetworkPolicy', namespace: 'shop', name: 'web-from-client' }] }, 'incremental');
    const web = r.analysis.classes.filter((c) => c.labels.app === 'web');
    expect(web.length).toBeGreaterThan(0);
    for (const c of web) expect([c.egressPolicies, c.egressProfile]).toEqual([[], -1]);
  });

  it('an edit that changes only ports and peers (incremental), and an edit on top of the result (chained)', async () => {
    const edited = np('db-from-web', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }], ports: [{ port: 5432 }] }] });
    const first = await edge({ manifests: [doc(edited)] }, 'incremental');
    // Chained: a second edit applied to the incremental result still equals a full analysis.
    const { patchSnapshotPolicies } = await import('../src/model/patch-policies.js');
    const { policyIdentity } = await import('../src/analysis/incremental.js');
    const second = parseManifests([doc({ ...webFromClient, spec: { ...webFromClient.spec, ingress: [] } })]).objects;
    const target = first.analysis.snapshot.policies.find((p) => p.name === 'web-from-client')!;
    const patched = patchSnapshotPolicies(first.analysis.snapshot, { remove: [policyIdentity(target)], add: second, firstReadIndex: baseObjects.length })!;
    const chained = reanalyze(first.analysis, patched.snapshot, patched.changed);
    expect(chained.method).toBe('incremental');
    const both = fullAnalysisOf(baseObjects.filter((o) => !['db-from-web', 'web-from-client'].includes(o.object.metadata.name)), {
      manifests: [doc(edited), doc({ ...webFromClient, spec: { ...webFromClient.spec, ingress: [] } })],
    });
    expect(rows(chained.analysis)).toEqual(rows(both));
    // And the incremental result stores and loads like any analysis.
    const loaded = loadAnalysis(chained.analysis.snapshot, JSON.parse(JSON.stringify(serializeAnalysis(chained.analysis))));
    expect(loaded).toBeDefined();
    expect(rows(loaded!)).toEqual(rows(chained.analysis));
  });

  it('a new selector key splits identity classes: falls back to a full analysis', async () => {
    const frontOnly = np('front-only', { podSelector: { matchLabels: { tier: 'front' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'db' } } }] }] });
    await edge({ manifests: [doc(frontOnly)] }, 'full', /label key "tier"/);
  });

  it('an ipBlock that cuts new atoms falls back; one inside the existing cuts stays incremental', async () => {
    const wider = { ...dbFromWeb, spec: { ...dbFromWeb.spec, ingress: [{ from: [{ ipBlock: { cidr: '192.168.0.0/16' } }] }] } };
    await edge({ manifests: [doc(wider)] }, 'full', /IP atoms/);
    const sameCuts = np('client-egress', { podSelector: { matchLabels: { app: 'client' } }, egress: [{ to: [{ ipBlock: { cidr: '10.1.0.0/16' } }] }], policyTypes: ['Egress'] });
    await edge({ manifests: [doc(sameCuts)] }, 'incremental');
  });

  it('cluster-scoped AdminNetworkPolicy: edited, added, removed (incremental)', async () => {
    await edge({ manifests: [doc({ ...opsOnly, spec: { ...opsOnly.spec, ingress: [{ name: 'from-ops', action: 'Allow', from: [{ namespaces: { matchLabels: { team: 'ops' } } }] }] } })] }, 'incremental');
    await edge({ delete: [{ kind: 'AdminNetworkPolicy', apiGroup: 'policy.networking.k8s.io', name: 'ops-to-shop' }] }, 'incremental');
    await edge(
      {
        manifests: [
          doc(anp('shop-egress', 5, { subject: { pods: { namespaceSelector: { matchLabels: { team: 'shop' } }, podSelector: { matchLabels: { app: 'client' } } } }, egress: [{ name: 'no-web', action: 'Deny', to: [{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'web' } } } }] }] })),
        ],
      },
      'incremental',
    );
  });
});
