// Structural diff of two object sets, at the granularity that causation reverts: whole objects added or
// removed, and for modified objects one change per field that matters (a label key, a selector, and for
// policies one per rule or per rule part: `spec.ingress[1].ports`).
import type { KubeObject } from '../manifest/types.js';
import { describeValue, jsonEqual, stableJson } from './describe-values.js';
import { type ObjectRef, isPolicyRef, isRelevant, kindText, objectRef, refId, relevantView, sameRelevantInputs } from './relevant.js';

export type ChangeKind = 'added' | 'removed' | 'modified';

export interface FieldChange {
  /** `<object id>#<path>`, unique within one diff. */
  readonly id: string;
  /** 0-based field path in the new object (in the old one for removed rules). */
  readonly path: string;
  readonly change: ChangeKind;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly summary: string;
}

export interface ObjectChange {
  readonly id: string;
  readonly ref: ObjectRef;
  readonly change: ChangeKind;
  /** For `modified`: the analysis-relevant fields that differ. */
  readonly fields: readonly FieldChange[];
  readonly summary: string;
}

export type Segment = string | number;

/** How to undo one change on the new object set (only one is applied at a time). */
export type RevertOp =
  | { readonly op: 'remove-object'; readonly ref: ObjectRef }
  | { readonly op: 'restore-object'; readonly object: KubeObject }
  | { readonly op: 'set'; readonly ref: ObjectRef; readonly segments: readonly Segment[]; readonly value: unknown }
  | { readonly op: 'remove-item'; readonly ref: ObjectRef; readonly segments: readonly Segment[]; readonly index: number }
  | {
      readonly op: 'insert-item';
      readonly ref: ObjectRef;
      readonly segments: readonly Segment[];
      readonly index: number;
      readonly value: unknown;
    };

export interface ObjectDiffResult {
  readonly changes: readonly ObjectChange[];
  /** Keyed by the object id (added/removed) or the field change id (modified). */
  readonly reverts: ReadonlyMap<string, RevertOp>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPrimitiveArray = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x !== 'object' || x === null);

function pathText(segments: readonly Segment[]): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function displayName(ref: ObjectRef): string {
  return ref.namespace ? `${kindText(ref)} ${ref.namespace}/${ref.name}` : `${kindText(ref)} ${ref.name}`;
}

interface Collector {
  readonly ref: ObjectRef;
  readonly objectId: string;
  readonly fields: FieldChange[];
  readonly reverts: Map<string, RevertOp>;
}

function emit(c: Collector, change: ChangeKind, path: string, before: unknown, after: unknown, op: RevertOp): void {
  const what =
    change === 'modified'
      ? `changed from ${describeValue(path, before)} to ${describeValue(path, after)}`
      : change === 'added'
        ? `added: ${describeValue(path, after)}`
        : `removed: ${describeValue(path, before)}`;
  const id = `${c.objectId}#${path}`;
  c.fields.push({ id, path, change, before, after, summary: `${displayName(c.ref)}: ${path} ${what}` });
  c.reverts.set(id, op);
}

/** Generic walk: objects per key, equal-length arrays of objects per index, everything else as a leaf. */
function walk(c: Collector, segments: Segment[], before: unknown, after: unknown): void {
  if (jsonEqual(before, after)) return;
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    for (const k of keys) walk(c, [...segments, k], before[k], after[k]);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length && !isPrimitiveArray(before)) {
    before.forEach((b, i) => walk(c, [...segments, i], b, after[i]));
    return;
  }
  const change: ChangeKind = before === undefined ? 'added' : after === undefined ? 'removed' : 'modified';
  emit(c, change, pathText(segments), before, after, { op: 'set', ref: c.ref, segments, value: before });
}

/** Longest common subsequence of equal items, as index pairs. */
function lcs(a: readonly string[], b: readonly string[]): [number, number][] {
  const n = a.length;
  const m = b.length;
  const table = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      table[i][j] = a[i] === b[j] ? table[i + 1][j + 1] + 1 : Math.max(table[i + 1][j], table[i][j + 1]);
  const pairs: [number, number][] = [];
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (a[i] === b[j]) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (table[i + 1][j] >= table[i][j + 1]) i++;
    else j++;
  }
  return pairs;
}

