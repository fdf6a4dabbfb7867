// Small queries over the public model (which workloads a selector or a rule peer matches, where an object
// came from), shared by lint, intents, compliance and the probe plan.
import { ConnectionSet } from '../algebra/connection-set.js';
import type { Selector } from '../algebra/selector.js';
import type { ParsedObject, SourceLocation } from '../manifest/types.js';
import type { PodPeerModel, PolicyModel, Snapshot, Workload } from '../compliance/engine-api.js';
import type { Analysis } from '../compliance/engine-api.js';

/** Workload references `workloadsMatching` keeps per snapshot (~8 bytes each): past it, answers are computed again. */
const MATCHING_CACHE_LIMIT = 1 << 22;

/** Workloads whose namespace and pod labels match (null namespace selector = only `namespace`), in snapshot order. */
export function workloadsMatching(
  snapshot: Snapshot,
  namespaceSelector: Selector | null,
  podSelector: Selector | null,
  namespace?: string,
): Workload[] {
  return [...sharedMatching(snapshot, namespaceSelector, podSelector, namespace)];
}

function matchingKey(namespaceSelector: Selector | null, podSelector: Selector | null, namespace?: string): string {
  return `${namespaceSelector ? `s:${namespaceSelector.key}` : namespace === undefined ? 'all' : `n:${namespace}`}\u0000${podSelector ? podSelector.key : '*'}`;
}

/** `workloadsMatching` without the copy: the kept answer itself, never to be changed (lint rules only read it). */
function sharedMatching(snapshot: Snapshot, namespaceSelector: Selector | null, podSelector: Selector | null, namespace?: string): readonly Workload[] {
  // Lint rules ask the same (namespace selector, pod selector) question of a peer several times, and many
  // policies share peers: answers are kept by the selectors' canonical keys.
  const index = namespaceIndex(snapshot);
  const key = matchingKey(namespaceSelector, podSelector, namespace);
  let found = index.answers.get(key);
  if (!found) {
    found = computeMatching(snapshot, namespaceSelector, podSelector, namespace);
    if (index.answerRefs + found.length <= MATCHING_CACHE_LIMIT) {
      index.answerRefs += found.length;
      index.answers.set(key, found);
    }
  }
  return found;
}

/** Whether any workload matches: a kept answer when there is one, else a scan that stops at the first match
 *  ("selects nothing" checks need no list). */
export function anyWorkloadMatches(snapshot: Snapshot, namespaceSelector: Selector | null, podSelector: Selector | null, namespace?: string): boolean {
  const index = namespaceIndex(snapshot);
  const kept = index.answers.get(matchingKey(namespaceSelector, podSelector, namespace));
  if (kept) return kept.length > 0;
  const matchesPod = (w: Workload) => podSelector === null || podSelector.matches(w.labels);
  if (namespaceSelector === null) return (namespace === undefined ? snapshot.workloads : index.of(namespace)).some(matchesPod);
  return [...matchingNamespaces(snapshot, namespaceSelector)].some((name) => index.of(name).some(matchesPod));
}

/** Namespaces (in first-workload order) a namespace selector matches: each namespace's labels matched once per
 *  selector (its canonical key); lint asks again per rule. */
function matchingNamespaces(snapshot: Snapshot, namespaceSelector: Selector): ReadonlySet<string> {
  const index = namespaceIndex(snapshot);
  let matching = index.matching.get(namespaceSelector.key);
  if (!matching) {
    matching = new Set(
      index.namespaces.filter((name) => {
        const ns = snapshot.namespaces.get(name);
        return ns !== undefined && namespaceSelector.matches(ns.labels);
      }),
    );
    index.matching.set(namespaceSelector.key, matching);
  }
  return matching;
}

function computeMatching(snapshot: Snapshot, namespaceSelector: Selector | null, podSelector: Selector | null, namespace?: string): Workload[] {
  const matchesPod = (w: Workload) => podSelector === null || podSelector.matches(w.labels);
  if (namespaceSelector === null) return (namespace === undefined ? snapshot.workloads : namespaceIndex(snapshot).of(namespace)).filter(matchesPod);
  const index = namespaceIndex(snapshot);
  // Only the matching namespaces' workloads are visited.
  const namespaces = matchingNamespaces(snapshot, namespaceSelector);
  if (index.contiguous) return [...namespaces].flatMap((name) => index.of(name).filter(matchesPod));
  return snapshot.workloads.filter((w) => namespaces.has(w.namespace) && matchesPod(w));
}

/** Workloads a policy selects (its namespace, its podSelector): a kept list, read only. */
export function selectedWorkloads(snapshot: Snapshot, policy: PolicyModel): readonly Workload[] {
  return sharedMatching(snapshot, null, policy.podSelector, policy.namespace);
}

