// The listing bound's own parts: NETPOL_MAX_LISTED_ROWS read strictly, and the stored marker told apart from every
// listing's stored form (gzip streams) both ways.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeListingTooLarge, encodeListingTooLarge, listedOrThrow, ListingTooLargeError, MAX_LISTED_ROWS, maxListedRows } from './listing-bound.js';

describe('listing bound', () => {
  it('reads NETPOL_MAX_LISTED_ROWS as a positive integer, 10M when unset', () => {
    expect(maxListedRows({})).toBe(MAX_LISTED_ROWS);
    expect(MAX_LISTED_ROWS).toBe(10_000_000);
    expect(maxListedRows({ NETPOL_MAX_LISTED_ROWS: '' })).toBe(MAX_LISTED_ROWS);
    expect(maxListedRows({ NETPOL_MAX_LISTED_ROWS: '250000' })).toBe(250_000);
    for (const bad of ['0', '-5', '1.5', '1e400', 'ten', '12abc']) {
      expect(() => maxListedRows({ NETPOL_MAX_LISTED_ROWS: bad }), bad).toThrow(/NETPOL_MAX_LISTED_ROWS must be a positive integer/);
    }
  });

  it('stores the marker so that it reads back, and reads no listing as a marker', () => {
    const marker = { listingTooLarge: { rows: 25_406_640, maxRows: 10_000_000 } };
    expect(decodeListingTooLarge(encodeListingTooLarge(marker))).toEqual(marker);
    expect(decodeListingTooLarge(gzipSync(Buffer.from('netpol:listing-too-large\n{}')))).toBeUndefined();
    expect(decodeListingTooLarge(Buffer.alloc(0))).toBeUndefined();
    expect(() => decodeListingTooLarge(Buffer.from('netpol:listing-too-large\n{"rows":"many"}'))).toThrow(/without its counts/);
  });

  it('answers a listing, and ListingTooLargeError with the counts for a marker', () => {
    expect(listedOrThrow({ rows: [1] })).toEqual({ rows: [1] });
    const error = (() => {
      try {
        listedOrThrow({ listingTooLarge: { rows: 130, maxRows: 50 } });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ListingTooLargeError);
    expect(error).toMatchObject({ rows: 130, maxRows: 50 });
    expect((error as Error).message).toContain('130 workload pairs, more than the 50');
  });
});
