// Label selectors as policies write them, and np-guard's text for representative peers
// (`[namespace with {...}]/[pod with {...}]`, FORMAT.md 10.3).
import { Selector, type LabelSelectorSpec, type SelectorOperator } from '../algebra/selector.js';
import { NAMESPACE_NAME_LABEL } from '../model/snapshot.js';
import type { LabelSelectorOut } from './types.js';

export const ALL_NAMESPACES = '[all namespaces]';
export const ALL_PODS = '[all pods]';

/** The selector as written; null when absent or not an object. Values keep their written order. */
export function selectorOut(raw: unknown): LabelSelectorOut | null {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const spec = raw as { matchLabels?: unknown; matchExpressions?: unknown };
  const matchLabels: Record<string, string> = Object.create(null) as Record<string, string>;
  if (spec.matchLabels && typeof spec.matchLabels === 'object') {
    for (const [k, v] of Object.entries(spec.matchLabels as Record<string, unknown>)) matchLabels[k] = String(v);
  }
  const matchExpressions = (Array.isArray(spec.matchExpressions) ? spec.matchExpressions : []).map((e: unknown) => {
    const expr = (e ?? {}) as { key?: unknown; operator?: unknown; values?: unknown };
    return {
      key: String(expr.key),
      operator: String(expr.operator) as SelectorOperator,
      values: Array.isArray(expr.values) ? expr.values.map(String) : [],
    };
  });
  return { matchLabels, matchExpressions };
}

export function namespaceNameSelector(namespace: string): LabelSelectorOut {
  return { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace }, matchExpressions: [] };
}

export function compileSelector(out: LabelSelectorOut): Selector {
  return Selector.compile(out as LabelSelectorSpec);
}

export function isEmptySelector(out: LabelSelectorOut | null): boolean {
  return out === null || (Object.keys(out.matchLabels).length === 0 && out.matchExpressions.length === 0);
}

/** np-guard's `<labels>,<expressions>` text: `k=v` sorted by key, then `{Key:k,Operator:Op,Values:[a b],}`
 *  items sorted as strings. */
export function selectorText(out: LabelSelectorOut): string {
  const labels = Object.keys(out.matchLabels)
    .sort(compare)
    .map((k) => `${k}=${out.matchLabels[k]}`)
    .join(',');
  const expressions = out.matchExpressions
    .map((e) => `{Key:${e.key},Operator:${e.operator},Values:[${e.values.join(' ')}],}`)
    .sort(compare)
    .join(',');
  return [labels, expressions].filter((s) => s !== '').join(',');
}

/** The namespace part: a plain name for exactly `kubernetes.io/metadata.name: <name>`, `[all namespaces]`
 *  for an empty selector, `[namespace with {...}]` otherwise. */
export function namespacePartName(out: LabelSelectorOut): { text: string; namespace?: string } {
  const keys = Object.keys(out.matchLabels);
  if (keys.length === 1 && keys[0] === NAMESPACE_NAME_LABEL && out.matchExpressions.length === 0) {
    return { text: out.matchLabels[NAMESPACE_NAME_LABEL], namespace: out.matchLabels[NAMESPACE_NAME_LABEL] };
  }
  if (isEmptySelector(out)) return { text: ALL_NAMESPACES };
  return { text: `[namespace with {${selectorText(out)}}]` };
}

export function podPartName(out: LabelSelectorOut | null): string {
  return out === null || isEmptySelector(out) ? ALL_PODS : `[pod with {${selectorText(out)}}]`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