/** Whether a policy selects any workload. */
export function selectsAnyWorkload(snapshot: Snapshot, policy: PolicyModel): boolean {
  return anyWorkloadMatches(snapshot, null, policy.podSelector, policy.namespace);
}

interface NamespaceIndex {
  /** Namespaces in the order their first workload appears. */
  readonly namespaces: readonly string[];
  /** Whether each namespace's workloads are adjacent in `snapshot.workloads`: the lists concatenated in
   *  `namespaces` order are then the snapshot's order. */
  readonly contiguous: boolean;
  of(namespace: string): readonly Workload[];
  /** Namespaces (in `namespaces` order) a namespace selector matches, by the selector's key. */
  readonly matching: Map<string, ReadonlySet<string>>;
  /** `workloadsMatching` answers by (namespace selector or namespace, pod selector) key, and their total size. */
  readonly answers: Map<string, readonly Workload[]>;
  answerRefs: number;
}

const namespaceIndexes = new WeakMap<Snapshot, NamespaceIndex>();

/** A snapshot's workloads by namespace, built once: lint asks for them per policy and per rule peer, and scanning
 *  every workload each time cost seconds at 4k policies × 2.5k workloads. */
function namespaceIndex(snapshot: Snapshot): NamespaceIndex {
  let index = namespaceIndexes.get(snapshot);
  if (!index) {
    const lists = new Map<string, Workload[]>();
    let contiguous = true;
    let previous: string | undefined;
    for (const w of snapshot.workloads) {
      const list = lists.get(w.namespace);
      if (list) {
        if (w.namespace !== previous) contiguous = false;
        list.push(w);
      } else lists.set(w.namespace, [w]);
      previous = w.namespace;
    }
    index = { namespaces: [...lists.keys()], contiguous, of: (namespace) => lists.get(namespace) ?? [], matching: new Map(), answers: new Map(), answerRefs: 0 };
    namespaceIndexes.set(snapshot, index);
  }
  return index;
}

/** Workloads a pod peer of a policy's rule matches: a kept list, read only. */
export function peerWorkloads(snapshot: Snapshot, policy: PolicyModel, peer: PodPeerModel): readonly Workload[] {
  return sharedMatching(snapshot, peer.namespaceSelector, peer.podSelector, policy.namespace);
}

/** Whether a pod peer of a policy's rule matches any workload. */
export function peerMatchesAnyWorkload(snapshot: Snapshot, policy: PolicyModel, peer: PodPeerModel): boolean {
  return anyWorkloadMatches(snapshot, peer.namespaceSelector, peer.podSelector, policy.namespace);
}

/** Where an object came from, with `path` prefixed by its place in a `List`. */
export function located(source: SourceLocation | undefined, path: string): { path: string; file?: string; document?: number; line?: number } {
  if (!source) return { path };
  const full = source.pathPrefix ? (path ? `${source.pathPrefix}.${path}` : source.pathPrefix) : path;
  return { path: full, file: source.file, document: source.document, ...(source.line !== undefined ? { line: source.line } : {}) };
}

export function objectsOfKind(objects: readonly ParsedObject[], ...kinds: string[]): ParsedObject[] {
  return objects.filter((o) => kinds.includes(o.object.kind));
}

/** Everything a workload's pods may send to another workload's pods (two distinct replicas for itself). */
export function workloadToWorkload(analysis: Analysis, src: Workload, dst: Workload): ConnectionSet {
  return analysis.classToClass(analysis.workloadClass[src.id], analysis.workloadClass[dst.id]);
}

const anyIpByClass = new WeakMap<Analysis, Map<number, ConnectionSet>>();

/** Union of what a workload may send to any IP atom outside the cluster: kept per class (two lint rules ask it of
 *  every egress-isolated workload, and workloads share classes). */
export function workloadToAnyIp(analysis: Analysis, src: Workload): ConnectionSet {
  const cls = analysis.workloadClass[src.id];
  let byClass = anyIpByClass.get(analysis);
  if (!byClass) anyIpByClass.set(analysis, (byClass = new Map()));
  let out = byClass.get(cls);
  if (out === undefined) {
    out = ConnectionSet.NONE;
    for (let atom = 0; atom < analysis.dstAtoms.length; atom++) out = out.union(analysis.classToAtom(cls, atom));
    byClass.set(cls, out);
  }
  return out;
}

export function isEgressIsolated(analysis: Analysis, w: Workload): boolean {
  return analysis.classes[analysis.workloadClass[w.id]].egressPolicies.length > 0;
}

export function isIngressIsolated(analysis: Analysis, w: Workload): boolean {
  return analysis.classes[analysis.workloadClass[w.id]].ingressPolicies.length > 0;
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
