// Caches shared by the policies of one snapshot, whatever their dialect: equal selectors, ipBlocks, port lists and
// whole specs compile once (many namespaces carry the same policies: default-deny, DNS egress).
import type { IpSet } from '../algebra/ip-set.js';
import type { RulePorts } from '../algebra/rule-ports.js';
import { Selector, type LabelSelectorSpec } from '../algebra/selector.js';

export interface CompileCache {
  readonly selectors: Map<string, Selector>;
  readonly ipBlocks: Map<string, IpSet>;
  readonly ports: Map<string, RulePorts>;
  /** Whole compiled specs by dialect-chosen keys (e.g. the spec's JSON text). */
  readonly specs: Map<string, unknown>;
}

export function newCompileCache(): CompileCache {
  return { selectors: new Map(), ipBlocks: new Map(), ports: new Map(), specs: new Map() };
}

/** A label selector as written (absent: every pod), compiled once per snapshot for equal specs. */
export function cachedSelector(value: unknown, cache: CompileCache): Selector {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return Selector.EVERYTHING;
  const spec = value as LabelSelectorSpec;
  const key = JSON.stringify(spec);
  let compiled = cache.selectors.get(key);
  if (!compiled) {
    compiled = Selector.compile(spec);
    cache.selectors.set(key, compiled);
  }
  return compiled;
}

/**
 * Compiled specs found by structure instead of by their JSON text: a hash of the parsed value, then a comparison
 * member by member with each spec of that hash (a collision costs a comparison, never a wrong share). Building a
 * JSON key for each of 18k policies was ~25 % of a 50k-pod build; this builds no text (property names and values
 * are numbered through a map, which hashes each string once: V8 keeps a string's hash in the string). Two specs
 * share a compiled value when they hold the same values, whatever the order of their keys: compilation reads
 * fields by name.
 */
export class SpecTable<T> {
  private readonly byHash = new Map<number, SpecEntry<T>[]>();
  private readonly strings = new Map<string, number>();
  /** The entry last found for each hint (a policy's name: namespaces carry equal policies under equal names). */
  private readonly byHint = new Map<string, SpecEntry<T>>();

  /** The compiled value of a spec equal to `spec`, compiling it (`compile`) on a miss. `hint`: a name that equal
   *  specs usually share; the spec last found under it is compared first, before any hash is computed. */
  get(spec: unknown, compile: (spec: unknown) => T, hint?: string): T {
    const hinted = hint === undefined ? undefined : this.byHint.get(hint);
    if (hinted && sameValue(hinted.spec, spec)) return hinted.compiled;
    const hash = this.hash(spec, 0x811c9dc5);
    let bucket = this.byHash.get(hash);
    let entry: SpecEntry<T> | undefined;
    if (bucket) {
      for (let i = 0; i < bucket.length && !entry; i++) if (sameValue(bucket[i].spec, spec)) entry = bucket[i];
    } else this.byHash.set(hash, (bucket = []));
    if (!entry) bucket.push((entry = { spec, compiled: compile(spec) }));
    if (hint !== undefined) this.byHint.set(hint, entry);
    return entry.compiled;
  }

  private stringId(text: string): number {
    let id = this.strings.get(text);
    if (id === undefined) this.strings.set(text, (id = this.strings.size + 1));
    return id;
  }

  private hash(value: unknown, h: number): number {
    switch (typeof value) {
      case 'string':
        return mix(mix(h, 1), this.stringId(value));
      case 'number':
        return Number.isInteger(value) ? mix(mix(h, 2), value | 0) : mix(mix(h, 3), this.stringId(String(value)));
      case 'boolean':
        return mix(h, value ? 4 : 5);
      case 'object': {
        if (value === null) return mix(h, 6);
        if (Array.isArray(value)) {
          h = mix(mix(h, 7), value.length);
          for (let i = 0; i < value.length; i++) h = this.hash(value[i], h);
          return h;
        }
        // Entries summed: the hash of an object does not depend on the order of its keys (nor does equality).
        const o = value as Readonly<Record<string, unknown>>;
        let entries = 0;
        for (const key in o) entries = (entries + this.hash(o[key], mix(8, this.stringId(key)))) | 0;
        return mix(mix(h, 9), entries);
      }
      default:
        return mix(h, 10);
    }
  }
}

interface SpecEntry<T> {
  readonly spec: unknown;
  readonly compiled: T;
}

function mix(h: number, v: number): number {
  return Math.imul(h ^ v, 0x01000193) ^ (h >>> 15);
}

/** Deep equality of parsed JSON values (objects: the same own keys with equal values, in any order). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const isArray = Array.isArray(a);
  if (isArray !== Array.isArray(b)) return false;
  if (isArray) {
    const x = a as readonly unknown[];
    const y = b as readonly unknown[];
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!sameValue(x[i], y[i])) return false;
    return true;
  }
  const x = a as Readonly<Record<string, unknown>>;
  const y = b as Readonly<Record<string, unknown>>;
  const hasOwn = Object.prototype.hasOwnProperty;
  let keys = 0;
  for (const key in x) {
    if (!hasOwn.call(x, key)) continue;
    if (!hasOwn.call(y, key) || !sameValue(x[key], y[key])) return false;
    keys++;
  }
  for (const key in y) if (hasOwn.call(y, key)) keys--;
  return keys === 0;
}
