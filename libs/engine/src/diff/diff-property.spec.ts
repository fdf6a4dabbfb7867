// Property tests on random small clusters (fixed seed): applying diff(a, b) to connectivity(a) gives
// connectivity(b); and the factorised diff (which skips groups that cannot have changed) equals both the
// exhaustive group comparison and the plain row-by-row diff of the enumerated connectivity.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterArb, type GeneratedCluster } from '../../test/property/cluster-arbitrary.js';
import { analyze } from '../analysis/analyze.js';
import type { Analysis } from '../analysis/types.js';
import { parseManifests } from '../manifest/parse-manifests.js';
import { buildSnapshot } from '../model/snapshot.js';
import { connectivityView } from './analysis-view.js';
import { diff, diffWithCauses } from './api.js';
import type { ConnectionSet } from '../algebra/connection-set.js';
import { shownConnections } from '../output/conn-string.js';
import { formatDiff } from './format.js';
import { hasIpv6Atoms } from './ipv6-completion.js';
import { diffConnectivity } from './pair-diff.js';
import { peerName } from './peers.js';
import { TraceOracle } from './trace-oracle.js';
import type { ConnectivityDiff, ConnectivityView } from './types.js';

const SEED = Number(process.env.DIFF_SEED ?? 20251127);
const NUM_RUNS = Number(process.env.DIFF_RUNS ?? 200);

function analyse(cluster: GeneratedCluster): Analysis {
  const parsed = parseManifests(cluster.documents);
  const errors = parsed.issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) throw new Error(`generator produced invalid input: ${JSON.stringify(errors)}`);
  return analyze(buildSnapshot(parsed.objects).snapshot);
}

/** Connectivity as a canonical function: workload pairs → conn, and per (direction, workload, family) the
 *  maximal constant pieces over the address space. Written independently of the diff's own alignment. Values
 *  are connections as their text shows them, which is what the diff compares. */
interface Canon {
  pairs: Map<string, string>;
  ip: Map<string, { first: bigint; last: bigint; conn: string }[]>;
}

function canonical(view: ConnectivityView): Canon {
  const pairs = new Map<string, string>();
  const ip = new Map<string, { first: bigint; last: bigint; conn: string }[]>();
  for (const r of view.rows) {
    if (r.conn.isEmpty) continue;
    if (r.src.kind === 'workload' && r.dst.kind === 'workload') pairs.set(`${r.src.key}>${r.dst.key}`, shownConnections(r.conn).key);
    else if (r.src.kind === 'ip' && r.dst.kind === 'workload') push(ip, `in|${r.dst.key}|${r.src.range.family}`, r.src.range, r.conn);
    else if (r.src.kind === 'workload' && r.dst.kind === 'ip') push(ip, `out|${r.src.key}|${r.dst.range.family}`, r.dst.range, r.conn);
  }
  for (const [k, pieces] of ip) ip.set(k, normalise(pieces));
  return { pairs, ip };
}

function push(ip: Canon['ip'], key: string, range: { first: bigint; last: bigint }, conn: ConnectionSet) {
  const list = ip.get(key) ?? [];
  list.push({ first: range.first, last: range.last, conn: shownConnections(conn).key });
  ip.set(key, list);
}

function normalise(pieces: { first: bigint; last: bigint; conn: string }[]) {
  const sorted = [...pieces].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const out: { first: bigint; last: bigint; conn: string }[] = [];
  for (const p of sorted) {
    const last = out[out.length - 1];
    if (last && last.conn === p.conn && last.last + 1n === p.first) last.last = p.last;
    else out.push({ ...p });
  }
  return out;
}

/** Applies a diff to a canonical connectivity: each changed pair (or IP range) takes its new value. */
function apply(canon: Canon, d: ConnectivityDiff): Canon {
  const pairs = new Map(canon.pairs);
  const ip = new Map([...canon.ip].map(([k, v]) => [k, v.map((p) => ({ ...p }))]));
  for (const c of d.pairs) {
    if (c.src.kind === 'workload' && c.dst.kind === 'workload') {
      const key = `${c.src.key}>${c.dst.key}`;
      if (c.new.isEmpty) pairs.delete(key);
      else pairs.set(key, c.new.key);
      continue;
    }
    const [key, range] =
      c.src.kind === 'ip' && c.dst.kind === 'workload'
        ? [`in|${c.dst.key}|${c.src.range.family}`, c.src.range]
        : c.src.kind === 'workload' && c.dst.kind === 'ip'
          ? [`out|${c.src.key}|${c.dst.range.family}`, c.dst.range]
          : ['', undefined];
    if (!range) continue;
    const kept = (ip.get(key) ?? []).flatMap((p) => {
      if (p.last < range.first || p.first > range.last) return [p];
      const parts = [];
      if (p.first < range.first) parts.push({ ...p, last: range.first - 1n });
      if (p.last > range.last) parts.push({ ...p, first: range.last + 1n });
      return parts;
    });
    if (!c.new.isEmpty) kept.push({ first: range.first, last: range.last, conn: c.new.key });
    ip.set(key, normalise(kept));
  }
  for (const [k, v] of ip) if (v.length === 0) ip.delete(k);
  return { pairs, ip };
}

function sortedEntries(canon: Canon) {
  return {
    pairs: [...canon.pairs].sort(),
    ip: [...canon.ip].filter(([, v]) => v.length > 0).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, v.map((p) => `${p.first}-${p.last}:${p.conn}`)]),
  };
}

