// The registry of derived artefacts: what the API computes from a snapshot's analysis and caches (in memory and in
// the analysis_results table), each declared once with how it is computed, stored and sized. A new artefact (a
// compliance report's evidence, a lint result) is one more entry, not another field in the cache.
import { ANALYSIS_FORMAT_VERSION, exposureSummary, serializeAnalysis, type Analysis, type ExposureSummary, type SerializedAnalysis } from '@netpol-atlas/engine';
import { gunzipSync, gzipSync } from 'node:zlib';
import { decodeTable, decodeTableAsync, encodeTable, tableBytes, tableFromAnalysis, type ConnectivityTable } from './connectivity-table.js';
import { cniProfileAnswerOf, type CniProfileAnswer } from './cni-profile-answer.js';
import {
  decodeRowColumns,
  decodeRowColumnsAsync,
  encodeRowColumns,
  rowColumnsBytes,
  tableRowColumns,
  tableRowColumnsMergedIp,
  type ConnectivityRowColumns,
} from '../connectivity/connectivity-rows.js';
import { decodeMatrix, decodeMatrixAsync, encodeMatrix, matrixBytes, namespaceMatrixOf, type NamespaceMatrixData } from './namespace-matrix.js';
import type { SnapshotModel } from './snapshot-model.js';
import { decodeListingTooLarge, encodeListingTooLarge, isListingTooLarge, listingTooLarge, type ListingTooLarge } from './listing-bound.js';
import { encodeStoredModel, STORED_MODEL_KIND } from './stored-model.js';

export interface DerivedArtefact<T> {
  /** Stored as `analysis_results.kind`: lower case, digits and dashes. */
  readonly kind: string;
  /** From the analysis (and the model it was made from). */
  compute(analysis: Analysis, model: SnapshotModel): T;
  /** A cache the server does without when it cannot be computed (then no row, and the slower way is taken). */
  readonly optional?: boolean;
  encode(value: T): Buffer;
  decode(stored: Buffer): T;
  /** The same, with its heavy part off the event loop (the server uses it when given). */
  decodeAsync?(stored: Buffer): Promise<T>;
  /** Approximate bytes in memory (the cache's budget). */
  bytes(value: T): number;
}

/**
 * An artefact that lists workload pairs, made only when the listing has at most NETPOL_MAX_LISTED_ROWS rows (counted from
 * the factorised analysis first); else the ListingTooLarge marker is computed and stored in its place.
 */
function boundedListing<T>(artefact: DerivedArtefact<T>): DerivedArtefact<T | ListingTooLarge> {
  const { decodeAsync } = artefact;
  return {
    ...artefact,
    compute: (analysis, model) => listingTooLarge(analysis) ?? artefact.compute(analysis, model),
    encode: (value) => (isListingTooLarge(value) ? encodeListingTooLarge(value) : artefact.encode(value)),
    decode: (stored) => decodeListingTooLarge(stored) ?? artefact.decode(stored),
    ...(decodeAsync ? { decodeAsync: async (stored: Buffer) => decodeListingTooLarge(stored) ?? decodeAsync(stored) } : {}),
    bytes: (value) => (isListingTooLarge(value) ? 64 : artefact.bytes(value)),
  };
}

/** Workload-level connectivity (compact factorised table, never pod pairs). */
export const CONNECTIVITY = boundedListing<ConnectivityTable>({
  kind: 'connectivity',
  compute: tableFromAnalysis,
  encode: encodeTable,
  decode: decodeTable,
  decodeAsync: decodeTableAsync,
  bytes: tableBytes,
});

/** Namespace × namespace counts of allowed workload pairs (namespace-matrix.ts), from the rows above (made once). */
export const NAMESPACE_MATRIX = boundedListing<NamespaceMatrixData>({
  kind: 'namespace-matrix',
  compute: (analysis) => namespaceMatrixOf(tableRowColumns(tableFromAnalysis(analysis))),
  encode: encodeMatrix,
  decode: decodeMatrix,
  decodeAsync: decodeMatrixAsync,
  bytes: matrixBytes,
});

