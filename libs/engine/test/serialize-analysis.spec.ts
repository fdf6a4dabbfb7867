// Issue 13: a serialised analysis (JSON text, as a server stores it) loads into an analysis that answers
// exactly as a fresh `analyze`: every connectivity row at workload and pod granularity, every exposure, and the
// stats; data of another format version or of another snapshot is refused (undefined), never half-used.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analysis/analyze.js';
import { connectivity } from '../src/analysis/connectivity.js';
import { ANALYSIS_FORMAT_VERSION, loadAnalysis, serializeAnalysis } from '../src/analysis/serialize.js';
import type { Analysis } from '../src/analysis/types.js';
import { exposure } from '../src/exposure/exposure.js';
import { parseManifests } from '../src/manifest/parse-manifests.js';
import { buildSnapshot } from '../src/model/snapshot.js';
import { loadSnapshot } from '../src/model/load.js';
import { connString } from '../src/output/conn-string.js';
import { clusterArb } from './property/cluster-arbitrary.js';
import { CONFORMANCE_DIR, readInputDir } from '../../../tools/testing/np-guard-corpus.js';

const DEMO_DIR = path.resolve(import.meta.dirname, 'fixtures/demo');

/** Everything a user can ask of an analysis, as comparable text. */
function answers(analysis: Analysis): unknown {
  const rows = (granularity: 'workload' | 'pod') =>
    connectivity(analysis, { granularity }).map((r) => `${r.src.name} => ${r.dst.name} : ${connString(r.conn)}`);
  return { workload: rows('workload'), pod: rows('pod'), exposure: JSON.stringify(exposure(analysis)), stats: analysis.stats };
}

const roundTrip = (analysis: Analysis) => JSON.parse(JSON.stringify(serializeAnalysis(analysis))) as unknown;

describe('serialised analysis', () => {
  it('loads the demo cluster with the same answers, and refuses another version or snapshot', () => {
    const documents = readdirSync(DEMO_DIR)
      .filter((name) => /\.ya?ml$/.test(name))
      .sort()
      .map((name) => ({ path: path.join(DEMO_DIR, name), text: readFileSync(path.join(DEMO_DIR, name), 'utf8') }));
    const { snapshot } = loadSnapshot(documents);
    const fresh = analyze(snapshot);
    const data = roundTrip(fresh);
    const loaded = loadAnalysis(snapshot, data);
    expect(loaded).toBeDefined();
    expect((answers(fresh) as { workload: string[] }).workload.length).toBeGreaterThan(0);
    expect(answers(loaded!)).toEqual(answers(fresh));

    expect(loadAnalysis(snapshot, { ...(data as object), version: ANALYSIS_FORMAT_VERSION + 1 })).toBeUndefined();
    expect(loadAnalysis(snapshot, { nothing: true })).toBeUndefined();
    const smaller = loadSnapshot(documents.filter((d) => !d.path.endsWith('workloads.yaml'))).snapshot;
    expect(loadAnalysis(smaller, data)).toBeUndefined();
  });

  // Calico rules (matcher peer sets, near-end profiles) and host endpoints' forward policies (recomputed on load).
  it.each(['calico-gnp-allow-source-nets', 'calico-tier-security-deny-overrides-default-allow', 'zz-calico-gnp-hep-applyonforward-block-external'])(
    'loads telepathy %s with the same answers',
    (name) => {
      const dir = path.resolve(CONFORMANCE_DIR, '../dialects/telepathy', name, 'input');
      const { snapshot } = loadSnapshot(readInputDir(dir));
      const fresh = analyze(snapshot);
      const loaded = loadAnalysis(snapshot, roundTrip(fresh));
      expect(loaded).toBeDefined();
      expect(answers(loaded!)).toEqual(answers(fresh));
    },
  );

  it('answers as a fresh analysis on random clusters (property, fixed seed)', () => {
    fc.assert(
      fc.property(clusterArb, (generated) => {
        const { snapshot } = buildSnapshot(parseManifests(generated.documents).objects);
        const fresh = analyze(snapshot);
        const loaded = loadAnalysis(snapshot, roundTrip(fresh));
        expect(loaded).toBeDefined();
        expect(answers(loaded!)).toEqual(answers(fresh));
      }),
      { seed: 1313, numRuns: 150 },
    );
  }, 120_000);
});
