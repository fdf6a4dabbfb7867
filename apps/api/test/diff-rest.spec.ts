// REST `GET /api/v1/diff` against the real app: for every np-guard diff case without admin policies, both sides are
// uploaded as snapshots and the answer must equal the corpus' expected txt/csv/md byte for byte (CRLF → LF) — what
// `netpol diff old/ new/` prints — and json / explain / labels must equal the engine's output on the original files.
import {
  analyze,
  buildSnapshot,
  diff,
  diffWithCauses,
  formatDiff,
  formatExplainedDiff,
  parseManifests,
  type SourceDocument,
} from '@netpol-atlas/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { coreDiffCases, expectedDiff, sideDocuments, sideYamlBody } from './support/diff-cases.js';
import { NEW_CLUSTER, OLD_CLUSTER } from './support/diff-fixture.js';

const CASES = coreDiffCases();

function engineSide(documents: SourceDocument[]) {
  const { objects } = parseManifests(documents);
  return { objects, analysis: analyze(buildSnapshot(objects).snapshot) };
}

describe('REST GET /api/v1/diff', () => {
  let t: TestApp;
  const ids = new Map<string, { old: string; new: string }>();

  const upload = async (cluster: string, body: string, capturedAt: string) => {
    const res = await t.http.post(`/api/v1/clusters/${cluster}/snapshots?capturedAt=${capturedAt}`).set('Content-Type', 'application/yaml').send(body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return (res.body as { id: string }).id;
  };
  const get = (query: Record<string, string>) => t.http.get('/api/v1/diff').query(query).buffer(true).parse((res, done) => {
    let text = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => (text += chunk));
    res.on('end', () => done(null, text));
  });

  beforeAll(async () => {
    t = await startApp();
    for (const [i, name] of CASES.entries()) {
      const cluster = `case-${i}`;
      ids.set(name, {
        old: await upload(cluster, sideYamlBody(name, 'old'), '2026-11-01T10:00:00Z'),
        new: await upload(cluster, sideYamlBody(name, 'new'), '2026-11-02T10:00:00Z'),
      });
    }
  }, 300_000);
  afterAll(() => t?.close());

  it('finds the corpus with its core cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(15);
  });

  it.each(CASES)('%s: txt/csv/md equal np-guard’s expected output byte for byte', async (name) => {
    const { old, new: next } = ids.get(name)!;
    let compared = 0;
    for (const format of ['txt', 'csv', 'md'] as const) {
      const expected = expectedDiff(name, format);
      if (expected === undefined) continue;
      const res = await get({ from: old, to: next, format });
      expect(res.status, String(res.body)).toBe(200);
      expect(res.headers['content-type']).toMatch(format === 'txt' ? /^text\/plain/ : format === 'csv' ? /^text\/csv/ : /^text\/markdown/);
      expect({ format, body: res.body }).toEqual({ format, body: expected });
      compared++;
    }
    expect(compared).toBeGreaterThan(0);
  });

  it('txt is the default format; json, explain and labels equal the engine on the original files', async () => {
    const name = 'onlineboutique_workloads__to__onlineboutique_workloads_changed_netpols';
    expect(CASES).toContain(name);
    const { old, new: next } = ids.get(name)!;
    const a = engineSide(sideDocuments(name, 'old'));
    const b = engineSide(sideDocuments(name, 'new'));
    const plain = diff(a.analysis, b.analysis);
    expect(plain.pairs.length).toBeGreaterThan(0);

    expect((await get({ from: old, to: next })).body).toBe(formatDiff(plain, 'txt'));
    const json = await get({ from: old, to: next, format: 'json' });
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.body).toBe(formatDiff(plain, 'json'));
    expect(JSON.parse(json.body).counts).toEqual(plain.counts);

    const labelled = await get({ from: old, to: next, format: 'md', labels: 'before,after' });
    expect(labelled.body).toBe(formatDiff(plain, 'md', { labels: ['before', 'after'] }));
    expect(labelled.body).toContain('| before | after |');

    const explained = diffWithCauses(a, b);
    for (const format of ['txt', 'json'] as const) {
      const res = await get({ from: old, to: next, format, explain: 'true' });
      expect(res.status).toBe(200);
      expect(res.body).toBe(formatExplainedDiff(explained, format));
    }
    expect((await get({ from: old, to: next, explain: 'true' })).body).toContain('caused by: NetworkPolicy');
  });

  it('explain names each pair’s own edit (two unrelated edits)', async () => {
    const old = await upload('fixture', OLD_CLUSTER, '2026-11-01T10:00:00Z');
    const next = await upload('fixture', NEW_CLUSTER, '2026-11-02T10:00:00Z');
    const res = await get({ from: old, to: next, explain: 'true' });
    expect(res.body.split('\n').slice(0, 5)).toEqual([
      'Connectivity diff:',
      'diff-type: changed, source: shop/web[Deployment], destination: shop/api[Deployment], ref1: TCP 8080, ref2: TCP 8080-8090',
      expect.stringMatching(/^ {4}caused by: NetworkPolicy shop\/api-ingress: spec\.ingress\[0\]\.ports changed from/),
      'diff-type: added, source: shop/api[Deployment], destination: shop/db[Deployment], ref1: No Connections, ref2: TCP 5432',
      expect.stringMatching(/^ {4}caused by: Deployment shop\/api: spec\.template\.metadata\.labels\.role added/),
    ]);
  });

  it('an empty diff is an empty body (np-guard prints nothing)', async () => {
    const { new: next } = ids.get(CASES[0])!;
    for (const format of ['txt', 'csv', 'md']) {
      const res = await get({ from: next, to: next, format });
      expect([res.status, res.body]).toEqual([200, '']);
    }
  });

  it('400 for a bad format, labels or explain value, a missing or malformed id; 404 for an unknown snapshot', async () => {
    const { old, new: next } = ids.get(CASES[0])!;
    const unknown = '00000000-0000-4000-8000-000000000000';
    const cases: [Record<string, string>, number, RegExp][] = [
      [{ from: old, to: next, format: 'dot' }, 400, /format must be one of txt, json, csv, md/],
      [{ from: old, to: next, labels: 'only-one' }, 400, /labels/],
      [{ from: old, to: next, explain: 'maybe' }, 400, /explain/],
      [{ to: next }, 400, /from .*required/],
      [{ from: old }, 400, /to .*required/],
      [{ from: 'abc', to: next }, 400, /from must be a snapshot id/],
      [{ from: unknown, to: next }, 404, new RegExp(`snapshot ${unknown} not found`)],
      [{ from: old, to: unknown }, 404, /not found/],
    ];
    for (const [query, status, message] of cases) {
      const res = await t.http.get('/api/v1/diff').query(query);
      expect({ query, status: res.status }).toEqual({ query, status });
      expect(res.body.message).toMatch(message);
    }
  });
});
