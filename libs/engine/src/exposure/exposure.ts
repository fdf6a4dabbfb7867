// np-guard's exposure analysis (FORMAT.md section 10): for each workload and direction, whether a policy
// protects it, what it is exposed to in the entire cluster, which representative peers (pods that policy
// rules could match, existing or not) it can reach beyond that, and — for workloads reported anyway — its
// connections with IP ranges.
import type { ConnectionSet } from '../algebra/connection-set.js';
import { namedPortMap } from '../algebra/rule-ports.js';
import { decide, layerTier, type TierInput } from '../decision/decide.js';
import { comparePolicyOrder } from '../decision/policy-order.js';
import type { Direction, MatcherPeerModel, PeerView, PolicyModel, RuleModel, Snapshot, TierModel, Workload } from '../model/types.js';
import { ReachCandidates } from '../analysis/candidates.js';
import { ensureAnalysis } from '../analysis/connectivity.js';
import type { Analysis, IpAtom } from '../analysis/types.js';
import { ALL_CONNECTIONS, connRanges, showsIcmp } from '../output/conn-string.js';
import { ExposureConn, KEEP_NAMES, type NamedPortMode } from './exposure-conn.js';
import { RepresentativeIndex } from './rep-index.js';
import { unrepresentedSelectorCaveats } from './selector-caveats.js';
import { farPodPeer, policyClusterWide, scanRules, withoutAbsorbed, type PolicyClusterWide, type RepresentativePeer, type RuleScan } from './representatives.js';
import type { DirectionExposure, ExposureCaveat, ExposureConnection, ExposureNamedPort, ExposureLine, ExposureResult, ExposureTarget, WorkloadExposure } from './types.js';

const ENTIRE_CLUSTER: ExposureTarget = { type: 'entire-cluster', name: 'entire-cluster' };
const ENTIRE_CLUSTER_EXCEPT_HOST_NETWORK: ExposureTarget = { type: 'entire-cluster', name: 'entire-cluster', exceptHostNetwork: true };

/** Selectors are printed as the policies write them (`PolicyModel.object`), peers created in read order. Callers
 *  that need only the counts (`list --summary`) use `exposureTotals`. */
export function exposure(input: Snapshot | Analysis): ExposureResult {
  const analysis = ensureAnalysis(input);
  const snapshot = analysis.snapshot;
  const scan = scanRules(snapshot);
  const representatives = withoutAbsorbed(scan.representatives, snapshot);
  const index = new RepresentativeIndex(representatives);
  const perPolicy = new PolicyRepresentativeConns(index);
  const icmp = showsIcmp(snapshot);
  const make = new LineFactory(icmp);
  const ip = new IpLines(analysis, make);
  // Workloads selected by the same policies (and, for ingress, declaring the same ports) share a result.
  const memo = new Map<string, PartialDirection>();
  const cached = (w: Workload, direction: Direction, policyIds: readonly number[]) => {
    const key = `${direction}|${policyIds.join(',')}|${direction === 'ingress' ? JSON.stringify(w.ports) : ''}|${nearKey(snapshot, w, direction, policyIds)}`;
    let found = memo.get(key);
    if (!found) memo.set(key, (found = directionExposure(snapshot, scan, index, perPolicy, make, w, direction, policyIds)));
    return found;
  };
  const withIp = new WithIpLines();
  const workloads: WorkloadExposure[] = [];
  for (const w of snapshot.workloads) {
    const classId = analysis.workloadClass[w.id];
    const cls = analysis.classes[classId];
    const egress = cached(w, 'egress', cls.egressPolicies);
    const ingress = cached(w, 'ingress', cls.ingressPolicies);
    // A workload with nothing beyond real peers is not reported, not even its IP lines.
    if (egress.protected && ingress.protected && egress.lines.length === 0 && ingress.lines.length === 0) continue;
    workloads.push({
      workload: w.displayName,
      namespace: w.namespace,
      name: w.name,
      kind: w.kind,
      egress: withIp.of(egress, ip.of(classId, 'egress')),
      ingress: withIp.of(ingress, ip.of(classId, 'ingress')),
    });
  }
  workloads.sort((a, b) => compare(a.workload, b.workload));
  const reps = representatives.map((r) => r.out).sort((a, b) => compare(a.name, b.name));
  const caveats = unrepresentedSelectorCaveats(snapshot);
  return { workloads, representatives: reps, ...(icmp ? { showsIcmp: true as const } : {}), ...(caveats.length > 0 ? { caveats } : {}) };
}

