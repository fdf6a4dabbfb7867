// Incremental re-analysis: the analysis of a snapshot that differs from an analysed one only in a few policies
// (a what-if edit, addition or removal), computed from the old analysis instead of from scratch.
// Reused as they are: identity classes, pod → class maps, IP atoms and every peer set. Recomputed: the policy
// lists of every class (old ids renumbered, the changed policies re-matched against the classes), and only
// the side tables of the policy lists that contain a changed policy (their policies' peers matched again;
// new peer sets are appended). Tables whose policies are all unchanged are kept, renumbered.
// The result is not the same object graph as `analyze(next)` (class and set ids may differ, classes may be
// finer than needed), but every pair's connections are the same. When the change can alter the classes or the
// atoms themselves, it falls back to a full `analyze` and says why:
//   - a changed policy reads a pod label key (or named port) no old policy read: classes would split;
//   - the ipBlocks cut other IP atoms: atoms are peers of the output, and every entity id would shift;
//   - some ipBlock matches pod IPs (`ipBlockMatchesPods`, or a dialect's pod-matching CIDR): classes depend
//     on ipBlocks.
import { analyze, assembleAnalysis, atomsFor, buildSideTable, collectIpBlocks, globalRules, PeerMatcher, policySide, ruleIdsOf, type PolicySide } from './analyze.js';
import { RulePorts } from '../algebra/rule-ports.js';
import type { ClassSeed } from './classes.js';
import { observedFeatures } from './classes.js';
import type { Direction, PeerModel, PolicyModel, RuleModel, Snapshot } from '../model/types.js';
import { MatcherPeers } from './matcher-peers.js';
import type { Analysis, GlobalRule, IdentityClass, IpAtom, ProfileSet, SideTable } from './types.js';

/** A policy's identity across snapshots: dialect, kind and `namespace/name`. */
export function policyIdentity(policy: Pick<PolicyModel, 'dialect' | 'kind' | 'fullName'>): string {
  return `${policy.dialect}\u0000${policy.kind}\u0000${policy.fullName}`;
}

export interface Reanalysis {
  readonly analysis: Analysis;
  /** `incremental` = built from the old analysis; `full` = `analyze(next)` (see `reason`). */
  readonly method: 'incremental' | 'full';
  readonly reason?: string;
  /** Incremental only: classes (ids of `analysis.classes`) whose ingress / egress decision may have changed. */
  readonly affected?: { readonly ingress: readonly number[]; readonly egress: readonly number[] };
}

/**
 * The analysis of `next`, which must equal `base.snapshot` (same workloads, namespaces, nodes and options; it
 * may share their objects) except for the policies whose identities (`policyIdentity`) are in `changed`: each
 * is edited, added or removed. Every other policy must be the same policy (its id may shift).
 */
