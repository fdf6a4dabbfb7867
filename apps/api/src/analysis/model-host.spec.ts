// The model threads are bounded: past `maxQueue` tasks waiting on a shard, a new one is refused at once with a 503
// that says when to come back (Retry-After), and the accepted ones complete. A model stays in the thread of its key.
import { describe, expect, it } from 'vitest';
import { analysisKey, keyText } from './analysis-key.js';
import { ModelHost, ModelHostFullError } from './model-host.js';
import { modelFromContent } from './snapshot-model.js';
import { encodeStoredModel } from './stored-model.js';

const content = (i: number) =>
  Buffer.from(
    JSON.stringify([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `ns-${i}` } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: `ns-${i}`, labels: { app: 'a' } }, status: { phase: 'Running', podIP: `10.0.0.${i + 1}` } },
    ]),
  );
const key = (i: number) => keyText(analysisKey(`${i}`.padStart(64, '0')));

describe('ModelHost', () => {
  it('refuses tasks past its queue bound with 503 + Retry-After, completes the accepted ones, and keeps each model', async () => {
    const host = new ModelHost({ threads: 1, maxQueue: 2 });
    try {
      // Ten loads asked in one tick: no task can finish in between.
      const outcomes = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => host.run({ op: 'load', key: key(i), content: content(i), options: {} })));
      const refused = outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason);
      const done = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [i] : []));
      expect(refused.length).toBeGreaterThan(0);
      for (const reason of refused) {
        expect(reason).toBeInstanceOf(ModelHostFullError);
        expect((reason as ModelHostFullError).getStatus()).toBe(503);
        expect((reason as ModelHostFullError).retryAfterSeconds).toBeGreaterThan(0);
      }
      expect(done.length).toBeGreaterThan(0);
      expect(done.length).toBeLessThanOrEqual(3);
      // A loaded model answers; a refused one was never loaded.
      const question = { kind: 'reachability', from: { namespace: 'ns-x', pod: 'p' }, to: { ip: '10.9.9.9' }, port: 80, protocol: 'TCP' } as const;
      const loaded = done[0]!;
      const answered = await host.run({ op: 'ask', key: key(loaded), question: { ...question, from: { namespace: `ns-${loaded}`, pod: 'p' } } });
      expect(answered).toMatchObject({ answer: { allowed: true } });
      const notLoaded = outcomes.findIndex((o) => o.status === 'rejected');
      expect(await host.run({ op: 'ask', key: key(notLoaded), question })).toEqual({ missing: 'model' });
      // An unknown peer comes back as data (the engine's error class does not cross the thread).
      const unknown = await host.run({ op: 'ask', key: key(loaded), question: { ...question, from: { namespace: `ns-${loaded}`, pod: 'nope' } } });
      expect(unknown).toMatchObject({ evaluateError: { code: 'UNKNOWN_PEER' } });
      await host.clear();
      expect(await host.run({ op: 'ask', key: key(loaded), question })).toEqual({ missing: 'model' });
    } finally {
      await host.close();
    }
  }, 60_000);

  it('loads a model from its stored model, refuses an unreadable one (a miss, not a failure), and completes it from the content', async () => {
    const host = new ModelHost({ threads: 1 });
    try {
      const model = modelFromContent(content(1), {});
      const stored = encodeStoredModel(model.snapshot, model.objects);
      expect(await host.run({ op: 'load', key: key(1), options: {} })).toEqual({ notHeld: true, storedModelRefused: false });
      expect(await host.run({ op: 'load', key: key(1), model: Buffer.from('not a stored model'), options: {} })).toEqual({ notHeld: true, storedModelRefused: true });
      expect(await host.run({ op: 'load', key: key(1), model: stored, options: {} })).toMatchObject({ loaded: true, from: 'stored' });
      const question = { kind: 'reachability', from: { namespace: 'ns-1', pod: 'p' }, to: { ip: '10.9.9.9' }, port: 80, protocol: 'TCP' } as const;
      expect(await host.run({ op: 'ask', key: key(1), question })).toMatchObject({ answer: { allowed: true } });
      // A computation needs the content's objects: the stored model is not enough, the content completes it.
      const compute = { op: 'compute', key: key(1), sides: [{ key: key(1), withAnalysis: false }], computation: { name: 'selections' } } as const;
      expect(await host.run(compute)).toEqual({ missing: 'model', missingSide: 0 });
      expect(await host.run({ op: 'load', key: key(1), content: content(1), options: {} })).toMatchObject({ loaded: true, from: 'built' });
      expect(await host.run(compute)).toHaveProperty('answer');
      expect(await host.run({ op: 'load', key: key(1), model: stored, options: {} })).toMatchObject({ loaded: true, from: 'held' });
    } finally {
      await host.close();
    }
  }, 60_000);
});
