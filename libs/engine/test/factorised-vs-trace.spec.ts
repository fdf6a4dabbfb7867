// The factorised analysis against the simple per-pair path (tracePair), for every ordered pair of peers
// (workloads, pods, IP atoms) of every np-guard case, every telepathy case (Calico and Kubernetes dialect data)
// and the demo cluster.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analysis/analyze.js';
import { atomPeers, clusterPeers, pairConnections, type Peer } from '../src/analysis/connectivity.js';
import { ipEndpoint, podEndpoint, tracePair, workloadEndpoint, type Endpoint } from '../src/analysis/trace.js';
import { loadSnapshot } from '../src/model/load.js';
import type { Snapshot } from '../src/model/types.js';
import { caseNames, CONFORMANCE_DIR, readInputDir } from '../../../tools/testing/np-guard-corpus.js';

const TELEPATHY_DIR = path.join(path.dirname(CONFORMANCE_DIR), 'dialects', 'telepathy');
const TELEPATHY_CASES = readdirSync(TELEPATHY_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

const UPSTREAM_TELEPATHY_DIR = path.resolve(import.meta.dirname, '../../../apps/cli/test/fixtures/dialects-upstream/telepathy');
const HEP_CASES = readdirSync(UPSTREAM_TELEPATHY_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name.startsWith('zz-') && existsSync(path.join(UPSTREAM_TELEPATHY_DIR, d.name, 'input', 'pods.yaml')))
  .map((d) => d.name)
  .sort();

function endpointOf(peer: Peer): Endpoint {
  if (peer.type === 'ip') return ipEndpoint(peer.family, peer.first, peer.last, peer.name);
  if (peer.type === 'pod') return podEndpoint(peer.pod);
  return workloadEndpoint(peer.workload);
}

function compareAll(snapshot: Snapshot, granularity: 'workload' | 'pod'): number {
  const analysis = analyze(snapshot);
  const peers = clusterPeers(analysis, granularity);
  const sources = [...peers, ...atomPeers(analysis.srcAtoms)];
  const destinations = [...peers, ...atomPeers(analysis.dstAtoms)];
  let pairs = 0;
  for (const src of sources) {
    for (const dst of destinations) {
      if (src === dst || (src.type === 'ip' && dst.type === 'ip')) continue;
      const factorised = pairConnections(analysis, src, dst)!;
      const simple = tracePair(snapshot, endpointOf(src), endpointOf(dst)).allowed;
      if (factorised.key !== simple.key) {
        throw new Error(`${src.name} => ${dst.name}: factorised ${factorised.key}, simple ${simple.key}`);
      }
      pairs++;
    }
  }
  return pairs;
}

describe('factorised analysis = simple per-pair path', () => {
  it.each(caseNames('cases'))('%s', (name) => {
    const { snapshot } = loadSnapshot(readInputDir(path.join(CONFORMANCE_DIR, 'cases', name, 'input')));
    expect(compareAll(snapshot, 'workload')).toBeGreaterThan(0);
    expect(compareAll(snapshot, 'pod')).toBeGreaterThan(0);
  });

  // Calico rules are dialect matchers (far and near ends, nets, network sets, tiers, Pass, end-of-tier deny).
  it.each(TELEPATHY_CASES)('telepathy %s', (name) => {
    const { snapshot } = loadSnapshot(readInputDir(path.join(TELEPATHY_DIR, name, 'input')));
    expect(compareAll(snapshot, 'workload')).toBeGreaterThan(0);
    expect(compareAll(snapshot, 'pod')).toBeGreaterThan(0);
  });

  // Calico host endpoint cases converted beyond the shared corpus (apps/cli/test/fixtures/dialects-upstream).
  it.each(HEP_CASES)('host endpoints %s', (name) => {
    const { snapshot } = loadSnapshot(readInputDir(path.join(UPSTREAM_TELEPATHY_DIR, name, 'input')));
    expect(compareAll(snapshot, 'workload')).toBeGreaterThan(0);
    expect(compareAll(snapshot, 'pod')).toBeGreaterThan(0);
  });

  it('demo cluster (pods: synthetic replicas)', () => {
    const dir = path.resolve(import.meta.dirname, 'fixtures/demo');
    const docs = readdirSync(dir).map((n) => ({ path: n, text: readFileSync(path.join(dir, n), 'utf8') }));
    const { snapshot } = loadSnapshot(docs);
    expect(compareAll(snapshot, 'workload')).toBeGreaterThan(0);
    expect(compareAll(snapshot, 'pod')).toBeGreaterThan(0);
  });
});
