// The diff module's entry points: connectivity diff of two snapshots, the same with causes, object diffs,
// and what-if analysis of proposed manifests. Everything in memory; nothing is stored.
import { analyze } from '../analysis/analyze.js';
import { ensureAnalysis } from '../analysis/connectivity.js';
import type { Analysis } from '../analysis/types.js';
import { parseManifests } from '../manifest/parse-manifests.js';
import type { Issue, KubeObject, ParsedObject, SourceDocument, SourceLocation } from '../manifest/types.js';
import { buildSnapshot, resolveOptions } from '../model/snapshot.js';
import { patchSnapshotPolicies } from '../model/patch-policies.js';
import { policyIdentity, reanalyze } from '../analysis/incremental.js';
import type { EngineOptions, Snapshot } from '../model/types.js';
import { type AnalysisDiffOptions, diffAnalyses } from './analysis-diff.js';
import { type CandidateChange, type CausationOptions, type PairGroup, attachCauses } from './causation.js';
import { type ObjectChange, applyReverts, diffObjects } from './object-diff.js';
import { newCompileCache } from '../dialects/compile-cache.js';
import { defaultGroupOf, identityGroup, registeredKind } from '../dialects/registry.js';
import { type ObjectRef, isPolicyRef, objectRef, refId } from './relevant.js';
import { TraceOracle } from './trace-oracle.js';
import type { ConnectivityDiff } from './types.js';
import type { PolicyModel } from '../model/types.js';

/** Connectivity diff (workload granularity, np-guard naming) of two snapshots or analyses. */
export function diff(
  oldSnapshot: Snapshot | Analysis,
  newSnapshot: Snapshot | Analysis,
  options: AnalysisDiffOptions = {},
): ConnectivityDiff {
  return diffAnalyses(ensureAnalysis(oldSnapshot), ensureAnalysis(newSnapshot), options);
}

/** One side of an explained diff: its objects (as parsed), and its analysis when already computed. */
export interface DiffSideInput {
  readonly objects: readonly ParsedObject[];
  readonly analysis?: Analysis;
}

export interface ExplainOptions extends CausationOptions {
  readonly engine?: EngineOptions;
}

export interface ExplainedDiff {
  /** Every pair carries `causes` (possibly empty: no single change alone explains it). */
  readonly diff: ConnectivityDiff;
  /** Object changes between the two sides (analysis-relevant kinds and fields only). */
  readonly changes: readonly ObjectChange[];
  /** Candidate changes not re-analysed because of `maxCandidates`. */
  readonly unchecked: readonly string[];
}

function analyseObjects(objects: readonly ParsedObject[], engine: EngineOptions | undefined): Analysis {
  return analyze(buildSnapshot(objects, engine).snapshot);
}

const SYNTHETIC_SOURCE: SourceLocation = { file: '(reverted change)', document: 0, pathPrefix: '' };

