// Health probes, the dashboard served at / with SPA fallback, and the demo data loaded only into an empty store.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataSourceOptions } from '../src/database/data-source.js';
import { createDatabase, rowCounts, withClient } from './support/database.js';
import { startApp, type TestApp } from './support/app.js';
import { demoYaml } from './support/demo.js';

describe('health probes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t?.close());

  it('/healthz: the process is alive', async () => {
    const res = await t.http.get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('/readyz: 200 when the database answers and every migration is applied', async () => {
    const res = await t.http.get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ready: true, database: 'reachable', migrations: 'applied', queue: { state: 'readable', queued: 0, failed: 0 } });
  });

  it('/readyz: 503 while a migration is not applied', async () => {
    const db = new DataSource(dataSourceOptions(t.databaseUrl));
    await db.initialize();
    try {
      await db.undoLastMigration();
      const res = await t.http.get('/readyz');
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ ready: false, database: 'reachable', migrations: 'pending', queue: { state: 'unknown' } });
      await db.runMigrations();
      expect((await t.http.get('/readyz')).status).toBe(200);
    } finally {
      await db.destroy();
    }
  });

  it('/readyz: 503 while the database refuses connections, 200 again after', async () => {
    const name = new URL(t.databaseUrl).pathname.slice(1);
    const admin = new URL(t.databaseUrl);
    admin.pathname = '/postgres';
    const setAllowed = (allowed: boolean) =>
      withClient(admin.toString(), async (client) => {
        await client.query(`ALTER DATABASE ${client.escapeIdentifier(name)} ALLOW_CONNECTIONS ${allowed}`);
        if (!allowed) await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
      });
    await setAllowed(false);
    try {
      const res = await t.http.get('/readyz');
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ ready: false, database: 'unreachable', migrations: 'unknown' });
      expect((await t.http.get('/healthz')).status).toBe(200);
    } finally {
      await setAllowed(true);
    }
    const after = await t.http.get('/readyz');
    expect(after.status, JSON.stringify(after.body)).toBe(200);
  });
});

describe('dashboard at /', () => {
  let t: TestApp;
  let dist: string;
  beforeAll(async () => {
    dist = mkdtempSync(path.join(os.tmpdir(), 'dashboard-dist-'));
    mkdirSync(path.join(dist, 'assets'));
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Netpol Atlas</title><div id="root"></div>');
    writeFileSync(path.join(dist, 'assets', 'app.js'), 'console.log("app")');
    t = await startApp({ dashboardDist: dist });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('serves the build, and index.html for client-side routes', async () => {
    for (const route of ['/', '/clusters/demo', '/snapshots/00000000-0000-4000-8000-000000000000']) {
      const res = await t.http.get(route);
      expect(res.status, route).toBe(200);
      expect(res.text, route).toContain('<title>Netpol Atlas</title>');
    }
    const asset = await t.http.get('/assets/app.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
  });

  it('never answers the API paths with the SPA', async () => {
    const api = await t.http.get('/api/v1/nope');
    expect(api.status).toBe(404);
    expect(api.text).not.toContain('<title>');
    expect((await t.http.get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await t.http.get('/readyz')).body).toMatchObject({ ready: true });
    const graphql = await t.http.post('/graphql').send({ query: '{ clusters { totalCount } }' });
    expect(graphql.body).toEqual({ data: { clusters: { totalCount: 0 } } });
    const graphqlGet = await t.http.get('/graphql?query=%7B__typename%7D').set('apollo-require-preflight', 'true');
    expect(graphqlGet.text).not.toContain('<title>Netpol Atlas');
  });
});

describe('demo data', () => {
  it('is loaded once into an empty store, and not into a store that holds anything', async () => {
    const url = await createDatabase('demo');
    const first = await startApp({ databaseUrl: url, loadDemoData: true });
    await first.close();
    expect(await rowCounts(url)).toMatchObject({ clusters: 1, snapshots: 1, snapshot_contents: 1 });
    const second = await startApp({ databaseUrl: url, loadDemoData: true });
    await second.close();
    expect(await rowCounts(url)).toMatchObject({ clusters: 1, snapshots: 1, snapshot_contents: 1 });

    const other = await createDatabase('demo');
    const plain = await startApp({ databaseUrl: other });
    const res = await plain.http.post('/api/v1/clusters/mine/snapshots').set('Content-Type', 'application/yaml').send(demoYaml());
    expect(res.status).toBe(201);
    await plain.close();
    const withDemo = await startApp({ databaseUrl: other, loadDemoData: true });
    await withDemo.close();
    expect(await rowCounts(other)).toMatchObject({ clusters: 1, snapshots: 1 });
    const names = await withClient(other, (c) => c.query('SELECT name FROM clusters'));
    expect(names.rows).toEqual([{ name: 'mine' }]);
  });
});
