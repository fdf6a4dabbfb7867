// The diff algorithm and formatters against np-guard itself, independently of the analysis: where the corpus
// has np-guard's own connlist for both snapshots of a diff case (cases/<old>, cases/<new>), diffing those
// connlists must print exactly the case's expected.txt (and csv / md where present).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConnString } from '../output/conn-string.js';
import { type DiffFormat, formatDiff } from './format.js';
import { parseIpRangeName } from './ip-range.js';
import { diffConnectivity } from './pair-diff.js';
import type { ConnRow, ConnectivityView, DiffPeer, WorkloadPeer } from './types.js';

const corpus =
  process.env.NETPOL_CONFORMANCE_DIR ?? path.resolve(import.meta.dirname, '../../../../../shared/conformance/np-guard');

function parsePeer(text: string): DiffPeer {
  const range = parseIpRangeName(text);
  if (range) return { kind: 'ip', range };
  const m = text.match(/^([^/]+)\/(.+)\[([^\]]*)\]$/);
  if (!m) throw new Error(`not a peer name: ${text}`);
  return { kind: 'workload', key: text, namespace: m[1], name: m[2], workloadKind: m[3] };
}

/** Reads np-guard's `list` text output back into rows. */
export function viewFromConnlist(text: string): ConnectivityView {
  const rows: ConnRow[] = [];
  const workloads = new Map<string, WorkloadPeer>();
  for (const line of text.split('\n').filter((l) => l.length > 0)) {
    const m = line.match(/^(.+) => (.+) : (.+)$/);
    if (!m) throw new Error(`not a connlist line: ${line}`);
    const conn = parseConnString(m[3]);
    const src = parsePeer(m[1]);
    const dst = parsePeer(m[2]);
    for (const p of [src, dst]) if (p.kind === 'workload') workloads.set(p.key, p);
    rows.push({ src, dst, conn });
  }
  return { rows, workloads: [...workloads.values()] };
}

const read = (file: string) => readFileSync(file, 'utf8').replaceAll('\r\n', '\n');

const pairs = existsSync(path.join(corpus, 'diff'))
  ? readdirSync(path.join(corpus, 'diff')).filter((name) => {
      const [oldName, newName] = name.split('__to__');
      return existsSync(path.join(corpus, 'cases', oldName, 'expected.txt')) &&
        existsSync(path.join(corpus, 'cases', newName, 'expected.txt'));
    })
  : [];

describe('diff of np-guard connlists reproduces np-guard diff output', () => {
  it('finds the corpus and the cases with both connlists', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(10);
  });

  it.each(pairs)('%s', (name) => {
    const [oldName, newName] = name.split('__to__');
    const oldView = viewFromConnlist(read(path.join(corpus, 'cases', oldName, 'expected.txt')));
    const newView = viewFromConnlist(read(path.join(corpus, 'cases', newName, 'expected.txt')));
    const diff = diffConnectivity(oldView, newView);
    for (const format of ['txt', 'csv', 'md'] as DiffFormat[]) {
      const file = path.join(corpus, 'diff', name, `expected.${format}`);
      if (!existsSync(file)) continue;
      expect(formatDiff(diff, format)).toBe(read(file));
    }
  });
});
