// NETPOL_BODY_LIMIT: 413 naming the limit, counted after decompression; a gzip bomb is stopped with bounded memory.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv, MiB } from '../src/config/app-config.js';
import { gzipBomb } from './support/gzip-bomb.js';
import { rowCounts } from './support/database.js';
import { demoYaml } from './support/demo.js';
import { startApp, type TestApp } from './support/app.js';

describe('body limit', () => {
  let t: TestApp;
  const limit = 8 * MiB;
  beforeAll(async () => {
    t = await startApp({ bodyLimit: limit });
  });
  afterAll(() => t?.close());

  const post = () => t.http.post('/api/v1/clusters/limits/snapshots').set('Content-Type', 'application/yaml');

  it('reads NETPOL_BODY_LIMIT (default 64 MiB)', () => {
    expect(configFromEnv({ DATABASE_URL: 'postgres://x/y' }).bodyLimit).toBe(64 * MiB);
    expect(configFromEnv({ DATABASE_URL: 'postgres://x/y', NETPOL_BODY_LIMIT: '8MiB' }).bodyLimit).toBe(8 * MiB);
    expect(configFromEnv({ DATABASE_URL: 'postgres://x/y', NETPOL_BODY_LIMIT: '1048576' }).bodyLimit).toBe(MiB);
    expect(() => configFromEnv({ DATABASE_URL: 'postgres://x/y', NETPOL_BODY_LIMIT: 'lots' })).toThrow(/byte size/);
  });

  it('413 for a raw body over the limit, naming the limit', async () => {
    const before = await rowCounts(t.databaseUrl);
    const padding = `# ${'x'.repeat(limit)}\n`;
    const res = await post().set('Content-Type', 'application/yaml').send(demoYaml() + padding);
    expect(res.status).toBe(413);
    // Nothing was decompressed, so the message does not say "after decompression".
    expect(res.body.message).toBe('the body exceeds NETPOL_BODY_LIMIT = 8 MiB (8388608 bytes)');
    expect(res.body.limit).toBe(limit);
    expect(await rowCounts(t.databaseUrl)).toEqual(before);
  });

  it('counts the limit after decompression: a small gzip body that inflates past it is 413', async () => {
    const body = gzipSync(`${demoYaml()}\n# ${'y'.repeat(limit)}\n`);
    expect(body.length).toBeLessThan(limit / 100);
    const res = await post().set('Content-Encoding', 'gzip').send(body);
    expect(res.status).toBe(413);
    expect(res.body.message).toBe('the body exceeds NETPOL_BODY_LIMIT = 8 MiB (8388608 bytes) after decompression');
  });

  // superagent would JSON-encode a Buffer sent as application/json; send the gzip bytes as they are.
  const asBytes = (body: Buffer) => body as unknown as string;

  it('POST /graphql words its 413 the same way: "after decompression" only for a gzip body', async () => {
    const query = JSON.stringify({ query: `{ __typename } # ${'q'.repeat(limit)}` });
    const raw = await t.http.post('/graphql').set('Content-Type', 'application/json').send(query);
    expect(raw.status).toBe(413);
    expect(raw.body.errors[0].message).toBe('the body exceeds NETPOL_BODY_LIMIT = 8 MiB (8388608 bytes)');
    const gzipped = await t.http.post('/graphql').set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').serialize(asBytes).send(gzipSync(query));
    expect(gzipped.status, JSON.stringify(gzipped.body)).toBe(413);
    expect(gzipped.body.errors[0].message).toBe('the body exceeds NETPOL_BODY_LIMIT = 8 MiB (8388608 bytes) after decompression');
  });

  it('stops a gzip bomb (512 MiB of zeros) with bounded memory', async () => {
    const bomb = await gzipBomb(512 * MiB);
    const before = await rowCounts(t.databaseUrl);
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    const started = Date.now();
    const res = await post().set('Content-Type', 'application/yaml').set('Content-Encoding', 'gzip').send(bomb);
    clearInterval(sampler);
    expect(res.status).toBe(413);
    // Inflating it all would take over 512 MiB; the reader holds at most the 8 MiB limit plus one chunk.
    expect(peak - baseline).toBeLessThan(128 * MiB);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await rowCounts(t.databaseUrl)).toEqual(before);
  });

  it('a body just under the limit is accepted', async () => {
    const body = `${demoYaml()}\n# ${'z'.repeat(limit - demoYaml().length - 100)}\n`;
    expect(Buffer.byteLength(body)).toBeLessThan(limit);
    const res = await post().set('Content-Type', 'application/yaml').send(body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });
});