export function reanalyze(base: Analysis, next: Snapshot, changed: Iterable<string>): Reanalysis {
  const full = (reason: string): Reanalysis => ({ analysis: analyze(next), method: 'full', reason });
  const old = base.snapshot;
  const changedIds = new Set(changed);
  if (old.workloads.length !== next.workloads.length || old.options.ipBlockMatchesPods !== next.options.ipBlockMatchesPods) {
    return full('the workloads or engine options differ');
  }
  // Host endpoints split classes by node and atoms at host addresses, and any Calico policy may select them.
  if ((old.hostEndpoints ?? []).length > 0 || (next.hostEndpoints ?? []).length > 0) return full('the snapshot has Calico host endpoints (classes by node, host address atoms)');
  // The changed policies, found by name (both lists are sorted by full name): no walk over every policy.
  const removedIndex = policiesNamed(old.policies, changedIds);
  const addedIndex = policiesNamed(next.policies, changedIds);
  const added = addedIndex.map((i) => next.policies[i]);
  const removedOld = removedIndex.map((i) => old.policies[i]);
  if (old.policies.length - removedOld.length !== next.policies.length - added.length) return full('the unchanged policies differ');
  // Classes: the changed policies must read no label key and no named port the old policies did not read.
  const facts = baseFacts(old);
  const addedFeatures = observedFeatures({ ...next, policies: added });
  const newKey = addedFeatures.keys.find((k) => !facts.keys.has(k));
  if (newKey !== undefined) return full(`a changed policy selects on label key "${newKey}", which splits identity classes`);
  if (addedFeatures.serviceAccounts) return full('a changed policy selects by service account, which identity classes may not tell apart');
  const newPort = addedFeatures.portNames.find((n) => !facts.portNames.has(n));
  if (newPort !== undefined) return full(`a changed policy uses named port "${newPort}", which splits identity classes`);
  // Classes keep no hostNetwork once analysed (IdentityClass): host-network pods excluded from subjects or pod peers
  // (AdminNetworkPolicy and its kin) are matched from scratch.
  if (facts.hostNetworkPods && (facts.hostNetworkExcluded || addedFeatures.hostNetwork)) {
    return full('a policy excludes host-network pods from its subject or pod peers, which identity classes may not tell apart');
  }

  // Dialect matchers (Calico) read pod IPs, cut atoms at their address sets and narrow side tables per subject class.
  if (facts.matcherPeers || hasMatcherPeers(added)) return full('a policy has dialect matcher peers (Calico), decided per subject class');

  // Atoms: np-guard cuts them from every ipBlock of every policy. The unchanged policies keep theirs, so when no
  // changed policy has an ipBlock the atoms are the base's; otherwise they are cut again and compared.
  const addedBlocks = collectIpBlocks({ ...next, policies: added });
  const removedBlocks = collectIpBlocks({ ...old, policies: removedOld });
  if (facts.podMatchingIpBlocks || addedBlocks.all.size > 0 || removedBlocks.all.size > 0 || next.options.ipBlockMatchesPods) {
    return full('ipBlocks match pod IPs, so classes depend on them');
  }
  let srcAtoms = base.srcAtoms;
  let dstAtoms = base.dstAtoms;
  const blocksChanged = [addedBlocks, removedBlocks].some((b) => b.ingress.length > 0 || b.egress.length > 0 || b.hasIpv6);
  if (blocksChanged) {
    const ipBlocks = collectIpBlocks(next);
    srcAtoms = atomsFor(ipBlocks.ingress, ipBlocks.hasIpv6);
    dstAtoms = atomsFor(ipBlocks.egress, ipBlocks.hasIpv6);
    if (!sameAtoms(srcAtoms, base.srcAtoms) || !sameAtoms(dstAtoms, base.dstAtoms)) return full('the ipBlocks cut different IP atoms');
  }

  // Old policy id → new policy id (-1: changed), and old global rule id → new (rules of a policy are contiguous).
  // Both stay empty when ids are unchanged (`identity`): nothing is renumbered then.
  let policyMap = new Int32Array(0);
  let ruleMap = new Int32Array(0);
  const removed = new Uint8Array(old.policies.length);
  for (const i of removedIndex) removed[i] = 1;
  // Whether every unchanged policy and rule keeps its id (an edit that keeps the rule count): tables are reused as they are.
  let identity = false;
  let rules: GlobalRule[];
  let ruleIds: { ingress: number[]; egress: number[] }[];
  const reused = sameIdEdit(base, next, removedIndex, addedIndex);
  if (reused) {
    if (typeof reused === 'string') return full(reused);
    ({ rules, ruleIds } = reused);
    identity = true;
  } else {
    ({ rules, ruleIds } = globalRules(next));
    policyMap = new Int32Array(old.policies.length);
    ruleMap = new Int32Array(base.rules.length).fill(-1);
    const isAdded = new Uint8Array(next.policies.length);
    for (const i of addedIndex) isAdded[i] = 1;
    identity = old.policies.length === next.policies.length;
    let oldRule = 0;
    let j = 0;
    for (let p = 0; p < old.policies.length; p++) {
      const policy = old.policies[p];
      const count = policy.ingress.rules.length + policy.egress.rules.length;
      if (removed[p] === 1) {
        policyMap[p] = -1;
        oldRule += count;
        continue;
      }
      while (j < next.policies.length && isAdded[j] === 1) j++;
      const id = j++;
      const counterpart = next.policies[id];
      if (counterpart === undefined || counterpart.fullName !== policy.fullName || counterpart.kind !== policy.kind) {
        return full(`policy ${policy.fullName} has no counterpart in the new snapshot`);
      }
      policyMap[p] = id;
      const ids = ruleIds[id];
      if (ids.ingress.length + ids.egress.length !== count) return full(`policy ${policy.fullName} changed but is not listed as changed`);
      const first = ids.ingress.length > 0 ? ids.ingress[0] : (ids.egress[0] ?? 0);
      if (id !== p || (count > 0 && first !== oldRule)) identity = false;
      for (let r = 0; r < count; r++) ruleMap[oldRule + r] = first + r;
      oldRule += count;
    }
  }

  // Each class's policy lists: unchanged policies renumbered, changed ones re-matched.
  const classesByNamespace = classesByNamespaceOf(base.classes);
  const classCount = base.classes.length;
  const gained: Record<Direction, Map<number, number[]>> = { ingress: new Map(), egress: new Map() };
  for (const policyId of addedIndex) {
    const policy = next.policies[policyId];
    for (const c of subjectClasses(next, policy, classesByNamespace)) {
      for (const direction of DIRECTIONS) {
        if (!policy[direction].affects) continue;
        const list = gained[direction].get(c.id);
        if (list) list.push(policyId);
        else gained[direction].set(c.id, [policyId]);
      }
    }
  }
  // With ids unchanged only the classes a changed policy selects (now or before) can have a different list.
  const scanned = (direction: Direction): readonly number[] | undefined => {
    if (!identity) return undefined;
    const ids = new Set(gained[direction].keys());
    for (const policy of removedOld) {
      if (!policy[direction].affects) continue;
      for (const c of subjectClasses(old, policy, classesByNamespace)) ids.add(c.id);
    }
    return [...ids].sort((a, b) => a - b);
  };

  // No policy has matcher peers (checked above): an inert MatcherPeers over no classes.
  const NO_MATCHERS = new MatcherPeers({ ...next, policies: [] }, []);
  const matcher = new PeerMatcher(next, classesByNamespace, classCount, { ingress: srcAtoms, egress: dstAtoms }, NO_MATCHERS);
  const setOffset = base.peerSets.length;
  const remapRules = (ids: readonly number[]) => (identity ? ids : ids.map((r) => ruleMap[r]));
  // Profiles keep their old index (tables of unchanged lists are reused, renumbered when ids shift); tables of
  // lists with a changed policy are appended; an old slot no class uses any more holds an empty table.
  const sideTables = (direction: Direction) => {
    const oldTables = direction === 'ingress' ? base.ingressProfiles : base.egressProfiles;
    const tables: (SideTable | undefined)[] = identity ? oldTables.slice() : new Array(oldTables.length);
    // Filled for every class when ids shift; with ids unchanged, for the affected classes only (the others keep theirs).
    const policiesOf: (readonly number[])[] = new Array(classCount);
    const profileOf = new Int32Array(classCount).fill(-1);
    const affected: number[] = [];
    const isAffected = new Uint8Array(classCount);
    const scan = scanned(direction);
    const count = scan ? scan.length : classCount;
    for (let k = 0; k < count; k++) {
      const c = scan ? scan[k] : k;
      const cls = base.classes[c];
      const oldList = direction === 'ingress' ? cls.ingressPolicies : cls.egressPolicies;
      const gain = gained[direction].get(c);
      let lost = false;
      for (let i = 0; i < oldList.length && !lost; i++) lost = removed[oldList[i]] === 1;
      if (gain === undefined && !lost) {
        if (scan) continue;
        policiesOf[c] = identity ? oldList : oldList.map((p) => policyMap[p]);
        const oldProfile = direction === 'ingress' ? cls.ingressProfile : cls.egressProfile;
        profileOf[c] = oldProfile;
        if (oldProfile >= 0 && tables[oldProfile] === undefined) {
          const t = oldTables[oldProfile];
          tables[oldProfile] = identity
            ? t
            : {
                ...t,
                policies: policiesOf[c],
                classBaseRules: remapRules(t.classBaseRules),
                atomBaseRules: remapRules(t.atomBaseRules),
                sets: t.sets.map((s): ProfileSet => ({ set: s.set, rules: remapRules(s.rules), ports: s.ports })),
              };
        }
        continue;
      }
      affected.push(c);
      isAffected[c] = 1;
      const kept = identity ? oldList.filter((p) => removed[p] === 0) : oldList.filter((p) => removed[p] === 0).map((p) => policyMap[p]);
      policiesOf[c] = gain ? kept.concat(gain).sort((a, b) => a - b) : kept;
    }
    if (scan) {
      // An old slot only affected classes used is emptied.
      const users = profileUsersOf(base.classes)[direction];
      const leaving = new Map<number, number>();
      for (const c of affected) {
        const p = direction === 'ingress' ? base.classes[c].ingressProfile : base.classes[c].egressProfile;
        if (p >= 0) leaving.set(p, (leaving.get(p) ?? 0) + 1);
      }
      for (const [slot, n] of leaving) if (users[slot] === n) tables[slot] = emptyTable(direction);
    } else {
      for (let i = 0; i < oldTables.length; i++) tables[i] ??= emptyTable(direction);
    }
    // Lists with a changed policy: their tables are built again (each policy's peers matched once).
    const sides: (PolicySide | undefined)[] = new Array(next.policies.length);
    const sideOf = (policyId: number): PolicySide => (sides[policyId] ??= policySide(next, direction, policyId, ruleIds[policyId][direction], matcher));
    const byKey = new Map<string, number>();
    for (const c of affected) {
      const list = policiesOf[c];
      if (list.length === 0) {
        profileOf[c] = -1;
        continue;
      }
      const key = list.join(',');
      let id = byKey.get(key);
      if (id === undefined) {
        const built = buildSideTable(direction, list, sideOf, rules, matcher, next);
        id = tables.push({ ...built, sets: built.sets.map((s) => ({ ...s, set: s.set + setOffset })) }) - 1;
        byKey.set(key, id);
      }
      profileOf[c] = id;
    }
    return { tables: tables as SideTable[], policiesOf, profileOf, affected, isAffected };
  };
  const ingress = sideTables('ingress');
  const egress = sideTables('egress');

  const rebuilt = (c: number): IdentityClass => {
    const cls = base.classes[c];
    const ingressKept = identity && ingress.isAffected[c] === 0;
    const egressKept = identity && egress.isAffected[c] === 0;
    return {
      id: cls.id,
      namespace: cls.namespace,
      labels: cls.labels,
      namedPorts: cls.namedPorts,
      namedPortSignature: cls.namedPortSignature,
      ingressPolicies: ingressKept ? cls.ingressPolicies : ingress.policiesOf[c],
      egressPolicies: egressKept ? cls.egressPolicies : egress.policiesOf[c],
      ingressProfile: ingressKept ? cls.ingressProfile : ingress.profileOf[c],
      egressProfile: egressKept ? cls.egressProfile : egress.profileOf[c],
    };
  };
  let classes: IdentityClass[];
  if (identity) {
    classes = base.classes.slice();
    for (const c of ingress.affected) classes[c] = rebuilt(c);
    for (const c of egress.affected) if (ingress.isAffected[c] === 0) classes[c] = rebuilt(c);
  } else {
    classes = new Array(classCount);
    for (let c = 0; c < classCount; c++) classes[c] = rebuilt(c);
  }
  const analysis = assembleAnalysis(next, {
    rules,
    ruleIds,
    classes,
    workloadClass: base.workloadClass,
    podClasses: base.podClasses as Int32Array[],
    srcAtoms: srcAtoms as IpAtom[],
    dstAtoms: dstAtoms as IpAtom[],
    peerSets: matcher.sets.length === 0 ? base.peerSets : [...base.peerSets, ...matcher.sets],
    ingressProfiles: ingress.tables,
    egressProfiles: egress.tables,
  });
  return { analysis, method: 'incremental', affected: { ingress: ingress.affected, egress: egress.affected } };
}

