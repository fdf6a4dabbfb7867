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