/** The API's connectivity rows as columns (connectivity-rows.ts), from the same table. */
const connectivityRows = (kind: string, build: (table: ConnectivityTable) => ConnectivityRowColumns) =>
  boundedListing<ConnectivityRowColumns>({
    kind,
    compute: (analysis) => build(tableFromAnalysis(analysis)),
    encode: encodeRowColumns,
    decode: decodeRowColumns,
    decodeAsync: decodeRowColumnsAsync,
    bytes: rowColumnsBytes,
  });

/** Merged per top-level controller. */
export const CONNECTIVITY_ROWS = connectivityRows('connectivity-rows', tableRowColumns);

/** The same with adjacent IP ranges of one workload, direction and ports merged, as np-guard lists them. */
export const CONNECTIVITY_ROWS_MERGED_IP = connectivityRows('connectivity-rows-merged-ip', tableRowColumnsMergedIp);

/** Internet-exposed, cluster-wide-exposed and unprotected workloads. `-v2`: the `exposure` rows do not say where a
 *  cluster-wide entry leaves host-network pods out (`exceptHostNetwork`), so they are never read as an answer. */
export const EXPOSURE: DerivedArtefact<ExposureSummary> = {
  kind: 'exposure-v2',
  compute: exposureSummary,
  encode: (summary) => gzipSync(JSON.stringify(summary)),
  decode: (stored) => JSON.parse(gunzipSync(stored).toString('utf8')) as ExposureSummary,
  bytes: (summary) => 2 * JSON.stringify(summary).length,
};

/**
 * The factorised analysis itself (engine serialize.ts), so that AnalysisService.analysis() loads it onto a model
 * instead of running `analyze` on the event loop. The format version is part of the kind: a row of another format
 * is never read (it would not load), a new format is computed and stored next to it.
 */
export const SERIALIZED_ANALYSIS: DerivedArtefact<SerializedAnalysis> = {
  kind: `analysis-v${ANALYSIS_FORMAT_VERSION}`,
  compute: serializeAnalysis,
  encode: (data) => gzipSync(JSON.stringify(data)),
  decode: (stored) => JSON.parse(gunzipSync(stored).toString('utf8')) as SerializedAnalysis,
  // Held only while it is loaded onto the model (the loaded analysis counts in the model's estimate).
  bytes: () => 0,
};

/**
 * The CNI profile the analysis ran under (the cluster's, else the one the content implies) and the engine's note when
 * its name alone would mislead, stored with the other artefacts so that results answered from Postgres name their
 * profile without rebuilding the model. `-v2`: the `cni-profile` rows held the name only (no note), so they are
 * never read as an answer without a note.
 */
export const CNI_PROFILE: DerivedArtefact<CniProfileAnswer> = {
  kind: 'cni-profile-v2',
  compute: (analysis) => cniProfileAnswerOf(analysis.snapshot),
  encode: (answer) => Buffer.from(JSON.stringify(answer), 'utf8'),
  decode: (stored) => JSON.parse(stored.toString('utf8')) as CniProfileAnswer,
  bytes: (answer) => 2 * (answer.cniProfile.length + (answer.cniProfileNote?.length ?? 0)),
};

/**
 * The model itself, as the questions need it (stored-model.ts), so that after a restart a model thread loads it
 * instead of building the model from the content. Kept encoded: the model thread decodes it.
 */
export const STORED_MODEL: DerivedArtefact<Buffer> = {
  kind: STORED_MODEL_KIND,
  compute: (_analysis, model) => encodeStoredModel(model.snapshot, model.objects),
  encode: (payload) => payload,
  decode: (stored) => stored,
  bytes: () => 0,
  // A model field the stored form cannot hold: the model is built from the content, as before.
  optional: true,
};

export const DERIVED_ARTEFACTS: readonly DerivedArtefact<unknown>[] = [CONNECTIVITY, CONNECTIVITY_ROWS, CONNECTIVITY_ROWS_MERGED_IP, NAMESPACE_MATRIX, EXPOSURE, SERIALIZED_ANALYSIS, CNI_PROFILE, STORED_MODEL];
