// Declarative field schemas: which keys an object may have, as data per kind, so a dialect can register its own
// (registry.ts). Only keys are checked here (the typed checks in ../validate check values): an unknown key is an
// UNKNOWN_FIELD error with its path and, when a known key is close, "did you mean …?" — as kubectl apply's strict
// field validation refuses it, instead of silently ignoring `podSelector: {matchLabel: …}` (which selects every pod).
import type { FieldPath, PathSegment } from '../path.js';
import { isPlainObject } from '../plain-data.js';
import type { Checker } from '../validate/checker.js';

export type FieldSchema =
  /** A map with exactly these keys (each with its own schema); other keys are errors unless `unknown` says warning.
   *  `byKey` (set by `closed`): the same fields as a Map, for the walk's one lookup per key. */
  | { readonly fields: Readonly<Record<string, FieldSchema>>; readonly unknown?: 'error' | 'warning'; readonly byKey?: ReadonlyMap<string, FieldSchema> }
  /** A list whose every item follows `items`. */
  | { readonly items: FieldSchema }
  /** Anything: a leaf, a map with free keys (labels, annotations), or a part analysis never reads. */
  | 'any';

export const ANY: FieldSchema = 'any';

export function closed(fields: Readonly<Record<string, FieldSchema>>, unknown: 'error' | 'warning' = 'error'): FieldSchema {
  const byKey = new Map(Object.entries(fields));
  return unknown === 'error' ? { fields, byKey } : { fields, unknown, byKey };
}

export function listOf(items: FieldSchema): FieldSchema {
  return { items };
}

/** `names` as leaves (keys whose values are not walked). */
export function leaves(...names: string[]): Record<string, FieldSchema> {
  return Object.fromEntries(names.map((name) => [name, ANY]));
}

/** Reports every key of `value` (and below) that `schema` does not list. Values of the wrong type are skipped. */
export function checkFields(c: Checker, value: unknown, schema: FieldSchema, path: FieldPath): void {
  walkFields(c, value, schema, [...path]);
}

/** One shared path stack, copied only when reporting: this walk visits every key of every object (50k pods). */
function walkFields(c: Checker, value: unknown, schema: FieldSchema, path: PathSegment[]): void {
  if (schema === 'any') return;
  if ('items' in schema) {
    if (!Array.isArray(value)) return;
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      walkFields(c, value[i], schema.items, path);
      path.pop();
    }
    return;
  }
  if (!isPlainObject(value)) return;
  const fields = schema.fields;
  const byKey = schema.byKey;
  // for-in, not Object.keys: no key array per object; the readers' objects have a null prototype (own keys only).
  for (const key in value) {
    const field = byKey ? byKey.get(key) : Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (field === undefined) {
      const suggestion = closestField(key, Object.keys(fields));
      const message = `unknown field "${key}"${suggestion ? `: did you mean \`${suggestion}\`?` : ''}`;
      c.report('UNKNOWN_FIELD', schema.unknown ?? 'error', [...path, key], message);
      continue;
    }
    if (field === 'any') continue;
    path.push(key);
    walkFields(c, value[key], field, path);
    path.pop();
  }
}

/** The known field nearest to `key` (case-insensitive edit distance at most 2, and at most a third of its length). */
export function closestField(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of [...known].sort()) {
    const limit = Math.min(2, Math.max(1, Math.floor(candidate.length / 3)));
    const distance = editDistance(lower, candidate.toLowerCase(), limit);
    if (distance <= limit && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance with adjacent transpositions, stopping early once above `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous2: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, previous2[j - 2]! + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    previous2 = previous;
    previous = current;
  }
  return previous[b.length]!;
}
