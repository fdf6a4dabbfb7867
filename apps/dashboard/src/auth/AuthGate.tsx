// Asks for an API token before the pages run (kept in sessionStorage), unless the server runs with
// NETPOL_AUTH=off, in which case every page shows a banner saying that anyone who reaches it is an admin.
import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { clearToken, onUnauthenticated, setToken } from '../api/auth.js';
import { requestGraphQL } from '../api/client.js';
import { VIEWER_QUERY } from '../api/queries.js';


interface ViewerAnswer {
  viewer: { auth: string; authenticated: boolean; name: string | null; role: string | null };
}

type GateState =
  | { status: 'checking' }
  | { status: 'open' }
  | { status: 'signed-in'; name: string; role: string }
  | { status: 'needs-token'; error?: string };

export function AuthGate({ children }: { children: ReactNode }) {
  const [state, setState] = useState<GateState>({ status: 'checking' });

  const check = useCallback(async (refusedMessage?: string) => {
    try {
      const { viewer } = (await requestGraphQL(VIEWER_QUERY, {})) as ViewerAnswer;
      if (viewer.auth === 'off') setState({ status: 'open' });
      else if (viewer.authenticated) setState({ status: 'signed-in', name: viewer.name ?? '', role: viewer.role ?? '' });
      else setState({ status: 'needs-token', error: refusedMessage });
    } catch (error) {
      setState({ status: 'needs-token', error: refusedMessage ?? (error instanceof Error ? error.message : String(error)) });
    }
  }, []);

  useEffect(() => {
    void check();
    return onUnauthenticated(() => setState({ status: 'needs-token', error: 'The server did not accept the token.' }));
  }, [check]);

  if (state.status === 'checking') return <p className="auth-checking">Connecting…</p>;
  if (state.status === 'needs-token') {
    return <TokenPrompt error={state.error} onToken={(token) => (setToken(token), void check('The server did not accept the token.'))} />;
  }
  return (
    <>
      {state.status === 'open' ? (
        <p className="auth-banner auth-banner--open" role="alert">
          Authentication is off (NETPOL_AUTH=off): anyone who can reach this server can read and change everything.
        </p>
      ) : (
        <p className="auth-banner">
          Signed in as {state.name} ({state.role}).{' '}
          <button type="button" className="link-button" onClick={() => (clearToken(), setState({ status: 'needs-token' }))}>
            Sign out
          </button>
        </p>
      )}
      {children}
    </>
  );
}

function TokenPrompt({ error, onToken }: { error?: string; onToken: (token: string) => void }) {
  const [value, setValue] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (value.trim()) onToken(value.trim());
  };
  return (
    <main id="main" className="auth-prompt">
      <h1>Netpol Atlas</h1>
      <form onSubmit={submit} aria-label="Sign in">
        <label htmlFor="netpol-token">API token</label>
        <input id="netpol-token" type="password" autoComplete="off" value={value} onChange={(event) => setValue(event.target.value)} />
        <button type="submit">Sign in</button>
        <p className="hint">Ask an admin for a token (the first one is printed at the server&apos;s first start). It is kept for this tab only.</p>
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
      </form>
    </main>
  );
}
