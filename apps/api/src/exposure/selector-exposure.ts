// Potential exposure by selector (Exposure.selectorExposed), computed from the analysis in a model thread
// (model-computations.ts): plain rows only, no Nest or GraphQL imports here.
import { exposure as engineExposure, topLevelIdentity, type Analysis, type LabelSelectorOut } from '@netpol-atlas/engine';

/** One row of Exposure.selectorExposed (the GraphQL SelectorExposure). */
export interface SelectorExposureRow {
  readonly workload: { readonly namespace: string; readonly kind: string; readonly name: string };
  readonly direction: string;
  readonly peer: string;
  readonly namespaces: string;
  readonly pods: string;
  readonly portsText: string;
}

/** `key=value`, `key in (a,b)`, … of a selector as written; '' when it selects everything. */
export function selectorDescription(selector: LabelSelectorOut | null): string {
  if (!selector) return '';
  const parts = Object.entries(selector.matchLabels).map(([key, value]) => `${key}=${value}`);
  for (const expression of selector.matchExpressions) {
    const operator = expression.operator;
    if (operator === 'Exists') parts.push(expression.key);
    else if (operator === 'DoesNotExist') parts.push(`!${expression.key}`);
    else parts.push(`${expression.key} ${operator === 'In' ? 'in' : 'notin'} (${expression.values.join(',')})`);
  }
  return parts.join(', ');
}

/** Sorted by workload, direction, peer. */
export function selectorExposure(analysis: Analysis): SelectorExposureRow[] {
  const byName = new Map(analysis.snapshot.workloads.map((w) => [w.displayName, w]));
  const out: SelectorExposureRow[] = [];
  const seen = new Set<string>();
  for (const reported of engineExposure(analysis).workloads) {
    const w = byName.get(reported.workload);
    if (!w) continue;
    const workload = topLevelIdentity(w);
    for (const side of [reported.ingress, reported.egress]) {
      for (const line of side.lines) {
        if (line.target.type !== 'representative') continue;
        const direction = side.direction === 'ingress' ? 'INGRESS' : 'EGRESS';
        const key = `${workload.namespace}/${workload.kind}/${workload.name}\u0000${direction}\u0000${line.target.name}\u0000${line.connection.text}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const namespaces = selectorDescription(line.target.namespaceSelector);
        const pods = selectorDescription(line.target.podSelector);
        out.push({
          workload,
          direction,
          peer: line.target.name,
          namespaces: namespaces ? `namespaces with ${namespaces}` : 'all namespaces',
          pods: pods ? `pods with ${pods}` : 'all pods',
          portsText: line.connection.text,
        });
      }
    }
  }
  const text = (item: SelectorExposureRow) => `${item.workload.namespace}\u0000${item.workload.kind}\u0000${item.workload.name}\u0000${item.direction}\u0000${item.peer}`;
  return out.sort((a, b) => (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0));
}