/** Connectivity diff with causes: each changed pair names the single changes whose revert alters it. */
export function diffWithCauses(
  oldSide: DiffSideInput,
  newSide: DiffSideInput,
  options: ExplainOptions = {},
): ExplainedDiff {
  const a = oldSide.analysis ?? analyseObjects(oldSide.objects, options.engine);
  const b = newSide.analysis ?? analyseObjects(newSide.objects, options.engine);
  const result = diffAnalyses(a, b);
  // Reverted object sets are rebuilt as ParsedObjects, keeping each object's original source where known.
  // The index of every object's source is built only when a revert rebuilds the whole model (at 50k pods it
  // costs more than the causes); policy-only reverts look up the few policies they touch.
  const sourceOf = lazySourceIndex([oldSide.objects, newSide.objects]);
  const toParsed = (objects: readonly KubeObject[]): ParsedObject[] => objects.map((object) => ({ object, source: sourceOf(object) }));
  const newSnapshot = b.snapshot;
  const newKube = newSide.objects.map((o) => o.object);
  const isK8sPolicy = (kind: string, group: string) => kind === 'NetworkPolicy' && group === 'networking.k8s.io';
  const policyName = (o: KubeObject) => `${o.metadata.namespace || 'default'}/${o.metadata.name}`;
  // Each side's NetworkPolicies by `ns/name`, indexed once for every policy-only revert.
  const k8sPolicies = (objects: readonly ParsedObject[]) => {
    const byName = new Map<string, ParsedObject[]>();
    for (const o of objects) {
      if (!isK8sPolicy(o.object.kind, identityGroup(o.object.apiVersion, o.object.kind))) continue;
      const list = byName.get(policyName(o.object));
      if (list) list.push(o);
      else byName.set(policyName(o.object), [o]);
    }
    return byName;
  };
  let policyObjects: { old: Map<string, ParsedObject[]>; new: Map<string, ParsedObject[]> } | undefined;
  // Policy-only reverts patch the new model (recompiling just those policies); anything else rebuilds it.
  const reverted = (candidates: readonly CandidateChange[]) => {
    const ops = candidates.map((c) => c.revert);
    if (candidates.every((c) => isK8sPolicy(c.ref.kind, c.ref.apiGroup))) {
      policyObjects ??= { old: k8sPolicies(oldSide.objects), new: k8sPolicies(newSide.objects) };
      const touched = new Set(candidates.map((c) => `${c.ref.namespace}/${c.ref.name}`));
      const isTouched = (o: KubeObject) => touched.has(policyName(o));
      const touchedOf = (side: Map<string, ParsedObject[]>) => [...touched].flatMap((name) => side.get(name) ?? []);
      const touchedNew = touchedOf(policyObjects.new);
      const touchedSources = lazySourceIndex([touchedOf(policyObjects.old), touchedNew]);
      const compiled = applyReverts(touchedNew.map((o) => o.object), ops)
        .filter((o) => isK8sPolicy(o.kind, identityGroup(o.apiVersion, o.kind)) && isTouched(o))
        .map((object) =>
          registeredKind(object.apiVersion, object.kind)!.dialect.compile!(
            { object, source: touchedSources(object) },
            0,
            { cache: newCompileCache(), readIndex: 0, nodes: newSnapshot.nodes, auxiliary: [] },
          ),
        );
      // Only the touched Kubernetes NetworkPolicies are replaced: a Calico or Cilium policy of the same name stays.
      const replaced = (p: PolicyModel) => touched.has(p.fullName) && isK8sPolicy(p.kind, identityGroup(p.apiVersion, p.kind));
      const policies: PolicyModel[] = [...newSnapshot.policies.filter((p) => !replaced(p)), ...compiled]
        .sort((x, y) => (x.fullName < y.fullName ? -1 : x.fullName > y.fullName ? 1 : 0))
        .map((p, id) => (p.id === id ? p : { ...p, id }));
      return new TraceOracle({ ...newSnapshot, policies }, result.showsIcmp);
    }
    return new TraceOracle(buildSnapshot(toParsed(applyReverts(newKube, ops)), options.engine).snapshot, result.showsIcmp);
  };
  const { changes, unchecked } = attachCauses(
    result,
    oldSide.objects.map((o) => o.object),
    newKube,
    new TraceOracle(newSnapshot, result.showsIcmp),
    reverted,
    options,
    classGroups(a, b),
  );
  return { diff: result, changes, unchecked };
}

/** Groups pairs by their ends' (old class, new class): see `PairGroup`. An end that exists on one side only
 *  has no class there, and its pairs are not grouped. */
function classGroups(a: Analysis, b: Analysis): PairGroup {
  const oldClass = new Map(a.snapshot.workloads.map((w) => [w.displayName, a.workloadClass[w.id]]));
  const groupOf = new Map<string, string>();
  for (const w of b.snapshot.workloads) {
    const before = oldClass.get(w.displayName);
    if (before !== undefined) groupOf.set(w.displayName, `${before}:${b.workloadClass[w.id]}`);
  }
  return ({ src, dst }) => {
    const from = src.kind === 'workload' ? groupOf.get(src.key) : `${src.range.family}:${src.range.first}-${src.range.last}`;
    const to = dst.kind === 'workload' ? groupOf.get(dst.key) : `${dst.range.family}:${dst.range.first}-${dst.range.last}`;
    return from === undefined || to === undefined ? undefined : `${src.kind}:${from}>${dst.kind}:${to}`;
  };
}

/** Where an object came from: the object itself, else the last object of the same identity (a reverted copy
 *  keeps its original's source), else a synthetic location. The index is built on the first lookup. */
function lazySourceIndex(sides: readonly (readonly ParsedObject[])[]): (object: KubeObject) => SourceLocation {
  let index: { byObject: Map<KubeObject, SourceLocation>; byId: Map<string, SourceLocation> } | undefined;
  return (object) => {
    if (!index) {
      index = { byObject: new Map(), byId: new Map() };
      for (const side of sides) {
        for (const o of side) {
          index.byObject.set(o.object, o.source);
          index.byId.set(refId(objectRef(o.object)), o.source);
        }
      }
    }
    return index.byObject.get(object) ?? index.byId.get(refId(objectRef(object))) ?? SYNTHETIC_SOURCE;
  };
}

