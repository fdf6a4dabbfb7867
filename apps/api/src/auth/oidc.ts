// OIDC as a second way in: a bearer JWT signed by the configured issuer (keys from its JWKS), with the audience
// when one is configured. The role comes from a claim (a string or an array: the strongest known role wins);
// tenants from another claim (absent: none, so such a principal sees no cluster unless it is an admin).
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { ROLES, type Principal, type Role } from './principal.js';

export interface OidcConfig {
  readonly issuer: string;
  readonly jwksUrl: string;
  readonly audience?: string;
  /** Claim holding the role(s) (default `netpol_roles`). */
  readonly rolesClaim: string;
  /** Claim holding the tenants (default `netpol_tenants`); `*` in it means every tenant. */
  readonly tenantsClaim: string;
}

const RANK: Record<Role, number> = { viewer: 0, ingester: 1, auditor: 1, admin: 2 };

export function roleFromClaim(value: unknown): Role | undefined {
  const values = (Array.isArray(value) ? value : [value]).filter((v): v is Role => typeof v === 'string' && (ROLES as readonly string[]).includes(v));
  if (values.includes('ingester') && values.includes('auditor')) return values.includes('admin') ? 'admin' : 'auditor';
  return values.sort((a, b) => RANK[b] - RANK[a])[0];
}

export class OidcVerifier {
  private readonly keys: ReturnType<typeof createRemoteJWKSet>;

  constructor(private readonly config: OidcConfig) {
    this.keys = createRemoteJWKSet(new URL(config.jwksUrl), { timeoutDuration: 5000 });
  }

  /** The principal of a valid JWT, or undefined (bad signature, issuer, audience, expiry, or no known role). */
  async verify(jwt: string, remote: string): Promise<Principal | undefined> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(jwt, this.keys, { issuer: this.config.issuer, audience: this.config.audience, clockTolerance: 30 }));
    } catch {
      return undefined;
    }
    const role = roleFromClaim(payload[this.config.rolesClaim]);
    if (!role) return undefined;
    const claim = payload[this.config.tenantsClaim];
    const list = (Array.isArray(claim) ? claim : typeof claim === 'string' ? [claim] : []).filter((t): t is string => typeof t === 'string');
    const tenants = list.includes('*') || (role === 'admin' && claim === undefined) ? null : [...new Set(list)].sort();
    return { kind: 'oidc', name: `oidc:${payload.sub ?? 'unknown'}`, role, tenants, remote };
  }
}
