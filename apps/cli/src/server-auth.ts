// Credentials for the Netpol Atlas server: `NETPOL_TOKEN` (an API token from an admin, or an OIDC bearer JWT) is sent
// as `Authorization: Bearer …` by every command that talks to the server (push, collect --push, server refs in
// diff/check, audit verify).
export function authHeaders(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const token = env.NETPOL_TOKEN?.trim();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** A hint for a 401/403 answer: what to set. */
export function authHint(status: number, env: NodeJS.ProcessEnv = process.env): string {
  if (status === 401) return env.NETPOL_TOKEN ? ' (NETPOL_TOKEN is not accepted: unknown, expired or revoked)' : ' (set NETPOL_TOKEN to an API token)';
  if (status === 403) return ' (the token in NETPOL_TOKEN lacks the role or tenant for this)';
  return '';
}
