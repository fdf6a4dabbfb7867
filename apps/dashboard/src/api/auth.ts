// The API token the dashboard sends, kept in sessionStorage (gone when the tab closes; never in localStorage or a
// cookie, so no other site can make the browser send it). A 401 / UNAUTHENTICATED answer clears it and tells the
// AuthGate to ask again.

export const TOKEN_STORAGE_KEY = 'netpol-atlas.token';

type Listener = () => void;
const listeners = new Set<Listener>();

function storage(): Storage | undefined {
  try {
    return typeof sessionStorage === 'undefined' ? undefined : sessionStorage;
  } catch {
    return undefined;
  }
}

export function getToken(): string | undefined {
  return storage()?.getItem(TOKEN_STORAGE_KEY) ?? undefined;
}

export function setToken(token: string): void {
  storage()?.setItem(TOKEN_STORAGE_KEY, token.trim());
}

export function clearToken(): void {
  storage()?.removeItem(TOKEN_STORAGE_KEY);
}

/** The server refused the credentials: forget them and let the gate ask for a token. */
export function reportUnauthenticated(): void {
  clearToken();
  for (const listener of listeners) listener();
}

export function onUnauthenticated(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** `Authorization` for the API, when a token is kept. */
export function authorizationHeader(): Record<string, string> {
  const token = getToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}
