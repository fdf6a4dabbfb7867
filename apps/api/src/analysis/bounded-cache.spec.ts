import { describe, expect, it } from 'vitest';
import { BoundedCache, cachedTask } from './bounded-cache.js';

describe('BoundedCache', () => {
  it('evicts the least recently used entry beyond the entry bound', () => {
    const cache = new BoundedCache<number>(2, 1000);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now the most recent
    cache.set('c', 3);
    expect(cache.keys()).toEqual(['a', 'c']);
    expect(cache.get('b')).toBeUndefined();
  });

  it('evicts by bytes, keeps the newest entry even when it alone is too big, and follows resizes', () => {
    const cache = new BoundedCache<string>(10, 100);
    cache.set('a', 'x', 40);
    cache.set('b', 'y', 40);
    expect(cache.bytes).toBe(80);
    cache.resize('a', 70);
    expect(cache.keys()).toEqual(['b']);
    expect(cache.bytes).toBe(40);
    cache.set('huge', 'z', 500);
    expect(cache.keys()).toEqual(['huge']);
    expect(cache.bytes).toBe(500);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
  });
});

describe('cachedTask', () => {
  it('computes once per key for concurrent callers, charges the value its bytes, and forgets a failure', async () => {
    const cache = new BoundedCache<Promise<string>>(4, 100);
    let computed = 0;
    const compute = () => {
      computed++;
      return Promise.resolve('x'.repeat(30));
    };
    const [a, b] = await Promise.all([cachedTask(cache, 'k', compute, (v) => v.length), cachedTask(cache, 'k', compute, (v) => v.length)]);
    expect(a).toBe(b);
    expect(computed).toBe(1);
    expect(cache.bytes).toBe(30);

    let attempts = 0;
    const failing = () => {
      attempts++;
      return Promise.reject(new Error(`attempt ${attempts}`));
    };
    await expect(cachedTask(cache, 'bad', failing, () => 1)).rejects.toThrow('attempt 1');
    await Promise.resolve();
    expect(cache.get('bad')).toBeUndefined();
    await expect(cachedTask(cache, 'bad', failing, () => 1)).rejects.toThrow('attempt 2');
  });
});
