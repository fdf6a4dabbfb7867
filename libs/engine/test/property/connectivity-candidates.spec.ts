// Property test (issue 13): `iterateConnectivity` looks up only the destinations its candidate bitsets
// (analysis/candidates.ts) allow; on random clusters its rows must equal the exhaustive loop over every
// ordered pair of peers, at workload and pod granularity. Fixed seed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, atomPeers, buildSnapshot, clusterPeers, connString, iterateConnectivity, pairConnections, type Analysis, type Granularity } from '../../src/index.js';
import { parseManifests } from '../../src/manifest/parse-manifests.js';
import { clusterArb } from './cluster-arbitrary.js';

const SEED = Number(process.env.PROPERTY_SEED ?? 1313);
const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 300);

function exhaustive(analysis: Analysis, granularity: Granularity): string[] {
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const peers = clusterPeers(analysis, granularity);
  const sources = [...peers, ...atomPeers(analysis.srcAtoms)].sort(byName);
  const destinations = [...peers, ...atomPeers(analysis.dstAtoms)].sort(byName);
  const rows: string[] = [];
  for (const src of sources) {
    for (const dst of destinations) {
      if (src === dst || (src.type === 'ip' && dst.type === 'ip')) continue;
      const conn = pairConnections(analysis, src, dst);
      if (conn && !conn.isEmpty) rows.push(`${src.name} => ${dst.name} : ${connString(conn)}`);
    }
  }
  return rows;
}

describe('connectivity candidates (property)', () => {
  it(`enumerate exactly the rows of the exhaustive pair loop (seed ${SEED}, ${NUM_RUNS} runs)`, () => {
    let nonEmpty = 0;
    fc.assert(
      fc.property(clusterArb, (generated) => {
        const parsed = parseManifests(generated.documents);
        const analysis = analyze(buildSnapshot(parsed.objects).snapshot);
        for (const granularity of ['workload', 'pod'] as const) {
          const rows = [...iterateConnectivity(analysis, { granularity })].map((r) => `${r.src.name} => ${r.dst.name} : ${connString(r.conn)}`);
          expect(rows).toEqual(exhaustive(analysis, granularity));
          if (rows.length > 0) nonEmpty++;
        }
      }),
      { seed: SEED, numRuns: NUM_RUNS },
    );
    expect(nonEmpty).toBeGreaterThan(NUM_RUNS / 2);
  }, 120_000);
});
