// Clusters over GraphQL against the real app: filters, createCluster, labelCluster, time travel (snapshotAt).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { rowCounts } from './support/database.js';
import { errorCodes, gql, type Json } from './support/graphql.js';

const namespaceOnly = (name: string) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${name}}\n`;

describe('GraphQL clusters', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t?.close());

  const upload = async (cluster: string, body: string, capturedAt: string) => {
    const res = await t.http.post(`/api/v1/clusters/${cluster}/snapshots?capturedAt=${encodeURIComponent(capturedAt)}`).set('Content-Type', 'application/yaml').send(body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  };

  const create = (input: Record<string, unknown>) =>
    gql(t, 'mutation($input: CreateClusterInput!) { createCluster(input: $input) { name provider cni labels { key value } } }', { input });

  it('createCluster: name, labels, provider, CNI; typed errors for taken names and invalid input', async () => {
    const created = await create({ name: 'prod-eu', labels: [{ key: 'env', value: 'prod' }, { key: 'example.com/region', value: 'eu' }], provider: 'eks', cni: 'cilium' });
    expect(created.errors).toBeUndefined();
    expect(created.data!.createCluster).toEqual({
      name: 'prod-eu',
      provider: 'eks',
      cni: 'cilium',
      labels: [{ key: 'env', value: 'prod' }, { key: 'example.com/region', value: 'eu' }],
    });
    expect((await create({ name: 'prod-us', labels: [{ key: 'env', value: 'prod' }], provider: 'gke' })).errors).toBeUndefined();
    expect((await create({ name: 'staging', labels: [{ key: 'env', value: 'staging' }, { key: 'team', value: 'web' }] })).errors).toBeUndefined();

    const before = await rowCounts(t.databaseUrl);
    const taken = await create({ name: 'prod-eu' });
    expect(errorCodes(taken)).toEqual(['ALREADY_EXISTS']);
    for (const [input, argument] of [
      [{ name: 'Prod_EU' }, 'input.name'],
      [{ name: 'x', labels: [{ key: 'bad key', value: 'v' }] }, 'input.labels'],
      [{ name: 'x', labels: [{ key: 'k', value: 'spaces are not allowed' }] }, 'input.labels'],
      [{ name: 'x', labels: [{ key: 'k', value: null }] }, 'input.labels'],
      [{ name: 'x', labels: [{ key: 'k', value: 'a' }, { key: 'k', value: 'b' }] }, 'input.labels'],
    ] as const) {
      const res = await create(input);
      expect(errorCodes(res), JSON.stringify(input)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0].extensions!.argument).toBe(argument);
    }
    expect(errorCodes(await create({ name: 'x', provider: 'not a word' }))).toEqual(['BAD_USER_INPUT']);
    expect(await rowCounts(t.databaseUrl)).toEqual(before);
  });

  it('labelCluster sets and removes labels like kubectl label; NOT_FOUND for an unknown cluster', async () => {
    const res = await gql(t, `mutation { labelCluster(name: "staging", labels: [{ key: "team", value: null }, { key: "tier", value: "2" }, { key: "env", value: "stage" }]) { labels { key value } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.labelCluster.labels).toEqual([{ key: 'env', value: 'stage' }, { key: 'tier', value: '2' }]);
    expect(errorCodes(await gql(t, 'mutation { labelCluster(name: "nope", labels: [{ key: "a", value: "b" }]) { name } }'))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await gql(t, 'mutation { labelCluster(name: "staging", labels: [{ key: "-a", value: "b" }]) { name } }'))).toEqual(['BAD_USER_INPUT']);
  });

  it('clusters(filter): by name substring and by labels (value or presence), paged; LIKE characters are literal', async () => {
    await upload('dev-1', namespaceOnly('a'), '2026-01-01T00:00:00Z');
    const names = async (filter: Record<string, unknown>, first = 10, after?: string) => {
      const res = await gql(t, 'query($filter: ClusterFilterInput, $first: Int!, $after: String) { clusters(filter: $filter, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { name } } } }', { filter, first, after });
      expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
      return res.data!.clusters;
    };
    expect((await names({ nameContains: 'prod' })).edges.map((e: Json) => e.node.name)).toEqual(['prod-eu', 'prod-us']);
    expect((await names({ labels: [{ key: 'env', value: 'prod' }] })).totalCount).toBe(2);
    expect((await names({ labels: [{ key: 'example.com/region' }] })).edges.map((e: Json) => e.node.name)).toEqual(['prod-eu']);
    expect((await names({ nameContains: 'prod', labels: [{ key: 'env', value: 'prod' }, { key: 'example.com/region', value: 'eu' }] })).edges).toHaveLength(1);
    expect((await names({ nameContains: '%' })).totalCount).toBe(0);
    expect((await names({ nameContains: '_' })).totalCount).toBe(0);
    const first = await names({ labels: [{ key: 'env' }] }, 2);
    expect(first.totalCount).toBe(3);
    expect(first.edges.map((e: Json) => e.node.name)).toEqual(['prod-eu', 'prod-us']);
    const second = await names({ labels: [{ key: 'env' }] }, 2, first.pageInfo.endCursor);
    expect(second.edges.map((e: Json) => e.node.name)).toEqual(['staging']);
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect((await names({})).totalCount).toBe(4);
  });

  it('cluster(name).snapshotAt(time): the latest snapshot captured at or before time, ties to the later upload', async () => {
    const jan = await upload('audit', namespaceOnly('jan'), '2026-01-01T00:00:00Z');
    const marchFirst = await upload('audit', namespaceOnly('march-1'), '2026-03-01T00:00:00Z');
    const marchLater = await upload('audit', namespaceOnly('march-2'), '2026-03-01T00:00:00Z');
    const at = async (time: string) => {
      const res = await gql(t, 'query($time: String!) { cluster(name: "audit") { snapshotAt(time: $time) { id capturedAt } } }', { time });
      expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
      return res.data!.cluster.snapshotAt;
    };
    expect(await at('2025-12-31T23:59:59Z')).toBeNull();
    expect((await at('2026-01-01T00:00:00Z')).id).toBe(jan);
    expect((await at('2026-02-28T21:00:00-02:00')).id).toBe(jan);
    // 2026-03-01T00:00:00Z exactly: both March snapshots qualify; the later upload wins.
    expect(await at('2026-03-01T01:00:00+01:00')).toEqual({ id: marchLater, capturedAt: '2026-03-01T00:00:00.000Z' });
    expect((await at('2030-01-01T00:00:00Z')).id).toBe(marchLater);
    expect(marchFirst).not.toBe(marchLater);
    const bad = await gql(t, '{ cluster(name: "audit") { snapshotAt(time: "yesterday") { id } } }');
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0].extensions!.argument).toBe('time');
  });
});
