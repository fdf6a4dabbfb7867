// The factorised analysis. Work is proportional to classes, profiles and distinct rule peers, never to pod pairs:
// 1. pods → identity classes; ipBlocks → IP atoms per side (np-guard's cutting);
// 2. each class → the policies isolating it per direction; equal policy sets share one "profile";
// 3. every distinct rule peer → one shared set of entities it matches (memoised across policies);
//    a profile = base ports (rules matching everything) + a short list of (peer set, ports);
// 4. a pair's connections = the source's egress profile at the destination entity (membership in the
//    profile's few sets, union cached) resolved on the destination's named ports, ∩ the same on the
//    ingress side. Unions, resolutions and intersections are interned and cached.
import { ConnectionSet, PROTOCOLS } from '../algebra/connection-set.js';
import { cutAtoms, formatIpRange, IpSet, type IpFamily } from '../algebra/ip-set.js';
import { RulePorts } from '../algebra/rule-ports.js';
import type { Selector } from '../algebra/selector.js';
import { decide, layerTier, type RuleHit, type TierInput } from '../decision/decide.js';
import type { Direction, IpBlockPeerModel, MatcherPeerModel, PeerModel, PodPeerModel, PolicyModel, RuleModel, Snapshot, TierModel } from '../model/types.js';
import { comparePolicyOrder } from '../decision/policy-order.js';
import { assignClasses, type ClassSeed } from './classes.js';
import { EntitySet } from './entity-set.js';
import { hostAddressSets, hostForwardLookup } from './host-forward.js';
import { collectMatcherSets, MatcherPeers, type NearFailures } from './matcher-peers.js';
import type { Analysis, GlobalRule, IdentityClass, IpAtom, ProfileSet, SideTable } from './types.js';

export function analyze(snapshot: Snapshot): Analysis {
  const { rules, ruleIds } = globalRules(snapshot);
  const policies = snapshot.policies;

  const ipBlocks = collectIpBlocks(snapshot);
  // Dialect matchers (Calico) cut atoms at the address sets they test and tell pods apart by them too.
  const matcherSets = collectMatcherSets(snapshot);
  const withIpv6 = ipBlocks.hasIpv6 || matcherSets.hasIpv6;
  const srcAtoms = atomsFor(matcherSets.ingress.length > 0 ? [...ipBlocks.ingress, ...matcherSets.ingress] : ipBlocks.ingress, withIpv6);
  // Host endpoints: a pod's traffic to a guarded host's address is host-bound, to any other forwarded (cut there).
  const hostSets = hostAddressSets(snapshot);
  const dstSets = matcherSets.egress.length > 0 ? [...ipBlocks.egress, ...matcherSets.egress] : ipBlocks.egress;
  const dstAtoms = atomsFor(hostSets.length > 0 ? [...dstSets, ...hostSets] : dstSets, withIpv6 || hostSets.some((s) => s.family === 6));
  const podIpSets = matcherSets.podSets.size > 0 ? new Map([...ipBlocks.all, ...matcherSets.podSets]) : ipBlocks.all;
  const { classes: seeds, workloadClass, podClasses } = assignClasses(snapshot, podIpSets);
  const classCount = seeds.length;

  // Which policies isolate which classes.
  const classesByNamespace = new Map<string, ClassSeed[]>();
  for (let i = 0; i < seeds.length; i++) {
    const c = seeds[i];
    const list = classesByNamespace.get(c.namespace);
    if (list) list.push(c);
    else classesByNamespace.set(c.namespace, [c]);
  }
  const ingressOf: number[][] = seeds.map(() => []);
  const egressOf: number[][] = seeds.map(() => []);
  const addSubjects = (policy: PolicyModel, candidates: readonly ClassSeed[]) => {
    if (policy.hostEndpointsOnly) return;
    const everything = policy.podSelector.isEverything;
    for (let i = 0; i < candidates.length; i++) {
      const c = candidates[i];
      if (!everything && !policy.podSelector.matches(c.labels)) continue;
      if (c.hostNetwork && policy.subjectExcludesHostNetwork) continue;
      if (policy.subjectServiceAccounts && !policy.subjectServiceAccounts(c.namespace, c.serviceAccount, c.labels)) continue;
      if (policy.ingress.affects) ingressOf[c.id].push(policy.id);
      if (policy.egress.affects) egressOf[c.id].push(policy.id);
    }
  };
  for (let p = 0; p < policies.length; p++) {
    const policy = policies[p];
    if (!policy.ingress.affects && !policy.egress.affects) continue;
    if (policy.subjectNamespaces === null) {
      addSubjects(policy, classesByNamespace.get(policy.namespace) ?? NO_CLASSES);
      continue;
    }
    for (const [namespace, candidates] of classesByNamespace) {
      if (policy.subjectNamespaces.matches(snapshot.namespaces.get(namespace)?.labels ?? {})) addSubjects(policy, candidates);
    }
  }
  const matcherPeers = new MatcherPeers(snapshot, seeds);
  const matcher = new PeerMatcher(snapshot, classesByNamespace, classCount, { ingress: srcAtoms, egress: dstAtoms }, matcherPeers);
  const buildProfiles = (direction: Direction, of: number[][]) => {
    const profiles: SideTable[] = [];
    // Profiles by their policy list (without matcher failures): by a hash of the ids, then compared element by
    // element (no key text per class). With failures (dialect matchers): by a key text.
    const profilesByHash = new Map<number, number | number[]>();
    const profileIds = new Map<string, number>();
    const classProfile = new Int32Array(classCount).fill(-1);
    /** 1 for a profile built without matcher failures (its policy list is its whole key). */
    const plainProfile = new Uint8Array(classCount);
    // Each policy's peers are matched once, however many profiles include the policy.
    const sides: (PolicySide | undefined)[] = new Array(snapshot.policies.length);
    const sideOf = (policyId: number): PolicySide =>
      (sides[policyId] ??= policySide(snapshot, direction, policyId, ruleIds[policyId][direction], matcher));
    // Matcher peers whose near end fails for a class match nothing in its table: a side per (policy, failures).
    const narrowedSides = new Map<string, PolicySide>();
    const narrowedSideOf = (failures: NearFailures) => (policyId: number): PolicySide => {
      const failing = failures.byPolicy.get(policyId);
      if (!failing) return sideOf(policyId);
      const key = `${policyId}|${failing.key}`;
      let side = narrowedSides.get(key);
      if (!side) narrowedSides.set(key, (side = policySide(snapshot, direction, policyId, ruleIds[policyId][direction], matcher, failing.peers)));
      return side;
    };
    for (let c = 0; c < classCount; c++) {
      const list = of[c];
      if (list.length === 0) continue;
      const failures = matcherPeers.any ? matcherPeers.nearFailures(direction, c, list) : undefined;
      if (failures) {
        const key = `${list.join(',')}|${failures.key}`;
        let id = profileIds.get(key);
        if (id === undefined) {
          id = profiles.length;
          profileIds.set(key, id);
          profiles.push(buildSideTable(direction, list, narrowedSideOf(failures), rules, matcher, snapshot));
        }
        classProfile[c] = id;
        continue;
      }
      const hash = idsHash(list);
      const found = profilesByHash.get(hash);
      let id = -1;
      if (typeof found === 'number') {
        if (plainProfile[found] && sameIds(profiles[found].policies, list)) id = found;
      } else if (found) {
        for (let i = 0; i < found.length && id < 0; i++) if (plainProfile[found[i]] && sameIds(profiles[found[i]].policies, list)) id = found[i];
      }
      if (id < 0) {
        id = profiles.length;
        profiles.push(buildSideTable(direction, list, sideOf, rules, matcher, snapshot));
        plainProfile[id] = 1;
        if (found === undefined) profilesByHash.set(hash, id);
        else if (typeof found === 'number') profilesByHash.set(hash, [found, id]);
        else found.push(id);
      }
      classProfile[c] = id;
    }
    return { profiles, classProfile };
  };
  const ingress = buildProfiles('ingress', ingressOf);
  const egress = buildProfiles('egress', egressOf);

  const classes: IdentityClass[] = seeds.map((s) => ({
    id: s.id,
    namespace: s.namespace,
    labels: s.labels,
    namedPorts: s.namedPorts,
    namedPortSignature: s.namedPortSignature,
    ingressPolicies: ingressOf[s.id],
    egressPolicies: egressOf[s.id],
    ingressProfile: ingress.classProfile[s.id],
    egressProfile: egress.classProfile[s.id],
  }));

  return assembleAnalysis(snapshot, {
    rules,
    ruleIds,
    classes,
    workloadClass,
    podClasses,
    srcAtoms,
    dstAtoms,
    peerSets: matcher.sets,
    ingressProfiles: ingress.profiles,
    egressProfiles: egress.profiles,
  });
}

