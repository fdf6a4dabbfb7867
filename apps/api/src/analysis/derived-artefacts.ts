// The registry of derived artefacts: what the API computes from a snapshot's analysis and caches (in memory and in
// the analysis_results table), each declared once with how it is computed, stored and sized. A new artefact (a
// compliance report's evidence, a lint result) is one more entry, not another field in the cache.
import { exposureSummary, type Analysis, type ExposureSummary } from '@netpol-atlas/engine';
import { gunzipSync, gzipSync } from 'node:zlib';
import { decodeTable, encodeTable, tableBytes, tableFromAnalysis, type ConnectivityTable } from './connectivity-table.js';

export interface DerivedArtefact<T> {
  /** Stored as `analysis_results.kind`: lower case, digits and dashes. */
  readonly kind: string;
  compute(analysis: Analysis): T;
  encode(value: T): Buffer;
  decode(stored: Buffer): T;
  /** Approximate bytes in memory (the cache's budget). */
  bytes(value: T): number;
}

/** Workload-level connectivity (compact factorised table, never pod pairs). */
export const CONNECTIVITY: DerivedArtefact<ConnectivityTable> = {
  kind: 'connectivity',
  compute: tableFromAnalysis,
  encode: encodeTable,
  decode: decodeTable,
  bytes: tableBytes,
};

/** Internet-exposed, cluster-wide-exposed and unprotected workloads. */
export const EXPOSURE: DerivedArtefact<ExposureSummary> = {
  kind: 'exposure',
  compute: exposureSummary,
  encode: (summary) => gzipSync(JSON.stringify(summary)),
  decode: (stored) => JSON.parse(gunzipSync(stored).toString('utf8')) as ExposureSummary,
  bytes: (summary) => 2 * JSON.stringify(summary).length,
};

export const DERIVED_ARTEFACTS: readonly DerivedArtefact<unknown>[] = [CONNECTIVITY, EXPOSURE];
