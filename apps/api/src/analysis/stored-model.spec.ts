// The stored model (stored-model.ts) must answer every question exactly as the model built from the content: the
// same snapshot (field by field, prototypes and frozen records included; compiled code compared by its source), and
// byte-identical answers of every question kind (reachability and icmpReachability with their steps, whoCanReach,
// reachableFrom through the serialised analysis as the server loads it, engine errors) over many peer pairs of the
// np-guard conformance corpus, the admin-tier and Calico fixtures and a synthetic cluster. And a stored model of
// another format or shape is refused.
import {
  analyze,
  evaluateIcmpWithSteps,
  evaluateWithSteps,
  loadAnalysis,
  parseManifests,
  reachableFrom,
  serializeAnalysis,
  whoCanReach,
  type PeerSpec,
  type Snapshot,
} from '@netpol-atlas/engine';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { generateSyntheticCluster, SIZE_PRESETS } from '../../../../libs/engine/bench/synthetic-cluster.js';
import { calicoServerInObject, clientServerList } from '../../../../tools/testing/client-server.js';
import { caseNames, CONFORMANCE_DIR, readInputDir } from '../../../../tools/testing/np-guard-corpus.js';
import { snapshotContent } from '../ingest/snapshot-content.js';
import { modelFromContent, type SnapshotModel } from './snapshot-model.js';
import { decodeStoredModel, encodeStoredModel, fromData, STORED_MODEL_FORMAT, toData } from './stored-model.js';

/** The model of manifests as the server holds it: their stored content, built. */
function modelOf(documents: readonly { path: string; text: string }[]): SnapshotModel | undefined {
  const parsed = parseManifests(documents);
  if (parsed.issues.some((issue) => issue.severity === 'error')) return undefined;
  const model = modelFromContent(snapshotContent(parsed.objects).bytes, {});
  return model.errors.length > 0 ? undefined : model;
}

