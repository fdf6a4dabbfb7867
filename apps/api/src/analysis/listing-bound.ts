// The artefacts that list workload pairs (the connectivity table, the API's rows, the namespace matrix made from
// them) hold a few bytes per allowed pair: fine for policies that isolate, not for a cluster without any, whose
// pairs grow with the square of its workloads (5,040 workloads: 25.4M pairs, 28 s and 1.6 GB; 10k workloads: 100M
// pairs, 160 s at 8.8 GB of server RSS). The rows a listing would have are counted from the factorised analysis
// first (engine `listingRowBound`, then `listingRowCount` when needed: per class pair, never per row); past
// maxListedRows() the listing is not made and a small marker is stored in its place, so that questions needing it
// answer LISTING_TOO_LARGE at once (and are not recomputed), while reachability, who-can-reach, exposure, lint and
// reports, which never list pairs, answer as always.
import { listingRowBound, listingRowCount, type Analysis } from '@netpol-atlas/engine';

/** Listings are made up to this many workload-level rows by default (10M: ~12 s and ~0.8 GB in the analysis thread). */
export const MAX_LISTED_ROWS = 10_000_000;

/** NETPOL_MAX_LISTED_ROWS (a positive integer), else MAX_LISTED_ROWS. Read where the analysis runs (a worker thread
 *  or process sees the server's environment); app-config.ts checks it at start. */
export function maxListedRows(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const text = env.NETPOL_MAX_LISTED_ROWS;
  if (text === undefined || text === '') return MAX_LISTED_ROWS;
  const rows = Number(text);
  if (!Number.isSafeInteger(rows) || rows < 1) throw new Error(`NETPOL_MAX_LISTED_ROWS must be a positive integer, got ${JSON.stringify(text)}`);
  return rows;
}

/** What a listing artefact holds instead of the listing when it would have more rows than the bound. */
export interface ListingTooLarge {
  readonly listingTooLarge: { readonly rows: number; readonly maxRows: number };
}

export function isListingTooLarge(value: unknown): value is ListingTooLarge {
  return typeof value === 'object' && value !== null && 'listingTooLarge' in value;
}

/** The decision per analysis in this thread (four artefacts ask): undefined, or the marker. */
const decided = new WeakMap<Analysis, { readonly marker: ListingTooLarge | undefined }>();

/**
 * The marker when the analysis' listing is past the bound, else undefined (make the listing). The reach candidates'
 * bound first (0.06–0.13 s at 50k pods), the exact count (0.34–0.69 s: every candidate's connections) only when
 * that bound is over the limit.
 */
export function listingTooLarge(analysis: Analysis, maxRows = maxListedRows()): ListingTooLarge | undefined {
  let decision = decided.get(analysis);
  if (!decision) {
    const rows = listingRowBound(analysis) <= maxRows ? 0 : listingRowCount(analysis);
    decision = { marker: rows > maxRows ? { listingTooLarge: { rows, maxRows } } : undefined };
    decided.set(analysis, decision);
  }
  return decision.marker;
}

// Stored as this ASCII line and the marker's JSON: the listings' own forms are gzip streams (first byte 0x1f).
const MARKER_PREFIX = Buffer.from('netpol:listing-too-large\n', 'utf8');

export function encodeListingTooLarge(marker: ListingTooLarge): Buffer {
  return Buffer.concat([MARKER_PREFIX, Buffer.from(JSON.stringify(marker.listingTooLarge), 'utf8')]);
}

/** The marker a stored value holds, or undefined when it is a listing. */
export function decodeListingTooLarge(stored: Buffer): ListingTooLarge | undefined {
  if (stored.length < MARKER_PREFIX.length || !stored.subarray(0, MARKER_PREFIX.length).equals(MARKER_PREFIX)) return undefined;
  const { rows, maxRows } = JSON.parse(stored.subarray(MARKER_PREFIX.length).toString('utf8')) as { rows: unknown; maxRows: unknown };
  if (typeof rows !== 'number' || typeof maxRows !== 'number') throw new Error('a listing-too-large marker without its counts');
  return { listingTooLarge: { rows, maxRows } };
}

/** A question that needs a listing of a snapshot whose listing was not made. */
export class ListingTooLargeError extends Error {
  constructor(
    readonly rows: number,
    readonly maxRows: number,
  ) {
    super(
      `this snapshot's connectivity lists ${rows} workload pairs, more than the ${maxRows} the server lists; ` +
        'ask reachability, whoCanReach, reachableFrom or exposure instead (or run `netpol list` on the cluster\'s manifests)',
    );
  }
}

/** The listing, or ListingTooLargeError when only the marker was made. */
export function listedOrThrow<T>(value: T | ListingTooLarge): T {
  if (isListingTooLarge(value)) throw new ListingTooLargeError(value.listingTooLarge.rows, value.listingTooLarge.maxRows);
  return value;
}
