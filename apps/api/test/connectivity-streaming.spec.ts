// The connectivity download formats its text in slices and gives the event loop back between them (issue 13: a
// cheap query must not wait for another client's 10k-pod table; a local client drains as fast as rows are written,
// so waiting for 'drain' alone never yielded). Deterministic: a response that always drains, and a setImmediate
// scheduled at the first write, which must run before the third write, not after the whole body.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSyntheticCluster, SIZE_PRESETS } from '../../../libs/engine/bench/synthetic-cluster.js';
import { CONNLIST_FORMATS, formatConnlist } from '@netpol-atlas/engine';
import { AnalysisService } from '../src/analysis/analysis.service.js';
import { tableRows } from '../src/analysis/connectivity-table.js';
import { RenderPool } from '../src/compliance/render-pool.js';
import { ConnectivityController } from '../src/connectivity/connectivity.controller.js';
import { SnapshotsService } from '../src/snapshots/snapshots.service.js';
import { startApp, uploadJsonList, type TestApp } from './support/app.js';

/** A ServerResponse that always takes more (a fast local client), recording what is written. */
class AlwaysDrainingResponse {
  statusCode = 0;
  destroyed = false;
  readonly headers = new Map<string, string>();
  readonly writes: string[] = [];
  ended = false;
  onFirstWrite: (() => void) | undefined;

  setHeader(name: string, value: string): void {
    this.headers.set(name.toLowerCase(), value);
  }
  write(chunk: string): boolean {
    this.writes.push(chunk);
    if (this.writes.length === 1) this.onFirstWrite?.();
    return true;
  }
  end(chunk?: string): void {
    if (chunk) this.writes.push(chunk);
    this.ended = true;
  }
  on(): this {
    return this;
  }
  off(): this {
    return this;
  }
}

describe('connectivity download: formatted in slices', () => {
  let t: TestApp;
  let id: string;
  beforeAll(async () => {
    t = await startApp({ formatSliceMs: 0 });
    ({ id } = await uploadJsonList(t, 'slices', generateSyntheticCluster(SIZE_PRESETS.S, 3).list));
  }, 120_000);
  afterAll(() => t?.close());

  it('gives the event loop back between batches, and the body is the same bytes as over HTTP', async () => {
    const http = await t.http.get(`/api/v1/snapshots/${id}/connectivity?format=txt`);
    expect(http.status).toBe(200);
    const res = new AlwaysDrainingResponse();
    let writesWhenImmediateRan = -1;
    res.onFirstWrite = () => setImmediate(() => (writesWhenImmediateRan = res.writes.length));
    await t.app.get(ConnectivityController).connectivity(id, 'txt', res as never);
    expect(res.ended).toBe(true);
    expect(res.writes.join('')).toBe(http.text);
    // Several batches of 64 Ki characters: without slices the immediate runs only after the last one.
    expect(res.writes.length).toBeGreaterThan(4);
    expect(writesWhenImmediateRan).toBeGreaterThan(0);
    expect(writesWhenImmediateRan).toBeLessThan(3);
  });
});

describe('connectivity download: formatted in a render thread (large tables)', () => {
  let t: TestApp;
  let id: string;
  beforeAll(async () => {
    // Every table through the thread (the server's default: 10,000 rows and more).
    t = await startApp({ connlistThreadFromRows: 0 });
    ({ id } = await uploadJsonList(t, 'threaded', generateSyntheticCluster(SIZE_PRESETS.S, 3).list));
  }, 120_000);
  afterAll(() => t?.close());

  it('sends the formatter\'s bytes in every format, with the headers, from the render thread', async () => {
    const snapshot = await t.app.get(SnapshotsService).findById(id);
    const table = (await t.app.get(AnalysisService).connectivity(snapshot!.contentSha256)).value;
    const render = t.app.get(RenderPool);
    const isV6 = table.peers.map((peer) => peer.type === 'ip' && peer.family === 6);
    const v6Rows = table.src.filter((src, i) => isV6[src] || isV6[table.dst[i]]).length;
    expect(v6Rows).toBeGreaterThan(0);
    for (const format of CONNLIST_FORMATS) {
      const before = render.counts.connlist;
      const res = await t.http.get(`/api/v1/snapshots/${id}/connectivity?format=${format}`).buffer(true).parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      });
      expect(res.status, format).toBe(200);
      expect((res.body as Buffer).toString('utf8'), format).toBe(formatConnlist(tableRows(table), format, undefined, table.showsIcmp));
      expect(render.counts.connlist - before, format).toBe(1);
      expect(res.headers['x-netpol-analysis-cache']).toBe('memory');
      expect(res.headers['content-disposition']).toMatch(/^attachment; filename=/);
      expect(res.headers['x-netpol-cni-profile']).toBeTruthy();
      if (format === 'txt' || format === 'json') expect(res.headers['x-netpol-ipv6-rows-omitted']).toBe(String(v6Rows));
    }
  });
});
