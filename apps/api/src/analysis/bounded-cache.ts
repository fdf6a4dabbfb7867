// A least-recently-used map bounded by entry count and by (estimated) bytes. The most recent entry is kept even
// when it alone exceeds the byte bound: evicting what was just computed would only compute it again.
export class BoundedCache<V> {
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private totalBytes = 0;

  constructor(
    readonly maxEntries: number,
    readonly maxBytes: number,
  ) {
    if (maxEntries < 1 || maxBytes < 1) throw new Error('cache bounds must be positive');
  }

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /** The value, now the most recently used; undefined when absent. */
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  set(key: string, value: V, bytes = 0): void {
    this.delete(key);
    this.entries.set(key, { value, bytes });
    this.totalBytes += bytes;
    this.evict();
  }

  /** Re-estimates an entry's size (it grew), then evicts as needed. */
  resize(key: string, bytes: number): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.totalBytes += bytes - entry.bytes;
    entry.bytes = bytes;
    this.evict();
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.totalBytes -= entry.bytes;
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
    this.totalBytes = 0;
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  private evict(): void {
    for (const key of this.entries.keys()) {
      if (this.entries.size <= 1 || (this.entries.size <= this.maxEntries && this.totalBytes <= this.maxBytes)) return;
      this.delete(key);
    }
  }
}

/**
 * `compute()` once per key while `cache` keeps it (concurrent callers share the promise), charged `bytesOf` its value
 * once known; a failure is forgotten, so the next caller computes again.
 */
export function cachedTask<V>(cache: BoundedCache<Promise<V>>, key: string, compute: () => Promise<V>, bytesOf: (value: V) => number): Promise<V> {
  const hit = cache.get(key);
  if (hit) return hit;
  const task = compute();
  cache.set(key, task);
  task.then(
    (value) => cache.resize(key, bytesOf(value)),
    () => {
      if (cache.get(key) === task) cache.delete(key);
    },
  );
  return task;
}