/** Every rule of every policy with a global id, and the ids per policy and direction, in rule order. */
export function globalRules(snapshot: Snapshot): { rules: GlobalRule[]; ruleIds: { ingress: number[]; egress: number[] }[] } {
  const rules: GlobalRule[] = [];
  const ruleIds: { ingress: number[]; egress: number[] }[] = [];
  // Indexed loops throughout: this runs once, mostly before the optimiser kicks in, where `for…of` allocates
  // an iterator result per step (a large share of the garbage at 50k pods).
  const policies = snapshot.policies;
  for (let p = 0; p < policies.length; p++) {
    const policy = policies[p];
    const ids = { ingress: [] as number[], egress: [] as number[] };
    const ingressRules = policy.ingress.rules;
    const egressRules = policy.egress.rules;
    for (let r = 0; r < ingressRules.length; r++) ids.ingress.push(rules.push({ policy: policy.id, rule: ingressRules[r] }) - 1);
    for (let r = 0; r < egressRules.length; r++) ids.egress.push(rules.push({ policy: policy.id, rule: egressRules[r] }) - 1);
    ruleIds.push(ids);
  }
  return { rules, ruleIds };
}

/** What an analysis is made of, before its lookups are attached (built by `analyze`, or loaded: serialize.ts). */
export interface AnalysisParts {
  readonly rules: readonly GlobalRule[];
  readonly ruleIds: readonly { ingress: number[]; egress: number[] }[];
  readonly classes: readonly IdentityClass[];
  readonly workloadClass: Int32Array;
  readonly podClasses: Int32Array[];
  readonly srcAtoms: IpAtom[];
  readonly dstAtoms: IpAtom[];
  readonly peerSets: readonly EntitySet[];
  readonly ingressProfiles: SideTable[];
  readonly egressProfiles: SideTable[];
}

/** The rule ids per policy of every assembled analysis, by its rules array: an incremental re-analysis of a
 *  same-id edit reuses them instead of numbering every rule again. */
const ruleIdsByRules = new WeakMap<readonly GlobalRule[], AnalysisParts['ruleIds']>();

/** The `ruleIds` an analysis was assembled with (by `analysis.rules`), when it was assembled in this process. */
export function ruleIdsOf(rules: readonly GlobalRule[]): AnalysisParts['ruleIds'] | undefined {
  return ruleIdsByRules.get(rules);
}

export function assembleAnalysis(snapshot: Snapshot, parts: AnalysisParts): Analysis {
  const { rules, ruleIds, classes, workloadClass, podClasses, srcAtoms, dstAtoms, peerSets } = parts;
  ruleIdsByRules.set(rules, ruleIds);
  const lookup = new PairLookup(snapshot, rules, ruleIds, classes, parts.ingressProfiles, parts.egressProfiles, peerSets);
  const hostForward = hostForwardLookup(snapshot, classes.length, podClasses, srcAtoms, dstAtoms);
  const tables = [...parts.ingressProfiles, ...parts.egressProfiles];
  // Computed on first read: counting port atoms walks every rule, which an incremental re-analysis must not pay.
  let stats: Analysis['stats'] | undefined;
  const statsOf = (): Analysis['stats'] => ({
    workloads: snapshot.workloads.length,
    pods: snapshot.workloads.reduce((n, w) => n + Math.max(w.pods.length, w.replicas), 0),
    policies: snapshot.policies.length,
    classes: classes.length,
    portAtoms: countPortAtoms(rules, classes),
    ipAtoms: srcAtoms.length + dstAtoms.length,
    ingressProfiles: parts.ingressProfiles.length,
    egressProfiles: parts.egressProfiles.length,
    peerSets: peerSets.length,
    peerSetMembers: peerSets.reduce((n, s) => n + s.size, 0),
    profileSets: tables.reduce((n, t) => n + t.sets.length, 0),
  });
  return {
    snapshot,
    classes,
    workloadClass,
    podClasses,
    srcAtoms,
    dstAtoms,
    rules,
    peerSets,
    ingressProfiles: parts.ingressProfiles,
    egressProfiles: parts.egressProfiles,
    get stats() {
      return (stats ??= statsOf());
    },
    classToClass: hostForward ? (s, d) => lookup.classToClass(s, d).intersect(hostForward.classToClass(s, d)) : (s, d) => lookup.classToClass(s, d),
    atomToClass: hostForward ? (a, d) => lookup.atomToClass(a, d).intersect(hostForward.atomToClass(a, d)) : (a, d) => lookup.atomToClass(a, d),
    classToAtom: hostForward ? (s, a) => lookup.classToAtom(s, a).intersect(hostForward.classToAtom(s, a)) : (s, a) => lookup.classToAtom(s, a),
    // The row lookup is the pair lookups' (host endpoints cut it as they cut classToClass / classToAtom).
    classRow: hostForward
      ? (s, entities, count, out) => {
          lookup.classRow(s, entities, count, out);
          for (let k = 0; k < count; k++) {
            const e = entities[k];
            out[k] = out[k].intersect(e < classes.length ? hostForward.classToClass(s, e) : hostForward.classToAtom(s, e - classes.length));
          }
        }
      : (s, entities, count, out) => lookup.classRow(s, entities, count, out),
  };
}

