// Minimal GraphQL-over-HTTP client: one POST per operation, typed errors the pages can show. It sends the kept API
// token (api/auth.ts) and reports a refused one.
import { authorizationHeader, reportUnauthenticated } from './auth.js';

export const GRAPHQL_ENDPOINT = '/graphql';

/** A failed request: transport (network or HTTP status) or GraphQL errors in the response body. */
export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    /** `extensions.code` of the first GraphQL error (e.g. NOT_FOUND, BAD_USER_INPUT), or HTTP_<status> / NETWORK. */
    readonly code: string,
  ) {
    super(message);
    this.name = 'GraphQLRequestError';
  }
}

interface GraphQLErrorBody {
  message?: unknown;
  extensions?: { code?: unknown };
}

interface GraphQLResponseBody<TData> {
  data?: TData | null;
  errors?: GraphQLErrorBody[];
}

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export async function requestGraphQL<TData>(
  query: string,
  variables: Record<string, unknown> = {},
  options: { fetch?: FetchLike; signal?: AbortSignal; endpoint?: string } = {},
): Promise<TData> {
  const doFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  let response: Response;
  try {
    response = await doFetch(options.endpoint ?? GRAPHQL_ENDPOINT, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...authorizationHeader(),
      },
      body: JSON.stringify({ query, variables }),
      signal: options.signal,
    });
  } catch (cause) {
    if (options.signal?.aborted) throw cause;
    throw new GraphQLRequestError(`Cannot reach the API: ${describe(cause)}`, 'NETWORK');
  }

  const body = await readJson<TData>(response);
  const firstError = body?.errors?.[0];
  if (firstError) {
    const code = typeof firstError.extensions?.code === 'string' ? firstError.extensions.code : 'GRAPHQL_ERROR';
    if (code === 'UNAUTHENTICATED') reportUnauthenticated();
    const message = typeof firstError.message === 'string' ? firstError.message : 'The API returned an error';
    throw new GraphQLRequestError(message, code);
  }
  if (!response.ok) {
    throw new GraphQLRequestError(`The API answered HTTP ${response.status}`, `HTTP_${response.status}`);
  }
  if (body?.data == null) {
    throw new GraphQLRequestError('The API answered without data', 'NO_DATA');
  }
  return body.data;
}

async function readJson<TData>(response: Response): Promise<GraphQLResponseBody<TData> | undefined> {
  try {
    return (await response.json()) as GraphQLResponseBody<TData>;
  } catch {
    // A non-JSON body (e.g. an HTML error page) is reported through the HTTP status below.
    if (response.ok) throw new GraphQLRequestError('The API answered with a body that is not JSON', 'BAD_RESPONSE');
    return undefined;
  }
}

function describe(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
