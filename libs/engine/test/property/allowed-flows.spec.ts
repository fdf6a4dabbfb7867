// `allowedFlows` (intents/flows.ts) explains only the pairs `iterateConnectivity` finds connected; it must give
// exactly the flows of explaining every ordered pair and keeping those with an allowed class (the former
// implementation, kept here as the reference): same pairs, order, ports and rules. Random clusters (fixed
// seed) and every np-guard case.
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caseNames, CONFORMANCE_DIR, readInputDir } from '../../../../tools/testing/np-guard-corpus.js';
import { ConnectionSet } from '../../src/algebra/connection-set.js';
import { analyze, buildSnapshot, connString, iterateExplainedPairs, type Analysis, type ExplainClass } from '../../src/index.js';
import { allowedFlows, type Flow } from '../../src/intents/flows.js';
import { parseManifests } from '../../src/manifest/parse-manifests.js';
import { loadSnapshot } from '../../src/model/load.js';
import { clusterArb } from './cluster-arbitrary.js';

const SEED = Number(process.env.PROPERTY_SEED ?? 1717);
const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 200);

interface FlowText {
  readonly pair: string;
  readonly conn: string;
  readonly classes: string;
}

function classesText(classes: readonly ExplainClass[]): string {
  return JSON.stringify(classes.map((c) => ({ ...c, ports: connString(c.ports, true) })));
}

function text(flows: readonly Flow[]): FlowText[] {
  return flows.map((f) => ({ pair: `${f.src.type}:${f.src.name} => ${f.dst.type}:${f.dst.name}`, conn: connString(f.conn, true), classes: classesText(f.classes) }));
}

/** Every ordered pair explained (IPv4 and IPv6 atoms), kept when some class is allowed. */
function everyPairExplained(analysis: Analysis): FlowText[] {
  const out: FlowText[] = [];
  for (const pair of iterateExplainedPairs(analysis, { ipFamilies: [4, 6] })) {
    const classes = pair.classes.filter((c) => c.allowed);
    if (classes.length === 0) continue;
    let conn = ConnectionSet.NONE;
    for (const c of classes) conn = conn.union(c.ports);
    out.push({ pair: `${pair.src} => ${pair.dst}`, conn: connString(conn, true), classes: classesText(classes) });
  }
  return out;
}

/** The flows with the peer type left out of the pair (the reference has peer names only). */
function byName(flows: readonly FlowText[]): FlowText[] {
  return flows.map((f) => ({ ...f, pair: f.pair.replace(/(^|=> )(workload|pod|ip):/g, '$1') }));
}

describe('allowedFlows explains only connected pairs', () => {
  it(`equals explaining every pair on random clusters (seed ${SEED}, ${NUM_RUNS} runs)`, () => {
    let nonEmpty = 0;
    fc.assert(
      fc.property(clusterArb, (generated) => {
        const analysis = analyze(buildSnapshot(parseManifests(generated.documents).objects).snapshot);
        const flows = text(allowedFlows(analysis));
        expect(byName(flows)).toEqual(everyPairExplained(analysis));
        if (flows.some((f) => f.pair.includes('ip:'))) nonEmpty++;
      }),
      { seed: SEED, numRuns: NUM_RUNS },
    );
    // Flows to or from IP atoms were compared, not only workload pairs.
    expect(nonEmpty).toBeGreaterThan(NUM_RUNS / 4);
  }, 120_000);

  const cases = caseNames('cases');
  it('finds the np-guard corpus', () => {
    expect(cases.length).toBeGreaterThanOrEqual(34);
  });
  it.each(cases)('np-guard case %s', (name) => {
    const { snapshot } = loadSnapshot(readInputDir(path.join(CONFORMANCE_DIR, 'cases', name, 'input')));
    const analysis = analyze(snapshot);
    expect(byName(text(allowedFlows(analysis)))).toEqual(everyPairExplained(analysis));
  });
});
