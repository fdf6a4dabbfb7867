import type { TypedDocumentNode } from '@urql/core';
import { parse } from 'graphql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getToken, onUnauthenticated, setToken, TOKEN_STORAGE_KEY } from './auth.js';
import { createGraphQLClient, requestGraphQL, type FetchLike } from './client.js';

const OK = parse('query Ok { ok }') as unknown as TypedDocumentNode<{ ok: number }, Record<string, never>>;
/** One request through the dashboard's urql client with a fake fetch; the headers as urql sent them. */
const ask = (fake: FetchLike) => requestGraphQL(OK, {}, { client: createGraphQLClient({ fetch: fake }) });
const headerOf = (init: RequestInit, name: string) => new Headers(init.headers).get(name);

/** A sessionStorage for the node test environment. */
function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, String(value)),
  };
}

describe('the API token of the dashboard', () => {
  beforeEach(() => {
    (globalThis as { sessionStorage?: Storage }).sessionStorage = memoryStorage();
  });
  afterEach(() => {
    delete (globalThis as { sessionStorage?: Storage }).sessionStorage;
  });

  it('is kept in sessionStorage and sent as a Bearer token with every GraphQL request', async () => {
    setToken('  npat_abc_def  ');
    expect(sessionStorage.getItem(TOKEN_STORAGE_KEY)).toBe('npat_abc_def');
    const sent: RequestInit[] = [];
    const fake: FetchLike = async (_url, init) => {
      sent.push(init);
      return new Response(JSON.stringify({ data: { ok: 1 } }), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    await ask(fake);
    expect(headerOf(sent[0]!, 'authorization')).toBe('Bearer npat_abc_def');
  });

  it('is forgotten when the server answers UNAUTHENTICATED, and the sign-in form is told', async () => {
    setToken('npat_revoked');
    let told = 0;
    const stop = onUnauthenticated(() => told++);
    const fake: FetchLike = async () =>
      new Response(JSON.stringify({ errors: [{ message: 'the token is unknown, expired or revoked', extensions: { code: 'UNAUTHENTICATED' } }] }), {
        status: 401,
        headers: { 'content-type': 'application/json' },
      });
    await expect(ask(fake)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(getToken()).toBeUndefined();
    expect(told).toBe(1);
    stop();
  });

  it('sends no Authorization header without a token', async () => {
    const sent: RequestInit[] = [];
    const fake: FetchLike = async (_url, init) => {
      sent.push(init);
      return new Response(JSON.stringify({ data: { ok: 1 } }), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    await ask(fake);
    expect(headerOf(sent[0]!, 'authorization')).toBeNull();
  });
});