const DIRECTIONS = ['ingress', 'egress'] as const;
const NO_SEEDS: readonly ClassSeed[] = [];

/** The classes a policy's pod selector picks (in its namespace, or in the namespaces its namespace selector
 *  picks), as analyze matches subjects; none when it affects neither direction. */
function subjectClasses(snapshot: Snapshot, policy: PolicyModel, classesByNamespace: ReadonlyMap<string, readonly ClassSeed[]>): readonly ClassSeed[] {
  if (!policy.ingress.affects && !policy.egress.affects) return NO_SEEDS;
  const candidates: ClassSeed[] = [];
  if (policy.subjectNamespaces === null) candidates.push(...(classesByNamespace.get(policy.namespace) ?? NO_SEEDS));
  else {
    for (const [namespace, list] of classesByNamespace) {
      if (policy.subjectNamespaces.matches(snapshot.namespaces.get(namespace)?.labels ?? {})) candidates.push(...list);
    }
  }
  return policy.podSelector.isEverything ? candidates : candidates.filter((c) => policy.podSelector.matches(c.labels));
}

/** Indexes (ascending) of the policies whose identity is in `ids`, found by binary search on their full names
 *  (a snapshot's policies are sorted by full name). */
function policiesNamed(policies: readonly PolicyModel[], ids: ReadonlySet<string>): number[] {
  const names = new Set([...ids].map((id) => id.slice(id.lastIndexOf('\u0000') + 1)));
  const out: number[] = [];
  for (const name of names) {
    let lo = 0;
    let hi = policies.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (policies[mid].fullName < name) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < policies.length && policies[i].fullName === name; i++) if (ids.has(policyIdentity(policies[i]))) out.push(i);
  }
  return out.sort((a, b) => a - b);
}

