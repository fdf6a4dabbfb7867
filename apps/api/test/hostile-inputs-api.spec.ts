// The hostile-input table (tools/testing/hostile-inputs.ts) through one real server: the REST upload answers the
// case's status (400/413/422) with the located issue in the body, GraphQL ingestSnapshot answers BAD_USER_INPUT with
// the same status and issue, and no row of any table changes. Cases given as bytes (not UTF-8) cannot be a GraphQL
// string, so they run through REST only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_CASES, hostileBytes, type HostileCase } from '../../../tools/testing/hostile-inputs.js';
import { startApp, type TestApp } from './support/app.js';
import { rowCounts } from './support/database.js';
import { gql } from './support/graphql.js';

const INGEST = `mutation($cluster: String!, $manifests: String!) {
  ingestSnapshot(cluster: $cluster, manifests: $manifests) { snapshot { id } }
}`;

interface IssueLike {
  readonly code: string;
  readonly severity: string;
  readonly path: string;
  readonly document: number;
  readonly line?: number | null;
}

/** The error issues as a case states them (with the line where the case pins one). */
const located = (issues: readonly IssueLike[] | undefined, testCase: HostileCase) =>
  (issues ?? [])
    .filter((i) => i.severity === 'error')
    .map((i) => ({ code: i.code, path: i.path, document: i.document, ...(testCase.line !== undefined ? { line: i.line } : {}) }));

const expectedIssue = (testCase: HostileCase) => ({
  code: testCase.code,
  path: testCase.path,
  document: testCase.document ?? 0,
  ...(testCase.line !== undefined ? { line: testCase.line } : {}),
});

describe('hostile inputs: REST upload and GraphQL ingestSnapshot (one server)', () => {
  let t: TestApp;
  let before: Record<string, number>;

  beforeAll(async () => {
    t = await startApp();
    // A stored snapshot first, so "no row changed" also covers an existing cluster.
    const seeded = await t.http
      .post('/api/v1/clusters/hostile/snapshots')
      .set('Content-Type', 'application/yaml')
      .send('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n');
    expect(seeded.status).toBe(201);
    before = await rowCounts(t.databaseUrl);
  }, 120_000);

  afterAll(() => t?.close());

  it.each(HOSTILE_CASES.map((c) => [c.name, c] as const))('REST: %s', { timeout: 120_000 }, async (_name, testCase) => {
    const input = testCase.input();
    // supertest sends strings as they are, and Buffers raw unless the type is JSON (then it would serialise them).
    const res = await t.http
      .post('/api/v1/clusters/hostile/snapshots')
      .set('Content-Type', typeof input === 'string' && testCase.extension === 'json' ? 'application/json' : 'application/yaml')
      .send(typeof input === 'string' ? input : Buffer.from(hostileBytes(testCase)));
    expect(res.status, JSON.stringify(res.body).slice(0, 2000)).toBe(testCase.status);
    expect(located(res.body.issues, testCase), JSON.stringify(res.body).slice(0, 2000)).toContainEqual(expectedIssue(testCase));
    expect(await rowCounts(t.databaseUrl)).toEqual(before);
  });

  it('returns the first 1,000 issues and counts the rest (REST and GraphQL)', async () => {
    const manifests = Array.from({ length: 1200 }, (_, i) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: Bad${i}\n`).join('---\n');
    const res = await t.http.post('/api/v1/clusters/hostile/snapshots').set('Content-Type', 'application/yaml').send(manifests);
    expect(res.status).toBe(422);
    expect(res.body.issues).toHaveLength(1000);
    expect(res.body.issuesOmitted).toBe(200);
    const answer = await gql(t, INGEST, { cluster: 'hostile', manifests });
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', status: 422, issuesOmitted: 200 });
    expect((answer.errors?.[0]?.extensions?.['issues'] as unknown[]).length).toBe(1000);
    expect(await rowCounts(t.databaseUrl)).toEqual(before);
  });

  const textCases = HOSTILE_CASES.filter((c) => typeof c.input() === 'string');

  it('runs every text case through GraphQL too', () => {
    expect(textCases.length).toBeGreaterThanOrEqual(100);
  });

  it.each(textCases.map((c) => [c.name, c] as const))('GraphQL: %s', { timeout: 120_000 }, async (_name, testCase) => {
    const res = await gql(t, INGEST, { cluster: 'hostile', manifests: testCase.input() as string });
    expect(res.data?.['ingestSnapshot'] ?? null).toBeNull();
    const error = res.errors?.[0];
    expect(error?.extensions?.code, JSON.stringify(res).slice(0, 2000)).toBe('BAD_USER_INPUT');
    expect(error?.extensions?.['status']).toBe(testCase.status);
    expect(located(error?.extensions?.['issues'] as IssueLike[], testCase), JSON.stringify(res).slice(0, 2000)).toContainEqual(expectedIssue(testCase));
    expect(await rowCounts(t.databaseUrl)).toEqual(before);
  });
});
