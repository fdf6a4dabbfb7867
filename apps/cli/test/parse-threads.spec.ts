// `netpol list` on a big JSON List with NETPOL_PARSE_THREADS=1 reads it with two threads (parse-threads.ts: a worker reads the tail): the output
// must be byte-identical to the sequential read's, when the halves merge and when they do not (an error in the tail,
// an item that inherits the List's kind: the merge declines and the text is read sequentially).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSyntheticCluster, SIZE_PRESETS } from '../../../libs/engine/bench/synthetic-cluster.js';
import { runNetpol } from './run-netpol.js';

const dir = mkdtempSync(path.join(tmpdir(), 'netpol-parse-threads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const THREADS = { NETPOL_PARSE_THREADS: '1', NETPOL_PARSE_THREADS_MIN_BYTES: '0', NETPOL_PARSE_THREADS_TRACE: '1' };
const SEQUENTIAL = { NETPOL_PARSE_THREADS: '0' };

type Json = Record<string, unknown>;
// The S cluster (1k pods): the threshold is 0 here, so size only costs time (the M cluster took 25 s of CI).
const cluster = generateSyntheticCluster(SIZE_PRESETS.S, 5).list as { items: Json[] };

/** The cluster as kubectl writes it (4-space indent, the List's kind after its items), item `k` edited. */
function write(name: string, edit?: { k: number; item: (item: Json) => unknown }): string {
  const items = cluster.items.map((item, i) => (edit && i === edit.k ? edit.item(structuredClone(item)) : item));
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify({ apiVersion: 'v1', items, kind: 'List', metadata: { resourceVersion: '' } }, null, 4));
  return file;
}

async function both(args: readonly string[]): Promise<{ threaded: Awaited<ReturnType<typeof runNetpol>>; sequential: Awaited<ReturnType<typeof runNetpol>> }> {
  const [threaded, sequential] = [await runNetpol(args, THREADS), await runNetpol(args, SEQUENTIAL)];
  return { threaded, sequential };
}

describe('netpol list: a big JSON List read by two threads', () => {
  it('merges the halves, with the same output as the sequential read (summary and connectivity)', async () => {
    const file = write('cluster.json');
    for (const args of [['list', file, '--summary', '-o', 'json'], ['list', file, '-o', 'csv']]) {
      const { threaded, sequential } = await both(args);
      expect(threaded.stderr).toBe('parse: two threads merged\n');
      expect(threaded.code).toBe(0);
      expect(threaded.stdout).toBe(sequential.stdout);
      expect(sequential.stderr).toBe('');
      expect(threaded.stdout).toContain(args.includes('csv') ? ',' : '"pairs"');
    }
  });

  it('declines to merge when the tail has an error or an item inherits, and reports as the sequential read', async () => {
    const last = cluster.items.length - 1;
    const broken = write('broken.json', { k: last, item: (item) => ({ ...item, metadata: { ...(item['metadata'] as Json), name: 5 } }) });
    const inherits = write('inherits.json', { k: last - 1, item: (item) => (delete item['apiVersion'], item) });
    for (const [file, reason] of [
      [broken, 'tail: an item has an error'],
      [inherits, 'tail: an item inherits from the List'],
    ] as const) {
      const { threaded, sequential } = await both(['list', file, '--summary', '-o', 'json']);
      expect(threaded.stderr).toBe(`parse: read sequentially (${reason})\n${sequential.stderr}`);
      expect([threaded.code, threaded.stdout]).toEqual([sequential.code, sequential.stdout]);
    }
  });
});
