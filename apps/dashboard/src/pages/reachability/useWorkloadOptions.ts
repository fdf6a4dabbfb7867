import { useEffect, useState } from 'react';
import { GraphQLRequestError, requestGraphQL } from '../../api/client.js';
import { PAGE_SIZES, WORKLOAD_OPTIONS_QUERY } from '../../api/queries.js';
import type { WorkloadOptionsData, WorkloadRef } from '../../api/types.js';
import type { QueryState } from '../../api/useQuery.js';

/** Every workload of the snapshot (the API pages by 100, so this follows the cursor to the end). */
export function useWorkloadOptions(id: string): QueryState<WorkloadRef[]> {
  const [state, setState] = useState<{ id: string; value: QueryState<WorkloadRef[]> }>({
    id,
    value: { status: 'loading' },
  });
  useEffect(() => {
    const controller = new AbortController();
    loadAllWorkloads(id, controller.signal)
      .then((workloads) => {
        if (!controller.signal.aborted) setState({ id, value: { status: 'success', data: workloads } });
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return;
        const typed = error instanceof GraphQLRequestError ? error : new GraphQLRequestError(String(error), 'UNEXPECTED');
        setState({ id, value: { status: 'error', error: typed } });
      });
    return () => controller.abort();
  }, [id]);
  return state.id === id ? state.value : { status: 'loading' };
}

async function loadAllWorkloads(id: string, signal: AbortSignal): Promise<WorkloadRef[]> {
  const workloads: WorkloadRef[] = [];
  let after: string | null = null;
  do {
    const data: WorkloadOptionsData = await requestGraphQL(
      WORKLOAD_OPTIONS_QUERY,
      { id, first: PAGE_SIZES.workloadOptions, after },
    );
    if (signal.aborted) break;
    if (!data.snapshot) throw new GraphQLRequestError(`Snapshot ${id} not found`, 'NOT_FOUND');
    const page = data.snapshot.workloads;
    workloads.push(...page.edges.map((edge) => edge.node));
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return workloads;
}