/** The ports of some rules: their union (named ports unresolved). */
export function rulePortsOf(rules: readonly GlobalRule[], ids: readonly number[]): RulePorts {
  if (ids.length === 1) return rules[ids[0]].rule.allowed;
  // Many rules (a thousand CIDR rules on one peer set): merged at once rather than a chain of growing unions.
  if (ids.length > MANY_RULES) return RulePorts.unionAll(ids.map((id) => rules[id].rule.allowed));
  let acc = RulePorts.NONE;
  for (let i = 0; i < ids.length; i++) acc = unionOf(acc, rules[ids[i]].rule.allowed);
  return acc;
}

/** Past this many rules, `rulePortsOf` merges their ports at once instead of through the memoised pairs. */
const MANY_RULES = 16;

/** Unions of port objects by identity. Compiled rules share their port objects (equal specs in every namespace),
 *  so the same few unions recur in thousands of profiles: each is built once (a union allocates a map, a sorted
 *  copy and new port sets). Weak: entries go with the snapshot whose rules hold the operands. */
const unions = new WeakMap<RulePorts, WeakMap<RulePorts, RulePorts>>();

function unionOf(a: RulePorts, b: RulePorts): RulePorts {
  if (a.isEmpty || a === b) return b;
  if (b.isEmpty) return a;
  let byOther = unions.get(a);
  if (!byOther) unions.set(a, (byOther = new WeakMap()));
  let union = byOther.get(b);
  if (!union) byOther.set(b, (union = a.union(b)));
  return union;
}

export interface IpBlockCollection {
  readonly ingress: IpSet[];
  readonly egress: IpSet[];
  /** Every distinct ipBlock set that matches pods, by key (all with `ipBlockMatchesPods`; else those of peers
   *  that match pod IPs whatever the option says). */
  readonly all: Map<string, IpSet>;
  readonly hasIpv6: boolean;
}

/** np-guard: source atoms come from every ingress ipBlock and destination atoms from every egress ipBlock of
 *  every policy, whether or not it selects a pod. IPv6 atoms exist only when some ipBlock is IPv6. */
export function collectIpBlocks(snapshot: Snapshot): IpBlockCollection {
  const ingress = new Map<string, IpSet>();
  const egress = new Map<string, IpSet>();
  const all = new Map<string, IpSet>();
  let hasIpv6 = false;
  const seenRules = new Set<readonly RuleModel[]>(); // equal specs share their compiled rule lists
  const policies = snapshot.policies;
  for (let p = 0; p < policies.length; p++) {
    for (let d = 0; d < 2; d++) {
      const rules = d === 0 ? policies[p].ingress.rules : policies[p].egress.rules;
      if (seenRules.has(rules)) continue;
      seenRules.add(rules);
      for (let r = 0; r < rules.length; r++) {
        const rule = rules[r];
        const peers = rule.peers ?? NO_PEERS;
        for (let i = 0; i < peers.length; i++) {
          const peer = peers[i];
          if (peer.kind !== 'ipBlock') continue;
          const key = peer.key;
          (rule.direction === 'ingress' ? ingress : egress).set(key, peer.set);
          if (snapshot.options.ipBlockMatchesPods || peer.matchesPods) all.set(key, peer.set);
          if (peer.set.family === 6) hasIpv6 = true;
        }
      }
    }
  }
  return { ingress: [...ingress.values()], egress: [...egress.values()], all, hasIpv6 };
}

export function atomsFor(sets: readonly IpSet[], withIpv6: boolean): IpAtom[] {
  const families: IpFamily[] = withIpv6 ? [4, 6] : [4];
  const out: IpAtom[] = [];
  for (const family of families) {
    for (const a of cutAtoms(family, sets)) {
      out.push({ family, first: a.first, last: a.last, text: formatIpRange(family, a.first, a.last) });
    }
  }
  return out;
}

const NO_CLASSES: readonly ClassSeed[] = [];
const NO_NAMESPACES: readonly string[] = [];
const NO_IDS: readonly number[] = [];
const NO_PEERS: readonly PeerModel[] = [];

/** Marks a pod peer that matches every pod of every namespace (it joins the profile's class base). */
const EVERY_CLASS = -1;

/** Memoised: the shared entity set each distinct rule peer matches. */
export class PeerMatcher {
  readonly sets: EntitySet[] = [];
  private readonly setIds = new Map<string, number>();
  private readonly namespaceCache = new Map<string, string[]>();
  private readonly ipClassCache = new Map<string, number[]>();

  constructor(
    private readonly snapshot: Snapshot,
    private readonly classesByNamespace: ReadonlyMap<string, readonly ClassSeed[]>,
    readonly classCount: number,
    private readonly atoms: Readonly<Record<Direction, readonly IpAtom[]>>,
    private readonly matchers: MatcherPeers,
  ) {}

  /** The set id of a dialect matcher's far end: classes (by representative) and atoms of the side it matches.
   *  Equal keys mean equal matchers. */
  matcherPeer(peer: MatcherPeerModel, side: Direction): number {
    return this.memo(`M${side}\u0000${peer.key}`, side, () => this.matchers.farEntities(peer, this.atoms[side]));
  }

  /** Set ids by selector objects (equal selectors of a snapshot share one): namespace-selecting peers by their
   *  two selectors, peers of the policy's own namespace per namespace. Saves building the text key for every
   *  occurrence. */
  private readonly bySelectors = new Map<Selector, Map<Selector | null, number>>();
  private readonly byIpPeer = { ingress: new Map<IpBlockPeerModel, number>(), egress: new Map<IpBlockPeerModel, number>() };

  /** Set ids of own-namespace peers by pod selector object, then namespace. Compiled selectors are shared by
   *  every spec that writes them alike, while peer objects are per spec (a spec differing in one peer, e.g. a
   *  team's namespace selector, repeats the others): keyed by selector, they match without a key text. */
  private readonly bySelectorInNamespace = new Map<Selector | null, Map<string, number>>();