/** What `list --summary` reads of the exposure, counted per workload as `exposure()` reports them. */
export interface ExposureTotals {
  /** Workloads no policy selects for the direction (the report's `is not protected on …` lines). */
  readonly unprotected: { readonly ingress: number; readonly egress: number };
  /** Workloads with an `entire-cluster` line for the direction. */
  readonly entireCluster: { readonly ingress: number; readonly egress: number };
  readonly caveats: readonly ExposureCaveat[];
}

/**
 * The counts of `exposure()` without its lines: only protection and the entire-cluster exposure are decided, per
 * (policies, matcher near ends) as `exposure()` memoises them; no representative peer, no IP line. A workload
 * with either line is one `exposure()` reports, so the counts over all workloads equal those over its result.
 */
export function exposureTotals(input: Snapshot | Analysis): ExposureTotals {
  const analysis = ensureAnalysis(input);
  const snapshot = analysis.snapshot;
  const clusterWide: PolicyClusterWide[] = [];
  const wideOf = (id: number) => (clusterWide[id] ??= policyClusterWide(snapshot.policies[id]));
  // A decision towards the entire cluster never looks up a representative peer.
  const noRepresentatives = new RepresentativeIndex([]);
  // Per policy list (one per class and direction), then per matcher near-end key.
  const memo = { ingress: new Map<readonly number[], Map<string, boolean>>(), egress: new Map<readonly number[], Map<string, boolean>>() };
  const reachesEntireCluster = (w: Workload, direction: Direction, policyIds: readonly number[]): boolean => {
    let byNear = memo[direction].get(policyIds);
    if (!byNear) memo[direction].set(policyIds, (byNear = new Map()));
    const near = nearKey(snapshot, w, direction, policyIds);
    let reaches = byNear.get(near);
    if (reaches === undefined) {
      const policies = policyIds.map((id) => snapshot.policies[id]);
      // replaceDeclaredNames (ingress) turns names into ports: it never changes whether the exposure is empty.
      const entire = isTiered(policies, direction)
        ? tieredDecision(snapshot, noRepresentatives, w, direction, [...policies].sort(comparePolicyOrder))(null, KEEP_NAMES)
        : unionOfClusterWide(policies, direction, wideOf);
      byNear.set(near, (reaches = !entire.isEmpty));
    }
    return reaches;
  };
  const unprotected = { ingress: 0, egress: 0 };
  const entireCluster = { ingress: 0, egress: 0 };
  for (const w of snapshot.workloads) {
    const cls = analysis.classes[analysis.workloadClass[w.id]];
    for (const direction of ['ingress', 'egress'] as const) {
      const policyIds = direction === 'ingress' ? cls.ingressPolicies : cls.egressPolicies;
      if (policyIds.length === 0) {
        unprotected[direction]++;
        entireCluster[direction]++;
      } else if (reachesEntireCluster(w, direction, policyIds)) entireCluster[direction]++;
    }
  }
  return { unprotected, entireCluster, caveats: unrepresentedSelectorCaveats(snapshot) };
}

interface PartialDirection {
  readonly direction: Direction;
  readonly protected: boolean;
  readonly lines: readonly ExposureLine[];
}

