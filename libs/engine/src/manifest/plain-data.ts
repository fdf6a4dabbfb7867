// Plain JSON-like data as produced by the readers: every object has a null prototype, so neither
// `__proto__` nor `constructor` can reach a prototype, and `labels['constructor']` is simply absent.

export type PlainObject = { [key: string]: unknown };

/**
 * `__proto__` is rejected (FORBIDDEN_KEY): no Kubernetes field or valid label key has that name, and a
 * plain object copied by careless code downstream (`Object.assign({}, o)`) would get its prototype
 * replaced. `constructor` and `prototype` ARE valid label keys, so they are kept as ordinary data; the
 * null prototype makes them harmless.
 */
export const FORBIDDEN_KEY = '__proto__';

export function newPlainObject(): PlainObject {
  // Not Object.create(null): V8 makes that a dictionary-mode object (~2.4x the memory of a plain 3-key object;
  // the projections of a 50k-pod upload took ~350 MB). A literal given a null prototype stays fast-mode.
  return Object.setPrototypeOf({}, null) as PlainObject;
}

/** True for a map (not an array, not null). */
export function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  return typeof value;
}
