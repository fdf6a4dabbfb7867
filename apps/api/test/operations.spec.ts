// Operations (issue 9): security headers, 503 when the database is unreachable (no address in the answer), bare 500s
// (no SQL, stack or host) and logs without upload parameters, a request timeout on every route, rate limits per
// client and per token counted with the GraphQL cost.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { withClient } from './support/database.js';
import { errorCodes, gql } from './support/graphql.js';

const BODY = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {marker: SECRET-UPLOAD-MARKER}}\n';

describe('security headers and errors', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t?.close());
  afterEach(() => vi.restoreAllMocks());

  it('sends a CSP, nosniff, frame-ancestors none, no-referrer and no X-Powered-By, on the API and the probes', async () => {
    for (const path of ['/healthz', '/api/v1/clusters', '/graphql?query=%7B__typename%7D']) {
      const res = await t.http.get(path).set('apollo-require-preflight', 'true');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('503 (not 500) while the database refuses connections, REST and GraphQL; /readyz says so without an address', async () => {
    const name = new URL(t.databaseUrl).pathname.slice(1);
    const admin = new URL(t.databaseUrl);
    admin.pathname = '/postgres';
    const setAllowed = (allowed: boolean) =>
      withClient(admin.toString(), async (client) => {
        await client.query(`ALTER DATABASE ${client.escapeIdentifier(name)} ALLOW_CONNECTIONS ${allowed}`);
        if (!allowed) await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
      });
    const port = new URL(t.databaseUrl).port;
    await setAllowed(false);
    try {
      const rest = await t.as(undefined).get('/api/v1/snapshots/00000000-0000-4000-8000-000000000000').set('Authorization', `Bearer ${t.adminToken}`);
      // The token cannot even be checked: the database is down.
      expect(rest.status).toBe(503);
      const graphql = await t.http.post('/graphql').set('Content-Type', 'application/json').send({ query: '{ __typename viewer { auth } }' });
      expect([200, 503]).toContain(graphql.status);
      const ready = await t.http.get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body).toEqual({ ready: false, database: 'unreachable', migrations: 'unknown', queue: { state: 'unknown' }, error: 'database unreachable' });
      for (const text of [rest.text, ready.text]) {
        expect(text).not.toContain(port);
        expect(text).not.toContain('127.0.0.1');
      }
    } finally {
      await setAllowed(true);
    }
  });

  it('a server fault is a bare 500 / INTERNAL_SERVER_ERROR (no SQL, no stack), and the log names it without the upload', async () => {
    // Take the app role's INSERT on snapshots away: the upload's INSERT fails inside PostgreSQL.
    await withClient(t.databaseUrl, (c) => c.query('REVOKE INSERT ON snapshots FROM netpol_app'));
    const logged: string[] = [];
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
        logged.push(String(chunk));
        return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
      });
    }
    try {
      const rest = await t.http.post('/api/v1/clusters/faulty/snapshots').set('Content-Type', 'application/yaml').send(BODY);
      expect(rest.status).toBe(500);
      expect(rest.body).toEqual({ statusCode: 500, error: 'INTERNAL_SERVER_ERROR', message: 'internal server error' });
      const graphql = await gql(t, 'mutation($m: String!) { ingestSnapshot(cluster: "faulty", manifests: $m) { deduplicated } }', { m: BODY });
      expect(errorCodes(graphql)).toEqual(['INTERNAL_SERVER_ERROR']);
      expect(graphql.errors![0].message).toBe('internal server error');
      expect(JSON.stringify(graphql)).not.toMatch(/permission denied|INSERT|stacktrace/i);
      const log = logged.join('');
      expect(log).toContain('QueryFailedError [42501]');
      expect(log).not.toContain('SECRET-UPLOAD-MARKER');
    } finally {
      await withClient(t.databaseUrl, (c) => c.query('GRANT INSERT ON snapshots TO netpol_app'));
    }
  });
});

describe('request timeout', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ requestTimeoutMs: 500 });
    // A raw socket needs a listening server (supertest binds one per request).
    await new Promise<void>((resolve) => t.server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => t?.close());

  it('answers 503 when a request is not done in time (a client that never finishes its upload)', async () => {
    const { port } = t.server.address() as AddressInfo;
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.write(
          `POST /api/v1/clusters/slow/snapshots HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.adminToken}\r\n` +
            'Content-Type: application/yaml\r\nContent-Length: 1000\r\n\r\napiVersion: v1\n',
        );
      });
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
      setTimeout(() => socket.destroy(), 10_000);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 503/);
    expect(answer).toContain('the request took longer than 500 ms');
  }, 20_000);
});

describe('rate limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The costly query below costs ~30,000 (30 units): 35 leave a handful of plain requests.
    t = await startApp({ rateLimitPerMinute: 35, loadDemoData: true });
  });
  afterAll(() => t?.close());

  it('429 with Retry-After once a client has used its budget; probes are exempt; GraphQL pays its cost', async () => {
    // An expensive query (cost in the tens of thousands) empties the bucket in one go.
    const costly = await gql(t, '{ clusters(first: 100) { edges { node { snapshots(first: 100) { edges { node { id } } } } } } }');
    expect(errorCodes(costly)).toEqual([]);
    const statuses: number[] = [];
    let retryAfter: string | undefined;
    for (let i = 0; i < 12; i++) {
      const res = await t.http.get('/api/v1/clusters');
      statuses.push(res.status);
      retryAfter ??= res.headers['retry-after'];
      // REST answers its one error shape, without a GraphQL errors array.
      if (res.status === 429) expect(res.body).toEqual({ statusCode: 429, error: 'TOO_MANY_REQUESTS', message: expect.stringContaining('rate limit') });
    }
    expect(statuses[0]).toBe(200);
    expect(statuses).toContain(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect((await t.http.get('/healthz')).status).toBe(200);
    const limited = await gql(t, '{ clusters { totalCount } }');
    expect(errorCodes(limited)).toEqual(['RATE_LIMITED']);
  });
});
