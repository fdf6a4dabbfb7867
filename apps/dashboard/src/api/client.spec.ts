import { parse } from 'graphql';
import type { TypedDocumentNode } from '@urql/core';
import { describe, expect, it } from 'vitest';
import { createGraphQLClient, GraphQLRequestError, requestGraphQL, type FetchLike } from './client.js';

const jsonResponse = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const doc = <TData,>(text: string) => parse(text) as unknown as TypedDocumentNode<TData, Record<string, unknown>>;

describe('requestGraphQL (urql client)', () => {
  it('POSTs the query and variables as JSON to /graphql and returns data', async () => {
    const calls: Array<{ url: string; init: RequestInit }> = [];
    const fake: FetchLike = async (url, init) => {
      calls.push({ url: String(url), init });
      return jsonResponse({ data: { ok: 1 } });
    };
    const client = createGraphQLClient({ fetch: fake });
    await expect(requestGraphQL(doc<{ ok: number }>('query Q { ok }'), { a: 1 }, { client })).resolves.toEqual({ ok: 1 });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe('/graphql');
    expect(calls[0]?.init.method).toBe('POST');
    const body = JSON.parse(String(calls[0]?.init.body)) as { query: string; variables: unknown; operationName: string };
    expect(body.variables).toEqual({ a: 1 });
    expect(body.operationName).toBe('Q');
    expect(body.query).toContain('query Q');
  });

  it('raises the first GraphQL error with its extensions.code and located issues', async () => {
    const issues = [{ code: 'INVALID_CIDR', message: 'bad', file: 'a.yaml', document: 1, path: 'spec.x', line: 4 }];
    const fake: FetchLike = async () =>
      jsonResponse({ data: null, errors: [{ message: 'Invalid manifests', extensions: { code: 'BAD_USER_INPUT', issues } }] });
    const error = await requestGraphQL(doc('{ x }'), {}, { client: createGraphQLClient({ fetch: fake }) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphQLRequestError);
    expect(error).toMatchObject({ message: 'Invalid manifests', code: 'BAD_USER_INPUT', issues });
  });

  it('reports HTTP failures with a non-JSON body by status', async () => {
    const fake: FetchLike = async () => new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway' });
    await expect(requestGraphQL(doc('{ x }'), {}, { client: createGraphQLClient({ fetch: fake }) })).rejects.toMatchObject({
      code: 'HTTP_502',
    });
  });

  it('reports an unreachable server as NETWORK', async () => {
    const fake: FetchLike = async () => {
      throw new TypeError('fetch failed');
    };
    await expect(requestGraphQL(doc('{ x }'), {}, { client: createGraphQLClient({ fetch: fake }) })).rejects.toMatchObject({
      code: 'NETWORK',
      message: 'Cannot reach the API: fetch failed',
    });
  });
});
