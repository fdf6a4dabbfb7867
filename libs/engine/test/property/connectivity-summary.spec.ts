// Property test (issue 13, `list --summary`): `connectivitySummary` counts pairs per pair of classes (times the peers
// each side stands for) instead of enumerating rows; on random clusters its counts must equal those of the rows
// `iterateConnectivity` yields, at workload and pod granularity; its exposure counts (decided per class, without the
// exposure's lines) must equal those read off the full `exposure()` result and the rows, on Kubernetes clusters
// (with AdminNetworkPolicy tiers) and on Calico and Cilium ones (dialect matchers); `listingRowCount` (the rows alone)
// must equal the number of rows. Fixed seeds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  analyze,
  buildSnapshot,
  clusterPeers,
  connectivitySummary,
  connString,
  exposure,
  hasPublicAddress,
  iterateConnectivity,
  listingRowBound,
  listingRowCount,
  parseConnString,
  snapshotCaveats,
  type Analysis,
  type ConnectivityRow,
  type ConnectivitySummary,
  type DirectionExposure,
} from '../../src/index.js';
import { parseManifests } from '../../src/manifest/parse-manifests.js';
import { clusterArb, type GeneratedCluster } from './cluster-arbitrary.js';
import { calicoClusterArb, ciliumClusterArb, type DialectCluster } from './dialect-arbitrary.js';

const SEED = Number(process.env.PROPERTY_SEED ?? 1414);
const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 200);

function rowCounts(rows: readonly ConnectivityRow[], icmp: boolean) {
  const texts = rows.map((r) => connString(r.conn, icmp));
  const having = (protocol: 'TCP' | 'UDP' | 'SCTP') => texts.filter((t) => !parseConnString(t).ports(protocol).isEmpty).length;
  const ipv6 = (p: ConnectivityRow['src']) => p.type === 'ip' && p.family === 6;
  return {
    pairs: rows.length,
    allConnections: texts.filter((t) => t === 'All Connections').length,
    byProtocol: { TCP: having('TCP'), UDP: having('UDP'), SCTP: having('SCTP'), ICMP: texts.filter((t) => t.includes('ICMP')).length },
    ipv6Pairs: rows.filter((r) => ipv6(r.src) || ipv6(r.dst)).length,
  };
}

/** The exposure part of the summary as the full exposure report and the workload rows show it. */
function exposureCounts(analysis: Analysis): Pick<ConnectivitySummary, 'unprotected' | 'exposed' | 'caveats'> {
  const result = exposure(analysis);
  const count = (has: (w: (typeof result.workloads)[number]) => boolean) => result.workloads.filter(has).length;
  const entireCluster = (d: DirectionExposure) => d.lines.some((l) => l.target.type === 'entire-cluster');
  const rows = [...iterateConnectivity(analysis)];
  const isPublic = (p: ConnectivityRow['src']) => p.type === 'ip' && hasPublicAddress(p.family, p.first, p.last);
  const distinct = (names: string[]) => new Set(names).size;
  const caveats: Record<string, number> = {};
  for (const { code } of [...snapshotCaveats(analysis.snapshot), ...(result.caveats ?? [])]) caveats[code] = (caveats[code] ?? 0) + 1;
  return {
    unprotected: { ingress: count((w) => !w.ingress.protected), egress: count((w) => !w.egress.protected) },
    exposed: {
      fromInternet: distinct(rows.filter((r) => isPublic(r.src)).map((r) => r.dst.name)),
      toInternet: distinct(rows.filter((r) => isPublic(r.dst)).map((r) => r.src.name)),
      fromEveryNamespace: count((w) => entireCluster(w.ingress)),
      toEveryNamespace: count((w) => entireCluster(w.egress)),
    },
    caveats: Object.fromEntries(Object.entries(caveats).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}

describe('connectivity summary (property)', () => {
  it(`counts exactly the rows of the listing (seed ${SEED}, ${NUM_RUNS} runs)`, () => {
    let nonEmpty = 0;
    let boundAbove = 0;
    fc.assert(
      fc.property(clusterArb, (generated) => {
        const parsed = parseManifests(generated.documents);
        const analysis = analyze(buildSnapshot(parsed.objects).snapshot);
        for (const granularity of ['workload', 'pod'] as const) {
          const rows = [...iterateConnectivity(analysis, { granularity })];
          const summary = connectivitySummary(analysis, { granularity });
          expect(summary.connections).toEqual(rowCounts(rows, false));
          expect(summary.peers.cluster).toBe(clusterPeers(analysis, granularity).length);
          // What the API checks before materialising a listing: the candidates' bound first, then the exact count.
          expect(listingRowCount(analysis, granularity)).toBe(rows.length);
          const bound = listingRowBound(analysis, granularity);
          expect(bound).toBeGreaterThanOrEqual(rows.length);
          if (bound > rows.length) boundAbove++;
          if (rows.length > 0) nonEmpty++;
        }
      }),
      { seed: SEED, numRuns: NUM_RUNS },
    );
    expect(nonEmpty).toBeGreaterThan(NUM_RUNS / 2);
    // The bound is not the count in disguise: candidates that allow nothing are common.
    expect(boundAbove).toBeGreaterThan(NUM_RUNS / 10);
  }, 180_000);
});

describe('connectivity summary exposure counts (property)', () => {
  const arbitraries: [string, fc.Arbitrary<GeneratedCluster | DialectCluster>, number][] = [
    ['Kubernetes', clusterArb, SEED],
    ['Calico', calicoClusterArb, SEED + 1],
    ['Cilium', ciliumClusterArb, SEED + 2],
  ];
  it.each(arbitraries)(`%s clusters: equal the full exposure report's and the rows' (${NUM_RUNS} runs)`, (_name, arbitrary, seed) => {
    let exposed = 0;
    fc.assert(
      fc.property(arbitrary, (generated) => {
        const parsed = parseManifests(generated.documents);
        const cni = 'dialect' in generated ? { cni: generated.dialect } : {};
        const analysis = analyze(buildSnapshot(parsed.objects, cni).snapshot);
        const summary = connectivitySummary(analysis);
        const expected = exposureCounts(analysis);
        expect({ unprotected: summary.unprotected, exposed: summary.exposed, caveats: summary.caveats }).toEqual(expected);
        if (expected.exposed.fromEveryNamespace + expected.exposed.toEveryNamespace > expected.unprotected.ingress + expected.unprotected.egress) exposed++;
      }),
      { seed, numRuns: NUM_RUNS },
    );
    // Clusters where a policy-protected workload still has an entire-cluster line (the decided case) are common.
    expect(exposed).toBeGreaterThan(NUM_RUNS / 10);
  }, 180_000);
});