function directionExposure(
  snapshot: Snapshot,
  scan: RuleScan,
  index: RepresentativeIndex,
  perPolicy: PolicyRepresentativeConns,
  make: LineFactory,
  w: Workload,
  direction: Direction,
  policyIds: readonly number[],
): PartialDirection {
  if (policyIds.length === 0) {
    return { direction, protected: false, lines: [make.line(ENTIRE_CLUSTER, ExposureConn.ALL)] };
  }
  const policies = policyIds.map((id) => snapshot.policies[id]);
  if (isTiered(policies, direction)) return tieredDirectionExposure(snapshot, index, make, w, direction, policies);
  // Egress: the representative peer is the destination and has no container ports, so names stay names (the
  // workload's port map is not needed). Ingress: the workload is the destination; its container ports resolve the names.
  const ports = direction === 'ingress' ? namedPortMap(w.ports) : undefined;
  let entire = unionOfClusterWide(policies, direction, (id) => scan.clusterWide[id]);
  if (ports) entire = entire.replaceDeclaredNames(ports);
  const lines: ExposureLine[] = [];
  if (!entire.isEmpty) lines.push(make.line(ENTIRE_CLUSTER, entire));
  const mode: NamedPortMode = ports ? { keep: false, ports } : KEEP_NAMES;
  for (const [rep, conn] of representativeConns(policies, direction, perPolicy, mode)) {
    if (conn.isEmpty) continue;
    // Redundant when the entire-cluster exposure already covers it.
    if (!entire.isEmpty && conn.containedIn(entire)) continue;
    lines.push(make.line(rep.out, conn));
  }
  return { direction, protected: true, lines };
}

/**
 * Exposure through tiers (AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy with or without
 * NetworkPolicy): the entire cluster and each representative peer that a rule of the workload's policies selects
 * are decided like a real peer, by the one decision function: rules reaching every namespace match them all, a
 * rule peer matches the representative peers it selects. A representative peer is reported when its decision
 * differs from the entire cluster's — `No Connections` when a rule denies it what the entire cluster gets.
 */
function tieredDirectionExposure(
  snapshot: Snapshot,
  index: RepresentativeIndex,
  make: LineFactory,
  w: Workload,
  direction: Direction,
  unordered: readonly PolicyModel[],
): PartialDirection {
  const policies = [...unordered].sort(comparePolicyOrder);
  const ports = namedPortMap(w.ports);
  // Egress: the peer is the destination and has no container ports, so names stay names; ingress: the workload's resolve them.
  const repMode: NamedPortMode = direction === 'egress' ? KEEP_NAMES : { keep: false, ports };
  const reps = new Set<RepresentativePeer>();
  for (const policy of policies) {
    for (const rule of policy[direction].rules) {
      for (const peer of rule.peers ?? []) {
        const pods = peer.kind === 'matcher' ? farPodPeer(peer) : peer;
        if (pods?.kind === 'pods') for (const rep of index.selectedBy(policy, pods)) reps.add(rep);
      }
    }
  }
  const decideFor = tieredDecision(snapshot, index, w, direction, policies);
  let entire = decideFor(null, KEEP_NAMES);
  if (direction === 'ingress') entire = entire.replaceDeclaredNames(ports);
  const lines: ExposureLine[] = [];
  if (!entire.isEmpty) lines.push(make.line(entireClusterTarget(policies, direction), entire));
  for (const rep of reps) {
    const conn = decideFor(rep, repMode);
    if (make.text(conn) === make.text(entire)) continue;
    lines.push(make.line(rep.out, conn));
  }
  return { direction, protected: true, lines };
}

/** The entire-cluster target of a tiered direction: where a rule reaches every namespace only through peers that
 *  leave host-network pods out (AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy
 *  `namespaces: {}`), the decided line is not what a host-network pod gets, and the target says so. */
function entireClusterTarget(policies: readonly PolicyModel[], direction: Direction): ExposureTarget {
  for (const policy of policies) {
    for (const rule of policy[direction].rules) {
      const everyNamespace = (rule.peers ?? []).filter(
        (peer) => peer.kind === 'pods' && peer.namespaceSelector?.isEverything && (peer.podSelector === null || peer.podSelector.isEverything),
      );
      if (everyNamespace.length > 0 && everyNamespace.every((peer) => peer.kind === 'pods' && peer.excludesHostNetwork)) return ENTIRE_CLUSTER_EXCEPT_HOST_NETWORK;
    }
  }
  return ENTIRE_CLUSTER;
}

