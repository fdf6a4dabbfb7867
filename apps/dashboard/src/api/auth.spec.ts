import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getToken, onUnauthenticated, setToken, TOKEN_STORAGE_KEY } from './auth.js';
import { requestGraphQL, type FetchLike } from './client.js';

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
    const headers: Record<string, string>[] = [];
    const fake: FetchLike = async (_url, init) => {
      headers.push(init.headers as Record<string, string>);
      return new Response(JSON.stringify({ data: { ok: 1 } }), { status: 200 });
    };
    await requestGraphQL('{ ok }', {}, { fetch: fake });
    expect(headers[0]?.authorization).toBe('Bearer npat_abc_def');
  });

  it('is forgotten when the server answers UNAUTHENTICATED, and the sign-in form is told', async () => {
    setToken('npat_revoked');
    let told = 0;
    const stop = onUnauthenticated(() => told++);
    const fake: FetchLike = async () =>
      new Response(JSON.stringify({ errors: [{ message: 'the token is unknown, expired or revoked', extensions: { code: 'UNAUTHENTICATED' } }] }), { status: 401 });
    await expect(requestGraphQL('{ ok }', {}, { fetch: fake })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(getToken()).toBeUndefined();
    expect(told).toBe(1);
    stop();
  });

  it('sends no Authorization header without a token', async () => {
    const headers: Record<string, string>[] = [];
    const fake: FetchLike = async (_url, init) => {
      headers.push(init.headers as Record<string, string>);
      return new Response(JSON.stringify({ data: { ok: 1 } }), { status: 200 });
    };
    await requestGraphQL('{ ok }', {}, { fetch: fake });
    expect(headers[0]).not.toHaveProperty('authorization');
  });
});
