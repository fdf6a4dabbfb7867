// OIDC as a second way in: bearer JWTs of the configured issuer, verified with `jose` against a LOCAL JWKS served
// here over HTTP; the role and the tenants come from claims.
import { webcrypto } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { gql } from './support/graphql.js';

const ISSUER = 'https://issuer.example';
const AUDIENCE = 'netpol-atlas';

describe('OIDC bearer JWTs', () => {
  let t: TestApp;
  let jwks: http.Server;
  let key: webcrypto.CryptoKey;
  let otherKey: webcrypto.CryptoKey;

  const jwt = (claims: Record<string, unknown>, options: { issuer?: string; audience?: string; expires?: string; signWith?: webcrypto.CryptoKey } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('alice@example.com')
      .setIssuer(options.issuer ?? ISSUER)
      .setAudience(options.audience ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.expires ?? '5m')
      .sign(options.signWith ?? key);

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    key = pair.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    const publicJwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwks = http.createServer((_, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const { port } = jwks.address() as AddressInfo;
    t = await startApp({
      oidc: { issuer: ISSUER, jwksUrl: `http://127.0.0.1:${port}/jwks.json`, audience: AUDIENCE, rolesClaim: 'netpol_roles', tenantsClaim: 'netpol_tenants' },
    });
    // A cluster in tenant team-a and one in team-b, uploaded with API tokens of those tenants.
    for (const tenant of ['team-a', 'team-b']) {
      const token = await t.tokenFor('ingester', [tenant]);
      const res = await t.as(token).post(`/api/v1/clusters/${tenant}-cluster/snapshots`).set('Content-Type', 'application/yaml').send('apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n');
      expect(res.status).toBe(201);
    }
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => jwks?.close(resolve));
  });

  it('a valid JWT reads with its role, sees only its tenants, and is named by its subject', async () => {
    const token = await jwt({ netpol_roles: ['viewer'], netpol_tenants: ['team-a'] });
    const res = await gql({ server: t.server, adminToken: token }, '{ viewer { authenticated name role tenants } clusters { edges { node { name } } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data!.viewer).toEqual({ authenticated: true, name: 'oidc:alice@example.com', role: 'viewer', tenants: ['team-a'] });
    expect(res.data!.clusters.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['team-a-cluster']);
    // A viewer may not upload.
    const upload = await t.as(token).post('/api/v1/clusters/team-a-cluster/snapshots').set('Content-Type', 'application/yaml').send('apiVersion: v1\nkind: Namespace\nmetadata: {name: y}\n');
    expect(upload.status).toBe(403);
  });

  it('the strongest known role of the claim counts; an ingester JWT uploads to its tenant', async () => {
    const token = await jwt({ netpol_roles: ['unknown', 'ingester'], netpol_tenants: 'team-b' });
    const upload = await t.as(token).post('/api/v1/clusters/team-b-cluster/snapshots').set('Content-Type', 'application/yaml').send('apiVersion: v1\nkind: Namespace\nmetadata: {name: z}\n');
    expect(upload.status).toBe(201);
    expect((await t.as(token).post('/api/v1/clusters/team-a-cluster/snapshots').set('Content-Type', 'application/yaml').send('apiVersion: v1\nkind: Namespace\nmetadata: {name: z}\n')).status).toBe(403);
  });

  it('refuses (401) a JWT of another issuer, for another audience, expired, signed by another key, or without a role', async () => {
    const claims = { netpol_roles: 'admin' };
    const refused = [
      await jwt(claims, { issuer: 'https://evil.example' }),
      await jwt(claims, { audience: 'someone-else' }),
      await jwt(claims, { expires: '-10m' }),
      await jwt(claims, { signWith: otherKey }),
      await jwt({ netpol_roles: ['superuser'] }),
      'not.a.jwt',
    ];
    for (const token of refused) expect((await t.as(token).get('/api/v1/clusters')).status).toBe(401);
    expect((await t.as(await jwt(claims)).get('/api/v1/clusters')).status).toBe(200);
  });
});
