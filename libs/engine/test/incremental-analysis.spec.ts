// Issue 13: incremental re-analysis of one edited / added / removed policy (analysis/incremental.ts, with the
// snapshot patched by model/patch-policies.ts) answers exactly as a full build + analyze of the edited objects:
// every connectivity row (workload and pod granularity), and the what-if diff. Property test on random clusters
// with a random single-policy edit, and edge cases that must take (or must fall back from) the incremental path.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analysis/analyze.js';
import { connectivity } from '../src/analysis/connectivity.js';
import { reanalyze, type Reanalysis } from '../src/analysis/incremental.js';
import type { Analysis } from '../src/analysis/types.js';
import { whatIf, type WhatIfChanges } from '../src/diff/api.js';
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

/** Applies the changes to the objects as whatIf does, builds and analyses in full. */
function fullAnalysisOf(base: readonly ParsedObject[], changes: WhatIfChanges): Analysis {
  const proposed = parseManifests(changes.manifests ?? []).objects;
  const key = (o: { kind: string; metadata: { namespace?: string; name: string } }) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  const drop = new Set([...proposed.map((o) => key(o.object)), ...(changes.delete ?? []).map((r) => `${r.kind}/${r.namespace ?? ''}/${r.name}`)]);
  return analyze(buildSnapshot([...base.filter((o) => !drop.has(key(o.object))), ...proposed]).snapshot);
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
        expect(rows(incremental.analysis)).toEqual(rows(fullAnalysisOf(base, changes)));
      }),
      { seed: SEED, numRuns: NUM_RUNS },
    );
    if (process.env.INCREMENTAL_LOG) console.log(methods);
    // The property must exercise the incremental path itself, not only its fallback.
    expect(methods.incremental).toBeGreaterThan(methods.full / 4);
    expect(methods.incremental).toBeGreaterThan(NUM_RUNS / 10);
  });
});
