// lint/query.ts answers "which workloads does this policy / rule peer match" from a per-snapshot namespace
// index; on random clusters it must give the plain filter over every workload, in snapshot order, also when a
// namespace's workloads are not adjacent (the index then falls back to the filter). Fixed seed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Selector } from '../../src/algebra/selector.js';
import { buildSnapshot, type PodPeerModel, type Snapshot, type Workload } from '../../src/index.js';
import { peerWorkloads, selectedWorkloads, workloadsMatching } from '../../src/lint/query.js';
import { parseManifests } from '../../src/manifest/parse-manifests.js';
import { clusterArb } from './cluster-arbitrary.js';

const SEED = Number(process.env.PROPERTY_SEED ?? 2929);
const NUM_RUNS = Number(process.env.PROPERTY_RUNS ?? 200);

function naiveMatching(snapshot: Snapshot, namespaceSelector: Selector | null, podSelector: Selector | null, namespace?: string): Workload[] {
  return snapshot.workloads.filter((w) => {
    if (namespaceSelector === null) {
      if (namespace !== undefined && w.namespace !== namespace) return false;
    } else {
      const ns = snapshot.namespaces.get(w.namespace);
      if (!ns || !namespaceSelector.matches(ns.labels)) return false;
    }
    return podSelector === null || podSelector.matches(w.labels);
  });
}

const names = (workloads: readonly Workload[]) => workloads.map((w) => w.displayName);

/** Every policy's selected workloads and every pod peer's workloads, against the naive filter. */
function compare(snapshot: Snapshot): number {
  let compared = 0;
  for (const policy of snapshot.policies) {
    expect(names(selectedWorkloads(snapshot, policy))).toEqual(names(naiveMatching(snapshot, null, policy.podSelector, policy.namespace)));
    for (const direction of ['ingress', 'egress'] as const) {
      for (const rule of policy[direction].rules) {
        for (const peer of rule.peers ?? []) {
          if (peer.kind !== 'pods') continue;
          const pods = peer as PodPeerModel;
          expect(names(peerWorkloads(snapshot, policy, pods))).toEqual(names(naiveMatching(snapshot, pods.namespaceSelector, pods.podSelector, policy.namespace)));
          compared++;
        }
      }
    }
  }
  expect(names(workloadsMatching(snapshot, null, null))).toEqual(names(snapshot.workloads));
  return compared;
}

describe('workload queries by namespace index (property)', () => {
  it(`equal the filter over every workload (seed ${SEED}, ${NUM_RUNS} runs)`, () => {
    let peers = 0;
    let interleaved = 0;
    fc.assert(
      fc.property(clusterArb, (generated) => {
        const snapshot = buildSnapshot(parseManifests(generated.documents).objects).snapshot;
        peers += compare(snapshot);
        // Namespaces interleaved: every other workload moved to the end (a new snapshot object, so a new index).
        const workloads = [...snapshot.workloads.filter((_, i) => i % 2 === 0), ...snapshot.workloads.filter((_, i) => i % 2 === 1)];
        const reordered: Snapshot = { ...snapshot, workloads };
        if (new Set(workloads.map((w) => w.namespace)).size > 1) interleaved++;
        peers += compare(reordered);
      }),
      { seed: SEED, numRuns: NUM_RUNS },
    );
    expect(peers).toBeGreaterThan(NUM_RUNS);
    expect(interleaved).toBeGreaterThan(NUM_RUNS / 4);
  }, 120_000);
});