/** Two clusters: independent, or the second keeps the first's namespaces and workloads (a policy-only change). */
const pairArb = fc.tuple(clusterArb, clusterArb, fc.boolean()).map(([a, b, policyOnly]) => {
  if (!policyOnly) return { a, b };
  const keep = a.objects.filter((o) => o.kind !== 'NetworkPolicy');
  const policies = b.objects.filter((o) => o.kind === 'NetworkPolicy');
  const objects = [...keep, ...policies];
  return { a, b: { objects, documents: objects.map((o, i) => ({ path: `b-${i}.json`, text: JSON.stringify(o) })) } };
});

describe('diff properties (fast-check, fixed seed)', () => {
  it('diff(a, b) applied to connectivity(a) gives connectivity(b); factorised = exhaustive = row diff', () => {
    fc.assert(
      fc.property(pairArb, ({ a, b }) => {
        const aa = analyse(a);
        const ab = analyse(b);
        const fast = diff(aa, ab);
        // IPv6 shows only when some ipBlock is IPv6; if one side has such a block, both sides show IPv6
        const completeIpv6 = hasIpv6Atoms(aa) || hasIpv6Atoms(ab);
        const va = connectivityView(aa, { completeIpv6 });
        const vb = connectivityView(ab, { completeIpv6 });
        expect(sortedEntries(apply(canonical(va), fast))).toEqual(sortedEntries(canonical(vb)));
        const text = formatDiff(fast, 'json');
        expect(formatDiff(diff(aa, ab, { exhaustive: true }), 'json')).toBe(text);
        const rows = diffConnectivity(va, vb);
        expect(JSON.stringify(rows.pairs.map((p) => [p.type, p.src, p.dst, p.old.key, p.new.key, p.workloadsOnlyInOneSide]), (_, v) => (typeof v === 'bigint' ? String(v) : v))).toBe(
          JSON.stringify(fast.pairs.map((p) => [p.type, p.src, p.dst, p.old.key, p.new.key, p.workloadsOnlyInOneSide]), (_, v) => (typeof v === 'bigint' ? String(v) : v)),
        );
      }),
      { seed: SEED, numRuns: NUM_RUNS },
    );
  });

  it('the trace oracle that causation uses agrees with the analysis on every changed pair', () => {
    fc.assert(
      fc.property(pairArb, ({ a, b }) => {
        const ab = analyse(b);
        const d = diff(analyse(a), ab);
        const oracle = new TraceOracle(ab.snapshot);
        for (const p of d.pairs) {
          const range = p.src.kind === 'ip' ? p.src.range : p.dst.kind === 'ip' ? p.dst.range : undefined;
          const expected = range ? `${range.first}:${p.new.key}` : p.new.key;
          expect({ pair: [p.src, p.dst].map(peerName), value: oracle.valueOf(p) }).toEqual({ pair: [p.src, p.dst].map(peerName), value: expected });
        }
      }),
      { seed: SEED, numRuns: NUM_RUNS },
    );
  });

  it('one edited policy: every changed pair is explained by that policy (alone or jointly), never by anything else; causes per class group = per pair', () => {
    const editArb = fc.tuple(clusterArb, clusterArb, fc.nat(), fc.constantFrom('replace', 'add', 'delete')).map(([a, other, n, mode]) => {
      const policies = a.objects.filter((o) => o.kind === 'NetworkPolicy');
      const donors = other.objects.filter((o) => o.kind === 'NetworkPolicy');
      const target = policies.length > 0 ? policies[n % policies.length] : undefined;
      const donor = donors.length > 0 ? donors[n % donors.length] : undefined;
      const namespaceOf = (o: Record<string, unknown>) => (o.metadata as { namespace: string }).namespace;
      let objects = a.objects;
      let edited = '';
      if (mode === 'delete' && target) {
        objects = a.objects.filter((o) => o !== target);
        edited = `NetworkPolicy/${namespaceOf(target)}/${(target.metadata as { name: string }).name}`;
      } else if (donor) {
        const ns = target && mode === 'replace' ? namespaceOf(target) : namespaceOf(a.objects.find((o) => o.kind !== 'Namespace')!);
        const name = target && mode === 'replace' ? (target.metadata as { name: string }).name : 'np-edit';
        const moved = { ...donor, metadata: { ...(donor.metadata as object), name, namespace: ns } };
        objects = mode === 'replace' && target ? a.objects.map((o) => (o === target ? moved : o)) : [...a.objects, moved];
        edited = `NetworkPolicy/${ns}/${name}`;
      }
      return { a, b: { objects, documents: objects.map((o, i) => ({ path: `e-${i}.json`, text: JSON.stringify(o) })) }, edited };
    });
    fc.assert(
      fc.property(editArb, ({ a, b, edited }) => {
        const parse = (c: GeneratedCluster) => [...parseManifests(c.documents).objects];
        const { diff: d } = diffWithCauses({ objects: parse(a) }, { objects: parse(b) }, { maxJointEvaluations: 200 });
        for (const p of d.pairs) {
          const ids = [...(p.causes ?? []), ...(p.jointCauses ?? [])].map((c) => c.change);
          expect(ids.length).toBeGreaterThan(0);
          for (const id of ids) expect(id.startsWith(edited)).toBe(true);
        }
        const perPair = diffWithCauses({ objects: parse(a) }, { objects: parse(b) }, { maxJointEvaluations: 200, perPair: true }).diff;
        const causes = (x: typeof d) => x.pairs.map((p) => [peerName(p.src), peerName(p.dst), p.causes, p.jointCauses]);
        expect(causes(d)).toEqual(causes(perPair));
      }),
      { seed: SEED, numRuns: NUM_RUNS },
    );
  });

  it('diff(a, a) is empty', () => {
    fc.assert(
      fc.property(clusterArb, (c) => {
        const x = analyse(c);
        expect(diff(x, analyse(c)).pairs).toEqual([]);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });
});
