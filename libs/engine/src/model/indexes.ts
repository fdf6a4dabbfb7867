// Per-snapshot lookup indexes, built on first use (snapshots are immutable).
import type { PolicyModel, Snapshot, Workload } from './types.js';

interface SnapshotIndexes {
  readonly policiesByNamespace: ReadonlyMap<string, readonly PolicyModel[]>;
  /** Policies that select pods by a namespace selector (cluster-scoped kinds). */
  readonly clusterScoped: readonly PolicyModel[];
  readonly workloadsByNamespace: ReadonlyMap<string, readonly Workload[]>;
}

const cache = new WeakMap<Snapshot, SnapshotIndexes>();

function indexes(snapshot: Snapshot): SnapshotIndexes {
  let found = cache.get(snapshot);
  if (!found) {
    found = {
      policiesByNamespace: groupBy(snapshot.policies, (p) => p.namespace),
      clusterScoped: snapshot.policies.filter((p) => p.subjectNamespaces !== null),
      workloadsByNamespace: groupBy(snapshot.workloads, (w) => w.namespace),
    };
    cache.set(snapshot, found);
  }
  return found;
}

/** Policies of one namespace, in snapshot order (sorted by full name). */
export function policiesIn(snapshot: Snapshot, namespace: string): readonly PolicyModel[] {
  return indexes(snapshot).policiesByNamespace.get(namespace) ?? [];
}

/** Policies whose subjects are chosen by a namespace selector, in snapshot order. */
export function clusterScopedPolicies(snapshot: Snapshot): readonly PolicyModel[] {
  return indexes(snapshot).clusterScoped;
}

/** Workloads of one namespace, in snapshot order (sorted by display name). */
export function workloadsIn(snapshot: Snapshot, namespace: string): readonly Workload[] {
  return indexes(snapshot).workloadsByNamespace.get(namespace) ?? [];
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
