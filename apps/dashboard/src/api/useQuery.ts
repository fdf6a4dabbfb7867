import { useEffect, useState } from 'react';
import { GraphQLRequestError, requestGraphQL } from './client.js';

export type QueryState<TData> =
  | { status: 'loading' }
  | { status: 'error'; error: GraphQLRequestError }
  | { status: 'success'; data: TData };

/** Runs a GraphQL query on mount and whenever the variables change; stale answers are dropped. */
export function useQuery<TData>(query: string, variables: Record<string, unknown> = {}): QueryState<TData> {
  const variablesKey = JSON.stringify(variables);
  const [state, setState] = useState<{ key: string; value: QueryState<TData> }>({
    key: variablesKey,
    value: { status: 'loading' },
  });

  useEffect(() => {
    const controller = new AbortController();
    const settle = (value: QueryState<TData>) => {
      if (!controller.signal.aborted) setState({ key: variablesKey, value });
    };
    requestGraphQL<TData>(query, JSON.parse(variablesKey) as Record<string, unknown>, { signal: controller.signal })
      .then((data) => settle({ status: 'success', data }))
      .catch((error: unknown) => {
        const typed =
          error instanceof GraphQLRequestError ? error : new GraphQLRequestError(String(error), 'UNEXPECTED');
        settle({ status: 'error', error: typed });
      });
    return () => controller.abort();
  }, [query, variablesKey]);

  // Until the effect for new variables settles, show loading rather than the previous answer.
  return state.key === variablesKey ? state.value : { status: 'loading' };
}
