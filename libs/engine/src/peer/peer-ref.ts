// The peer string form the CLI (`--src`, `--dst`), the dashboard URLs and GraphQL `PeerInput.ref` share:
// `ns/name`, `ns/name[Kind]` or an IP address; and, for a peer that is not in the snapshot, the names it was close to.
import { parseIp } from '../algebra/ip-set.js';
import type { PeerSpec } from '../analysis/evaluate.js';
import type { Snapshot } from '../model/types.js';
import { closestNames } from './suggest.js';

/** A parsed peer string: a peer, a bare name (no namespace: ambiguous until looked up), or why it is no peer. */
export type PeerRef =
  | { readonly peer: PeerSpec }
  | { readonly bareName: string }
  | { readonly invalid: string };

const NAMESPACED = /^([^/[\]\s]+)\/([^/[\]\s]+)(?:\[([^/[\]\s]+)\])?$/;
const BARE = /^([^/[\]\s]+)(?:\[([^/[\]\s]+)\])?$/;
const LOOKS_LIKE_IP = /^\d+(?:\.\d*)+$/;

export function parsePeerRef(text: string): PeerRef {
  const trimmed = text.trim();
  if (parseIp(trimmed)) return { peer: { ip: trimmed } };
  // Digits and dots, or a colon, is an address that does not parse (10.0.0.300), not a bare workload name.
  if (LOOKS_LIKE_IP.test(trimmed) || trimmed.includes(':')) return { invalid: `"${trimmed}" is not a valid IP address` };
  const m = NAMESPACED.exec(trimmed);
  if (m) return { peer: m[3] ? { namespace: m[1], name: m[2], kind: m[3] } : { namespace: m[1], name: m[2] } };
  const bare = BARE.exec(trimmed);
  if (bare) return { bareName: bare[1] };
  return { invalid: `"${text}" is not a peer: expected ns/name, ns/name[Kind] or an IP address` };
}

/**
 * What a user probably meant by a peer that matched nothing: for a bare name, every workload of that name in any
 * namespace (`production/frontend[Deployment]`); for `ns/name`, the workloads whose `ns/name` is a few edits away.
 */
export function peerSuggestions(snapshot: Snapshot, typed: { readonly namespace?: string; readonly name: string }): string[] {
  if (typed.namespace === undefined) {
    const name = typed.name.toLowerCase();
    const exact = snapshot.workloads.filter((w) => w.name.toLowerCase() === name || w.topLevel.name.toLowerCase() === name);
    if (exact.length > 0) return [...new Set(exact.map(topLevelName))].sort();
    const byName = new Map<string, string>();
    for (const w of snapshot.workloads) byName.set(w.topLevel.name, topLevelName(w));
    return closestNames(typed.name, byName.keys(), 5).map((n) => byName.get(n)!);
  }
  const name = typed.name.toLowerCase();
  const elsewhere = snapshot.workloads.filter((w) => w.name.toLowerCase() === name || w.topLevel.name.toLowerCase() === name);
  if (elsewhere.length > 0) return [...new Set(elsewhere.map(topLevelName))].sort(); // the right name, another namespace
  const byRef = new Map<string, string>();
  for (const w of snapshot.workloads) {
    byRef.set(`${w.namespace}/${w.topLevel.name}`, topLevelName(w));
    byRef.set(`${w.namespace}/${w.name}`, w.displayName);
  }
  // The threshold follows the name's length: a typo in "frontend", not any workload of a long namespace.
  const typedRef = `${typed.namespace}/${typed.name}`;
  const threshold = Math.max(2, Math.floor(typed.name.length / 3));
  return [...new Set(closestNames(typedRef, byRef.keys(), 3, threshold).map((ref) => byRef.get(ref)!))];
}

/** `ns/name[Kind]` of the top-level controller: the name the API and dashboard use. */
function topLevelName(w: Snapshot['workloads'][number]): string {
  return `${w.namespace}/${w.topLevel.name}[${w.topLevel.kind || 'Pod'}]`;
}