type ObjectInput = readonly ParsedObject[] | readonly KubeObject[];

function kubeObjects(input: ObjectInput): KubeObject[] {
  return input.map((o) => ('object' in o && 'source' in o ? (o as ParsedObject).object : (o as KubeObject)));
}

/** Structural diff of every analysis-relevant object (policies, workloads, namespaces). */
export function objectDiff(oldObjects: ObjectInput, newObjects: ObjectInput): ObjectChange[] {
  return [...diffObjects(kubeObjects(oldObjects), kubeObjects(newObjects)).changes];
}

/** Structural, rule-level diff of the policies only. */
export function policyDiff(oldObjects: ObjectInput, newObjects: ObjectInput): ObjectChange[] {
  return objectDiff(oldObjects, newObjects).filter((c) => isPolicyRef(c.ref));
}

export interface ObjectRefInput {
  readonly kind: string;
  /** Defaults to the kind's home group (`NetworkPolicy`: networking.k8s.io). */
  readonly apiGroup?: string;
  readonly namespace?: string;
  readonly name: string;
}

export interface WhatIfChanges {
  /** Proposed manifests: each object replaces the object of the same kind/namespace/name, or is added. */
  readonly manifests?: readonly SourceDocument[];
  /** Objects to delete. */
  readonly delete?: readonly ObjectRefInput[];
}

export interface WhatIfResult extends ExplainedDiff {
  /** Issues of the proposed manifests (parse and validation, and model checks located in them). */
  readonly issues: readonly Issue[];
  /** Deletions that matched no object. */
  readonly notFound: readonly ObjectRef[];
  /** How the edited snapshot was analysed: incrementally from the base analysis, or in full (and why). */
  readonly reanalysis: { readonly method: 'incremental' | 'full'; readonly reason?: string };
}

function normaliseRef(ref: ObjectRefInput): ObjectRef {
  const group = ref.apiGroup ?? defaultGroupOf(ref.kind);
  const stub = { apiVersion: group ? `${group}/v1` : 'v1', kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace } } as KubeObject;
  return objectRef(stub);
}

/** Applies proposed manifests and deletions to a snapshot's objects in memory and explains the difference. */
export function whatIf(base: DiffSideInput, changes: WhatIfChanges, options: ExplainOptions = {}): WhatIfResult {
  const proposed = parseManifests(changes.manifests ?? []);
  const replaced = new Set(proposed.objects.map((o) => refId(objectRef(o.object))));
  const deletions = (changes.delete ?? []).map(normaliseRef);
  const deleteIds = new Set(deletions.map(refId));
  const present = new Set(base.objects.map((o) => refId(objectRef(o.object))));
  const notFound = deletions.filter((r) => !present.has(refId(r)));
  const kept = base.objects.filter((o) => {
    const id = refId(objectRef(o.object));
    return !replaced.has(id) && !deleteIds.has(id);
  });
  const next = [...kept, ...proposed.objects];
  const proposedFiles = new Set((changes.manifests ?? []).map((d) => d.path));
  const incremental = base.analysis ? incrementalWhatIf(base.analysis, kept.length, proposed.objects, new Set([...replaced, ...deleteIds]), options) : undefined;
  const built = incremental ?? { ...buildSnapshot(next, options.engine), analysis: undefined, method: 'full' as const, reason: 'no stored analysis of the base' };
  const issues = [...proposed.issues, ...built.issues.filter((i) => i.file !== undefined && proposedFiles.has(i.file))];
  const analysis = built.analysis ?? analyze(built.snapshot);
  const explained = diffWithCauses(base, { objects: next, analysis }, options);
  return { ...explained, issues, notFound, reanalysis: built.reason === undefined ? { method: built.method } : { method: built.method, reason: built.reason } };
}

/** The edited snapshot and its analysis from the base analysis when only policies change (see
 *  analysis/incremental.ts), or undefined (then the edited objects are built and analysed from scratch). */