/** Whether the direction needs the decision function (several tiers, deny or pass, dialect matchers) rather than
 *  the union of allow rules. */
function isTiered(policies: readonly PolicyModel[], direction: Direction): boolean {
  return policies.some((p) => p.tier.endOfTier !== 'deny-selected' || p[direction].rules.some((r) => r.action !== 'allow' || hasMatcher(r)));
}

/** Allow-only policies of one tier: the entire-cluster exposure is the union of each policy's cluster-wide rules. */
function unionOfClusterWide(policies: readonly PolicyModel[], direction: Direction, clusterWide: (policyId: number) => PolicyClusterWide): ExposureConn {
  let entire = ExposureConn.NONE;
  for (const p of policies) entire = entire.union(clusterWide(p.id)[direction]);
  return entire;
}

/** The decision through tiers for one workload and direction (`policies` in decision order) towards the entire
 *  cluster (null) or one representative peer. */
function tieredDecision(
  snapshot: Snapshot,
  index: RepresentativeIndex,
  w: Workload,
  direction: Direction,
  policies: readonly PolicyModel[],
): (target: RepresentativePeer | null, mode: NamedPortMode) => ExposureConn {
  const subject = subjectView(w);
  const namespaceLabels = (namespace: string) => snapshot.namespaces.get(namespace)?.labels ?? {};
  return (target, mode) => {
    const tiers: TierInput<RuleModel>[] = [];
    const named: ExposureNamedPort[] = [];
    for (const policy of policies) {
      let current = tiers[tiers.length - 1];
      // Tiers of one order are one layer, as in the analysis (Calico's `default` tier holds NetworkPolicies too).
      if (!current || current.tier.order !== policy.tier.order) tiers.push((current = { tier: policy.tier, selected: true, hits: [] }));
      else (current as { tier: TierModel }).tier = layerTier(current.tier, policy.tier);
      const rules = [...policy[direction].rules].sort((a, b) => a.precedence - b.precedence || a.index - b.index);
      for (const rule of rules) {
        if (!ruleReaches(index, policy, rule, target, (peer) => peer.near(subject, namespaceLabels))) continue;
        const conn = hasMatcher(rule) ? matcherRuleConn(rule, mode) : ExposureConn.fromRulePorts(rule.ports, mode, policy.dialect === 'admin-network-policy');
        (current.hits as { action: RuleModel['action']; ports: typeof conn.numeric; rule: RuleModel }[]).push({ action: rule.action, ports: conn.numeric, rule });
        if (rule.action === 'allow') named.push(...conn.namedPorts());
      }
    }
    return ExposureConn.of(decide(tiers).allowed, named);
  };
}

/** Whether a rule reaches the target: every rule reaching all namespaces reaches the entire cluster (null) and
 *  every representative peer; other rule peers reach the representative peers they select. A dialect matcher
 *  (Calico) whose near end holds for the workload reaches them all when its far end matches every pod, else the
 *  representative peers its far end's label selectors select (none when they have no such form). */
function ruleReaches(
  index: RepresentativeIndex,
  policy: PolicyModel,
  rule: RuleModel,
  target: RepresentativePeer | null,
  nearHolds: (peer: MatcherPeerModel) => boolean,
): boolean {
  if (rule.peers === null) return true;
  for (const peer of rule.peers) {
    if (peer.kind === 'matcher') {
      if (peer.farMatchesEveryPod && nearHolds(peer)) return true;
      const pods = target === null ? undefined : farPodPeer(peer);
      if (pods && index.selectedBy(policy, pods).includes(target!) && nearHolds(peer)) return true;
      continue;
    }
    if (peer.kind !== 'pods') continue;
    if (peer.namespaceSelector?.isEverything && (peer.podSelector === null || peer.podSelector.isEverything)) return true;
    if (target !== null && index.selectedBy(policy, peer).includes(target)) return true;
  }
  return false;
}

function hasMatcher(rule: RuleModel): boolean {
  return rule.peers !== null && rule.peers.some((peer) => peer.kind === 'matcher');
}

