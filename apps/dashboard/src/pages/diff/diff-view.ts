// Pure helpers of the diff views: a cause id (`NetworkPolicy/shop/api#spec.ingress[0].ports`) read back into the
// object and the rule it names, and diff pairs as service-map rows coloured by their change.
import type { MapPeer, MapRow } from '../map/graph.js';

export interface CauseRef {
  kind: string;
  namespace: string;
  name: string;
  /** The changed field, e.g. `spec.ingress[0].ports`; '' for a whole object. */
  path: string;
  /** The rule the field belongs to, e.g. `spec.ingress[0]`; '' when it is not inside a rule. */
  rule: string;
}

export function parseCause(change: string): CauseRef | undefined {
  const [object = '', path = ''] = change.split('#', 2);
  const parts = object.split('/');
  if (parts.length < 2) return undefined;
  const [kind = '', ...rest] = parts;
  const name = rest.pop() ?? '';
  const namespace = rest.join('/');
  const rule = /^(?:spec|specs\[\d+\])\.(?:ingress|egress)(?:Deny)?\[\d+\]/.exec(path)?.[0] ?? '';
  return { kind, namespace, name, path, rule };
}

export interface DiffPairLike {
  type: 'ADDED' | 'REMOVED' | 'CHANGED';
  from: MapPeer;
  to: MapPeer;
  oldText: string;
  newText: string;
}

export function pairsAsMapRows(pairs: readonly DiffPairLike[]): MapRow[] {
  return pairs.map((pair) => ({
    from: pair.from,
    to: pair.to,
    portsText: pair.type === 'ADDED' ? `+ ${pair.newText}` : pair.type === 'REMOVED' ? `− ${pair.oldText}` : `${pair.oldText} → ${pair.newText}`,
    change: pair.type === 'ADDED' ? 'added' : pair.type === 'REMOVED' ? 'removed' : 'changed',
  }));
}

/**
 * A change summary without what its row already shows: the engine writes `NetworkPolicy shop/api: spec.ingress[0].ports
 * changed from 80 to 80, 443` (or `NetworkPolicy shop/api removed`), and the row names the object (`subject`, as
 * `Kind namespace/name`) and the field `path` next to it. A summary of another shape is returned as it is.
 */
export function changeText(summary: string, subject: string, path = ''): string {
  if (summary.startsWith(`${subject} `)) return summary.slice(subject.length + 1);
  if (!summary.startsWith(`${subject}: `)) return summary;
  const rest = summary.slice(subject.length + 2);
  return path && rest.startsWith(`${path} `) ? rest.slice(path.length + 1) : rest;
}
