// Authentication for every route (Express middleware, before Nest and Apollo): `Authorization: Bearer <token>` is
// an API token (`npat_…`) or, when OIDC is configured, a JWT. A presented credential that does not verify is a 401
// at once; no credential continues as anonymous and the permission guard decides. The principal is kept in an
// AsyncLocalStorage for the rest of the request.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppConfig } from '../config/app-config.js';
import type { ApiTokensService } from './api-tokens.service.js';
import type { OidcVerifier } from './oidc.js';
import { sendError } from '../errors/error-body.js';
import { ANONYMOUS, runAs, type Principal } from './principal.js';

type Next = (error?: unknown) => void;

export const remoteAddress = (req: IncomingMessage) => req.socket.remoteAddress ?? '';

export function unauthorized(req: IncomingMessage, res: ServerResponse, message: string): void {
  res.setHeader('WWW-Authenticate', 'Bearer realm="netpol-atlas"');
  sendError(req, res, 401, message, 'UNAUTHENTICATED');
}

export function authMiddleware(config: AppConfig, tokens: ApiTokensService, oidc: OidcVerifier | undefined) {
  return (req: IncomingMessage, res: ServerResponse, next: Next): void => {
    const remote = remoteAddress(req);
    // Probes answer whatever the credentials (and must not depend on the token table being readable).
    if (req.url === '/healthz' || req.url === '/readyz') {
      runAs({ ...ANONYMOUS, remote }, next);
      return;
    }
    if (config.auth === 'off') {
      runAs({ kind: 'open', name: 'open (NETPOL_AUTH=off)', role: 'admin', tenants: null, remote }, next);
      return;
    }
    const header = req.headers.authorization;
    if (!header) {
      runAs({ ...ANONYMOUS, remote }, next);
      return;
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) return unauthorized(req, res, 'the Authorization header must be `Bearer <token>`');
    const credential = match[1];
    const verify = async (): Promise<Principal | undefined> => {
      if (credential.startsWith('npat_')) {
        const row = await tokens.verify(credential);
        return row && { kind: 'token', tokenId: row.id, name: row.name, role: row.role, tenants: row.tenants, remote };
      }
      return oidc?.verify(credential, remote);
    };
    verify().then(
      (principal) => (principal ? runAs(principal, next) : unauthorized(req, res, 'the token is unknown, expired or revoked')),
      next,
    );
  };
}