  /** The set id of a pod peer, or EVERY_CLASS. */
  podPeer(peer: PodPeerModel, policyNamespace: string, side: Direction): number {
    const id = this.podPeerWithHosts(peer, policyNamespace, side);
    return peer.excludesHostNetwork ? this.withoutHostNetwork(id, side) : id;
  }

  /** Host-network classes (ids ascending); undefined until first asked. Classes have hostNetwork set only when
   *  some policy excludes host-network pods (classes.ts), so this stays empty otherwise. */
  private hostNetworkClasses?: number[];

  /** Set `id` (or EVERY_CLASS) less the host-network classes: the same set when there are none. */
  private withoutHostNetwork(id: number, side: Direction): number {
    if (!this.hostNetworkClasses) {
      this.hostNetworkClasses = [];
      for (const list of this.classesByNamespace.values()) for (const c of list) if (c.hostNetwork) this.hostNetworkClasses.push(c.id);
      this.hostNetworkClasses.sort((a, b) => a - b);
    }
    if (this.hostNetworkClasses.length === 0) return id;
    // Class-only sets, the same on both sides (like the pod peer sets they narrow).
    return this.memo(`H\u0000${id}`, side, () => {
      const hosts = new Set(this.hostNetworkClasses);
      const ids: number[] = [];
      if (id === EVERY_CLASS) {
        for (let c = 0; c < this.classCount; c++) if (!hosts.has(c)) ids.push(c);
      } else {
        for (const c of this.sets[id].members()) if (!hosts.has(c)) ids.push(c);
      }
      return ids;
    });
  }

  private podPeerWithHosts(peer: PodPeerModel, policyNamespace: string, side: Direction): number {
    if (peer.namespaceSelector) {
      let byPodSelector = this.bySelectors.get(peer.namespaceSelector);
      if (!byPodSelector) this.bySelectors.set(peer.namespaceSelector, (byPodSelector = new Map()));
      let id = byPodSelector.get(peer.podSelector);
      if (id === undefined) byPodSelector.set(peer.podSelector, (id = this.computePodPeer(peer, policyNamespace, side)));
      return id;
    }
    let perNamespace = this.bySelectorInNamespace.get(peer.podSelector);
    if (!perNamespace) this.bySelectorInNamespace.set(peer.podSelector, (perNamespace = new Map()));
    let id = perNamespace.get(policyNamespace);
    if (id === undefined) perNamespace.set(policyNamespace, (id = this.computePodPeer(peer, policyNamespace, side)));
    return id;
  }

  /** Pod peer set ids by namespace selector key (or, for own-namespace peers, namespace), then pod selector key
   *  ('*': none): two maps of flat strings instead of one key text per peer. */
  private readonly podSetsBySelector = new Map<string, Map<string, number>>();
  private readonly podSetsInNamespace = new Map<string, Map<string, number>>();

  private computePodPeer(peer: PodPeerModel, policyNamespace: string, side: Direction): number {
    const everyPod = !peer.podSelector || peer.podSelector.isEverything;
    if (peer.namespaceSelector?.isEverything && everyPod) return EVERY_CLASS;
    const byFirst = peer.namespaceSelector ? this.podSetsBySelector : this.podSetsInNamespace;
    const first = peer.namespaceSelector ? peer.namespaceSelector.key : policyNamespace;
    let byPodSelector = byFirst.get(first);
    if (!byPodSelector) byFirst.set(first, (byPodSelector = new Map()));
    // Class-only sets are the same on both sides (atoms never match a pod peer).
    return this.memoIn(byPodSelector, peer.podSelector?.key ?? '*', side, () => {
      const namespaces = peer.namespaceSelector ? this.namespacesMatching(peer.namespaceSelector) : [policyNamespace];
      if (!everyPod && namespaces.length > 1) {
        const narrowed = this.classesNarrowedBy(peer.podSelector!, namespaces);
        if (narrowed) return narrowed;
      }
      const ids: number[] = [];
      let ascending = true;
      for (let n = 0; n < namespaces.length; n++) {
        const candidates = this.classesByNamespace.get(namespaces[n]) ?? NO_CLASSES;
        for (let i = 0; i < candidates.length; i++) {
          const c = candidates[i];
          if (!everyPod && !peer.podSelector!.matches(c.labels)) continue;
          if (ids.length > 0 && ids[ids.length - 1] > c.id) ascending = false;
          ids.push(c.id);
        }
      }
      return ascending ? ids : ids.sort((a, b) => a - b);
    });
  }

  /** Per label key (read by some peer's `In` requirement): value → ids of the classes carrying it, ascending. */
  private readonly classLabelIndex = new Map<string, Map<string, number[]>>();

  /** The classes of `namespaces` a pod selector matches, found through the class label index of its most
   *  selective `In` requirement, when that list is shorter than the namespaces' classes (selectors spanning
   *  many namespaces, e.g. `team: x` + `tier in (api)`: each class is tested once per selector instead of
   *  every class of every namespace). Ascending; undefined when no index helps. */
  private classesNarrowedBy(selector: Selector, namespaces: readonly string[]): number[] | undefined {
    let total = 0;
    for (let n = 0; n < namespaces.length; n++) total += (this.classesByNamespace.get(namespaces[n]) ?? NO_CLASSES).length;
    let best: readonly number[] | undefined;
    const requirements = selector.requirements;
    for (let r = 0; r < requirements.length; r++) {
      const requirement = requirements[r];
      if (requirement.operator !== 'In') continue;
      const byValue = this.classesByLabel(requirement.key);
      const values = requirement.values;
      if (values.length === 1) {
        const ids = byValue.get(values[0]) ?? NO_IDS;
        if (ids.length < Math.min(total, best?.length ?? Infinity)) best = ids;
        continue;
      }
      // Several values: merged (and sorted) only when their lists together are the shortest yet.
      let size = 0;
      for (let v = 0; v < values.length; v++) size += (byValue.get(values[v]) ?? NO_IDS).length;
      if (size >= Math.min(total, best?.length ?? Infinity)) continue;
      const merged: number[] = [];
      for (let v = 0; v < values.length; v++) for (const id of byValue.get(values[v]) ?? NO_IDS) merged.push(id);
      best = merged.sort((a, b) => a - b);
    }
    if (best === undefined) return undefined;
    const inScope = new Set(namespaces);
    const out: number[] = [];
    for (let i = 0; i < best.length; i++) {
      const c = this.classById[best[i]];
      if (inScope.has(c.namespace) && selector.matches(c.labels)) out.push(c.id);
    }
    return out;
  }

  private classById: ClassSeed[] = [];

