// np-guard's exposure analysis (FORMAT.md section 10): for each workload and direction, whether a policy
// protects it, what it is exposed to in the entire cluster, which representative peers (pods that policy
// rules could match, existing or not) it can reach beyond that, and — for workloads reported anyway — its
// connections with IP ranges.
import { namedPortMap } from '../algebra/rule-ports.js';
import type { ParsedObject } from '../manifest/types.js';
import type { Direction, PodPeerModel, PolicyModel, Snapshot, Workload } from '../model/types.js';
import { atomPeers, clusterPeers, ensureAnalysis, pairConnections, type Peer } from '../analysis/connectivity.js';
import type { Analysis } from '../analysis/types.js';
import { connRanges } from '../output/conn-string.js';
import { ExposureConn, KEEP_NAMES, type NamedPortMode } from './exposure-conn.js';
import { absorbedByRealPods, policySource, scanRules, type RepresentativePeer, type RuleScan } from './representatives.js';
import type { DirectionExposure, ExposureConnection, ExposureLine, ExposureResult, ExposureTarget, WorkloadExposure } from './types.js';

export interface ExposureOptions {
  /**
   * The parsed objects the snapshot was built from. They give the rules' selectors as written (matchLabels
   * vs matchExpressions, value order) and the order the policies were read, both of which np-guard's
   * representative-peer names depend on. Without them the compiled selectors are printed back.
   */
  readonly objects?: readonly ParsedObject[];
}

const ENTIRE_CLUSTER: ExposureTarget = { type: 'entire-cluster', name: 'entire-cluster' };

export function exposure(input: Snapshot | Analysis, options: ExposureOptions = {}): ExposureResult {
  const analysis = ensureAnalysis(input);
  const snapshot = analysis.snapshot;
  const scan = scanRules(snapshot, policySource(snapshot, options.objects));
  const representatives = scan.representatives.filter((rep) => !absorbedByRealPods(rep, snapshot));
  const peers = new Map(clusterPeers(analysis).map((p) => [p.name, p]));
  // Workloads selected by the same policies (and, for ingress, declaring the same ports) share a result.
  const memo = new Map<string, PartialDirection>();
  const cached = (w: Workload, direction: Direction, policyIds: readonly number[]) => {
    const key = `${direction}|${policyIds.join(',')}|${direction === 'ingress' ? JSON.stringify(w.ports) : ''}`;
    let found = memo.get(key);
    if (!found) memo.set(key, (found = directionExposure(snapshot, scan, representatives, w, direction, policyIds)));
    return found;
  };
  const workloads: WorkloadExposure[] = [];
  for (const w of snapshot.workloads) {
    const cls = analysis.classes[analysis.workloadClass[w.id]];
    const egress = cached(w, 'egress', cls.egressPolicies);
    const ingress = cached(w, 'ingress', cls.ingressPolicies);
    // A workload with nothing beyond real peers is not reported, not even its IP lines.
    if (egress.protected && ingress.protected && egress.lines.length === 0 && ingress.lines.length === 0) continue;
    const peer = peers.get(w.displayName);
    workloads.push({
      workload: w.displayName,
      namespace: w.namespace,
      name: w.name,
      kind: w.kind,
      egress: withIpLines(egress, peer && ipLines(analysis, peer, 'egress')),
      ingress: withIpLines(ingress, peer && ipLines(analysis, peer, 'ingress')),
    });
  }
  workloads.sort((a, b) => compare(a.workload, b.workload));
  const reps = representatives.map((r) => r.out).sort((a, b) => compare(a.name, b.name));
  return { workloads, representatives: reps };
}

interface PartialDirection {
  readonly direction: Direction;
  readonly protected: boolean;
  readonly lines: readonly ExposureLine[];
}