function incrementalWhatIf(
  base: Analysis,
  keptCount: number,
  proposed: readonly ParsedObject[],
  touched: ReadonlySet<string>,
  options: ExplainOptions,
): { snapshot: Snapshot; issues: Issue[]; analysis: Analysis; method: 'incremental' | 'full'; reason?: string } | undefined {
  const resolved = resolveOptions(options.engine, base.snapshot.options.cni);
  const current = base.snapshot.options;
  if (resolved.cni !== current.cni || resolved.ipBlockMatchesPods !== current.ipBlockMatchesPods || resolved.hostNetwork !== current.hostNetwork) return undefined;
  // Every touched object must be a policy of the base (or a new policy): anything else changes workloads or namespaces.
  const remove: string[] = [];
  let matched = 0;
  for (const policy of base.snapshot.policies) {
    if (!touched.has(refId(objectRef(policy.object)))) continue;
    remove.push(policyIdentity(policy));
    matched++;
  }
  const proposedIds = new Set(proposed.map((o) => refId(objectRef(o.object))));
  for (const id of touched) if (!proposedIds.has(id) && !base.snapshot.policies.some((p) => refId(objectRef(p.object)) === id)) matched = -1;
  if (matched < 0) return undefined;
  const patched = patchSnapshotPolicies(base.snapshot, { remove, add: proposed, firstReadIndex: keptCount });
  if (!patched) return undefined;
  const result = reanalyze(base, patched.snapshot, patched.changed);
  return { snapshot: patched.snapshot, issues: patched.issues, analysis: result.analysis, method: result.method, ...(result.reason ? { reason: result.reason } : {}) };
}

/**
 * The snapshot and analysis of `objects` computed from `base` when they differ from the base objects only in
 * policies (edited, added or removed; every other object equal and in the same order): the changed policies
 * compiled alone and the analysis updated incrementally (analysis/incremental.ts). Undefined when anything else
 * differs or the change cannot be patched (then build and analyse `objects`). `issues` are buildSnapshot's.
 */
export function analyzeEdited(
  base: { readonly objects: readonly ParsedObject[]; readonly analysis: Analysis },
  objects: readonly ParsedObject[],
  engine?: EngineOptions,
): { snapshot: Snapshot; issues: Issue[]; analysis: Analysis; reanalysis: WhatIfResult['reanalysis'] } | undefined {
  const resolved = resolveOptions(engine, base.analysis.snapshot.options.cni);
  const current = base.analysis.snapshot.options;
  if (resolved.cni !== current.cni || resolved.ipBlockMatchesPods !== current.ipBlockMatchesPods || resolved.hostNetwork !== current.hostNetwork) return undefined;
  const isPolicy = (o: ParsedObject) => registeredKind(o.object.apiVersion, o.object.kind)?.role === 'policy';
  const basePolicies = new Map<string, ParsedObject>();
  const baseOthers: ParsedObject[] = [];
  for (const o of base.objects) {
    if (isPolicy(o)) basePolicies.set(refId(objectRef(o.object)), o);
    else baseOthers.push(o);
  }
  const proposed: ParsedObject[] = [];
  const seen = new Set<string>();
  let other = 0;
  for (const o of objects) {
    if (!isPolicy(o)) {
      // Same non-policy objects in the same order: workloads, namespaces and nodes are unchanged.
      if (other >= baseOthers.length || !sameValue(o.object, baseOthers[other].object)) return undefined;
      other++;
      continue;
    }
    const id = refId(objectRef(o.object));
    if (seen.has(id)) return undefined; // a duplicate: buildSnapshot reports it
    seen.add(id);
    const before = basePolicies.get(id);
    if (!before || !sameValue(o.object, before.object)) proposed.push(o);
  }
  if (other !== baseOthers.length) return undefined;
  const touched = new Set([...basePolicies.keys()].filter((id) => !seen.has(id)));
  for (const o of proposed) touched.add(refId(objectRef(o.object)));
  const remove = base.analysis.snapshot.policies.filter((p) => touched.has(refId(objectRef(p.object)))).map(policyIdentity);
  const patched = patchSnapshotPolicies(base.analysis.snapshot, { remove, add: proposed, firstReadIndex: objects.length - proposed.length, allIssues: true });
  if (!patched) return undefined;
  const result = reanalyze(base.analysis, patched.snapshot, patched.changed);
  return {
    snapshot: patched.snapshot,
    issues: patched.issues,
    analysis: result.analysis,
    reanalysis: result.reason === undefined ? { method: result.method } : { method: result.method, reason: result.reason },
  };
}

/** Structural equality of parsed JSON values (key order ignored). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    if (a.length !== other.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], other[i])) return false;
    return true;
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!Object.prototype.hasOwnProperty.call(b, k) || !sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}
