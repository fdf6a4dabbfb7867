// The normalised rows of one content as the parameters of their INSERTs: per table, batches of rows, each batch one
// JSON array of the row objects bound as a single text parameter and read by `jsonb_to_recordset` in SQL
// (snapshot-objects.repository.ts). Pure, so the parse worker encodes them: the event loop then receives a few
// dozen strings instead of ~80k row objects to clone, and the encoding is one native JSON.stringify per batch (no
// element-by-element escaping, as node-pg does for a JS array parameter or an array literal needs).
import type { SnapshotCounts } from '../snapshot-counts.js';
import type { SnapshotObjects } from './snapshot-objects.js';

/** Rows per INSERT statement (one round trip per batch). */
export const INSERT_BATCH = 5000;

export type ObjectTable = 'namespaces' | 'workloads' | 'pods' | 'policies';

export interface ObjectRowsBatch {
  readonly table: ObjectTable;
  readonly rows: number;
  /** The batch's rows as one JSON array of objects (the row interfaces of snapshot-objects.ts, their field names). */
  readonly json: string;
}

export interface ObjectColumns {
  readonly counts: SnapshotCounts;
  readonly batches: readonly ObjectRowsBatch[];
}

function batches(table: ObjectTable, rows: readonly object[]): ObjectRowsBatch[] {
  const out: ObjectRowsBatch[] = [];
  for (let start = 0; start < rows.length; start += INSERT_BATCH) {
    const batch = rows.slice(start, start + INSERT_BATCH);
    out.push({ table, rows: batch.length, json: JSON.stringify(batch) });
  }
  return out;
}

export function objectColumns(objects: SnapshotObjects): ObjectColumns {
  return {
    counts: objects.counts,
    batches: [
      ...batches('namespaces', objects.namespaces),
      ...batches('workloads', objects.workloads),
      ...batches('pods', objects.pods),
      ...batches('policies', objects.policies),
    ],
  };
}
