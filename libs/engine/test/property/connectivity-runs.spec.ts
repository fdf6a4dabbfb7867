// Property test (issue 13, output phase): the listing's fast paths give what the pair lookups and the row loop give.
// - `Analysis.classRow` (a source class's row in one call: egress masks gathered set by set) equals `classToClass` /
//   `classToAtom` for every class and every destination entity;
// - `ConnectivityListing.runs()` holds the rows of `iterateConnectivity`, in order;
// - the np-guard connlist and the exposure report read from a `ConnectivityListing` (source by source) are the bytes
//   made from the plain rows, in every format. Fixed seed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  analyze,
  buildSnapshot,
  CONNLIST_FORMATS,
  ConnectivityListing,
  connString,
  exposure,
  EXPOSURE_FORMATS,
  formatConnlist,
  formatExposureReport,
  iterateConnectivity,
  type Analysis,
  type ConnectionSet,
  type ConnlistStats,
} from '../../src/index.js';
import { parseManifests } from '../../src/manifest/parse-manifests.js';
import { clusterArb } from './cluster-arbitrary.js';

const SEED = Number(process.env.PROPERTY_SEED ?? 1313);
const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 200);

function analysisOf(documents: Parameters<typeof parseManifests>[0]): Analysis {
  return analyze(buildSnapshot(parseManifests(documents).objects).snapshot);
}

/** Every class's row through `classRow`, over all entities and over every other one (sparse and dense paths). */
function expectRowsEqualPairs(analysis: Analysis): void {
  const classCount = analysis.classes.length;
  const all = Int32Array.from({ length: classCount + analysis.dstAtoms.length }, (_, e) => e);
  const everyOther = all.filter((e) => e % 2 === 1);
  for (let src = 0; src < classCount; src++) {
    for (const entities of [all, everyOther]) {
      const out: ConnectionSet[] = [];
      analysis.classRow!(src, entities, entities.length, out);
      const expected = Array.from(entities, (e) => (e < classCount ? analysis.classToClass(src, e) : analysis.classToAtom(src, e - classCount)).key);
      expect(out.slice(0, entities.length).map((c) => c.key)).toEqual(expected);
    }
  }
}

describe('connectivity runs (property)', () => {
  it(`classRow equals the pair lookups; runs and formats read from a listing equal the row loop (seed ${SEED}, ${NUM_RUNS} runs)`, () => {
    let withRows = 0;
    fc.assert(
      fc.property(clusterArb, (generated) => {
        const analysis = analysisOf(generated.documents);
        expectRowsEqualPairs(analysis);
        const listing = new ConnectivityListing(analysis);
        const rows = [...iterateConnectivity(analysis)].map((r) => `${r.src.name} => ${r.dst.name} : ${connString(r.conn)}`);
        const fromRuns: string[] = [];
        for (const run of listing.runs()) for (let i = 0; i < run.count; i++) fromRuns.push(`${run.src.name} => ${run.dsts[i].name} : ${connString(run.conns[i])}`);
        expect(fromRuns).toEqual(rows);
        if (rows.length > 0) withRows++;
        for (const format of CONNLIST_FORMATS) {
          const plainStats: ConnlistStats = { ipv6RowsOmitted: 0, rows: 0 };
          const listingStats: ConnlistStats = { ipv6RowsOmitted: 0, rows: 0 };
          expect(formatConnlist(listing, format, listingStats, true)).toBe(formatConnlist(iterateConnectivity(analysis), format, plainStats, true));
          expect(listingStats).toEqual(plainStats);
        }
        const result = exposure(analysis);
        for (const format of EXPOSURE_FORMATS) {
          const plainStats: ConnlistStats = { ipv6RowsOmitted: 0, rows: 0 };
          const listingStats: ConnlistStats = { ipv6RowsOmitted: 0, rows: 0 };
          expect(formatExposureReport(listing, result, format, listingStats)).toBe(formatExposureReport(iterateConnectivity(analysis), result, format, plainStats));
          expect(listingStats).toEqual(plainStats);
        }
      }),
      { seed: SEED, numRuns: NUM_RUNS },
    );
    expect(withRows).toBeGreaterThan(NUM_RUNS / 2);
  }, 120_000);
});