/** Deep equality that JSON would miss: prototypes, frozen records, Maps, undefined fields; functions by source. */
function expectSame(actual: unknown, expected: unknown, at: string): void {
  if (typeof expected === 'function') {
    expect(typeof actual, at).toBe('function');
    expect(String(actual), at).toBe(String(expected));
    return;
  }
  if (expected === null || typeof expected !== 'object') {
    expect(Object.is(actual, expected), `${at}: ${String(actual)} vs ${String(expected)}`).toBe(true);
    return;
  }
  expect(actual !== null && typeof actual === 'object', at).toBe(true);
  expect(Object.getPrototypeOf(actual), `${at} prototype`).toBe(Object.getPrototypeOf(expected));
  expect(Object.isFrozen(actual), `${at} frozen`).toBe(Object.isFrozen(expected));
  if (expected instanceof Map) {
    const a = [...(actual as Map<unknown, unknown>)];
    const e = [...expected];
    expect(a.length, at).toBe(e.length);
    e.forEach(([key, value], i) => {
      expectSame(a[i]![0], key, `${at}<key ${i}>`);
      expectSame(a[i]![1], value, `${at}<${String(key)}>`);
    });
    return;
  }
  expect(Object.keys(actual as object), `${at} keys`).toEqual(Object.keys(expected));
  for (const key of Object.keys(expected)) expectSame((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${at}.${key}`);
}

/** An answer or the engine's error, as text. */
function outcome(run: () => unknown): string {
  try {
    return JSON.stringify(toData(run()));
  } catch (error) {
    return `error ${error instanceof Error ? `${error.name} ${error.message} ${JSON.stringify((error as { candidates?: unknown }).candidates ?? null)}` : String(error)}`;
  }
}

/** Peers of every kind: workloads, pods, pod IPs and an outside address, and an unknown name. */
function peersOf(snapshot: Snapshot, limit: number): PeerSpec[] {
  const peers: PeerSpec[] = [];
  const step = Math.max(1, Math.floor(snapshot.workloads.length / limit));
  for (let i = 0; i < snapshot.workloads.length; i += step) {
    const w = snapshot.workloads[i]!;
    peers.push({ namespace: w.namespace, name: w.name, kind: w.kind });
    const pod = w.pods[0];
    if (pod) {
      peers.push({ namespace: pod.namespace, pod: pod.name });
      if (pod.ips[0]) peers.push({ ip: pod.ips[0] });
    }
  }
  peers.push({ ip: '203.0.113.9' }, { namespace: 'default', name: 'no-such-workload' });
  return peers;
}

const PORTS: readonly [number | string, 'TCP' | 'UDP' | 'SCTP'][] = [
  [80, 'TCP'],
  [8080, 'TCP'],
  [53, 'UDP'],
  ['http', 'TCP'],
  [5432, 'SCTP'],
];

/** Compares the stored model with the built one: the snapshot, then the answers over pairs of `peers`. */
function expectSameAnswers(model: SnapshotModel, name: string, maxPeers = 24): number {
  const payload = encodeStoredModel(model.snapshot, model.objects);
  // The workloads are stored as rows (format 3: a pod row holds its node), not field by field: the fast decode is the one tested here.
  expect((JSON.parse(gunzipSync(payload).toString('utf8')) as { workloads?: unknown }).workloads, `${name}: workloads as rows`).toBeDefined();
  const stored = decodeStoredModel(payload, {});
  expect(stored, name).toBeDefined();
  const built = model.snapshot;
  expectSame(stored, built, name);
  const analysis = analyze(built);
  // As the server does: the serialised analysis of the built model, loaded onto the stored one.
  const loaded = loadAnalysis(stored!, JSON.parse(JSON.stringify(serializeAnalysis(analysis))));
  expect(loaded, `${name}: the analysis loads onto the stored model`).toBeDefined();
  const peers = peersOf(built, maxPeers);
  let compared = 0;
  for (const [i, from] of peers.entries()) {
    expect(outcome(() => reachableFrom(loaded!, from)), `${name} reachableFrom ${JSON.stringify(from)}`).toBe(outcome(() => reachableFrom(analysis, from)));
    for (const [port, protocol] of PORTS.slice(0, 2)) {
      expect(outcome(() => whoCanReach(loaded!, from, String(port), protocol)), `${name} whoCanReach`).toBe(outcome(() => whoCanReach(analysis, from, String(port), protocol)));
    }
    for (const [j, to] of peers.entries()) {
      const [port, protocol] = PORTS[(i + j) % PORTS.length]!;
      const pair = `${name} ${JSON.stringify(from)} -> ${JSON.stringify(to)} ${port}/${protocol}`;
      expect(outcome(() => evaluateWithSteps(stored!, from, to, port, protocol)), pair).toBe(outcome(() => evaluateWithSteps(built, from, to, port, protocol)));
      if ((i + j) % 3 === 0) {
        const icmp = (i + j) % 2 === 0 ? {} : { type: 8, code: 0 };
        expect(outcome(() => evaluateIcmpWithSteps(stored!, from, to, icmp)), `${pair} icmp`).toBe(outcome(() => evaluateIcmpWithSteps(built, from, to, icmp)));
      }
      compared++;
    }
  }
  return compared;
}

describe('stored model', () => {
  it('tags what JSON loses and refuses what it cannot hold', () => {
    const record = Object.create(null) as { [key: string]: unknown };
    record['constructor'] = 'c';
    const value = { record, frozen: Object.freeze({ a: 1 }), map: new Map([['k', { x: undefined }]]), big: 12n, list: [1, 'two', null] };
    const back = fromData(JSON.parse(JSON.stringify(toData(value))));
    expectSame(back, value, '$');
    expect(() => toData({ f: () => 1 })).toThrow(/function/);
    expect(() => toData({ s: new Set() })).toThrow(/Set instance/);
    expect(() => toData({ n: Number.NaN })).toThrow(/not storable/);
    expect(() => toData({ '\u0000': 1 })).toThrow(/key/);
  });

  it('answers as the model built from the content on the np-guard corpus (every question kind, many pairs)', () => {
    let cases = 0;
    let pairs = 0;
    for (const set of ['cases', 'cases-anp']) {
      for (const name of caseNames(set)) {
        const model = modelOf(readInputDir(path.join(CONFORMANCE_DIR, set, name)));
        if (!model || model.snapshot.workloads.length === 0) continue;
        pairs += expectSameAnswers(model, `${set}/${name}`, 10);
        cases++;
      }
    }
    expect(cases).toBeGreaterThan(20);
    expect(pairs).toBeGreaterThan(2_000);
  }, 300_000);

  it('answers as the built model on admin tiers, Calico policies and a synthetic cluster', () => {
    const tiered = modelOf([{ path: 'tiered.yaml', text: readFileSync(path.join(import.meta.dirname, '../../test/fixtures/tiered-explanation.yaml'), 'utf8') }]);
    expect(tiered).toBeDefined();
    expectSameAnswers(tiered!, 'tiered-explanation');
    const calicoPolicy = calicoServerInObject([{ action: 'Allow', protocol: 'TCP', source: { selector: "app == 'client'" }, destination: { ports: [80] } }]);
    const calico = modelOf([{ path: 'calico.json', text: clientServerList(calicoPolicy) }]);
    expect(calico).toBeDefined();
    expect(calico!.snapshot.policies.map((p) => p.dialect)).toEqual(['calico']);
    expectSameAnswers(calico!, 'calico');
    // A Cilium policy makes the profile cilium, under which the Calico policy is kept as not enforced.
    const ciliumPolicy = {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'server-in', namespace: 'a' },
      spec: { endpointSelector: { matchLabels: { app: 'server' } }, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'client' } }], toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }] }] },
    };
    const cilium = modelOf([{ path: 'cilium.json', text: clientServerList(calicoPolicy, ciliumPolicy) }]);
    expect(cilium).toBeDefined();
    expect(cilium!.snapshot.options.cni).toBe('cilium');
    expect(cilium!.snapshot.unmodelled.length).toBeGreaterThan(0);
    expectSameAnswers(cilium!, 'cilium');
    const cluster = generateSyntheticCluster(SIZE_PRESETS.S, 3);
    const synthetic = modelOf([{ path: 'cluster.json', text: JSON.stringify(cluster.list) }]);
    expect(synthetic).toBeDefined();
    expect(expectSameAnswers(synthetic!, 'synthetic S', 20)).toBeGreaterThan(1_000);
  }, 300_000);

  it('stores workloads of fields it does not know field by field, and decodes them the same', () => {
    const calicoPolicy = calicoServerInObject([{ action: 'Allow', protocol: 'TCP', source: { selector: "app == 'client'" }, destination: { ports: [80] } }]);
    const model = modelOf([{ path: 'calico.json', text: clientServerList(calicoPolicy) }])!;
    const rows = JSON.parse(gunzipSync(encodeStoredModel(model.snapshot, model.objects)).toString('utf8')) as { workloads?: unknown; specs: unknown[]; kept: unknown[] };
    expect(rows.workloads).toBeDefined();
    // Equal policy specs are stored once.
    expect(rows.specs.length).toBeLessThanOrEqual(rows.kept.length);
    // A field another engine might add (to one pod), a source with a line, a frozen label set: field by field.
    const at = model.snapshot.workloads.findIndex((w) => w.pods.length > 0);
    expect(at).toBeGreaterThanOrEqual(0);
    const first = model.snapshot.workloads[at]!;
    const replaced = (workload: unknown) => ({ ...model.snapshot, workloads: model.snapshot.workloads.map((w, i) => (i === at ? workload : w)) }) as Snapshot;
    const variants: Snapshot[] = [
      replaced({ ...first, pods: first.pods.map((pod, i) => (i === 0 ? { ...pod, extra: 1 } : pod)) }),
      replaced({ ...first, source: { file: 'f.yaml', document: 2, pathPrefix: '', line: 7 } }),
      replaced({ ...first, labels: Object.freeze({ ...first.labels }) }),
    ];
    for (const [i, snapshot] of variants.entries()) {
      const payload = encodeStoredModel(snapshot, model.objects);
      const data = JSON.parse(gunzipSync(payload).toString('utf8')) as { workloads?: unknown };
      // Only the pod with an unknown field makes the whole list go field by field; a source or label set of another
      // form is one value stored as data.
      expect(data.workloads === undefined, `variant ${i}`).toBe(i === 0);
      expectSame(decodeStoredModel(payload, {}), snapshot, `variant ${i}`);
    }
  });

  it('refuses a stored model of another format or model shape, or stored for other engine options', () => {
    const model = modelOf([{ path: 'tiered.yaml', text: readFileSync(path.join(import.meta.dirname, '../../test/fixtures/tiered-explanation.yaml'), 'utf8') }])!;
    const payload = encodeStoredModel(model.snapshot, model.objects);
    const data = JSON.parse(gunzipSync(payload).toString('utf8')) as Record<string, unknown>;
    const edited = (change: Record<string, unknown>) => gzipSync(JSON.stringify({ ...data, ...change }));
    expect(decodeStoredModel(payload, {})).toBeDefined();
    expect(decodeStoredModel(edited({ format: STORED_MODEL_FORMAT + 1 }), {})).toBeUndefined();
    // A model stored by the code before (format 1: no specs, no rows) is a miss, never an error.
    const { specs: _specs, workloads: _rows, ...formatOne } = data;
    expect(decodeStoredModel(gzipSync(JSON.stringify({ ...formatOne, format: 1 })), {})).toBeUndefined();
    expect(decodeStoredModel(edited({ format: 1 }), {})).toBeUndefined();
    expect(decodeStoredModel(edited({ signature: '0'.repeat(64) }), {})).toBeUndefined();
    // Its options are checked against those it is loaded under (rows are keyed by them: this is a mix-up caught).
    expect(decodeStoredModel(payload, { cni: 'calico' })).toBeUndefined();
  });
});