  private classesByLabel(key: string): Map<string, number[]> {
    let byValue = this.classLabelIndex.get(key);
    if (byValue) return byValue;
    byValue = new Map();
    if (this.classById.length === 0) for (const list of this.classesByNamespace.values()) for (const c of list) this.classById[c.id] = c;
    const hasOwn = Object.prototype.hasOwnProperty;
    for (let id = 0; id < this.classById.length; id++) {
      const c = this.classById[id];
      if (!c || !hasOwn.call(c.labels, key)) continue;
      const value = c.labels[key];
      const list = byValue.get(value);
      if (list) list.push(id);
      else byValue.set(value, [id]);
    }
    this.classLabelIndex.set(key, byValue);
    return byValue;
  }

  /** The set id of an ipBlock peer: atoms of the side inside it, plus, with `ipBlockMatchesPods`, classes
   *  whose pod IPs lie inside it. */
  ipBlock(peer: IpBlockPeerModel, side: Direction): number {
    let id = this.byIpPeer[side].get(peer);
    if (id === undefined) this.byIpPeer[side].set(peer, (id = this.computeIpBlock(peer, side)));
    return id;
  }

  private computeIpBlock(peer: IpBlockPeerModel, side: Direction): number {
    const setKey = peer.key;
    return this.memo(`I${side}\u0000${setKey}`, side, () => {
      const ids: number[] = [];
      if (this.snapshot.options.ipBlockMatchesPods || peer.matchesPods) ids.push(...this.classesWithIpIn(setKey));
      // Atoms are sorted by family, then address, and disjoint: an interval of the block can only hold the atoms
      // from the first one ending at or after its start (binary search) to the last one starting at or before its
      // end, instead of every atom of the side being tested against every block (bigint compares, ~400 atoms).
      const atoms = this.atoms[side];
      const { family, intervals } = peer.set;
      let lastPushed = -1;
      for (let v = 0; v < intervals.length; v++) {
        const interval = intervals[v];
        let lo = 0;
        let hi = atoms.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          const a = atoms[mid];
          if (a.family < family || (a.family === family && a.last < interval.first)) lo = mid + 1;
          else hi = mid;
        }
        for (let i = lo; i < atoms.length; i++) {
          const a = atoms[i];
          if (a.family !== family || a.first > interval.last) break;
          if (i > lastPushed && peer.set.containsInterval(a.family, a.first, a.last)) {
            ids.push(this.classCount + i);
            lastPushed = i;
          }
        }
      }
      return ids;
    });
  }

  private memo(key: string, side: Direction, compute: () => number[]): number {
    return this.memoIn(this.setIds, key, side, compute);
  }

  private memoIn(ids: Map<string, number>, key: string, side: Direction, compute: () => number[]): number {
    let id = ids.get(key);
    if (id === undefined) {
      id = this.sets.length;
      this.sets.push(EntitySet.fromSorted(compute(), this.classCount + this.atoms[side].length));
      ids.set(key, id);
    }
    return id;
  }

  private classesWithIpIn(setKey: string): number[] {
    let ids = this.ipClassCache.get(setKey);
    if (!ids) {
      ids = [];
      for (const list of this.classesByNamespace.values()) for (const c of list) if (c.ipBlockKeys.has(setKey)) ids.push(c.id);
      ids.sort((a, b) => a - b);
      this.ipClassCache.set(setKey, ids);
    }
    return ids;
  }

  private namespacesMatching(selector: Selector): string[] {
    const cached = this.namespaceCache.get(selector.key);
    if (cached) return cached;
    // The most selective `In` requirement narrows the candidates through the label index (e.g.
    // kubernetes.io/metadata.name, or `team` rather than `env`); the order of the result does not matter.
    let candidates: readonly string[] | undefined;
    const requirements = selector.requirements;
    for (let r = 0; r < requirements.length; r++) {
      const requirement = requirements[r];
      if (requirement.operator !== 'In') continue;
      const byValue = this.namespaceLabelIndex().get(requirement.key);
      const values = requirement.values;
      const narrowed = values.length === 1 ? (byValue?.get(values[0]) ?? NO_NAMESPACES) : values.flatMap((v) => byValue?.get(v) ?? NO_NAMESPACES);
      if (candidates === undefined || narrowed.length < candidates.length) candidates = narrowed;
    }
    candidates ??= this.namespaceNames ??= [...this.classesByNamespace.keys()];
    const out: string[] = [];
    for (let i = 0; i < candidates.length; i++) {
      const ns = candidates[i];
      const labels = this.snapshot.namespaces.get(ns)?.labels ?? {};
      if (selector.matches(labels)) out.push(ns);
    }
    this.namespaceCache.set(selector.key, out);
    return out;
  }

  private labelIndex?: Map<string, Map<string, string[]>>;
  private namespaceNames?: string[];

  /** Label key → value → namespaces (that hold classes) carrying it. */
  private namespaceLabelIndex(): Map<string, Map<string, string[]>> {
    if (this.labelIndex) return this.labelIndex;
    const index = new Map<string, Map<string, string[]>>();
    for (const ns of this.classesByNamespace.keys()) {
      const labels = this.snapshot.namespaces.get(ns)?.labels ?? {};
      for (const key in labels) {
        let byValue = index.get(key);
        if (!byValue) index.set(key, (byValue = new Map()));
        const list = byValue.get(labels[key]);
        if (list) list.push(ns);
        else byValue.set(labels[key], [ns]);
      }
    }
    this.labelIndex = index;
    return index;
  }
}

/** What one policy contributes in one direction: rule ids by the kind of peers they match. */
export interface PolicySide {
  /** Rules with no peers (every pod and every IP), ascending. */
  readonly everything: readonly number[];
  /** Rules with a peer matching every pod of every namespace, ascending. */
  readonly everyClass: readonly number[];
  /** Flattened (peer set id, rule id) pairs in rule order, each pair once. */
  readonly pairs: readonly number[];
}

