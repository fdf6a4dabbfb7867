// Causation: which change explains a changed pair. A change counts as a cause only if reverting it alone (on
// the new snapshot, everything else kept) alters that pair, so two unrelated edits never name each other.
// Pairs that no single change explains (over-determined: e.g. both ends' policies closed the same port) get a
// minimal set of changes whose joint revert alters them, found by greedy shrinking.
// A change can only alter pairs with an end in its scope: a policy selects pods of its own namespace, a
// namespace's labels matter for its own pods, a workload's for itself. Other pairs are never re-evaluated.
// Pairs whose ends are in the same (old class, new class) groups have the same value on the new snapshot and on
// every snapshot that reverts policies only (each policy, old or new, treats the members of a group alike), so
// with a `pairGroup` such pairs are evaluated once per group pair, not once per pair.
import type { KubeObject } from '../manifest/types.js';
import { type ObjectChange, type RevertOp, diffObjects } from './object-diff.js';
import { type ObjectRef, isPolicyRef } from './relevant.js';
import type { PairOracle } from './trace-oracle.js';
import type { CauseRef, ConnectivityDiff, PairChange } from './types.js';

/** One revertible unit: an added or removed object, or one field change of a modified object. */
export interface CandidateChange {
  readonly id: string;
  readonly summary: string;
  readonly ref: ObjectRef;
  readonly revert: RevertOp;
  /** The namespace whose workloads' pairs it can alter; undefined: any pair (cluster-scoped policies). */
  readonly scope: string | undefined;
}

function scopeOf(ref: ObjectRef): string | undefined {
  if (ref.kind === 'Namespace') return ref.name;
  return ref.namespace === '' ? undefined : ref.namespace;
}

export function candidateChanges(changes: readonly ObjectChange[], reverts: ReadonlyMap<string, RevertOp>): CandidateChange[] {
  return changes.flatMap((c) => {
    const base = { ref: c.ref, scope: scopeOf(c.ref) };
    return c.change === 'modified'
      ? c.fields.map((f) => ({ ...base, id: f.id, summary: f.summary, revert: reverts.get(f.id)! }))
      : [{ ...base, id: c.id, summary: c.summary, revert: reverts.get(c.id)! }];
  });
}

export interface CausationOptions {
  /** At most this many candidate changes are re-evaluated (default 64); the rest are reported as unchecked. */
  readonly maxCandidates?: number;
  /** Budget of extra reverted snapshots for joint causes (default 64; 0 turns the search off). */
  readonly maxJointEvaluations?: number;
  /** Evaluate every pair on its own, not once per class group pair (a cross-check for tests). */
  readonly perPair?: boolean;
}

export interface CausationResult {
  readonly changes: readonly ObjectChange[];
  /** Candidate ids that were not re-evaluated because of `maxCandidates`. */
  readonly unchecked: readonly string[];
}

/** Builds an oracle for the new objects with the given candidates reverted together. */
export type RevertedOracle = (candidates: readonly CandidateChange[]) => PairOracle;

/** A key per pair such that pairs with equal keys have equal values on the new snapshot and on any snapshot that
 *  reverts policy changes only; undefined for a pair that shares its value with no other. */
export type PairGroup = (pair: PairChange) => string | undefined;

/** `oracle`, evaluating each group of pairs once. */
function perGroup(oracle: PairOracle, pairGroup: PairGroup | undefined): PairOracle {
  if (!pairGroup) return oracle;
  const values = new Map<string, string>();
  return {
    valueOf(pair) {
      const group = pairGroup(pair);
      if (group === undefined) return oracle.valueOf(pair);
      let value = values.get(group);
      if (value === undefined) values.set(group, (value = oracle.valueOf(pair)));
      return value;
    },
  };
}

/** Candidates that revert policies only: their reverted snapshots keep every group's members alike. */
const policiesOnly = (candidates: readonly CandidateChange[]) => candidates.every((c) => isPolicyRef(c.ref));

const ref = (c: CandidateChange): CauseRef => ({ change: c.id, summary: c.summary });

