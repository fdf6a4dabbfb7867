// The diff module's entry points: connectivity diff of two snapshots, the same with causes, object diffs,
// and what-if analysis of proposed manifests. Everything in memory; nothing is stored.
import { analyze } from '../analysis/analyze.js';
import { ensureAnalysis } from '../analysis/connectivity.js';
import type { Analysis } from '../analysis/types.js';
import { parseManifests } from '../manifest/parse-manifests.js';
import type { Issue, KubeObject, ParsedObject, SourceDocument, SourceLocation } from '../manifest/types.js';
import { buildSnapshot } from '../model/snapshot.js';
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
      const policies: PolicyModel[] = [...newSnapshot.policies.filter((p) => !touched.has(p.fullName)), ...compiled]
        .sort((x, y) => (x.fullName < y.fullName ? -1 : x.fullName > y.fullName ? 1 : 0))
        .map((p, id) => (p.id === id ? p : { ...p, id }));
      return new TraceOracle({ ...newSnapshot, policies });
    }
    return new TraceOracle(buildSnapshot(toParsed(applyReverts(newKube, ops)), options.engine).snapshot);
  };
  const { changes, unchecked } = attachCauses(
    result,
    oldSide.objects.map((o) => o.object),
    newKube,
    new TraceOracle(newSnapshot),
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
  const built = buildSnapshot(next, options.engine);
  const proposedFiles = new Set((changes.manifests ?? []).map((d) => d.path));
  const issues = [...proposed.issues, ...built.issues.filter((i) => i.file !== undefined && proposedFiles.has(i.file))];
  const explained = diffWithCauses(base, { objects: next, analysis: analyze(built.snapshot) }, options);
  return { ...explained, issues, notFound };
}