/** A dialect rule's connections from its compiled ports (Calico's notPorts, notProtocol and ICMP included). */
function matcherRuleConn(rule: RuleModel, mode: NamedPortMode): ExposureConn {
  if (!mode.keep) return ExposureConn.of(rule.allowed.resolve(mode.ports));
  return ExposureConn.of(
    rule.allowed.numeric,
    rule.allowed.named.map((ref) => ({ protocol: ref.protocol, name: ref.name })),
  );
}

/** The workload's representative pod as a dialect matcher sees it (the subject of its policies). */
function subjectView(w: Workload): PeerView {
  const pod = w.pods[0];
  return { type: 'pod', namespace: w.namespace, labels: pod?.labels ?? w.labels, ips: pod?.ips ?? [] };
}

/** Which matcher peers' near ends hold for the workload (its exposure depends on them), as a memo key part. */
function nearKey(snapshot: Snapshot, w: Workload, direction: Direction, policyIds: readonly number[]): string {
  let key = '';
  let subject: PeerView | undefined;
  const namespaceLabels = (namespace: string) => snapshot.namespaces.get(namespace)?.labels ?? {};
  for (const id of policyIds) {
    // Most policies (NetworkPolicy) have no matcher peer: their rules are not walked again for every workload.
    if (!hasMatcherPeer(snapshot.policies[id], direction)) continue;
    for (const rule of snapshot.policies[id][direction].rules) {
      for (const peer of rule.peers ?? []) {
        if (peer.kind !== 'matcher') continue;
        key += peer.near((subject ??= subjectView(w)), namespaceLabels) ? '1' : '0';
      }
    }
  }
  return key;
}

const matcherPeers = { ingress: new WeakMap<PolicyModel, boolean>(), egress: new WeakMap<PolicyModel, boolean>() };

function hasMatcherPeer(policy: PolicyModel, direction: Direction): boolean {
  let has = matcherPeers[direction].get(policy);
  if (has === undefined) matcherPeers[direction].set(policy, (has = policy[direction].rules.some(hasMatcher)));
  return has;
}

/**
 * What the workload's policies allow to (egress) or from (ingress) each representative peer that some rule
 * selects specifically; the peer's own side is never isolated (no policy selects a representative peer).
 * Peers reached only through rules without peers get just those rules' ports, which the entire-cluster
 * exposure contains, so they are left out here.
 */
function representativeConns(policies: readonly PolicyModel[], direction: Direction, perPolicy: PolicyRepresentativeConns, mode: NamedPortMode): Map<RepresentativePeer, ExposureConn> {
  let everyPeer = ExposureConn.NONE;
  const specific = new Map<RepresentativePeer, ExposureConn>();
  for (const policy of policies) {
    const own = perPolicy.of(policy, direction, mode);
    everyPeer = everyPeer.union(own.everyPeer);
    for (const [rep, conn] of own.specific) specific.set(rep, (specific.get(rep) ?? ExposureConn.NONE).union(conn));
  }
  for (const [rep, conn] of specific) specific.set(rep, conn.union(everyPeer));
  return specific;
}

interface PolicyConns {
  /** Rules without peers: every peer. */
  readonly everyPeer: ExposureConn;
  /** Per representative peer its rules select, in first-selected order. */
  readonly specific: ReadonlyMap<RepresentativePeer, ExposureConn>;
}

/** One policy's part of `representativeConns`. A policy is in the lists of many workloads (at 50k pods twice as many
 *  references as policies): its part is made once, unless its named ports resolve on each workload (ingress). */
class PolicyRepresentativeConns {
  private readonly memo = { ingress: new Map<PolicyModel, PolicyConns>(), egress: new Map<PolicyModel, PolicyConns>() };

  constructor(private readonly index: RepresentativeIndex) {}

  of(policy: PolicyModel, direction: Direction, mode: NamedPortMode): PolicyConns {
    const shared = mode.keep || !usesNamedPorts(policy, direction);
    let conns = shared ? this.memo[direction].get(policy) : undefined;
    if (!conns) {
      conns = this.make(policy, direction, mode);
      if (shared) this.memo[direction].set(policy, conns);
    }
    return conns;
  }

