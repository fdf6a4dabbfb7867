// GraphQL limits over HTTP: query depth and cost (one plugin), no automatic persisted queries, and in production
// (NODE_ENV=production) no "did you mean" schema hints and no introspection.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../src/config/app-config.js';
import { DEFAULT_QUERY_LIMITS } from '../src/graphql/query-limits.plugin.js';
import { startApp, type TestApp } from './support/app.js';
import { errorCodes, gql } from './support/graphql.js';

describe('GraphQL limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ loadDemoData: true });
  });
  afterAll(() => t?.close());

  it('refuses a query deeper than the limit with QUERY_TOO_DEEP (HTTP 400), before executing it', async () => {
    // snapshot → workloads → edges → node → policies → edges → node → workloads → edges → node → policies → edges → node → name: 14 deep.
    const deep = `query($id: ID!) { snapshot(id: $id) { workloads(first: 1) { edges { node { policies(first: 1) { edges { node {
      workloads(first: 1) { edges { node { policies(first: 1) { edges { node { name } } } } } } } } } } } } } }`;
    const res = await t.http.post('/graphql').send({ query: deep, variables: { id: '00000000-0000-4000-8000-000000000000' } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions).toEqual({ code: 'QUERY_TOO_DEEP', depth: 14, maxDepth: DEFAULT_QUERY_LIMITS.maxDepth });
    // Not executed: an unknown snapshot would otherwise answer NOT_FOUND.
    expect(res.body.data).toBeUndefined();
    // Fragments count where they are spread; the same depth through a fragment is refused too.
    const viaFragment = await gql(t, `query { clusters(first: 1) { ...C } } fragment C on ClusterConnection { edges { node { latestSnapshot {
      workloads(first: 1) { edges { node { policies(first: 1) { edges { node { workloads(first: 1) { edges { node { name } } } } } } } } } } } } }`);
    expect(errorCodes(viaFragment)).toEqual(['QUERY_TOO_DEEP']);
  });

  it('refuses a query whose lists of lists may cost more than the limit (page sizes multiply), variables included', async () => {
    const costly = 'query($n: Int!) { clusters(first: $n) { edges { node { snapshots(first: $n) { edges { node { workloads(first: $n) { edges { node { name kind } } } } } } } } } }';
    const refused = await gql(t, costly, { n: 100 });
    expect(errorCodes(refused)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(refused.errors![0].extensions).toMatchObject({ maxCost: DEFAULT_QUERY_LIMITS.maxCost });
    expect(refused.errors![0].extensions!.cost).toBeGreaterThan(DEFAULT_QUERY_LIMITS.maxCost);
    // The same shape with small pages is fine, and the default page size (20) counts when `first` is omitted.
    const small = await gql(t, costly, { n: 3 });
    expect(small.errors).toBeUndefined();
    expect(small.data!.clusters.edges[0].node.snapshots.edges[0].node.workloads.edges).toHaveLength(3);
    const defaults = await gql(t, '{ clusters { edges { node { snapshots { edges { node { workloads { edges { node { name kind namespace replicas labels { key value } } } } } } } } } } }');
    expect(errorCodes(defaults)).toEqual(['QUERY_TOO_COMPLEX']);
  });

  it('has no automatic persisted queries', async () => {
    const query = '{ clusters(first: 1) { totalCount } }';
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const res = await t.http
      .post('/graphql')
      .send({ query, extensions: { persistedQuery: { version: 1, sha256Hash } } });
    expect(res.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
    const byHash = await t.http.post('/graphql').send({ extensions: { persistedQuery: { version: 1, sha256Hash } } });
    expect(byHash.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
  });

  it('outside production, errors hint at field names (the development default)', async () => {
    const res = await gql(t, '{ clusterz(first: 1) { totalCount } }');
    expect(errorCodes(res)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(res.errors![0].message).toMatch(/Did you mean "clusters?"/);
  });
});

describe('GraphQL in production (NODE_ENV=production)', () => {
  let t: TestApp;
  beforeAll(async () => {
    const fromEnv = configFromEnv({ NODE_ENV: 'production', DATABASE_URL: 'postgres://unused' });
    expect(fromEnv.production).toBe(true);
    expect(configFromEnv({ DATABASE_URL: 'postgres://unused' }).production).toBe(false);
    t = await startApp({ production: fromEnv.production });
  });
  afterAll(() => t?.close());

  it('gives no "did you mean" schema hints and refuses introspection', async () => {
    const typo = await gql(t, '{ clusterz(first: 1) { totalCount } }');
    expect(errorCodes(typo)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(typo.errors![0].message).not.toMatch(/did you mean/i);
    const badArgument = await gql(t, '{ clusters(frist: 1) { totalCount } }');
    expect(badArgument.errors![0].message).not.toMatch(/did you mean/i);
    const introspection = await gql(t, '{ __schema { types { name } } }');
    expect(errorCodes(introspection)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const normal = await gql(t, '{ clusters(first: 1) { totalCount } }');
    expect(normal.errors).toBeUndefined();
  });
});
