// The worker threads of the server run below the event loop's priority (Linux: each thread has its own nice value),
// so that a cheap query gets a core while cold analyses run. Read from the kernel: /proc/self/task/TID/stat.
import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { analysisKey } from '../analysis/analysis-key.js';
import { AnalysisPool } from '../analysis/analysis-pool.js';
import { ModelThreads } from '../analysis/model-threads.js';
import { RenderPool } from '../compliance/render-pool.js';
import { currentThreadId, DEFAULT_THREAD_NICE, threadNiceFrom } from './thread-priority.js';

/** Every thread of this process and its nice value (field 19 of stat; the fields after the command's ")"). */
function threadNices(): Map<number, number> {
  const nices = new Map<number, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      nices.set(Number(tid), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]));
    } catch {
      // the thread ended meanwhile
    }
  }
  return nices;
}

/** The threads started by `start` (alive after it), with their nice values. */
async function newThreadNices(start: () => Promise<unknown>): Promise<number[]> {
  const before = new Set(threadNices().keys());
  await start();
  return [...threadNices()].filter(([tid]) => !before.has(tid)).map(([, nice]) => nice);
}

const content = Buffer.from(
  JSON.stringify([
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns', labels: { app: 'a' } }, status: { phase: 'Running', podIP: '10.0.0.1' } },
  ]),
);

describe('threadNiceFrom (NETPOL_THREAD_NICE)', () => {
  it('defaults to 10, takes 0…19, refuses anything else', () => {
    expect(threadNiceFrom(undefined)).toBe(DEFAULT_THREAD_NICE);
    expect(DEFAULT_THREAD_NICE).toBe(10);
    expect(threadNiceFrom('0')).toBe(0);
    expect(threadNiceFrom('19')).toBe(19);
    for (const bad of ['-1', '20', '1.5', 'low', ' 5']) expect(() => threadNiceFrom(bad)).toThrow(/NETPOL_THREAD_NICE/);
  });
});

describe.runIf(process.platform === 'linux')('worker threads below the event loop', () => {
  const saved = process.env.NETPOL_THREAD_NICE;
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    if (saved === undefined) delete process.env.NETPOL_THREAD_NICE;
    else process.env.NETPOL_THREAD_NICE = saved;
    await Promise.all(closers.splice(0).map((close) => close()));
  });
  const own = () => threadNices().get(currentThreadId()!)!;

  it('the analysis pool, the model threads and the render pool run niced by 10; the calling thread keeps its priority', async () => {
    delete process.env.NETPOL_THREAD_NICE;
    const base = own();
    const expected = Math.min(19, base + 10);

    const analyses = new AnalysisPool({ threads: 1 });
    closers.push(() => analyses.close());
    const analysisThreads = await newThreadNices(() => analyses.analyse(analysisKey('a'.repeat(64)), content));
    expect(analysisThreads).toContain(expected);

    const models = new ModelThreads({ threads: 1, cache: { entries: 2, bytes: 64 * 1024 * 1024 } });
    closers.push(() => models.close());
    expect(await newThreadNices(() => models.warm())).toContain(expected);

    const renders = new RenderPool({ threads: 1 });
    closers.push(() => renders.close());
    // Not a report: the rendering fails, in a started thread.
    expect(await newThreadNices(() => renders.reportHeader('{}').catch(() => undefined))).toContain(expected);

    expect(own()).toBe(base);
  }, 60_000);

  it('NETPOL_THREAD_NICE=0 leaves the threads at the process priority', async () => {
    process.env.NETPOL_THREAD_NICE = '0';
    const base = own();
    const analyses = new AnalysisPool({ threads: 1 });
    closers.push(() => analyses.close());
    const started = await newThreadNices(() => analyses.analyse(analysisKey('b'.repeat(64)), content));
    expect(started.length).toBeGreaterThan(0);
    expect(started.every((nice) => nice === base)).toBe(true);
  }, 60_000);
});
