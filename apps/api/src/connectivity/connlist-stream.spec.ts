// The connectivity text sent from a render thread: the same bytes as formatted in place, never more than the window
// ahead of a slow client, and stopped when the client leaves. Both ends in this process over a real MessageChannel
// (the HTTP path through the render thread: apps/api/test/connectivity-streaming.spec.ts).
import { analyze, CONNLIST_FORMATS, formatConnlist, loadSnapshot } from '@netpol-atlas/engine';
import { EventEmitter } from 'node:events';
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { generateSyntheticCluster, SIZE_PRESETS } from '../../../../libs/engine/bench/synthetic-cluster.js';
import { tableFromAnalysis, tableRows } from '../analysis/connectivity-table.js';
import { RenderPool } from '../compliance/render-pool.js';
import { CONNLIST_WINDOW, pipeConnlist, streamConnlist } from './connlist-stream.js';

function table() {
  const loaded = loadSnapshot([{ path: 'cluster.json', text: JSON.stringify(generateSyntheticCluster(SIZE_PRESETS.S, 5).list) }]);
  expect(loaded.issues.filter((i) => i.severity === 'error')).toEqual([]);
  return tableFromAnalysis(analyze(loaded.snapshot));
}

/** A response whose client takes what was written only when told to (`take`: 'drain'), or always (`fast`). */
class ClientResponse extends EventEmitter {
  readonly chunks: Uint8Array[] = [];
  ended = false;
  destroyed = false;
  begun = 0;
  constructor(private readonly fast: boolean) {
    super();
  }
  write(chunk: Uint8Array): boolean {
    this.chunks.push(chunk);
    return this.fast;
  }
  end(): void {
    this.ended = true;
  }
  destroy(): void {
    this.destroyed = true;
  }
  take(): void {
    this.emit('drain');
  }
  leave(): void {
    this.emit('close');
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('connectivity text from a render thread', () => {
  const connectivity = table();

  it('sends the same bytes as the formatter, in every format, after one begin', async () => {
    for (const format of CONNLIST_FORMATS) {
      const { port1, port2 } = new MessageChannel();
      const res = new ClientResponse(true);
      const task = streamConnlist(connectivity, format, port2, 4096);
      expect(await pipeConnlist(port1, res as never, () => res.begun++, task)).toBeUndefined();
      expect(res.text(), format).toBe(formatConnlist(tableRows(connectivity), format, undefined, connectivity.showsIcmp));
      expect(res.begun).toBe(1);
      expect(res.ended).toBe(true);
      expect((await task).stopped).toBe(false);
      if (format === 'txt') expect(res.chunks.length).toBeGreaterThan(2 * CONNLIST_WINDOW);
    }
  });

  it('formats no further than the window ahead of a slow client, and stops when the client leaves', async () => {
    const { port1, port2 } = new MessageChannel();
    const res = new ClientResponse(false);
    const task = streamConnlist(connectivity, 'txt', port2, 4096);
    const piped = pipeConnlist(port1, res as never, () => res.begun++, task);
    await settle();
    expect(res.chunks.length).toBe(CONNLIST_WINDOW);
    // The client took all four: four more, and no further.
    res.take();
    await settle();
    expect(res.chunks.length).toBe(2 * CONNLIST_WINDOW);
    res.leave();
    await piped;
    const streamed = await task;
    expect(streamed.stopped).toBe(true);
    expect(streamed.chunks).toBe(2 * CONNLIST_WINDOW);
    expect(res.ended).toBe(false);
  });

  it('cuts the response when the formatting fails after the first byte, and says why', async () => {
    const { port1, port2 } = new MessageChannel();
    const res = new ClientResponse(true);
    let fail: (error: Error) => void = () => undefined;
    const failing = new Promise<never>((_, reject) => (fail = reject));
    const piped = pipeConnlist(port1, res as never, () => res.begun++, failing);
    port2.postMessage(new TextEncoder().encode('first bytes'));
    await settle();
    fail(new Error('thread ended'));
    expect((await piped)?.message).toBe('thread ended');
    expect(res.begun).toBe(1);
    expect(res.destroyed).toBe(true);
    expect(res.ended).toBe(false);
    port2.close();
  });

  it('in the render pool, a stalled download holds neither the other downloads nor a report rendering', async () => {
    const pool = new RenderPool({ threads: 1 });
    try {
      const stalled = new MessageChannel();
      const stalledRes = new ClientResponse(false);
      const stalledTask = pool.connlist(connectivity, 'txt', stalled.port2, 4096);
      const stalledPipe = pipeConnlist(stalled.port1, stalledRes as never, () => undefined, stalledTask);
      for (let waited = 0; stalledRes.chunks.length < CONNLIST_WINDOW && waited < 200; waited++) await settle();
      expect(stalledRes.chunks.length).toBe(CONNLIST_WINDOW);

      const fast = new MessageChannel();
      const fastRes = new ClientResponse(true);
      await pipeConnlist(fast.port1, fastRes as never, () => undefined, pool.connlist(connectivity, 'txt', fast.port2, 4096));
      expect(fastRes.text()).toBe(formatConnlist(tableRows(connectivity), 'txt', undefined, connectivity.showsIcmp));
      // Not a report: it fails, in a render thread, while the download is still stalled.
      await expect(pool.reportHeader('{}')).rejects.toThrow();
      expect(stalledRes.chunks.length).toBe(CONNLIST_WINDOW);

      stalledRes.leave();
      await stalledPipe;
      expect(await stalledTask).toEqual({ chunks: CONNLIST_WINDOW, stopped: true });
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('answers with the error when the formatting fails before the first byte', async () => {
    const { port1 } = new MessageChannel();
    const res = new ClientResponse(true);
    const refused = Promise.reject(new Error('pool full'));
    await expect(pipeConnlist(port1, res as never, () => res.begun++, refused)).rejects.toThrow('pool full');
    expect(res.begun).toBe(0);
  });
});