export function policySide(
  snapshot: Snapshot,
  direction: Direction,
  policyId: number,
  ids: readonly number[],
  matcher: PeerMatcher,
  nearFailing?: ReadonlySet<PeerModel>,
): PolicySide {
  const policy = snapshot.policies[policyId];
  // Lists allocated on their first id (most sides have no rule without peers, nor one matching every class).
  let everything = NO_RULES as number[];
  let everyClass = NO_RULES as number[];
  const pairs: number[] = [];
  const policyRules = policy[direction].rules;
  for (let index = 0; index < policyRules.length; index++) {
    const rule = policyRules[index];
    const ruleId = ids[index];
    if (rule.peers === null) {
      if (everything === NO_RULES) everything = [];
      everything.push(ruleId);
      continue;
    }
    const firstPair = pairs.length;
    const peers = rule.peers;
    for (let p = 0; p < peers.length; p++) {
      const peer = peers[p];
      // A dialect matcher (Calico) whose near end fails for the subject class matches nothing for it.
      if (nearFailing?.has(peer)) continue;
      const set =
        peer.kind === 'ipBlock'
          ? matcher.ipBlock(peer, direction)
          : peer.kind === 'matcher'
            ? matcher.matcherPeer(peer, direction)
            : matcher.podPeer(peer, policy.namespace, direction);
      if (set === EVERY_CLASS) {
        if (everyClass === NO_RULES) everyClass = [];
        if (everyClass[everyClass.length - 1] !== ruleId) everyClass.push(ruleId);
        continue;
      }
      let seen = false;
      for (let i = firstPair; i < pairs.length && !seen; i += 2) seen = pairs[i] === set;
      if (!seen) pairs.push(set, ruleId);
    }
  }
  return { everything, everyClass, pairs };
}

export function buildSideTable(
  direction: Direction,
  policyIds: readonly number[],
  sideOf: (policyId: number) => PolicySide,
  rules: readonly GlobalRule[],
  matcher: PeerMatcher,
  snapshot: Snapshot,
): SideTable {
  // Allocated on the first rule (most profiles have none): the shared empty list otherwise.
  let everything = NO_RULES as number[]; // rules with no peers: every pod and every IP
  let everyClass = NO_RULES as number[]; // rules with a peer matching every pod of every namespace
  // The profile's peer sets with their rules, in first-seen order. A profile has a handful: a linear search
  // (a map only past SMALL_SETS) instead of a map per profile. `setIds` and `setRules` are scratch lists reused
  // from profile to profile (the rule lists inside are the profile's own).
  const setIds = scratchSetIds;
  const setRules = scratchSetRules;
  setIds.length = 0;
  setRules.length = 0;
  let setIndex: Map<number, number> | undefined;
  // Policy ids ascend and rule ids follow policy order, so every list below stays ascending.
  for (let p = 0; p < policyIds.length; p++) {
    const side = sideOf(policyIds[p]);
    if (side.everything.length > 0) {
      if (everything === NO_RULES) everything = [];
      for (let i = 0; i < side.everything.length; i++) everything.push(side.everything[i]);
    }
    if (side.everyClass.length > 0) {
      if (everyClass === NO_RULES) everyClass = [];
      for (let i = 0; i < side.everyClass.length; i++) everyClass.push(side.everyClass[i]);
    }
    const pairs = side.pairs;
    for (let i = 0; i < pairs.length; i += 2) {
      const set = pairs[i];
      const k = setIndex ? (setIndex.get(set) ?? -1) : setIds.indexOf(set);
      if (k >= 0) {
        setRules[k].push(pairs[i + 1]);
        continue;
      }
      setIndex?.set(set, setIds.length);
      setIds.push(set);
      setRules.push([pairs[i + 1]]);
      if (!setIndex && setIds.length > SMALL_SETS) {
        setIndex = new Map();
        for (let j = 0; j < setIds.length; j++) setIndex.set(setIds[j], j);
      }
    }
  }
  const classBaseRules = mergeAscending(everything, everyClass);
  // Sets that match something, by ascending set id.
  const order = scratchOrder;
  order.length = 0;
  for (let k = 0; k < setIds.length; k++) if (matcher.sets[setIds[k]].size > 0) order.push(k);
  if (order.length > SMALL_SETS) order.sort((a, b) => setIds[a] - setIds[b]);
  else {
    for (let i = 1; i < order.length; i++) {
      const k = order[i];
      let j = i - 1;
      for (; j >= 0 && setIds[order[j]] > setIds[k]; j--) order[j + 1] = order[j];
      order[j + 1] = k;
    }
  }
  const sets: ProfileSet[] = new Array(order.length);
  for (let i = 0; i < order.length; i++) {
    const k = order[i];
    sets[i] = { set: setIds[k], rules: setRules[k], ports: rulePortsOf(rules, setRules[k]) };
  }
  // One isolating tier of allow-only rules (NetworkPolicy): the decision is the union of the matching rules'
  // ports. Anything else (several tiers, deny or pass) goes through the decision function.
  const first = snapshot.policies[policyIds[0]];
  let unionOnly = true;
  for (let p = 0; p < policyIds.length && unionOnly; p++) unionOnly = allowsInTier(snapshot.policies[policyIds[p]], direction, first.tier.order);
  return {
    direction,
    unionOnly,
    policies: policyIds,
    classBaseRules,
    classBase: rulePortsOf(rules, classBaseRules),
    atomBaseRules: everything,
    atomBase: rulePortsOf(rules, everything),
    sets,
  };
}

/** Past this many peer sets a profile indexes them with a map (and sorts them with Array.sort). */
const SMALL_SETS = 24;
const NO_RULES: readonly number[] = Object.freeze([]);
const scratchSetIds: number[] = [];
const scratchSetRules: number[][] = [];
const scratchOrder: number[] = [];

/** Whether a policy only allows, in the isolating tier of order `tierOrder` (see `SideTable.unionOnly`). */
function allowsInTier(p: PolicyModel, direction: Direction, tierOrder: number): boolean {
  if (p.tier.order !== tierOrder || p.tier.endOfTier !== 'deny-selected' || p[direction].isolates === false) return false;
  const list = p[direction].rules;
  for (let r = 0; r < list.length; r++) if (list[r].action !== 'allow') return false;
  return true;
}

/** A hash of a list of ids (profiles are found by it, then compared). */
function idsHash(ids: readonly number[]): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < ids.length; i++) h = Math.imul(h ^ ids[i], 0x01000193);
  return h;
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Union of two ascending lists of distinct ids, ascending. */
function mergeAscending(a: readonly number[], b: readonly number[]): readonly number[] {
  if (b.length === 0) return a.length === 0 ? NO_RULES : a.slice();
  if (a.length === 0) return b.slice();
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i] < b[j])) out.push(a[i++]);
    else if (i >= a.length || b[j] < a[i]) out.push(b[j++]);
    else {
      out.push(a[i++]);
      j++;
    }
  }
  return out;
}

/** Pair lookups with interned port unions, resolutions and intersections. */
class PairLookup {
  private readonly conns: ConnectionSet[] = [];
  private readonly connIds = new Map<string, number>();
  private readonly unions: RulePorts[] = [];
  private readonly unionIds = new Map<string, number>();
  /** Per union id: named-port signature → connection id. */
  private readonly resolved: Map<number, number>[] = [];
  private readonly intersections = new Map<number, number>();
  /** Per table: membership key → union id. */
  /** Created on a profile's first lookup (most profiles of a large snapshot are never looked up by one query). */
  private readonly ingressMasks: (Map<number | string, number> | undefined)[];
  private readonly egressMasks: (Map<number | string, number> | undefined)[];

