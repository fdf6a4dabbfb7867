// DATABASE_READ_URLS (README "Growing past one machine"): the query paths read a replica, everything else the
// primary. A real streaming replica is heavy for a test, so the "replica" here is a second real database on the test
// server with the same migrations but NOT replicated: a row written to one only shows where a read went. What this
// shows: the configuration is parsed; listings are read from the replica; a snapshot just ingested (on the primary
// only, as under replication lag) is still found through the primary; writes go to the primary only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../src/config/app-config.js';
import { readUrlsFrom } from '../src/database/read-replicas.js';
import { appRoleUrl, startApp, type TestApp } from './support/app.js';
import { createDatabase, withClient } from './support/database.js';
import { gql, type Json } from './support/graphql.js';

describe('DATABASE_READ_URLS', () => {
  it('is parsed as comma-separated PostgreSQL URLs; a wrong entry is refused by position, never echoing its password', () => {
    expect(readUrlsFrom(undefined)).toBeUndefined();
    expect(readUrlsFrom('  ')).toBeUndefined();
    expect(readUrlsFrom('postgres://u:p@replica-a:5432/netpol, postgresql://u:p@replica-b/netpol')).toEqual([
      'postgres://u:p@replica-a:5432/netpol',
      'postgresql://u:p@replica-b/netpol',
    ]);
    expect(() => readUrlsFrom('postgres://a/x,,postgres://b/x')).toThrow(/entry 2 is empty/);
    expect(() => readUrlsFrom('mysql://u:secret@a/x')).toThrow(/entry 1 is a mysql URL/);
    expect(() => readUrlsFrom('replica-a:5432')).toThrow(/entry 1 is a replica-a URL|entry 1 is not a URL/);
    try {
      readUrlsFrom('mysql://u:secret@a/x');
    } catch (error) {
      expect(String(error)).not.toContain('secret');
    }
    const config = configFromEnv({ DATABASE_URL: 'postgres://primary/x', DATABASE_READ_URLS: 'postgres://replica/x', NETPOL_AUTH: 'off' });
    expect(config.databaseReadUrls).toEqual(['postgres://replica/x']);
    expect(configFromEnv({ DATABASE_URL: 'postgres://primary/x', NETPOL_AUTH: 'off' }).databaseReadUrls).toBeUndefined();
  });

  describe('with a primary and a read database', () => {
    let t: TestApp;
    let replica: string;
    beforeAll(async () => {
      // The same schema and roles on both (a server on the replica database runs its migrations once).
      replica = await createDatabase('replica');
      await (await startApp({ databaseUrl: replica })).close();
      t = await startApp({ databaseReadUrls: [appRoleUrl(replica)] });
    }, 120_000);
    afterAll(() => t?.close());

    const clusterNames = async () => {
      const res = await gql(t, '{ clusters(first: 50) { edges { node { name } } } }');
      expect(res.errors).toBeUndefined();
      return res.data!.clusters.edges.map((edge: Json) => edge.node.name as string);
    };

    it('an ingest writes to the primary only, and its snapshot is read back at once (the replica misses it)', async () => {
      const manifest = JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
      const res = await t.http.post('/api/v1/clusters/on-primary/snapshots').set('Content-Type', 'application/json').send(manifest);
      expect(res.status, res.text.slice(0, 300)).toBe(201);
      const count = (url: string) => withClient(url, async (c) => Number((await c.query('SELECT count(*) AS n FROM snapshots WHERE id = $1', [res.body.id])).rows[0].n));
      expect(await count(t.databaseUrl)).toBe(1);
      expect(await count(replica)).toBe(0);
      const read = await t.http.get(`/api/v1/snapshots/${res.body.id}`);
      expect(read.status).toBe(200);
      expect(read.body.contentSha256).toBe(res.body.contentSha256);
      const content = await t.http.get(`/api/v1/snapshots/${res.body.id}/content`);
      expect(content.status).toBe(200);
      expect(content.text).toContain('"shop"');
    }, 120_000);

    it('the cluster listing is read from the replica', async () => {
      await withClient(replica, (c) => c.query("INSERT INTO clusters (name) VALUES ('only-on-the-replica')"));
      const names = await clusterNames();
      expect(names).toContain('only-on-the-replica');
      // The primary's cluster (not replicated here) is not in the replica's listing.
      expect(names).not.toContain('on-primary');
      const onPrimary = await withClient(t.databaseUrl, async (c) => (await c.query("SELECT name FROM clusters WHERE name = 'only-on-the-replica'")).rowCount);
      expect(onPrimary).toBe(0);
    }, 120_000);

    it('without DATABASE_READ_URLS the same listing reads the primary', async () => {
      const plain = await startApp({ databaseUrl: t.databaseUrl });
      try {
        const res = await gql(plain, '{ clusters(first: 50) { edges { node { name } } } }');
        const names = res.data!.clusters.edges.map((edge: Json) => edge.node.name);
        expect(names).toContain('on-primary');
        expect(names).not.toContain('only-on-the-replica');
      } finally {
        await plain.close();
      }
    }, 120_000);
  });
});
