// Issue 8 ("argument checks once"): REST and GraphQL uploads check their arguments with one function
// (ingest/ingest-arguments.ts), so the same bad argument gets the same words on both transports, with the REST
// status mirrored in GraphQL's `status` extension, and nothing is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { rowCounts } from './support/database.js';
import { gql } from './support/graphql.js';

const BODY = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n';

describe('upload arguments, one check for REST and GraphQL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ bodyLimit: 4096 });
  });
  afterAll(() => t?.close());

  const cases: { name: string; cluster: string; capturedAt?: string; status: number; argument: string; says: string }[] = [
    { name: 'cluster name not a DNS label', cluster: 'Bad_Name', status: 400, argument: 'cluster', says: 'Bad_Name' },
    { name: 'capturedAt not RFC 3339', cluster: 'args', capturedAt: '2026-13-01T00:00:00Z', status: 400, argument: 'capturedAt', says: 'RFC 3339' },
    { name: 'capturedAt in the future', cluster: 'args', capturedAt: '9999-12-31T00:00:00Z', status: 422, argument: 'capturedAt', says: 'is in the future' },
  ];

  it.each(cases)('$name: same message on both transports, nothing written', async ({ cluster, capturedAt, status, argument, says }) => {
    const before = await rowCounts(t.databaseUrl);
    const query = capturedAt === undefined ? '' : `?capturedAt=${encodeURIComponent(capturedAt)}`;
    const rest = await t.http.post(`/api/v1/clusters/${cluster}/snapshots${query}`).set('Content-Type', 'application/yaml').send(BODY);
    expect(rest.status).toBe(status);
    expect(rest.body.message).toContain(says);
    const viaGraphql = await gql(t, 'mutation($c: String!, $m: String!, $at: String) { ingestSnapshot(cluster: $c, manifests: $m, capturedAt: $at) { deduplicated } }', {
      c: cluster,
      m: BODY,
      at: capturedAt ?? null,
    });
    const error = viaGraphql.errors?.[0];
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error?.extensions?.argument).toBe(argument);
    // The same words (the clock reading in a "future" message differs by the milliseconds between the requests).
    const clockless = (text: string | undefined) => text?.replace(/clock says [^;]+;/, 'clock says …;');
    expect(clockless(error?.message)).toBe(clockless(rest.body.message));
    if (status !== 400) expect(error?.extensions?.status).toBe(status);
    expect(await rowCounts(t.databaseUrl)).toEqual(before);
  });

  it('a GraphQL body over the limit: PAYLOAD_TOO_LARGE naming the limit, nothing written', async () => {
    const before = await rowCounts(t.databaseUrl);
    const res = await gql(t, 'mutation($m: String!) { ingestSnapshot(cluster: "args", manifests: $m) { deduplicated } }', { m: BODY.repeat(200) });
    expect(res.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
    expect(res.errors?.[0]?.message).toContain('NETPOL_BODY_LIMIT');
    expect(await rowCounts(t.databaseUrl)).toEqual(before);
  });
});
