// Caveats: what a verdict cannot be certain of. A snapshot may hold policy kinds no dialect models yet; every
// verdict, connectivity row and report whose ends such a policy could select names it, so that "allowed" or
// "denied" is never claimed as certain when an unmodelled policy could change it.
import type { Snapshot, UnmodelledPolicy } from '../model/types.js';

export interface Caveat {
  readonly code: 'UNMODELLED_POLICY';
  readonly dialect: string;
  readonly apiVersion: string;
  readonly kind: string;
  /** '' for a cluster-scoped policy. */
  readonly namespace: string;
  readonly name: string;
  readonly message: string;
}

function caveatOf(p: UnmodelledPolicy): Caveat {
  const id = p.namespace ? `${p.namespace}/${p.name}` : p.name;
  return {
    code: 'UNMODELLED_POLICY',
    dialect: p.dialect,
    apiVersion: p.apiVersion,
    kind: p.kind,
    namespace: p.namespace,
    name: p.name,
    message: `${p.kind} ${id} (${p.apiVersion}) is not modelled yet and may select this connection's pods: the verdict ignores it`,
  };
}

/** Unmodelled policies that could select a pod of one of these namespaces (a namespaced policy: pods of its
 *  namespace; a cluster-scoped one: any pod), sorted. Selectors are not read: a dialect that is not modelled
 *  is not trusted to be parsed either, so "could select" is decided by scope alone. */
export function caveatsForNamespaces(snapshot: Snapshot, namespaces: readonly string[]): Caveat[] {
  if (snapshot.unmodelled.length === 0 || namespaces.length === 0) return [];
  const wanted = new Set(namespaces);
  return snapshot.unmodelled.filter((p) => p.namespace === '' || wanted.has(p.namespace)).map(caveatOf);
}

/** Every unmodelled policy of the snapshot as a caveat (for whole-snapshot reports), sorted. */
export function snapshotCaveats(snapshot: Snapshot): Caveat[] {
  return snapshot.unmodelled.map(caveatOf);
}
