// The built API server in these tests authenticates (issue 9): it is started with NETPOL_BOOTSTRAP_ADMIN_TOKEN, and
// the CLI (in-process or spawned) sends the same token through NETPOL_TOKEN, as a CI job would.
import { randomBytes } from 'node:crypto';

export const ADMIN_TOKEN = `npat_${randomBytes(9).toString('base64url')}_${randomBytes(32).toString('base64url')}`;

/** Environment for the API server child: its HMAC secret and first admin token. */
export const SERVER_AUTH_ENV = { NETPOL_TOKEN_SECRET: randomBytes(32).toString('base64url'), NETPOL_BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN };

/** Headers for the tests' own `fetch` calls to the server. */
export const AUTH = { authorization: `Bearer ${ADMIN_TOKEN}` };
