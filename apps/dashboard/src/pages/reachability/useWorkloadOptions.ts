import { PAGE_SIZES, WORKLOAD_OPTIONS_QUERY } from '../../api/queries.js';
import type { WorkloadRef } from '../../api/types.js';
import { useQuery, type QueryState } from '../../api/useQuery.js';
import { GraphQLRequestError } from '../../api/client.js';

export interface WorkloadOptions {
  /** The first page of workloads (all of them when `complete`). */
  workloads: WorkloadRef[];
  /** False when the snapshot has more workloads than one page: the form searches instead of listing. */
  complete: boolean;
}

/** The workloads for the reachability form's pickers: one request, never a loop over pages. */
export function useWorkloadOptions(id: string): QueryState<WorkloadOptions> {
  const state = useQuery(WORKLOAD_OPTIONS_QUERY, { id, first: PAGE_SIZES.workloadOptions });
  if (state.status !== 'success') return state;
  const snapshot = state.data.snapshot;
  if (!snapshot) return { status: 'error', error: new GraphQLRequestError(`Snapshot ${id} not found`, 'NOT_FOUND') };
  const workloads = snapshot.workloads.edges.map((edge) => edge.node);
  return { status: 'success', data: { workloads, complete: workloads.length >= snapshot.workloads.totalCount } };
}

/** Workloads whose `namespace/name` contains `text` (server-side search), for a big snapshot's picker. */
export function useWorkloadSearch(id: string, text: string): WorkloadRef[] {
  const search = text.replace(/\[.*$/, '').trim();
  const state = useQuery(WORKLOAD_OPTIONS_QUERY, { id, first: PAGE_SIZES.workloadSearch, search }, { pause: search.length < 2 });
  return state.status === 'success' ? (state.data.snapshot?.workloads.edges.map((edge) => edge.node) ?? []) : [];
}
