// What the API's `exposure` query (and the dashboard's exposure page) reports, derived once per analysis and cached (memory and Postgres, as JSON):
// - internet-exposed: workloads that accept connections from an IP range holding public addresses (from the
//   analysis' source IP atoms, so ipBlock rules count exactly as in the connectivity rows);
// - cluster-wide-exposed: workloads that accept connections from every pod of every namespace, existing or future
//   (the engine's exposure analysis, its `entire-cluster` ingress line; no policy = exposed to everything), flagged
//   `exceptHostNetwork` where some of those ports come only from a line that does not speak for host-network pods;
// - unprotected: workloads no policy isolates for ingress and/or egress.
// Workloads are named by their top-level controller; np-guard workloads of one controller are merged (ports and
// ranges united, "unprotected" if any of them is).
import { ConnectionSet, PROTOCOLS } from '../algebra/connection-set.js';
import { formatIpRange, type IpFamily } from '../algebra/ip-set.js';
import { PortSet } from '../algebra/port-set.js';
import type { Analysis } from '../analysis/types.js';
import { exposure } from '../exposure/exposure.js';
import type { Workload } from '../model/types.js';
import { connRanges, connString, parseConnString, showsIcmp, type ConnRangeOut } from '../output/conn-string.js';
import { hasPublicAddress } from './internet-ranges.js';
import { isClassIsolated } from './isolation.js';

export interface WorkloadIdentity {
  readonly namespace: string;
  readonly kind: string;
  readonly name: string;
}

export interface ExposedWorkload {
  readonly workload: WorkloadIdentity;
  /** np-guard connection text of the union of what is allowed (naming ICMP on a snapshot that `showsIcmp`). */
  readonly conn: string;
  readonly ports: readonly ConnRangeOut[];
  /** Internet exposure: the allowed source ranges, adjacent ranges merged (`first-last`). Empty otherwise. */
  readonly ipRanges: readonly string[];
  /** Cluster-wide exposure: set when some of `conn` is open to every namespace only through AdminNetworkPolicy-like
   *  peers (`namespaces: {}`), which never match a host-network pod (the exposure line's `exceptHostNetwork`): for
   *  those ports the entry does not speak for host-network pods. */
  readonly exceptHostNetwork?: true;
}

export interface UnprotectedWorkload {
  readonly workload: WorkloadIdentity;
  /** True when no policy isolates it for this direction. */
  readonly ingress: boolean;
  readonly egress: boolean;
}

export interface ExposureSummary {
  readonly internetExposed: readonly ExposedWorkload[];
  readonly clusterWideExposed: readonly ExposedWorkload[];
  readonly unprotected: readonly UnprotectedWorkload[];
}

interface Range {
  readonly family: IpFamily;
  readonly first: bigint;
  readonly last: bigint;
}

interface Accumulator {
  readonly workload: WorkloadIdentity;
  conn: ConnectionSet;
  readonly ranges: Range[];
  /** Cluster-wide: the part of `conn` from lines that speak for host-network pods too. */
  withHostNetwork: ConnectionSet;
}

export const identityKey = (w: WorkloadIdentity) => `${w.namespace}\u0000${w.kind}\u0000${w.name}`;

export function topLevelIdentity(w: Workload): WorkloadIdentity {
  return { namespace: w.namespace, kind: w.topLevel.kind, name: w.topLevel.name };
}