function inScope(pair: PairChange, scope: string | undefined): boolean {
  if (scope === undefined) return true;
  return (pair.src.kind === 'workload' && pair.src.namespace === scope) || (pair.dst.kind === 'workload' && pair.dst.namespace === scope);
}

/**
 * Fills `causes` (and, where needed, `jointCauses`) on every pair of `diff`, in place, and returns the object
 * changes considered. `base` evaluates pairs on the new snapshot itself, `reverted` on reverted variants;
 * `pairGroup`, when given, lets pairs of one group share their evaluations.
 */
export function attachCauses(
  diff: ConnectivityDiff,
  oldObjects: readonly KubeObject[],
  newObjects: readonly KubeObject[],
  base: PairOracle,
  reverted: RevertedOracle,
  options: CausationOptions = {},
  pairGroup?: PairGroup,
): CausationResult {
  const { changes, reverts } = diffObjects(oldObjects, newObjects);
  const groups = options.perPair ? undefined : pairGroup;
  const baseOracle = perGroup(base, groups);
  const revertedOracle: RevertedOracle = (set) => {
    const oracle = reverted(set);
    return policiesOnly(set) ? perGroup(oracle, groups) : oracle;
  };
  const candidates = candidateChanges(changes, reverts);
  const limit = options.maxCandidates ?? 64;
  const checked = candidates.slice(0, limit);
  const pairs = diff.pairs as PairChange[];
  for (const pair of pairs) pair.causes = [];
  const baseValues = new Map<PairChange, string>();
  const baseValue = (p: PairChange) => {
    let v = baseValues.get(p);
    if (v === undefined) baseValues.set(p, (v = baseOracle.valueOf(p)));
    return v;
  };
  for (const candidate of checked) {
    const affected = pairs.filter((p) => inScope(p, candidate.scope));
    if (affected.length === 0) continue;
    const oracle = revertedOracle([candidate]);
    for (const pair of affected) if (oracle.valueOf(pair) !== baseValue(pair)) pair.causes!.push(ref(candidate));
  }
  const unexplained = pairs.filter((p) => p.causes!.length === 0);
  findJointCauses(unexplained, checked, baseValue, revertedOracle, options.maxJointEvaluations ?? 64);
  return { changes, unchecked: candidates.slice(limit).map((c) => c.id) };
}

/** Greedy shrinking, shared between pairs: each pair starts from the candidates in its scope; at step k it
 *  tries dropping candidate k; pairs whose trial sets coincide share one reverted snapshot. */
function findJointCauses(
  pairs: readonly PairChange[],
  candidates: readonly CandidateChange[],
  baseValue: (p: PairChange) => string,
  reverted: RevertedOracle,
  budget: number,
): void {
  if (pairs.length === 0 || budget <= 0) return;
  const cache = new Map<string, PairOracle>();
  let spent = 0;
  const oracleFor = (set: readonly number[]): PairOracle | undefined => {
    const key = set.join(',');
    let oracle = cache.get(key);
    if (!oracle) {
      if (spent >= budget) return undefined;
      spent++;
      oracle = reverted(set.map((i) => candidates[i]));
      cache.set(key, oracle);
    }
    return oracle;
  };
  const states: { pair: PairChange; set: number[] }[] = [];
  for (const pair of pairs) {
    const set = candidates.flatMap((c, i) => (inScope(pair, c.scope) ? [i] : []));
    if (set.length < 2) continue;
    const oracle = oracleFor(set);
    if (!oracle) return; // budget spent: leave jointCauses unset rather than report a non-minimal set
    if (oracle.valueOf(pair) !== baseValue(pair)) states.push({ pair, set });
  }
  for (let k = 0; k < candidates.length; k++) {
    for (const state of states) {
      if (!state.set.includes(k)) continue;
      const trial = state.set.filter((i) => i !== k);
      if (trial.length === 0) continue;
      const oracle = oracleFor(trial);
      if (!oracle) return;
      if (oracle.valueOf(state.pair) !== baseValue(state.pair)) state.set = trial;
    }
  }
  for (const { pair, set } of states) pair.jointCauses = set.map((i) => ref(candidates[i]));
}