  private readonly decisionOrder = new Map<SideTable, number[]>();
  private readonly ingressDecisions: (Map<string, number> | undefined)[];
  private readonly egressDecisions: (Map<string, number> | undefined)[];

  constructor(
    private readonly snapshot: Snapshot,
    private readonly rules: readonly GlobalRule[],
    private readonly ruleIds: readonly { ingress: number[]; egress: number[] }[],
    private readonly classes: readonly IdentityClass[],
    private readonly ingress: readonly SideTable[],
    private readonly egress: readonly SideTable[],
    private readonly peerSets: readonly EntitySet[],
  ) {
    this.internConn(ConnectionSet.ALL); // id 0: not isolated
    this.ingressMasks = new Array(ingress.length);
    this.egressMasks = new Array(egress.length);
    this.ingressDecisions = new Array(ingress.length);
    this.egressDecisions = new Array(egress.length);
  }

  classToClass(src: number, dst: number): ConnectionSet {
    return this.conns[this.intersectIds(this.egressId(src, dst), this.ingressId(dst, src))];
  }

  atomToClass(atom: number, dst: number): ConnectionSet {
    return this.conns[this.ingressId(dst, this.classes.length + atom)];
  }

  classToAtom(src: number, atom: number): ConnectionSet {
    return this.conns[this.egressId(src, this.classes.length + atom)];
  }

  /** Per entity: its place in the row being looked up (valid where `rowStamp` holds that row's serial). */
  private rowPosition: Int32Array | undefined;
  private rowStamp: Int32Array | undefined;
  private rowSerial = 0;
  private rowMasks = new Int32Array(0);

  /** `classToClass` / `classToAtom` from `src` to each of `entities[0..count)` (ascending, distinct), into `out`
   *  (see `Analysis.classRow`). A union-only egress profile of at most 30 sets: each entity's membership mask
   *  (`unionAt`'s key) is gathered set by set, through a sparse set's members, instead of testing every set per entity. */
  classRow(src: number, entities: Int32Array, count: number, out: ConnectionSet[]): void {
    const classCount = this.classes.length;
    const profile = this.classes[src].egressProfile;
    const table = profile < 0 ? undefined : this.egress[profile];
    if (!table || !table.unionOnly || table.sets.length > 30) {
      for (let k = 0; k < count; k++) {
        const e = entities[k];
        out[k] = e < classCount ? this.classToClass(src, e) : this.classToAtom(src, e - classCount);
      }
      return;
    }
    if (this.rowMasks.length < count) this.rowMasks = new Int32Array(Math.max(count, 2 * this.rowMasks.length));
    const masks = this.rowMasks;
    masks.fill(0, 0, count);
    const sets = table.sets;
    let position: Int32Array | undefined;
    let stamp: Int32Array | undefined;
    let serial = 0;
    for (let i = 0; i < sets.length; i++) {
      const set = this.peerSets[sets[i].set];
      const members = set.sparseMembers;
      const bit = 1 << i;
      if (members && members.length < count) {
        if (!position) {
          ({ position, stamp } = this.rowIndex(entities[count - 1] + 1));
          serial = ++this.rowSerial;
          for (let k = 0; k < count; k++) {
            position[entities[k]] = k;
            stamp[entities[k]] = serial;
          }
        }
        for (let m = 0; m < members.length; m++) {
          const e = members[m];
          if (e < stamp!.length && stamp![e] === serial) masks[position[e]] |= bit;
        }
      } else for (let k = 0; k < count; k++) if (set.has(entities[k])) masks[k] |= bit;
    }
    const cache = (this.egressMasks[profile] ??= new Map());
    for (let k = 0; k < count; k++) {
      const e = entities[k];
      const egress = this.resolve(this.unionOfMask(table, cache, masks[k], e < classCount), e);
      out[k] = this.conns[e < classCount ? this.intersectIds(egress, this.ingressId(e, src)) : egress];
    }
  }

  /** Scratch per-entity arrays covering ids below `size`. */
  private rowIndex(size: number): { position: Int32Array; stamp: Int32Array } {
    if (!this.rowPosition || this.rowPosition.length < size) {
      // Grown geometrically: rows reaching further atoms come one after another.
      const length = Math.max(size, 2 * (this.rowPosition?.length ?? 0), this.classes.length + 1);
      this.rowPosition = new Int32Array(length);
      this.rowStamp = new Int32Array(length);
      this.rowSerial = 0;
    }
    return { position: this.rowPosition, stamp: this.rowStamp! };
  }

  /** What the egress policies of class `src` allow to entity `dst`. */
  private egressId(src: number, dst: number): number {
    const profile = this.classes[src].egressProfile;
    if (profile < 0) return 0;
    const table = this.egress[profile];
    if (!table.unionOnly) return this.decideAt(table, (this.egressDecisions[profile] ??= new Map()), dst, dst);
    return this.resolve(this.unionAt(table, (this.egressMasks[profile] ??= new Map()), dst), dst);
  }

  /** What the ingress policies of class `dst` allow from entity `src` (named ports resolve on `dst`). */
  private ingressId(dst: number, src: number): number {
    const profile = this.classes[dst].ingressProfile;
    if (profile < 0) return 0;
    const table = this.ingress[profile];
    if (!table.unionOnly) return this.decideAt(table, (this.ingressDecisions[profile] ??= new Map()), src, dst);
    return this.resolve(this.unionAt(table, (this.ingressMasks[profile] ??= new Map()), src), dst);
  }

  /** Tiered profiles: the matching rules at `peer` (by membership, as `unionAt`), resolved on `dstEntity`'s
   *  named ports, through the decision function. Cached per (membership, named-port signature). */
  private decideAt(table: SideTable, cache: Map<string, number>, peer: number, dstEntity: number): number {
    const isClass = peer < this.classes.length;
    const dstIsClass = dstEntity < this.classes.length;
    const signature = dstIsClass ? this.classes[dstEntity].namedPortSignature : -1;
    const member: number[] = [];
    for (let i = 0; i < table.sets.length; i++) if (this.peerSets[table.sets[i].set].has(peer)) member.push(i);
    const key = `${isClass ? 'c' : 'a'}${signature}:${member.join(',')}`;
    let id = cache.get(key);
    if (id === undefined) {
      const matching = new Set<number>(isClass ? table.classBaseRules : table.atomBaseRules);
      for (const i of member) for (const r of table.sets[i].rules) matching.add(r);
      const namedPorts = dstIsClass ? this.classes[dstEntity].namedPorts : undefined;
      id = this.internConn(decide(this.tierInputs(table, matching, namedPorts)).allowed);
      cache.set(key, id);
    }
    return id;
  }