const ruleCount = (policy: PolicyModel) => policy.ingress.rules.length + policy.egress.rules.length;

/**
 * The global rules of `next` from the base's when every changed policy is replaced in place (same id, same rule
 * count): the base's rule list copied and the changed policies' rules written over theirs. Undefined when ids
 * shift (then they are numbered again); a reason when the unchanged policies are not the same ones.
 */
function sameIdEdit(
  base: Analysis,
  next: Snapshot,
  removedIndex: readonly number[],
  addedIndex: readonly number[],
): { rules: GlobalRule[]; ruleIds: { ingress: number[]; egress: number[] }[] } | string | undefined {
  const old = base.snapshot;
  if (old.policies.length !== next.policies.length || removedIndex.length !== addedIndex.length) return undefined;
  for (let k = 0; k < addedIndex.length; k++) {
    const i = addedIndex[k];
    if (removedIndex[k] !== i || ruleCount(old.policies[i]) !== ruleCount(next.policies[i])) return undefined;
  }
  const baseRuleIds = ruleIdsOf(base.rules);
  if (!baseRuleIds || baseRuleIds.length !== old.policies.length) return undefined;
  for (let p = 0; p < old.policies.length; p++) {
    const a = old.policies[p];
    const b = next.policies[p];
    if (a !== b && (a.fullName !== b.fullName || a.kind !== b.kind)) return `policy ${a.fullName} has no counterpart in the new snapshot`;
  }
  const rules = base.rules.slice();
  const ruleIds = baseRuleIds.slice();
  for (const i of addedIndex) {
    const policy = next.policies[i];
    const before = baseRuleIds[i];
    let r = before.ingress.length > 0 ? before.ingress[0] : (before.egress[0] ?? 0);
    const ids = { ingress: [] as number[], egress: [] as number[] };
    for (const rule of policy.ingress.rules) {
      rules[r] = { policy: i, rule };
      ids.ingress.push(r++);
    }
    for (const rule of policy.egress.rules) {
      rules[r] = { policy: i, rule };
      ids.egress.push(r++);
    }
    ruleIds[i] = ids;
  }
  return { rules, ruleIds };
}

