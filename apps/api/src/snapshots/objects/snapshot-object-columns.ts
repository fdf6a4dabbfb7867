// The normalised rows of one content as the parameters of their INSERTs: per table, batches of rows, each batch one
// JSON array of the row objects as UTF-8 bytes, bound as a single (binary text) parameter and read by
// `jsonb_to_recordset` in SQL (snapshot-objects.repository.ts). Pure, so the parse worker encodes them: the event
// loop then receives a few dozen buffers, transferred (not ~80k row objects, nor strings, to clone), and the
// encoding is one native JSON.stringify per batch (no element-by-element escaping, as node-pg does for a JS array
// parameter or an array literal needs).
import type { SnapshotCounts } from '../snapshot-counts.js';
import type { SnapshotObjects } from './snapshot-objects.js';

/** Rows per INSERT statement (one round trip per batch). */
export const INSERT_BATCH = 5000;

export type ObjectTable = 'namespaces' | 'workloads' | 'pods' | 'policies';

export interface ObjectRowsBatch {
  readonly table: ObjectTable;
  readonly rows: number;
  /** The batch's rows as one JSON array of objects (the row interfaces of snapshot-objects.ts, their field names), in
   *  UTF-8, with an ArrayBuffer of its own (transferable). */
  readonly json: Uint8Array;
}

export interface ObjectColumns {
  readonly counts: SnapshotCounts;
  readonly batches: readonly ObjectRowsBatch[];
}

function batches(table: ObjectTable, rows: readonly object[]): ObjectRowsBatch[] {
  const out: ObjectRowsBatch[] = [];
  for (let start = 0; start < rows.length; start += INSERT_BATCH) {
    const batch = rows.slice(start, start + INSERT_BATCH);
    const text = JSON.stringify(batch);
    const json = Buffer.allocUnsafeSlow(Buffer.byteLength(text, 'utf8'));
    json.write(text, 0, 'utf8');
    out.push({ table, rows: batch.length, json });
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
