// The server's worker threads (analyses, engine models, report rendering, upload parsing) run at a lower scheduling
// priority than its event loop. On a machine with fewer cores than busy threads, the kernel otherwise shares the cores
// evenly, and a cheap query waits behind cold analyses for its slice (issue 13: a cheap query's p99 while cold analyses
// run). With the threads niced, the event loop gets a core when it has work; the threads still use every idle cycle.
// Linux only: there each thread has its own nice value (setpriority on its thread id). Elsewhere setpriority works on
// the whole process and would slow the event loop with them, so threads keep the process's priority.
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { isMainThread } from 'node:worker_threads';

/** Added to a worker thread's nice value unless NETPOL_THREAD_NICE says otherwise (0: threads as the event loop). */
export const DEFAULT_THREAD_NICE = 10;
/** The lowest priority Linux has. */
const NICEST = 19;

/** NETPOL_THREAD_NICE: a whole number 0…19, default DEFAULT_THREAD_NICE. Throws on anything else (server start). */
export function threadNiceFrom(text: string | undefined): number {
  if (text === undefined || text === '') return DEFAULT_THREAD_NICE;
  if (!/^\d+$/.test(text) || Number(text) > NICEST) throw new Error(`NETPOL_THREAD_NICE must be a whole number 0…${NICEST}, got ${JSON.stringify(text)}`);
  return Number(text);
}

/** This thread's id as the kernel knows it, or undefined without /proc. */
export function currentThreadId(): number | undefined {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Lowers the calling worker thread's priority by NETPOL_THREAD_NICE (never the main thread's, never outside Linux).
 * Returns the thread's nice value after, or undefined when left alone. A refusal by the kernel leaves it alone too:
 * the thread then only runs at the event loop's priority, as it did before.
 */
export function lowerWorkerThreadPriority(env: NodeJS.ProcessEnv = process.env): number | undefined {
  if (isMainThread || process.platform !== 'linux') return undefined;
  let increment: number;
  try {
    increment = threadNiceFrom(env.NETPOL_THREAD_NICE);
  } catch {
    return undefined; // the server's configuration refuses the value at start (app-config.ts)
  }
  if (increment === 0) return undefined;
  const tid = currentThreadId();
  if (tid === undefined) return undefined;
  try {
    const nice = Math.min(NICEST, getPriority(tid) + increment);
    setPriority(tid, nice);
    return nice;
  } catch {
    return undefined;
  }
}
