// The dashboard's only way to the API: one urql client for every GraphQL operation (pages use the hooks in
// useQuery.ts or `requestGraphQL`). Request headers are set here alone, so authentication can be added in one place.
import { Client, CombinedError, cacheExchange, fetchExchange, type AnyVariables, type TypedDocumentNode } from '@urql/core';
import { authorizationHeader, reportUnauthenticated } from './auth.js';

export const GRAPHQL_ENDPOINT = '/graphql';

/** A located problem in uploaded manifests (BAD_USER_INPUT `extensions.issues`). */
export interface ManifestIssue {
  code: string;
  message: string;
  file?: string | null;
  document?: number | null;
  line?: number | null;
  path?: string | null;
  severity?: string | null;
}

/** A failed request: transport (network or HTTP status) or GraphQL errors in the response body. */
export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    /** `extensions.code` of the first GraphQL error (e.g. NOT_FOUND, BAD_USER_INPUT), or HTTP_<status> / NETWORK. */
    readonly code: string,
    /** The located issues of a BAD_USER_INPUT answer (uploads, what-if manifests); else empty. */
    readonly issues: readonly ManifestIssue[] = [],
  ) {
    super(message);
    this.name = 'GraphQLRequestError';
  }
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Headers of every GraphQL request (urql's and GraphiQL's): the one place authentication is added (the kept API
 *  token, api/auth.ts). */
export function graphqlHeaders(): Record<string, string> {
  return { accept: 'application/graphql-response+json, application/json', ...authorizationHeader() };
}

export function createGraphQLClient(options: { fetch?: FetchLike; url?: string } = {}): Client {
  return new Client({
    url: options.url ?? GRAPHQL_ENDPOINT,
    // Document cache: a query answered once is served from memory until a mutation touches its types.
    exchanges: [cacheExchange, fetchExchange],
    preferGetMethod: false,
    fetch: options.fetch as typeof fetch | undefined,
    fetchOptions: () => ({ headers: graphqlHeaders() }),
  });
}

/** The client every page uses (provided to React in main.tsx). */
export const graphqlClient = createGraphQLClient();

/** Turns urql's CombinedError into the dashboard's typed error. */
export function toRequestError(error: unknown): GraphQLRequestError {
  if (error instanceof GraphQLRequestError) return error;
  if (error instanceof CombinedError) {
    const first = error.graphQLErrors[0];
    if (first) {
      const code = typeof first.extensions?.code === 'string' ? first.extensions.code : 'GRAPHQL_ERROR';
      // A refused token is forgotten and the sign-in form asks again.
      if (code === 'UNAUTHENTICATED') reportUnauthenticated();
      const issues = Array.isArray(first.extensions?.issues) ? (first.extensions.issues as ManifestIssue[]) : [];
      return new GraphQLRequestError(first.message || 'The API returned an error', code, issues);
    }
    const response = error.response as Response | undefined;
    if (response && typeof response.status === 'number' && !response.ok) {
      if (response.status === 401) reportUnauthenticated();
      return new GraphQLRequestError(`The API answered HTTP ${response.status}`, `HTTP_${response.status}`);
    }
    const cause = error.networkError?.message ?? error.message;
    return new GraphQLRequestError(`Cannot reach the API: ${cause}`, 'NETWORK');
  }
  return new GraphQLRequestError(error instanceof Error ? error.message : String(error), 'UNEXPECTED');
}

/** One query or mutation as a promise (for "Show more" pages and form submissions). Network-only: never cached. */
export async function requestGraphQL<TData, TVariables extends AnyVariables>(
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  options: { client?: Client; mutation?: boolean } = {},
): Promise<TData> {
  const client = options.client ?? graphqlClient;
  const result = options.mutation
    ? await client.mutation(document, variables).toPromise()
    : await client.query(document, variables, { requestPolicy: 'network-only' }).toPromise();
  if (result.error) throw toRequestError(result.error);
  if (result.data == null) throw new GraphQLRequestError('The API answered without data', 'NO_DATA');
  return result.data;
}