  private make(policy: PolicyModel, direction: Direction, mode: NamedPortMode): PolicyConns {
    let everyPeer = ExposureConn.NONE;
    const specific = new Map<RepresentativePeer, ExposureConn>();
    for (const rule of policy[direction].rules) {
      const conn = ExposureConn.fromRulePorts(rule.ports, mode);
      if (rule.peers === null) {
        everyPeer = everyPeer.union(conn);
        continue;
      }
      const selected = new Set<RepresentativePeer>();
      for (const peer of rule.peers) if (peer.kind === 'pods') for (const rep of this.index.selectedBy(policy, peer)) selected.add(rep);
      for (const rep of selected) specific.set(rep, (specific.get(rep) ?? ExposureConn.NONE).union(conn));
    }
    return { everyPeer, specific };
  }
}

function usesNamedPorts(policy: PolicyModel, direction: Direction): boolean {
  return policy[direction].rules.some((rule) => rule.ports !== null && rule.ports.some((p) => typeof p.port === 'string'));
}

/** Connections between a class of pods and every IP atom (IP source → ingress, IP destination → egress),
 *  as in the connlist; computed once per class (ingress) or egress profile (egress). */
class IpLines {
  private readonly memo = new Map<string, ExposureLine[]>();
  private readonly connections = new Map<ConnectionSet, ExposureConnection>();
  private readonly candidates: ReachCandidates;
  /** Per peer set id, the destination atoms among its members. */
  private readonly setAtoms = new Map<number, number[]>();
  private readonly srcTargets: ExposureTarget[];
  private readonly dstTargets: ExposureTarget[];

  /** Per atom its place in target-name order (lines are made in that order, as `WithIpLines` merges them). */
  private readonly srcRank: Int32Array;
  private readonly dstRank: Int32Array;
  /** Destination atoms in target-name order. */
  private readonly dstByName: Int32Array;

  constructor(
    private readonly analysis: Analysis,
    private readonly make: LineFactory,
  ) {
    this.srcTargets = analysis.srcAtoms.map(ipTarget);
    this.dstTargets = analysis.dstAtoms.map(ipTarget);
    this.candidates = new ReachCandidates(analysis);
    this.srcRank = nameRanks(this.srcTargets);
    this.dstRank = nameRanks(this.dstTargets);
    this.dstByName = new Int32Array(this.dstRank.length);
    for (let atom = 0; atom < this.dstRank.length; atom++) this.dstByName[this.dstRank[atom]] = atom;
  }

  /** Destination atoms the class's egress may allow, ascending: with a union-only profile that has no rule for
   *  every atom, only the atoms of its rules' peer sets (as `ReachCandidates`); otherwise all of them. */
  private egressAtoms(classId: number): Iterable<number> {
    const profile = this.analysis.classes[classId].egressProfile;
    const table = profile < 0 ? undefined : this.analysis.egressProfiles[profile];
    if (!table || !table.unionOnly || !table.atomBase.isEmpty) return this.dstTargets.keys();
    const atoms = new Set<number>();
    for (const { set } of table.sets) for (const atom of this.atomsOfSet(set)) atoms.add(atom);
    return [...atoms].sort((a, b) => a - b);
  }

  /** Per destination atom, the bits of the class's egress peer sets holding it (0: none), for a union-only profile
   *  with no rule for every atom and at most 30 sets (the atoms `egressAtoms` lists are those with a bit); else
   *  undefined. */
  private egressMasks(classId: number): Int32Array | undefined {
    const profile = this.analysis.classes[classId].egressProfile;
    const table = profile < 0 ? undefined : this.analysis.egressProfiles[profile];
    if (!table || !table.unionOnly || !table.atomBase.isEmpty || table.sets.length > 30) return undefined;
    const masks = new Int32Array(this.dstTargets.length);
    for (let i = 0; i < table.sets.length; i++) for (const atom of this.atomsOfSet(table.sets[i].set)) masks[atom] |= 1 << i;
    return masks;
  }