export function exposureSummary(analysis: Analysis): ExposureSummary {
  const { snapshot } = analysis;
  const icmp = showsIcmp(snapshot);
  const internet = new Map<string, Accumulator>();
  const clusterWide = new Map<string, Accumulator>();
  const unprotected = new Map<string, { workload: WorkloadIdentity; ingress: boolean; egress: boolean }>();
  const publicAtoms = analysis.srcAtoms.map((atom, index) => ({ atom, index })).filter(({ atom }) => hasPublicAddress(atom.family, atom.first, atom.last));

  for (const w of snapshot.workloads) {
    const identity = topLevelIdentity(w);
    const key = identityKey(identity);
    const cls = analysis.classes[analysis.workloadClass[w.id]];
    const ingressOpen = !isClassIsolated(analysis, cls.id, 'ingress');
    const egressOpen = !isClassIsolated(analysis, cls.id, 'egress');
    if (ingressOpen || egressOpen) {
      const entry = unprotected.get(key) ?? { workload: identity, ingress: false, egress: false };
      entry.ingress ||= ingressOpen;
      entry.egress ||= egressOpen;
      unprotected.set(key, entry);
    }
    for (const { atom, index } of publicAtoms) {
      const conn = analysis.atomToClass(index, cls.id);
      if (conn.isEmpty) continue;
      const entry = accumulator(internet, identity);
      entry.conn = entry.conn.union(conn);
      entry.ranges.push(atom);
    }
  }

  const byName = new Map(snapshot.workloads.map((w) => [w.displayName, w]));
  for (const reported of exposure(analysis).workloads) {
    const w = byName.get(reported.workload);
    if (!w) continue;
    for (const line of reported.ingress.lines) {
      if (line.target.type !== 'entire-cluster') continue;
      // Named ports the workload does not declare allow nothing on it: only numeric ranges count.
      const conn = line.connection.all ? ConnectionSet.ALL : fromRanges(line.connection.ranges).union(icmpOf(line.connection.text));
      if (conn.isEmpty) continue;
      const entry = accumulator(clusterWide, topLevelIdentity(w));
      entry.conn = entry.conn.union(conn);
      if (!line.target.exceptHostNetwork) entry.withHostNetwork = entry.withHostNetwork.union(conn);
    }
  }

  return {
    internetExposed: finish(internet, icmp),
    clusterWideExposed: finish(clusterWide, icmp, true),
    unprotected: [...unprotected.values()].sort(byIdentity),
  };
}

function accumulator(map: Map<string, Accumulator>, workload: WorkloadIdentity): Accumulator {
  const key = identityKey(workload);
  let entry = map.get(key);
  if (!entry) map.set(key, (entry = { workload, conn: ConnectionSet.NONE, ranges: [], withHostNetwork: ConnectionSet.NONE }));
  return entry;
}

function fromRanges(ranges: readonly ConnRangeOut[]): ConnectionSet {
  return ConnectionSet.of(
    Object.fromEntries(PROTOCOLS.map((protocol) => [protocol, PortSet.of(ranges.filter((r) => r.protocol === protocol))])),
  );
}

/** The ICMP groups of an exposure line's text (`ICMP type 8,TCP 80,http`): its plain-data ranges hold TCP, UDP and
 *  SCTP only, and the text names ICMP on a snapshot that `showsIcmp` (elsewhere ICMP is all or nothing and
 *  `all` covers it). */
function icmpOf(text: string): ConnectionSet {
  const groups: string[] = [];
  let inIcmp = false;
  for (const token of text.split(',')) {
    if (/^ICMP(?:v6)?(?: |$)/.test(token)) inIcmp = true;
    else if (!/^type \d/.test(token)) inIcmp = false;
    if (inIcmp) groups.push(token);
  }
  return parseConnString(groups.join(','));
}

/** `cluster`: the cluster-wide entries, flagged where a host-network pod is not known to get all of `conn` (np-guard
 *  workloads of one controller merged: a port some line without the flag opens is open to host-network pods too). */
function finish(map: Map<string, Accumulator>, icmp: boolean, cluster = false): ExposedWorkload[] {
  return [...map.values()]
    .map((entry) => ({
      workload: entry.workload,
      conn: connString(entry.conn, icmp),
      ports: connRanges(entry.conn),
      ipRanges: mergeRanges(entry.ranges),
      ...(cluster && !entry.conn.isSubsetOf(entry.withHostNetwork) ? { exceptHostNetwork: true as const } : {}),
    }))
    .sort(byIdentity);
}

/** Sorted, adjacent or overlapping ranges merged, as `first-last` texts (IPv4 first). */
function mergeRanges(ranges: readonly Range[]): string[] {
  const sorted = [...ranges].sort((a, b) => a.family - b.family || (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const merged: Range[] = [];
  for (const r of sorted) {
    const last = merged.at(-1);
    if (last && last.family === r.family && r.first <= last.last + 1n) {
      if (r.last > last.last) merged[merged.length - 1] = { ...last, last: r.last };
    } else merged.push(r);
  }
  return merged.map((r) => formatIpRange(r.family, r.first, r.last));
}

function byIdentity(a: { workload: WorkloadIdentity }, b: { workload: WorkloadIdentity }): number {
  const ka = identityKey(a.workload);
  const kb = identityKey(b.workload);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