/** Rules: identical ones are matched (LCS); in each gap old and new rules pair up by position. */
function diffRules(c: Collector, gress: 'ingress' | 'egress', before: unknown, after: unknown): void {
  const oldRules = Array.isArray(before) ? before : [];
  const newRules = Array.isArray(after) ? after : [];
  const base = ['spec', gress];
  const matches = lcs(oldRules.map(stableJson), newRules.map(stableJson));
  let i = 0;
  let j = 0;
  for (const [mi, mj] of [...matches, [oldRules.length, newRules.length] as [number, number]]) {
    const gapOld = oldRules.slice(i, mi).map((rule, k) => ({ rule, index: i + k }));
    const gapNew = newRules.slice(j, mj).map((rule, k) => ({ rule, index: j + k }));
    const paired = Math.min(gapOld.length, gapNew.length);
    for (let k = 0; k < paired; k++) {
      const o = gapOld[k];
      const n = gapNew[k];
      if (isRecord(o.rule) && isRecord(n.rule)) {
        for (const key of [...new Set([...Object.keys(o.rule), ...Object.keys(n.rule)])].sort()) {
          if (jsonEqual(o.rule[key], n.rule[key])) continue;
          const segments = [...base, n.index, key];
          const kind: ChangeKind = o.rule[key] === undefined ? 'added' : n.rule[key] === undefined ? 'removed' : 'modified';
          emit(c, kind, pathText(segments), o.rule[key], n.rule[key], { op: 'set', ref: c.ref, segments, value: o.rule[key] });
        }
      } else {
        const segments = [...base, n.index];
        emit(c, 'modified', pathText(segments), o.rule, n.rule, { op: 'set', ref: c.ref, segments, value: o.rule });
      }
    }
    for (const n of gapNew.slice(paired)) {
      emit(c, 'added', pathText([...base, n.index]), undefined, n.rule, {
        op: 'remove-item',
        ref: c.ref,
        segments: base,
        index: n.index,
      });
    }
    for (const o of gapOld.slice(paired)) {
      emit(c, 'removed', pathText([...base, o.index]), o.rule, undefined, {
        op: 'insert-item',
        ref: c.ref,
        segments: base,
        index: o.index,
        value: o.rule,
      });
    }
    i = mi + 1;
    j = mj + 1;
  }
}

function diffObject(c: Collector, ref: ObjectRef, before: Record<string, unknown>, after: Record<string, unknown>): void {
  if (!isPolicyRef(ref)) {
    walk(c, [], before, after);
    return;
  }
  const oldSpec = isRecord(before.spec) ? before.spec : {};
  const newSpec = isRecord(after.spec) ? after.spec : {};
  const rest = (spec: Record<string, unknown>) => Object.fromEntries(Object.entries(spec).filter(([k]) => k !== 'ingress' && k !== 'egress'));
  walk(c, ['spec'], rest(oldSpec), rest(newSpec));
  diffRules(c, 'ingress', oldSpec.ingress, newSpec.ingress);
  diffRules(c, 'egress', oldSpec.egress, newSpec.egress);
}

/** Whether two objects have the same identity (`refId`), read from their raw fields without building it. */
function sameIdentity(a: KubeObject, b: KubeObject): boolean {
  if (a.kind !== b.kind || a.metadata.name !== b.metadata.name) return false;
  if (a.apiVersion !== b.apiVersion && objectRef(a).apiGroup !== objectRef(b).apiGroup) return false;
  return a.metadata.namespace === b.metadata.namespace || objectRef(a).namespace === objectRef(b).namespace;
}

/** How far ahead an object is looked for when the two lists stop lining up (an added or removed object). */
const RESYNC_WINDOW = 16;

