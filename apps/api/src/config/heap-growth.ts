// How far the server's heaps grow between full garbage collections. V8 sizes the next limit from the last live size
// by a factor it picks from the allocation rate: an event loop that mostly waits (queries, streaming downloads) gets
// ~1.1–1.4, and then starts incremental marking as soon as the room left is about one young generation. Measured
// (issue 13, `npm run bench:api -- --cold --server-node-args=--trace-gc`): the event loop's ~55 MB heap was marked and
// compacted 34 times in 45 s of cold analyses, each costing it 10–36 ms of pause plus steps of up to 24 ms — the
// cheap query's p99. A fixed factor of 2 made it 4 times. V8's flag is per process, so the worker threads' heaps grow
// by the same factor (their own heuristic goes up to 4 when they allocate fast: they collect sooner, not later).
import { setFlagsFromString } from 'node:v8';

/** NETPOL_HEAP_GROWING_PERCENT unless set: the next limit is the live size × (1 + percent / 100). */
export const DEFAULT_HEAP_GROWING_PERCENT = 100;
/** A factor of 5: beyond it a full collection waits for the heap's hard limit. */
const MAX_HEAP_GROWING_PERCENT = 400;

/** NETPOL_HEAP_GROWING_PERCENT: a whole number 0…400 (0: V8's own factor). Throws on anything else (server start). */
export function heapGrowingPercentFrom(text: string | undefined): number {
  if (text === undefined || text === '') return DEFAULT_HEAP_GROWING_PERCENT;
  if (!/^\d+$/.test(text) || Number(text) > MAX_HEAP_GROWING_PERCENT) {
    throw new Error(`NETPOL_HEAP_GROWING_PERCENT must be a whole number 0…${MAX_HEAP_GROWING_PERCENT}, got ${JSON.stringify(text)}`);
  }
  return Number(text);
}

/** The V8 flag for `percent`, or undefined for V8's own factor. */
export function heapGrowingFlag(percent: number): string | undefined {
  return percent > 0 ? `--heap-growing-percent=${percent}` : undefined;
}

/** Sets the factor for every heap of this process from the next collection on (V8 reads the flag at each one). */
export function applyHeapGrowingPercent(percent: number): void {
  const flag = heapGrowingFlag(percent);
  if (flag) setFlagsFromString(flag);
}