/** What reanalyze reads of every base policy, computed once per base snapshot (repeated what-ifs share it). */
interface BaseFacts {
  readonly keys: ReadonlySet<string>;
  readonly portNames: ReadonlySet<string>;
  readonly matcherPeers: boolean;
  readonly podMatchingIpBlocks: boolean;
  /** Some policy's subject or pod peer excludes host-network pods, and the snapshot has some. */
  readonly hostNetworkExcluded: boolean;
  readonly hostNetworkPods: boolean;
}
const factsBySnapshot = new WeakMap<Snapshot, BaseFacts>();
function baseFacts(snapshot: Snapshot): BaseFacts {
  let facts = factsBySnapshot.get(snapshot);
  if (!facts) {
    const features = observedFeatures(snapshot);
    facts = {
      keys: new Set(features.keys),
      portNames: new Set(features.portNames),
      matcherPeers: hasMatcherPeers(snapshot.policies),
      podMatchingIpBlocks: collectIpBlocks(snapshot).all.size > 0,
      hostNetworkExcluded: features.hostNetwork,
      hostNetworkPods: snapshot.workloads.some((w) => w.hostNetwork || w.pods.some((p) => p.hostNetwork)),
    };
    factsBySnapshot.set(snapshot, facts);
  }
  return facts;
}

