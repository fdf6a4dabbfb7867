// Who may do what (issue 9): every role × endpoint (REST and GraphQL) × tenant, token lifecycle (shown once, stored
// as an HMAC, prefix, expiry, revocation, last use), and tenant isolation in lists, counts, inventory and errors.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../src/auth/principal.js';
import { TOKEN_PATTERN } from '../src/auth/api-tokens.service.js';
import { startApp, type TestApp } from './support/app.js';
import { withClient } from './support/database.js';
import { errorCodes, gql, type Json } from './support/graphql.js';

const NAMESPACE = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}}\n`;
const GHOST = '00000000-0000-4000-8000-00000000dead';

type Who = 'anonymous' | 'viewerA' | 'ingesterA' | 'auditorA' | 'adminAll' | 'viewerB' | 'ingesterB';

describe('authentication and authorisation', () => {
  let t: TestApp;
  const tokens = {} as Record<Who, string | undefined>;
  let alphaId: string;
  let betaId: string;

  const as = (who: Who) => t.as(tokens[who]);
  const gqlAs = (who: Who, query: string, variables: Record<string, unknown> = {}) => gql({ server: t.server, adminToken: tokens[who] }, query, variables);
  const upload = (who: Who, cluster: string, body = NAMESPACE(`ns-${cluster}`)) =>
    as(who).post(`/api/v1/clusters/${cluster}/snapshots`).set('Content-Type', 'application/yaml').send(body);

  beforeAll(async () => {
    t = await startApp();
    const make = (role: Role, tenants: string[] | null) => t.tokenFor(role, tenants);
    tokens.anonymous = undefined;
    tokens.viewerA = await make('viewer', ['team-a']);
    tokens.ingesterA = await make('ingester', ['team-a']);
    tokens.auditorA = await make('auditor', ['team-a']);
    tokens.adminAll = t.adminToken;
    tokens.viewerB = await make('viewer', ['team-b']);
    tokens.ingesterB = await make('ingester', ['team-b']);
    // A cluster per tenant, created by its ingester (new clusters go to the token's tenant).
    const alpha = await upload('ingesterA', 'alpha');
    expect(alpha.status, alpha.text).toBe(201);
    alphaId = alpha.body.id;
    const beta = await upload('ingesterB', 'beta');
    expect(beta.status, beta.text).toBe(201);
    betaId = beta.body.id;
  });
  afterAll(() => t?.close());

  // Expected REST status per principal; 404 where the resource is another tenant's (it must look absent).
  const REST: { name: string; call: (who: Who) => request.Test; expect: Record<Who, number> }[] = [
    {
      name: 'GET /api/v1/clusters',
      call: (who) => as(who).get('/api/v1/clusters'),
      expect: { anonymous: 401, viewerA: 200, ingesterA: 200, auditorA: 200, adminAll: 200, viewerB: 200, ingesterB: 200 },
    },
    {
      name: 'GET /api/v1/snapshots/{alpha}',
      call: (who) => as(who).get(`/api/v1/snapshots/${alphaId}`),
      expect: { anonymous: 401, viewerA: 200, ingesterA: 200, auditorA: 200, adminAll: 200, viewerB: 404, ingesterB: 404 },
    },
    {
      name: 'GET /api/v1/snapshots/{alpha}/content',
      call: (who) => as(who).get(`/api/v1/snapshots/${alphaId}/content`),
      expect: { anonymous: 401, viewerA: 200, ingesterA: 200, auditorA: 200, adminAll: 200, viewerB: 404, ingesterB: 404 },
    },
    {
      name: 'GET /api/v1/snapshots/{alpha}/connectivity',
      call: (who) => as(who).get(`/api/v1/snapshots/${alphaId}/connectivity`),
      expect: { anonymous: 401, viewerA: 200, ingesterA: 200, auditorA: 200, adminAll: 200, viewerB: 404, ingesterB: 404 },
    },
    {
      name: 'GET /api/v1/diff?from={alpha}&to={alpha}',
      call: (who) => as(who).get(`/api/v1/diff?from=${alphaId}&to=${alphaId}`),
      expect: { anonymous: 401, viewerA: 200, ingesterA: 200, auditorA: 200, adminAll: 200, viewerB: 404, ingesterB: 404 },
    },
    {
      name: 'POST /api/v1/clusters/alpha/snapshots',
      call: (who) => upload(who, 'alpha'),
      expect: { anonymous: 401, viewerA: 403, ingesterA: 201, auditorA: 403, adminAll: 201, viewerB: 403, ingesterB: 403 },
    },
    {
      name: 'GET /api/v1/audit',
      call: (who) => as(who).get('/api/v1/audit'),
      expect: { anonymous: 401, viewerA: 403, ingesterA: 403, auditorA: 403, adminAll: 200, viewerB: 403, ingesterB: 403 },
    },
  ];

  for (const endpoint of REST) {
    it(`REST ${endpoint.name}: 401 anonymous, 403 without the role, 404 for another tenant`, async () => {
      const got = {} as Record<Who, number>;
      for (const who of Object.keys(endpoint.expect) as Who[]) got[who] = (await endpoint.call(who)).status;
      expect(got).toEqual(endpoint.expect);
    });
  }

  // GraphQL: the error code per principal (null: answered with data).
  const GRAPHQL: { name: string; query: () => [string, Record<string, unknown>?]; expect: Record<Who, string | null> }[] = [
    {
      name: 'clusters',
      query: () => ['{ clusters { totalCount } }'],
      expect: { anonymous: 'UNAUTHENTICATED', viewerA: null, ingesterA: null, auditorA: null, adminAll: null, viewerB: null, ingesterB: null },
    },
    {
      name: 'snapshot(alpha)',
      query: () => ['query($id: ID!) { snapshot(id: $id) { id } }', { id: alphaId }],
      expect: { anonymous: 'UNAUTHENTICATED', viewerA: null, ingesterA: null, auditorA: null, adminAll: null, viewerB: 'NOT_FOUND', ingesterB: 'NOT_FOUND' },
    },
    {
      name: 'exposure(alpha)',
      query: () => ['query($id: ID!) { exposure(snapshotId: $id) { __typename } }', { id: alphaId }],
      expect: { anonymous: 'UNAUTHENTICATED', viewerA: null, ingesterA: null, auditorA: null, adminAll: null, viewerB: 'NOT_FOUND', ingesterB: 'NOT_FOUND' },
    },
    {
      name: 'ingestSnapshot(alpha)',
      query: () => ['mutation($m: String!) { ingestSnapshot(cluster: "alpha", manifests: $m) { deduplicated } }', { m: NAMESPACE('via-graphql') }],
      expect: { anonymous: 'UNAUTHENTICATED', viewerA: 'FORBIDDEN', ingesterA: null, auditorA: 'FORBIDDEN', adminAll: null, viewerB: 'FORBIDDEN', ingesterB: 'FORBIDDEN' },
    },
    {
      name: 'createCluster',
      query: () => ['mutation { createCluster(input: { name: "made-by-admin", labels: [] }) { name } }'],
      expect: { anonymous: 'UNAUTHENTICATED', viewerA: 'FORBIDDEN', ingesterA: 'FORBIDDEN', auditorA: 'FORBIDDEN', adminAll: null, viewerB: 'FORBIDDEN', ingesterB: 'FORBIDDEN' },
    },
    {
      name: 'apiTokens',
      query: () => ['{ apiTokens { prefix } }'],
      expect: { anonymous: 'UNAUTHENTICATED', viewerA: 'FORBIDDEN', ingesterA: 'FORBIDDEN', auditorA: 'FORBIDDEN', adminAll: null, viewerB: 'FORBIDDEN', ingesterB: 'FORBIDDEN' },
    },
    {
      name: 'viewer (public)',
      query: () => ['{ viewer { auth authenticated } }'],
      expect: { anonymous: null, viewerA: null, ingesterA: null, auditorA: null, adminAll: null, viewerB: null, ingesterB: null },
    },
  ];

  for (const operation of GRAPHQL) {
    it(`GraphQL ${operation.name}: UNAUTHENTICATED, FORBIDDEN or NOT_FOUND as the role and tenant say`, async () => {
      const got = {} as Record<Who, string | null>;
      for (const who of Object.keys(operation.expect) as Who[]) {
        const [query, variables] = operation.query();
        const res = await gqlAs(who, query, variables);
        got[who] = res.errors ? String(errorCodes(res)[0]) : null;
      }
      expect(got).toEqual(operation.expect);
    });
  }

  it('a token never sees another tenant: lists, counts, inventory, cluster(name) and its errors look the same as for a missing cluster', async () => {
    const list = await gqlAs('viewerA', '{ clusters { totalCount edges { node { name } } } inventory { totalCount edges { node { cluster { name } } } } }');
    expect(list.data!.clusters).toEqual({ totalCount: 1, edges: [{ node: { name: 'alpha' } }] });
    expect(list.data!.inventory.totalCount).toBe(1);
    expect(list.data!.inventory.edges.map((e: Json) => e.node.cluster.name)).toEqual(['alpha']);
    const rest = await as('viewerB').get('/api/v1/clusters');
    expect(rest.body.clusters.map((c: Json) => c.name)).toEqual(['beta']);
    const foreign = await gqlAs('viewerA', '{ cluster(name: "beta") { name } }');
    const missing = await gqlAs('viewerA', '{ cluster(name: "gamma") { name } }');
    expect(foreign.errors![0].message.replace('beta', 'X')).toBe(missing.errors![0].message.replace('gamma', 'X'));
    const foreignSnapshot = await as('viewerA').get(`/api/v1/snapshots/${betaId}`);
    const missingSnapshot = await as('viewerA').get(`/api/v1/snapshots/${GHOST}`);
    expect(foreignSnapshot.status).toBe(missingSnapshot.status);
    expect(foreignSnapshot.body.message.replace(betaId, 'X')).toBe(missingSnapshot.body.message.replace(GHOST, 'X'));
    // An admin of every tenant sees both.
    expect((await gqlAs('adminAll', '{ clusters { totalCount } }')).data!.clusters.totalCount).toBeGreaterThanOrEqual(2);
  });

  it('tokens: shown once, stored as an HMAC with a visible prefix; last use recorded; revoked and expired tokens stop at once', async () => {
    const created = await gqlAs('adminAll', 'mutation { createApiToken(input: { name: "ci", role: "ingester", tenants: ["team-a"] }) { token apiToken { id prefix role tenants lastUsedAt revokedAt } } }');
    const { token, apiToken } = created.data!.createApiToken;
    expect(token).toMatch(new RegExp(`^npat_${apiToken.prefix.replace(/[-_]/g, '\\$&')}_[A-Za-z0-9_-]{43}$`));
    expect(apiToken).toMatchObject({ role: 'ingester', tenants: ['team-a'], lastUsedAt: null, revokedAt: null });
    const stored = await withClient(t.databaseUrl, (c) => c.query('SELECT * FROM api_tokens WHERE id = $1', [apiToken.id]));
    expect(JSON.stringify(stored.rows[0])).not.toContain(TOKEN_PATTERN.exec(token)![2]);
    expect(stored.rows[0].secret_hmac).toMatch(/^[0-9a-f]{64}$/);
    // The list never shows the token again.
    const listed = await gqlAs('adminAll', '{ apiTokens { id prefix } }');
    expect(JSON.stringify(listed.data)).not.toContain(token);

    expect((await t.as(token).get('/api/v1/clusters')).status).toBe(200);
    const used = await withClient(t.databaseUrl, (c) => c.query('SELECT last_used_at FROM api_tokens WHERE id = $1', [apiToken.id]));
    expect(used.rows[0].last_used_at).not.toBeNull();

    const revoked = await gqlAs('adminAll', 'mutation($id: ID!) { revokeApiToken(id: $id) { revokedAt } }', { id: apiToken.id });
    expect(revoked.data!.revokeApiToken.revokedAt).not.toBeNull();
    expect((await t.as(token).get('/api/v1/clusters')).status).toBe(401);
    // A forged secret with a real prefix, and a token that expired a second ago.
    expect((await t.as(`npat_${apiToken.prefix}_${'A'.repeat(43)}`).get('/api/v1/clusters')).status).toBe(401);
    const expired = await t.tokenFor('viewer', null, new Date(Date.now() - 1000));
    expect((await t.as(expired).get('/api/v1/clusters')).status).toBe(401);
    expect((await request(t.server).get('/api/v1/clusters').set('Authorization', 'Basic abc')).status).toBe(401);
  });

  it('records who uploaded a snapshot (token id) and from where', async () => {
    const res = await upload('ingesterA', 'alpha', NAMESPACE('recorded'));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const row = await withClient(t.databaseUrl, (c) => c.query('SELECT uploaded_by, uploaded_from FROM snapshots WHERE id = $1', [res.body.id]));
    const token = await withClient(t.databaseUrl, (c) => c.query('SELECT id FROM api_tokens WHERE prefix = $1', [TOKEN_PATTERN.exec(tokens.ingesterA!)![1]]));
    expect(row.rows[0].uploaded_by).toBe(token.rows[0].id);
    expect(row.rows[0].uploaded_from).toMatch(/127\.0\.0\.1|::1/);
  });
});

describe('NETPOL_AUTH=off (a laptop)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ auth: 'off' });
  });
  afterAll(() => t?.close());

  it('every request is an admin without credentials, and `viewer` says auth is off (the dashboard shows its banner)', async () => {
    const anonymous = t.as(undefined);
    expect((await anonymous.get('/api/v1/clusters')).status).toBe(200);
    expect((await anonymous.post('/api/v1/clusters/laptop/snapshots').set('Content-Type', 'application/yaml').send(NAMESPACE('x'))).status).toBe(201);
    expect((await anonymous.get('/api/v1/audit')).status).toBe(200);
    const viewer = await gql({ server: t.server }, '{ viewer { auth authenticated role } }');
    expect(viewer.data!.viewer).toEqual({ auth: 'off', authenticated: true, role: 'admin' });
  });
});