function directionExposure(
  snapshot: Snapshot,
  scan: RuleScan,
  representatives: readonly RepresentativePeer[],
  w: Workload,
  direction: Direction,
  policyIds: readonly number[],
): PartialDirection {
  if (policyIds.length === 0) {
    return { direction, protected: false, lines: [line(ENTIRE_CLUSTER, ExposureConn.ALL)] };
  }
  const policies = policyIds.map((id) => snapshot.policies[id]);
  const ports = namedPortMap(w.ports);
  let entire = ExposureConn.NONE;
  for (const p of policies) entire = entire.union(scan.clusterWide[p.id][direction]);
  if (direction === 'ingress') entire = entire.replaceDeclaredNames(ports);
  const lines: ExposureLine[] = [];
  if (!entire.isEmpty) lines.push(line(ENTIRE_CLUSTER, entire));
  // Egress: the representative peer is the destination and has no container ports, so names stay names.
  // Ingress: the workload is the destination; its container ports resolve the names.
  const mode: NamedPortMode = direction === 'egress' ? KEEP_NAMES : { keep: false, ports };
  for (const rep of representatives) {
    const conn = representativeConn(policies, direction, rep, mode);
    if (conn.isEmpty) continue;
    // Redundant when the entire-cluster exposure already covers it.
    if (!entire.isEmpty && conn.containedIn(entire)) continue;
    lines.push(line(rep.out, conn));
  }
  return { direction, protected: true, lines };
}

/** What the workload's policies allow to (egress) or from (ingress) a representative peer. The peer's own
 *  side is never isolated: no policy selects a representative peer. */
function representativeConn(
  policies: readonly PolicyModel[],
  direction: Direction,
  rep: RepresentativePeer,
  mode: NamedPortMode,
): ExposureConn {
  let conn = ExposureConn.NONE;
  for (const policy of policies) {
    for (const rule of policy[direction].rules) {
      const matched = rule.peers === null || rule.peers.some((peer) => peer.kind === 'pods' && ruleSelects(policy, peer, rep));
      if (matched) conn = conn.union(ExposureConn.fromRulePorts(rule.ports, mode));
    }
  }
  return conn;
}

/**
 * A rule peer selects a representative peer when its selectors fully match the peer's: an empty rule
 * selector matches anything, otherwise the requirements must be the same. A rule without
 * namespaceSelector matches peers created in its policy's namespace.
 */
function ruleSelects(policy: PolicyModel, peer: PodPeerModel, rep: RepresentativePeer): boolean {
  const nsMatch =
    peer.namespaceSelector === null
      ? rep.podNamespace === policy.namespace
      : peer.namespaceSelector.isEverything || peer.namespaceSelector.key === rep.namespaceSelector.key;
  if (!nsMatch) return false;
  if (peer.podSelector === null || peer.podSelector.isEverything) return true;
  return rep.podSelector !== null && peer.podSelector.key === rep.podSelector.key;
}

/** Connections between the workload and every IP atom (IP source → ingress, IP destination → egress). */
function ipLines(analysis: Analysis, peer: Peer, direction: Direction): ExposureLine[] {
  const out: ExposureLine[] = [];
  const atoms = atomPeers(direction === 'ingress' ? analysis.srcAtoms : analysis.dstAtoms);
  for (const atom of atoms) {
    if (atom.type !== 'ip') continue;
    const conn = direction === 'ingress' ? pairConnections(analysis, atom, peer) : pairConnections(analysis, peer, atom);
    if (!conn || conn.isEmpty) continue;
    const target: ExposureTarget = { type: 'ip', name: atom.name, family: atom.family, range: atom.name.replace(/\[External\]$/, '') };
    out.push(line(target, ExposureConn.of(conn)));
  }
  return out;
}

function withIpLines(partial: PartialDirection, ip: readonly ExposureLine[] | undefined): DirectionExposure {
  const lines = [...partial.lines, ...(ip ?? [])].sort((a, b) => compare(a.target.name, b.target.name));
  return { direction: partial.direction, protected: partial.protected, lines };
}

function line(target: ExposureTarget, conn: ExposureConn): ExposureLine {
  return { target, connection: connectionOut(conn) };
}

export function connectionOut(conn: ExposureConn): ExposureConnection {
  return { text: conn.toString(), all: conn.isAll, ranges: connRanges(conn.numeric), namedPorts: conn.namedPorts() };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
