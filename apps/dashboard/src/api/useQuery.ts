import { useQuery as useUrqlQuery } from 'urql';
import type { AnyVariables, TypedDocumentNode } from '@urql/core';
import { GraphQLRequestError, toRequestError } from './client.js';

export type QueryState<TData> =
  | { status: 'loading' }
  | { status: 'error'; error: GraphQLRequestError }
  | { status: 'success'; data: TData };

/**
 * Runs a typed GraphQL query through the urql client (cache-and-network: a page seen before shows at once and
 * refreshes), as a three-state value the pages render. `pause` skips the request (e.g. an incomplete question).
 */
export function useQuery<TData, TVariables extends AnyVariables>(
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  options: { pause?: boolean } = {},
): QueryState<TData> {
  const [result] = useUrqlQuery<TData, TVariables>({
    query: document,
    variables,
    pause: options.pause,
    requestPolicy: 'cache-and-network',
  });
  // urql keeps the previous answer while the next variables load: show loading instead of another question's data.
  const current = !result.operation || JSON.stringify(result.operation.variables) === JSON.stringify(variables);
  if (!current) return { status: 'loading' };
  if (result.error) return { status: 'error', error: toRequestError(result.error) };
  if (result.data !== undefined) return { status: 'success', data: result.data };
  if (!result.fetching && !options.pause) {
    return { status: 'error', error: new GraphQLRequestError('The API answered without data', 'NO_DATA') };
  }
  return { status: 'loading' };
}
