import { describe, expect, it } from 'vitest';
import { GraphQLRequestError, requestGraphQL, type FetchLike } from './client.js';

const jsonResponse = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('requestGraphQL', () => {
  it('POSTs the query and variables as JSON to /graphql and returns data', async () => {
    const calls: Array<{ url: string; init: RequestInit }> = [];
    const fake: FetchLike = async (url, init) => {
      calls.push({ url, init });
      return jsonResponse({ data: { ok: 1 } });
    };
    await expect(requestGraphQL('query Q { ok }', { a: 1 }, { fetch: fake })).resolves.toEqual({ ok: 1 });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe('/graphql');
    expect(calls[0]?.init.method).toBe('POST');
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({ query: 'query Q { ok }', variables: { a: 1 } });
  });

  it('raises the first GraphQL error with its extensions.code', async () => {
    const fake: FetchLike = async () =>
      jsonResponse({ data: null, errors: [{ message: 'Snapshot x not found', extensions: { code: 'NOT_FOUND' } }] });
    const error = await requestGraphQL('{ x }', {}, { fetch: fake }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphQLRequestError);
    expect(error).toMatchObject({ message: 'Snapshot x not found', code: 'NOT_FOUND' });
  });

  it('reports HTTP failures with a non-JSON body by status', async () => {
    const fake: FetchLike = async () => new Response('<html>bad gateway</html>', { status: 502 });
    await expect(requestGraphQL('{ x }', {}, { fetch: fake })).rejects.toMatchObject({ code: 'HTTP_502' });
  });

  it('reports an unreachable server as NETWORK', async () => {
    const fake: FetchLike = async () => {
      throw new TypeError('fetch failed');
    };
    await expect(requestGraphQL('{ x }', {}, { fetch: fake })).rejects.toMatchObject({
      code: 'NETWORK',
      message: 'Cannot reach the API: fetch failed',
    });
  });
});