  private atomsOfSet(set: number): readonly number[] {
    let atoms = this.setAtoms.get(set);
    if (!atoms) {
      const classCount = this.analysis.classes.length;
      atoms = [];
      for (const entity of this.analysis.peerSets[set].members()) if (entity >= classCount) atoms.push(entity - classCount);
      this.setAtoms.set(set, atoms);
    }
    return atoms;
  }

  /** Per class, the source atoms whose reach candidates hold it, ascending (made on first use, from each atom's
   *  candidates: far fewer steps than testing every atom for every class). */
  private atomsByClass: number[][] | undefined;

  private atomsReaching(classId: number): readonly number[] {
    if (!this.atomsByClass) {
      const classCount = this.analysis.classes.length;
      const byClass: number[][] = Array.from({ length: classCount }, () => []);
      const bits = new Uint32Array(this.candidates.words);
      for (let atom = 0; atom < this.srcTargets.length; atom++) {
        this.candidates.fromAtom(atom, bits);
        for (let w = 0; w < bits.length; w++) {
          let word = bits[w];
          while (word !== 0) {
            const low = word & -word;
            word ^= low;
            const c = (w << 5) + 31 - Math.clz32(low);
            if (c < classCount) byClass[c].push(atom);
          }
        }
      }
      this.atomsByClass = byClass;
    }
    return this.atomsByClass[classId];
  }

  /** Connection sets are interned by the analysis: each one's plain-data connection (and text) is made once. */
  private connectionOf(conn: ConnectionSet): ExposureConnection {
    let connection = this.connections.get(conn);
    if (!connection) this.connections.set(conn, (connection = this.make.line(ENTIRE_CLUSTER, ExposureConn.of(conn)).connection));
    return connection;
  }

  /** Per connection, per destination atom: its line (egress profiles share them; the lines are read only). */
  private readonly dstLines = new Map<ExposureConnection, ExposureLine[]>();

  private dstLine(atom: number, connection: ExposureConnection): ExposureLine {
    let perAtom = this.dstLines.get(connection);
    if (!perAtom) this.dstLines.set(connection, (perAtom = []));
    return (perAtom[atom] ??= { target: this.dstTargets[atom], connection });
  }

  /** The class's lines with IP ranges, sorted by target name. */
  of(classId: number, direction: Direction): ExposureLine[] {
    // Towards a destination atom only the class's egress profile decides (atoms have no ingress side): classes
    // of one egress profile share their lines.
    const key = direction === 'egress' ? `egress|${this.analysis.classes[classId].egressProfile}` : `ingress|${classId}`;
    let lines = this.memo.get(key);
    if (lines) return lines;
    lines = [];
    if (direction === 'ingress') {
      // Only the source atoms whose reach candidates hold the class are looked up; candidates hold every atom
      // with a connection, so the lines are those of a full scan.
      const hits: { atom: number; conn: ConnectionSet }[] = [];
      for (const atom of this.atomsReaching(classId)) {
        const conn = this.analysis.atomToClass(atom, classId);
        if (!conn.isEmpty) hits.push({ atom, conn });
      }
      hits.sort((a, b) => this.srcRank[a.atom] - this.srcRank[b.atom]);
      for (const { atom, conn } of hits) lines.push({ target: this.srcTargets[atom], connection: this.connectionOf(conn) });
    } else {
      const masks = this.egressMasks(classId);
      if (masks) {
        // A union-only profile's connection to an atom follows from which of its peer sets hold the atom: one
        // lookup per distinct membership, not per atom (at 50k pods 450k lookups become some 20k). Atoms are
        // visited in target-name order.
        const byMask = new Map<number, ExposureConnection | null>();
        const byName = this.dstByName;
        // Neighbouring atoms often share a mask: the last one is kept at hand.
        let lastMask = 0;
        let last: ExposureConnection | null = null;
        for (let k = 0; k < byName.length; k++) {
          const atom = byName[k];
          const mask = masks[atom];
          if (mask === 0) continue;
          let connection: ExposureConnection | null | undefined = mask === lastMask ? last : byMask.get(mask);
          if (connection === undefined) {
            const conn = this.analysis.classToAtom(classId, atom);
            byMask.set(mask, (connection = conn.isEmpty ? null : this.connectionOf(conn)));
          }
          lastMask = mask;
          last = connection;
          if (connection !== null) lines.push(this.dstLine(atom, connection));
        }
      } else {
        const hits: { atom: number; conn: ConnectionSet }[] = [];
        for (const atom of this.egressAtoms(classId)) {
          const conn = this.analysis.classToAtom(classId, atom);
          if (!conn.isEmpty) hits.push({ atom, conn });
        }
        hits.sort((a, b) => this.dstRank[a.atom] - this.dstRank[b.atom]);
        for (const { atom, conn } of hits) lines.push(this.dstLine(atom, this.connectionOf(conn)));
      }
    }
    this.memo.set(key, lines);
    return lines;
  }
}

