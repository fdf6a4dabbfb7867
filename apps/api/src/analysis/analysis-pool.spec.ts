// The analysis pool is bounded: past `maxQueue` analyses waiting for a thread, a new one is refused at once with a
// 503 (never queued without bound), and the accepted ones complete.
import { describe, expect, it } from 'vitest';
import { analysisKey } from './analysis-key.js';
import { AnalysisPool, AnalysisPoolFullError } from './analysis-pool.js';

const content = (i: number) =>
  Buffer.from(
    JSON.stringify([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${i}` } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: `ns-${i}`, labels: { app: 'a' } }, status: { phase: 'Running', podIP: `10.0.0.${i + 1}` } },
    ]),
  );

describe('AnalysisPool', () => {
  it('refuses analyses past its queue bound with 503, completes the accepted ones, and shares one per key', async () => {
    const pool = new AnalysisPool({ threads: 1, maxQueue: 2 });
    try {
      // Ten different contents asked in one tick: no task can finish in between.
      const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => pool.analyse(analysisKey(`${i}`.padStart(64, '0')), content(i))));
      const refused = outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason);
      const done = outcomes.filter((o) => o.status === 'fulfilled');
      expect(refused.length).toBeGreaterThan(0);
      for (const reason of refused) {
        expect(reason).toBeInstanceOf(AnalysisPoolFullError);
        expect((reason as AnalysisPoolFullError).getStatus()).toBe(503);
      }
      expect(done.length).toBeGreaterThan(0);
      expect(done.length).toBeLessThanOrEqual(3);
      for (const result of done) expect(Object.keys((result as PromiseFulfilledResult<{ artefacts: object }>).value.artefacts).sort()).toEqual(['analysis-v1', 'cni-profile-v2', 'connectivity', 'connectivity-rows', 'connectivity-rows-merged-ip', 'exposure-v2', 'model-v3', 'namespace-matrix']);
      // Same key twice at once: one analysis.
      const before = pool.started;
      const key = analysisKey('f'.repeat(64));
      const [a, b] = await Promise.all([pool.analyse(key, content(20)), pool.analyse(key, content(20))]);
      expect(a).toBe(b);
      expect(pool.started - before).toBe(1);
    } finally {
      await pool.close();
    }
  }, 60_000);

  it('moves a content that owns its memory to the thread, and copies one that shares it', async () => {
    const pool = new AnalysisPool({ threads: 1 });
    try {
      // 100 namespaces: over Node's 4 KiB pool threshold, so Buffer.from gives it an ArrayBuffer of its own.
      const objects = Array.from({ length: 100 }, (_, i) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: `namespace-${i}` } }));
      const large = Buffer.from(JSON.stringify(objects));
      expect(large.byteLength).toBe(large.buffer.byteLength);
      const moved = await pool.analyse(analysisKey('1'.repeat(64)), large);
      expect(moved.errors).toEqual([]);
      expect(large.byteLength).toBe(0); // detached: moved, not copied
      const small = content(30);
      expect(small.byteLength).toBeLessThan(small.buffer.byteLength); // a slice of the shared pool
      const copied = await pool.analyse(analysisKey('2'.repeat(64)), small);
      expect(copied.errors).toEqual([]);
      expect(small.byteLength).toBeGreaterThan(0);
      expect(JSON.parse(small.toString('utf8'))).toHaveLength(2);
    } finally {
      await pool.close();
    }
  }, 60_000);
});
