// Property test (issue 13, `list --summary`): `connectivitySummary` counts pairs per pair of classes (times the peers
// each side stands for) instead of enumerating rows; on random clusters its counts must equal those of the rows
// `iterateConnectivity` yields, at workload and pod granularity. Fixed seed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze, buildSnapshot, connectivitySummary, connString, iterateConnectivity, parseConnString, type ConnectivityRow } from '../../src/index.js';
import { parseManifests } from '../../src/manifest/parse-manifests.js';
import { clusterArb } from './cluster-arbitrary.js';

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

describe('connectivity summary (property)', () => {
  it(`counts exactly the rows of the listing (seed ${SEED}, ${NUM_RUNS} runs)`, () => {
    let nonEmpty = 0;
    fc.assert(
      fc.property(clusterArb, (generated) => {
        const parsed = parseManifests(generated.documents);
        const analysis = analyze(buildSnapshot(parsed.objects).snapshot);
        for (const granularity of ['workload', 'pod'] as const) {
          const rows = [...iterateConnectivity(analysis, { granularity })];
          const summary = connectivitySummary(analysis, { granularity });
          expect(summary.connections).toEqual(rowCounts(rows, false));
          if (rows.length > 0) nonEmpty++;
        }
      }),
      { seed: SEED, numRuns: NUM_RUNS },
    );
    expect(nonEmpty).toBeGreaterThan(NUM_RUNS / 2);
  }, 180_000);
});
