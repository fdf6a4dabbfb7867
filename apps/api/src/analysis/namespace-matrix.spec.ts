// The stored namespace matrix against the obvious derivation from the API's merged connectivity rows (how the matrix
// was computed before it became a stored artefact), on seeded random tables with the cases that matter: two np-guard
// workloads of one controller (their rows merged, their connections united, their mutual rows dropped), IP peers on
// either side, and namespaces without any allowed pair.
import { compareText } from '@netpol-atlas/engine';
import { describe, expect, it } from 'vitest';
import { workloadRows } from '../../test/support/workload-rows-reference.js';
import type { ConnectivityTable } from './connectivity-table.js';
import { randomTable } from '../../test/support/random-connectivity-table.js';
import { tableRowColumns } from '../connectivity/connectivity-rows.js';
import { busiestNamespaces, decodeMatrix, encodeMatrix, matrixCellCount, matrixCells, namespaceMatrixOf, type NamespaceCellData } from './namespace-matrix.js';

/** The matrix as the API derived it from its merged rows. */
function naiveMatrix(table: ConnectivityTable) {
  const { rows } = workloadRows(table);
  const workloads = new Map<string, Set<string>>();
  for (const peer of table.peers) {
    if (peer.type !== 'workload') continue;
    workloads.set(peer.namespace, (workloads.get(peer.namespace) ?? new Set()).add(`${peer.topKind}/${peer.topName}`));
  }
  const fromIps = new Map<string, Set<string>>();
  const toIps = new Map<string, Set<string>>();
  const cells = new Map<string, { from: string; to: string; allowedPairs: number; allPortsPairs: number }>();
  for (const row of rows) {
    if (row.from.namespace === null || row.to.namespace === null) {
      const [map, peer] = row.from.namespace === null ? [fromIps, row.to] : [toIps, row.from];
      if (peer.namespace !== null) map.set(peer.namespace, (map.get(peer.namespace) ?? new Set()).add(`${peer.kind}/${peer.name}`));
      continue;
    }
    const key = `${row.from.namespace}\u0000${row.to.namespace}`;
    const cell = cells.get(key) ?? { from: row.from.namespace, to: row.to.namespace, allowedPairs: 0, allPortsPairs: 0 };
    cell.allowedPairs++;
    if (row.conn.isAll) cell.allPortsPairs++;
    cells.set(key, cell);
  }
  const names = [...workloads.keys()].sort(compareText);
  const count = (ns: string) => workloads.get(ns)!.size;
  return {
    namespaces: names.map((name) => ({ name, workloads: count(name), reachableFromIpRanges: fromIps.get(name)?.size ?? 0, reachingIpRanges: toIps.get(name)?.size ?? 0 })),
    cells: [...cells.entries()]
      .sort(([a], [b]) => compareText(a, b))
      .map(([, c]): NamespaceCellData => ({ ...c, possiblePairs: c.from === c.to ? count(c.from) * (count(c.from) - 1) : count(c.from) * count(c.to) })),
  };
}

describe('namespaceMatrixOf', () => {
  it('equals the matrix derived from the merged rows, on 300 seeded random tables; stored and read back the same', () => {
    let merged = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const table = randomTable(seed);
      const matrix = namespaceMatrixOf(tableRowColumns(table));
      const expected = naiveMatrix(table);
      const namespaces = matrix.namespaces.map((name, i) => ({
        name,
        workloads: matrix.workloads[i],
        reachableFromIpRanges: matrix.reachableFromIpRanges[i],
        reachingIpRanges: matrix.reachingIpRanges[i],
      }));
      expect(namespaces, `seed ${seed}`).toEqual(expected.namespaces);
      expect(matrixCells(matrix), `seed ${seed}`).toEqual(expected.cells);
      expect(matrixCellCount(matrix)).toBe(expected.cells.length);
      expect(matrixCellCount(matrix, true)).toBe(expected.cells.filter((c) => c.from !== c.to).length);
      const stored = decodeMatrix(encodeMatrix(matrix));
      expect(stored).toEqual(matrix);
      expect(encodeMatrix(stored)).toEqual(encodeMatrix(matrix));
      if (table.peers.some((p, i) => p.type === 'workload' && table.peers.some((q, j) => j !== i && q.type === 'workload' && q.namespace === p.namespace && q.topName === p.topName))) merged++;
    }
    // The merge of one controller's np-guard workloads was exercised.
    expect(merged).toBeGreaterThan(50);
  });

  it('selects the busiest namespaces and cells as a sort of every cell would', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const table = randomTable(seed);
      const matrix = namespaceMatrixOf(tableRowColumns(table));
      const cells = naiveMatrix(table).cells;
      const activity = new Map(matrix.namespaces.map((name) => [name, 0]));
      for (const c of cells) {
        activity.set(c.from, activity.get(c.from)! + c.allowedPairs);
        if (c.to !== c.from) activity.set(c.to, activity.get(c.to)! + c.allowedPairs);
      }
      const byActivity = [...matrix.namespaces].sort((a, b) => activity.get(b)! - activity.get(a)! || compareText(a, b));
      const byKey = (a: NamespaceCellData, b: NamespaceCellData) => compareText(a.from, b.from) || compareText(a.to, b.to);
      const busiestFirst = (list: NamespaceCellData[]) => [...list].sort((a, b) => b.allowedPairs - a.allowedPairs || byKey(a, b));
      for (const k of [1, 2, 3, 10]) {
        const chosen = byActivity.slice(0, k);
        expect(busiestNamespaces(matrix, k), `seed ${seed} k ${k}`).toEqual([...chosen].sort(compareText));
        expect(matrixCells(matrix, { amongBusiest: k })).toEqual(cells.filter((c) => chosen.includes(c.from) && chosen.includes(c.to)));
        expect(matrixCells(matrix, { busiest: k })).toEqual(busiestFirst(cells).slice(0, k).sort(byKey));
        const cross = cells.filter((c) => c.from !== c.to);
        expect(matrixCells(matrix, { crossNamespace: true, busiest: k })).toEqual(busiestFirst(cross).slice(0, k).sort(byKey));
        expect(matrixCells(matrix, { crossNamespace: true, amongBusiest: k, busiest: 2 })).toEqual(
          busiestFirst(cross.filter((c) => chosen.includes(c.from) && chosen.includes(c.to))).slice(0, 2).sort(byKey),
        );
      }
    }
  });
});
