// Who is asking, for the whole request: set once by the auth middleware in an AsyncLocalStorage, read by the
// permission guard (roles) and by the repositories (tenants), so no code path can forget to pass it along.
import { AsyncLocalStorage } from 'node:async_hooks';

export const ROLES = ['viewer', 'ingester', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What an endpoint needs. */
export type Permission = 'read' | 'ingest' | 'report' | 'admin';

/**
 * viewer reads; ingester reads and uploads (a CI job's `netpol check --against CLUSTER@latest` reads the baseline);
 * auditor reads, generates reports and downloads their evidence packs; admin does everything, including tokens and the audit log.
 */
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  viewer: ['read'],
  ingester: ['read', 'ingest'],
  auditor: ['read', 'report'],
  admin: ['read', 'ingest', 'report', 'admin'],
};

export interface Principal {
  /** `token`: an API token; `oidc`: a bearer JWT; `open`: NETPOL_AUTH=off; `anonymous`: no credentials. */
  readonly kind: 'token' | 'oidc' | 'open' | 'anonymous';
  /** The API token's id (kind `token`). */
  readonly tokenId?: string;
  /** Token name or the JWT subject, for the audit log. */
  readonly name: string;
  readonly role?: Role;
  /** Tenants (cluster groups) it may see; null: every tenant. */
  readonly tenants: readonly string[] | null;
  /** Remote address of the request. */
  readonly remote: string;
}

export const ANONYMOUS: Principal = { kind: 'anonymous', name: 'anonymous', tenants: [], remote: '' };
/** In-process work with no request (start-up, the demo loader): sees everything. */
export const SYSTEM: Principal = { kind: 'open', name: 'system', role: 'admin', tenants: null, remote: 'local' };

const storage = new AsyncLocalStorage<Principal>();

export function runAs<T>(principal: Principal, work: () => T): T {
  return storage.run(principal, work);
}

/** The request's principal; SYSTEM outside a request (start-up work). */
export function currentPrincipal(): Principal {
  return storage.getStore() ?? SYSTEM;
}

export function can(principal: Principal, permission: Permission): boolean {
  return principal.role !== undefined && ROLE_PERMISSIONS[principal.role].includes(permission);
}

/** Tenants the current principal may see; null: all. */
export function visibleTenants(): readonly string[] | null {
  return currentPrincipal().tenants;
}

export function canSeeTenant(tenant: string): boolean {
  const tenants = visibleTenants();
  return tenants === null || tenants.includes(tenant);
}

/** The tenant new clusters of this principal go to: its only (or first) tenant, else `default`. */
export function homeTenant(principal: Principal = currentPrincipal()): string {
  return principal.tenants?.[0] ?? DEFAULT_TENANT;
}

export const DEFAULT_TENANT = 'default';