/** How many classes use each profile slot, per direction; cached per classes array. */
const usersByClasses = new WeakMap<readonly IdentityClass[], Record<Direction, Int32Array>>();
function profileUsersOf(classes: readonly IdentityClass[]): Record<Direction, Int32Array> {
  let users = usersByClasses.get(classes);
  if (!users) {
    let ingress = 0;
    let egress = 0;
    for (const c of classes) {
      ingress = Math.max(ingress, c.ingressProfile + 1);
      egress = Math.max(egress, c.egressProfile + 1);
    }
    users = { ingress: new Int32Array(ingress), egress: new Int32Array(egress) };
    for (const c of classes) {
      if (c.ingressProfile >= 0) users.ingress[c.ingressProfile]++;
      if (c.egressProfile >= 0) users.egress[c.egressProfile]++;
    }
    usersByClasses.set(classes, users);
  }
  return users;
}

/** Classes by namespace as the peer matcher reads them (ipBlock keys and hostNetwork are never read: pod-matching
 *  ipBlocks and host-network exclusions fall back to a full analysis). Cached per classes array: repeated what-ifs on one base share it. */
const seedsByClasses = new WeakMap<readonly IdentityClass[], Map<string, ClassSeed[]>>();
const NO_KEYS: ReadonlySet<string> = new Set();
const NO_IPS: readonly string[] = [];
function classesByNamespaceOf(classes: readonly IdentityClass[]): Map<string, ClassSeed[]> {
  let out = seedsByClasses.get(classes);
  if (out) return out;
  out = new Map();
  for (const c of classes) {
    // IPs and service accounts are read only by dialect matchers and service-account subjects, which fall back
    // to a full analysis.
    const seed: ClassSeed = { id: c.id, namespace: c.namespace, labels: c.labels, namedPorts: c.namedPorts, namedPortSignature: c.namedPortSignature, ipBlockKeys: NO_KEYS, ips: NO_IPS, serviceAccount: null, hostNetwork: false };
    const list = out.get(c.namespace);
    if (list) list.push(seed);
    else out.set(c.namespace, [seed]);
  }
  seedsByClasses.set(classes, out);
  return out;
}

/** Whether some rule of some policy has a dialect matcher peer. */
function hasMatcherPeers(policies: readonly PolicyModel[]): boolean {
  const seen = new Set<readonly RuleModel[]>(); // equal specs share their compiled rule lists
  for (const policy of policies) {
    for (const rules of [policy.ingress.rules, policy.egress.rules]) {
      if (seen.has(rules)) continue;
      seen.add(rules);
      for (const rule of rules) for (const peer of rule.peers ?? NO_PEERS) if (peer.kind === 'matcher') return true;
    }
  }
  return false;
}

const NO_PEERS: readonly PeerModel[] = [];

/** An unused profile slot (no class refers to it). */
function emptyTable(direction: Direction): SideTable {
  return { direction, unionOnly: true, policies: [], classBaseRules: [], classBase: RulePorts.NONE, atomBaseRules: [], atomBase: RulePorts.NONE, sets: [] };
}

function sameAtoms(a: readonly IpAtom[], b: readonly IpAtom[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].family !== b[i].family || a[i].first !== b[i].first || a[i].last !== b[i].last) return false;
  return true;
}
