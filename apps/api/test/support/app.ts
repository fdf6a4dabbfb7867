// Boots the real application (NestFactory, as main.ts does) on its own database of the test server, the way
// production runs it: migrations as the owner role, the server as the app role `netpol_app` (INSERT/SELECT on
// evidence only), authentication on. Tests talk to it through `t.http`, a supertest agent that sends an admin
// token (uploads set their Content-Type: text/plain and forms are refused), or through
// `t.tokenFor(role, tenants)` / `t.as(token)` for other principals; `gql(t, …)` uses the admin token too.
import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import { inject } from 'vitest';
import { createApp } from '../../src/app.js';
import { ApiTokensService } from '../../src/auth/api-tokens.service.js';
import { SYSTEM, type Role } from '../../src/auth/principal.js';
import { MiB, type AppConfig } from '../../src/config/app-config.js';
import { createDatabase } from './database.js';

export interface TestApp {
  readonly app: INestApplication;
  readonly server: Server;
  /** The database as its owner (migrations, direct inspection with `pg`). */
  readonly databaseUrl: string;
  /** The same database as the app role the server connects as. */
  readonly appDatabaseUrl: string;
  /** An admin API token (every tenant). */
  readonly adminToken: string;
  /** supertest agent sending `Authorization: Bearer <admin token>`. */
  readonly http: request.Agent;
  /** A new token of `role` (tenants: null = every tenant). */
  tokenFor(role: Role, tenants?: readonly string[] | null, expiresAt?: Date | null): Promise<string>;
  /** supertest agent sending `token` (undefined: no Authorization header at all). */
  as(token: string | undefined): request.Agent;
  close(): Promise<void>;
}

/** The app role's URL for a database of the test server. */
export function appRoleUrl(ownerUrl: string): string {
  const url = new URL(inject('appDatabaseUrl'));
  url.pathname = new URL(ownerUrl).pathname;
  return url.toString();
}

export function agentFor(server: Server, token: string | undefined): request.Agent {
  const agent = request.agent(server);
  return token ? agent.set('Authorization', `Bearer ${token}`) : agent;
}

export async function startApp(overrides: Partial<AppConfig> = {}): Promise<TestApp> {
  const databaseUrl = overrides.databaseUrl ?? (await createDatabase('app'));
  const appDatabaseUrl = appRoleUrl(databaseUrl);
  const app = await createApp(
    {
      bodyLimit: 64 * MiB,
      loadDemoData: false,
      auth: 'on',
      tokenSecret: randomBytes(32).toString('base64url'),
      createFirstAdminToken: false,
      // Tests fire many requests from one address; the rate-limit test sets its own.
      rateLimitPerMinute: 1_000_000,
      ...overrides,
      databaseUrl: appDatabaseUrl,
      migrationDatabaseUrl: databaseUrl,
    },
    ['error', 'warn'],
  );
  const server = app.getHttpServer() as Server;
  const tokens = app.get(ApiTokensService);
  const tokenFor = async (role: Role, tenants: readonly string[] | null = null, expiresAt: Date | null = null) =>
    (await tokens.create({ name: `test ${role}`, role, tenants, expiresAt }, SYSTEM)).token;
  const adminToken = await tokenFor('admin');
  return {
    app,
    server,
    databaseUrl,
    appDatabaseUrl,
    adminToken,
    http: agentFor(server, adminToken),
    tokenFor,
    as: (token) => agentFor(server, token),
    close: () => app.close(),
  };
}

/** Uploads a `kubectl get -o json` List (e.g. a synthetic cluster's) as a new snapshot of `cluster`; expects 201. */
export async function uploadJsonList(t: TestApp, cluster: string, list: unknown): Promise<{ id: string; contentSha256: string }> {
  const res = await t.http.post(`/api/v1/clusters/${cluster}/snapshots`).set('Content-Type', 'application/json').send(JSON.stringify(list));
  if (res.status !== 201) throw new Error(`upload of ${cluster}: ${res.status} ${res.text.slice(0, 300)}`);
  return res.body as { id: string; contentSha256: string };
}