/**
 * The relevant objects of both sides, minus the pairs that line up: walked in step, an old and a new object of
 * one identity whose relevant inputs are equal are settled (two snapshots of one cluster list most objects in
 * the same order). Building an id for every object of both sides was most of an object diff at 50k pods.
 * Undefined when a settled object shares its identity with an unsettled one (a duplicate: the later object of an
 * identity wins, which only the full index can tell).
 */
function unsettledObjects(oldObjects: readonly KubeObject[], newObjects: readonly KubeObject[]): [KubeObject[], KubeObject[]] | undefined {
  const x = oldObjects.filter(isRelevant);
  const y = newObjects.filter(isRelevant);
  const settledOld = new Uint8Array(x.length);
  const settledNew = new Uint8Array(y.length);
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    if (sameIdentity(x[i], y[j])) {
      if (sameRelevantInputs(x[i], y[j])) settledOld[i] = settledNew[j] = 1;
      i++;
      j++;
      continue;
    }
    let skip = 0;
    for (let k = 1; k <= RESYNC_WINDOW && j + k < y.length && skip === 0; k++) if (sameIdentity(x[i], y[j + k])) skip = k;
    if (skip > 0) {
      j += skip;
      continue;
    }
    for (let k = 1; k <= RESYNC_WINDOW && i + k < x.length && skip === 0; k++) if (sameIdentity(x[i + k], y[j])) skip = k;
    if (skip > 0) i += skip;
    else {
      i++;
      j++;
    }
  }
  const poolOld = x.filter((_, k) => settledOld[k] === 0);
  const poolNew = y.filter((_, k) => settledNew[k] === 0);
  // A duplicate across settled and unsettled objects: checked by name first (no id built for most objects).
  const kinds = [...new Set([...poolOld, ...poolNew].map((o) => o.kind))];
  const names = new Set<string>();
  for (const o of poolOld) names.add(o.metadata.name);
  for (const o of poolNew) names.add(o.metadata.name);
  const ids = new Set([...poolOld, ...poolNew].map((o) => refId(objectRef(o))));
  const clashes = (list: readonly KubeObject[], settled: Uint8Array) => {
    for (let k = 0; k < list.length; k++) {
      const o = list[k];
      if (settled[k] === 1 && kinds.includes(o.kind) && names.has(o.metadata.name) && ids.has(refId(objectRef(o)))) return true;
    }
    return false;
  };
  return clashes(x, settledOld) || clashes(y, settledNew) ? undefined : [poolOld, poolNew];
}

/** Diffs two object sets by (kind, namespace, name); only kinds and fields that analysis uses count. */
export function diffObjects(allOld: readonly KubeObject[], allNew: readonly KubeObject[]): ObjectDiffResult {
  // Settled pairs are equal: only the rest is indexed (everything when a duplicate identity needs the full index).
  const [oldObjects, newObjects] = unsettledObjects(allOld, allNew) ?? [allOld, allNew];
  const index = (objects: readonly KubeObject[]) => {
    const map = new Map<string, { ref: ObjectRef; object: KubeObject }>();
    for (const object of objects) {
      if (!isRelevant(object)) continue;
      const ref = objectRef(object);
      map.set(refId(ref), { ref, object }); // a later duplicate wins, as when applying manifests in order
    }
    return map;
  };
  const before = index(oldObjects);
  const after = index(newObjects);
  const changes: ObjectChange[] = [];
  const reverts = new Map<string, RevertOp>();
  // Only ids whose objects differ at all are sorted and described (most objects of two snapshots are equal).
  const differing: string[] = [];
  for (const [id, o] of before) {
    const n = after.get(id);
    if (!n || !sameRelevantInputs(o.object, n.object)) differing.push(id);
  }
  for (const id of after.keys()) if (!before.has(id)) differing.push(id);
  for (const id of differing.sort()) {
    const o = before.get(id);
    const n = after.get(id);
    const ref = (o ?? n)!.ref;
    if (!o && n) {
      changes.push({ id, ref, change: 'added', fields: [], summary: `${displayName(ref)} added` });
      reverts.set(id, { op: 'remove-object', ref });
    } else if (o && !n) {
      changes.push({ id, ref, change: 'removed', fields: [], summary: `${displayName(ref)} removed` });
      reverts.set(id, { op: 'restore-object', object: o.object });
    } else if (o && n) {
      const oldView = relevantView(o.object)!;
      const newView = relevantView(n.object)!;
      if (jsonEqual(oldView, newView)) continue;
      const c: Collector = { ref, objectId: id, fields: [], reverts };
      diffObject(c, ref, oldView, newView);
      if (c.fields.length > 0) {
        changes.push({ id, ref, change: 'modified', fields: c.fields, summary: `${displayName(ref)} modified` });
      }
    }
  }
  return { changes, reverts };
}

function cloneJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

function setIn(target: Record<string, unknown>, segments: readonly Segment[], value: unknown): void {
  let node: Record<string | number, unknown> = target;
  for (let k = 0; k < segments.length - 1; k++) {
    const s = segments[k];
    if (typeof node[s] !== 'object' || node[s] === null) node[s] = typeof segments[k + 1] === 'number' ? [] : {};
    node = node[s] as Record<string | number, unknown>;
  }
  const last = segments[segments.length - 1];
  if (value === undefined) {
    if (Array.isArray(node) && typeof last === 'number') node.splice(last, 1);
    else delete node[last];
  } else node[last] = cloneJson(value);
}

/** The array at `segments`, created (empty) when missing. */
function getArray(target: Record<string, unknown>, segments: readonly Segment[]): unknown[] {
  let node: unknown = target;
  for (const s of segments) node = isRecord(node) || Array.isArray(node) ? (node as Record<string | number, unknown>)[s] : undefined;
  if (Array.isArray(node)) return node;
  const created: unknown[] = [];
  let parent = target as Record<string | number, unknown>;
  for (const s of segments.slice(0, -1)) {
    if (typeof parent[s] !== 'object' || parent[s] === null) parent[s] = {};
    parent = parent[s] as Record<string | number, unknown>;
  }
  parent[segments[segments.length - 1]] = created;
  return created;
}

/** Applies one revert to a copy of the object list (other objects are shared, not copied). */
export function applyRevert(objects: readonly KubeObject[], op: RevertOp): KubeObject[] {
  if (op.op === 'restore-object') return [...objects, op.object];
  const target = refId(op.ref);
  if (op.op === 'remove-object') return objects.filter((o) => !isRelevant(o) || refId(objectRef(o)) !== target);
  return objects.map((o) => {
    if (!isRelevant(o) || refId(objectRef(o)) !== target) return o;
    const copy = cloneJson(o) as unknown as Record<string, unknown>;
    if (op.op === 'set') setIn(copy, op.segments, op.value);
    else if (op.op === 'remove-item') getArray(copy, op.segments).splice(op.index, 1);
    else {
      const list = getArray(copy, op.segments);
      list.splice(Math.min(op.index, list.length), 0, cloneJson(op.value));
    }
    return copy as unknown as KubeObject;
  });
}

/** Applies several reverts together. Array edits go last and in an index-safe order: removals of added
 *  items from the highest index down, then re-insertions of removed items at their old index, ascending. */
export function applyReverts(objects: readonly KubeObject[], ops: readonly RevertOp[]): KubeObject[] {
  const rank = (op: RevertOp) => (op.op === 'remove-item' ? 1 : op.op === 'insert-item' ? 2 : 0);
  const ordered = [...ops].sort((x, y) => {
    const r = rank(x) - rank(y);
    if (r !== 0) return r;
    if (x.op === 'remove-item' && y.op === 'remove-item') return y.index - x.index;
    if (x.op === 'insert-item' && y.op === 'insert-item') return x.index - y.index;
    return 0;
  });
  return ordered.reduce<KubeObject[]>((acc, op) => applyRevert(acc, op), [...objects]);
}