/** Per target its place in name order (names of distinct atoms differ). */
function nameRanks(targets: readonly ExposureTarget[]): Int32Array {
  const order = Array.from(targets.keys()).sort((a, b) => compare(targets[a].name, targets[b].name));
  const rank = new Int32Array(targets.length);
  for (let k = 0; k < order.length; k++) rank[order[k]] = k;
  return rank;
}

function ipTarget(atom: IpAtom): ExposureTarget {
  return { type: 'ip', name: `${atom.text}[External]`, family: atom.family, range: atom.text };
}

/** A direction's lines with its class's IP lines, sorted by target name. Workloads sharing both (one class, one
 *  cached partial result) share the merged result: at 50k pods, thousands of workloads do. */
class WithIpLines {
  private readonly memo = new Map<PartialDirection, { sorted: readonly ExposureLine[]; byIp: Map<readonly ExposureLine[], DirectionExposure> }>();

  /** `ip` sorted by target name (`IpLines.of`). */
  of(partial: PartialDirection, ip: readonly ExposureLine[]): DirectionExposure {
    let own = this.memo.get(partial);
    if (!own) this.memo.set(partial, (own = { sorted: [...partial.lines].sort(byTargetName), byIp: new Map() }));
    let merged = own.byIp.get(ip);
    if (!merged) {
      // The stable sort of the partial lines followed by the IP lines, as one merge: a tie keeps the partial line first.
      const a = own.sorted;
      const lines: ExposureLine[] = new Array(a.length + ip.length);
      let i = 0;
      let j = 0;
      let k = 0;
      while (i < a.length && j < ip.length) lines[k++] = compare(ip[j].target.name, a[i].target.name) < 0 ? ip[j++] : a[i++];
      while (i < a.length) lines[k++] = a[i++];
      while (j < ip.length) lines[k++] = ip[j++];
      own.byIp.set(ip, (merged = { direction: partial.direction, protected: partial.protected, lines }));
    }
    return merged;
  }
}

function byTargetName(a: ExposureLine, b: ExposureLine): number {
  return compare(a.target.name, b.target.name);
}

/** Builds lines, sharing one plain-data connection per distinct connection text. */
class LineFactory {
  private readonly connections = new Map<string, ExposureConnection>();

  /** `icmp`: the snapshot `showsIcmp`, so texts name ICMP. */
  constructor(private readonly icmp: boolean) {}

  text(conn: ExposureConn): string {
    return conn.toString(this.icmp);
  }

  line(target: ExposureTarget, conn: ExposureConn): ExposureLine {
    const text = this.text(conn);
    let connection = this.connections.get(text);
    if (!connection) this.connections.set(text, (connection = connectionOut(conn, this.icmp)));
    return { target, connection };
  }
}

export function connectionOut(conn: ExposureConn, icmp = false): ExposureConnection {
  const text = conn.toString(icmp);
  return { text, all: text === ALL_CONNECTIONS, ranges: connRanges(conn.numeric), namedPorts: conn.namedPorts() };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