  private tierInputs(table: SideTable, matching: ReadonlySet<number>, namedPorts: IdentityClass['namedPorts'] | undefined): TierInput<number>[] {
    const tiers: TierInput<number>[] = [];
    let ordered = this.decisionOrder.get(table);
    if (!ordered) {
      ordered = [...table.policies].sort((a, b) => comparePolicyOrder(this.snapshot.policies[a], this.snapshot.policies[b]));
      this.decisionOrder.set(table, ordered);
    }
    for (const policyId of ordered) {
      const policy = this.snapshot.policies[policyId];
      let current = tiers[tiers.length - 1];
      if (!current || current.tier.order !== policy.tier.order) tiers.push((current = { tier: policy.tier, selected: false, hits: [] }));
      else (current as { tier: TierModel }).tier = layerTier(current.tier, policy.tier);
      // Applying policies isolate, unless one opts out (Cilium `enableDefaultDeny: false`).
      if (policy[table.direction].isolates !== false) (current as { selected: boolean }).selected = true;
      const start = current.hits.length;
      for (const ruleId of this.rulesOf(policyId, table.direction)) {
        if (!matching.has(ruleId)) continue;
        const rule = this.rules[ruleId].rule;
        (current.hits as RuleHit<number>[]).push({ action: rule.action, ports: rule.allowed.resolve(namedPorts), rule: ruleId });
      }
      // Precedence within one policy; policies are already in decision order.
      const own = (current.hits as RuleHit<number>[]).splice(start);
      own.sort((a, b) => this.rules[a.rule].rule.precedence - this.rules[b.rule].rule.precedence || a.rule - b.rule);
      (current.hits as RuleHit<number>[]).push(...own);
    }
    return tiers;
  }

  private rulesOf(policyId: number, direction: Direction): readonly number[] {
    return this.ruleIds[policyId][direction];
  }

  /** The union of the table's ports at one entity: its base and every set containing it. */
  private unionAt(table: SideTable, cache: Map<number | string, number>, entity: number): number {
    const isClass = entity < this.classes.length;
    const sets = table.sets;
    if (sets.length <= 30) {
      let mask = 0;
      for (let i = 0; i < sets.length; i++) if (this.peerSets[sets[i].set].has(entity)) mask |= 1 << i;
      return this.unionOfMask(table, cache, mask, isClass);
    }
    // One joined text (not a rope of a thousand pieces, flattened again by the map).
    const members: number[] = [];
    for (let i = 0; i < sets.length; i++) if (this.peerSets[sets[i].set].has(entity)) members.push(i);
    const key = `${isClass ? 'c' : 'a'},${members.join(',')}`;
    let id = cache.get(key);
    if (id === undefined) {
      // The member sets' ports merged at once: a chain of pairwise unions re-copies the growing result once per
      // set (quadratic with a thousand CIDR rules of distinct ports).
      const parts = [isClass ? table.classBase : table.atomBase];
      for (let i = 0; i < sets.length; i++) if (this.peerSets[sets[i].set].has(entity)) parts.push(sets[i].ports);
      id = this.internUnion(parts.length === 2 ? parts[0].union(parts[1]) : RulePorts.unionAll(parts));
      cache.set(key, id);
    }
    return id;
  }

  /** `unionAt` for a table of at most 30 sets, from the entity's membership mask (bit i: `table.sets[i]` holds it). */
  private unionOfMask(table: SideTable, cache: Map<number | string, number>, mask: number, isClass: boolean): number {
    const key = mask * 2 + (isClass ? 1 : 0);
    let id = cache.get(key);
    if (id === undefined) {
      const sets = table.sets;
      const parts = [isClass ? table.classBase : table.atomBase];
      for (let i = 0; i < sets.length; i++) if ((mask & (1 << i)) !== 0) parts.push(sets[i].ports);
      id = this.internUnion(parts.length === 2 ? parts[0].union(parts[1]) : RulePorts.unionAll(parts));
      cache.set(key, id);
    }
    return id;
  }

  /** A union's ports toward one destination entity (named ports resolve on a class, never on an atom). */
  private resolve(union: number, dstEntity: number): number {
    const dstIsClass = dstEntity < this.classes.length;
    const signature = dstIsClass ? this.classes[dstEntity].namedPortSignature : -1;
    const perUnion = this.resolved[union];
    let id = perUnion.get(signature);
    if (id === undefined) {
      id = this.internConn(this.unions[union].resolve(dstIsClass ? this.classes[dstEntity].namedPorts : undefined));
      perUnion.set(signature, id);
    }
    return id;
  }

  private intersectIds(a: number, b: number): number {
    if (a === 0 || a === b) return b;
    if (b === 0) return a;
    const key = a < b ? a * 2 ** 26 + b : b * 2 ** 26 + a;
    let id = this.intersections.get(key);
    if (id === undefined) {
      id = this.internConn(this.conns[a].intersect(this.conns[b]));
      this.intersections.set(key, id);
    }
    return id;
  }

  private internConn(set: ConnectionSet): number {
    let id = this.connIds.get(set.key);
    if (id === undefined) {
      id = this.conns.push(set) - 1;
      this.connIds.set(set.key, id);
    }
    return id;
  }

  private internUnion(ports: RulePorts): number {
    let id = this.unionIds.get(ports.key);
    if (id === undefined) {
      id = this.unions.push(ports) - 1;
      this.resolved.push(new Map());
      this.unionIds.set(ports.key, id);
    }
    return id;
  }
}

/** Elementary port intervals per protocol induced by every rule's ports (named ports resolved per class
 *  signature), summed over the three protocols. */
function countPortAtoms(rules: readonly GlobalRule[], classes: readonly IdentityClass[]): number {
  const signatures = new Map<number, IdentityClass>();
  for (const c of classes) if (!signatures.has(c.namedPortSignature)) signatures.set(c.namedPortSignature, c);
  const distinct = new Map<string, RulePorts>();
  for (const { rule } of rules) distinct.set(rule.allowed.key, rule.allowed);
  let total = 0;
  for (const protocol of PROTOCOLS) {
    const cuts = new Set<number>([1]);
    for (const allowed of distinct.values()) {
      const variants = allowed.named.length > 0 ? [...signatures.values()].map((c) => allowed.resolve(c.namedPorts)) : [allowed.numeric];
      for (const set of variants) for (const p of set.ports(protocol).cutPoints()) if (p <= 65535) cuts.add(p);
    }
    total += cuts.size;
  }
  return total;
}
