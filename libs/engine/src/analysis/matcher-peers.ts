// Dialect matcher peers (Calico rules) in the factorised analysis. A matcher is `far(other) && near(subject)`:
// - far: evaluated once per identity class (its first pod stands for the class) and once per IP atom of the side,
//   giving one shared entity set per distinct matcher;
// - near: evaluated once per subject class; a rule whose near end fails for a class leaves that class's side
//   table (the class then gets its own profile).
// Matchers that test addresses (nets, notNets, network sets) need IP atoms cut at their sets' bounds, and classes
// told apart by which of those sets hold their pods' IPs (collectMatcherSets; the classes stay as they are when
// no matcher tests an address).
import type { IpSet } from '../algebra/ip-set.js';
import type { Labels } from '../algebra/selector.js';
import type { Direction, MatcherPeerModel, PeerView, RuleModel, Snapshot } from '../model/types.js';
import type { ClassSeed } from './classes.js';
import type { IpAtom } from './types.js';

export interface MatcherAddressSets {
  /** Sets tested by ingress rules (sources: the analysis's source atoms) and egress rules (destination atoms). */
  readonly ingress: readonly IpSet[];
  readonly egress: readonly IpSet[];
  /** Every distinct set, keyed apart from ipBlock keys: classes are told apart by those holding their pods' IPs. */
  readonly podSets: ReadonlyMap<string, IpSet>;
  readonly hasIpv6: boolean;
}

/** The address sets of every matcher peer of the snapshot (all empty on a cluster without dialect matchers). */
export function collectMatcherSets(snapshot: Snapshot): MatcherAddressSets {
  const ingress = new Map<string, IpSet>();
  const egress = new Map<string, IpSet>();
  const podSets = new Map<string, IpSet>();
  let hasIpv6 = false;
  const seenRules = new Set<readonly RuleModel[]>(); // equal specs share their compiled rule lists
  const policies = snapshot.policies;
  for (let p = 0; p < policies.length; p++) {
    for (let d = 0; d < DIRECTIONS.length; d++) {
      const direction = DIRECTIONS[d];
      const rules = policies[p][direction].rules;
      if (rules.length === 0 || seenRules.has(rules)) continue;
      seenRules.add(rules);
      for (const rule of rules) {
        for (const peer of rule.peers ?? []) {
          if (peer.kind !== 'matcher') continue;
          for (const set of peer.ipSets) {
            const key = `\u0005matcher\u0000${ipSetKey(set)}`;
            (direction === 'ingress' ? ingress : egress).set(key, set);
            podSets.set(key, set);
            if (set.family === 6) hasIpv6 = true;
          }
        }
      }
    }
  }
  return { ingress: [...ingress.values()], egress: [...egress.values()], podSets, hasIpv6 };
}

function ipSetKey(set: IpSet): string {
  return `${set.family}:${set.intervals.map((i) => `${i.first}-${i.last}`).join(',')}`;
}

/** The matcher peers of one class's applying policies whose near end fails for it, by policy. */
export interface NearFailures {
  /** Identifies the failures ('' never: absent when nothing fails). */
  readonly key: string;
  /** Per policy id: the failing peers and a key for them. */
  readonly byPolicy: ReadonlyMap<number, { readonly key: string; readonly peers: ReadonlySet<MatcherPeerModel> }>;
}

/** Far and near ends of matcher peers, evaluated on representatives and memoised. */
export class MatcherPeers {
  private readonly views: PeerView[];
  private readonly nearByPeer = new Map<MatcherPeerModel, Int8Array>();
  /** Per atom list (source or destination atoms): the atoms as matchers see them. */
  private readonly atomViews = new Map<readonly IpAtom[], PeerView[]>();
  /** Per direction: per policy id, its matcher peers in rule order (absent: none). */
  private readonly peersOf = { ingress: new Map<number, MatcherPeerModel[]>(), egress: new Map<number, MatcherPeerModel[]>() };
  private readonly namespaceLabels: (namespace: string) => Labels;

  constructor(
    snapshot: Snapshot,
    private readonly classes: readonly ClassSeed[],
  ) {
    this.namespaceLabels = (namespace) => snapshot.namespaces.get(namespace)?.labels ?? {};
    // Rule lists without matcher peers are remembered (equal specs share their compiled lists): most policies
    // are NetworkPolicies, and a cluster without dialect matchers then costs one look per distinct list.
    const withoutMatchers = new Set<readonly RuleModel[]>();
    const policies = snapshot.policies;
    for (let p = 0; p < policies.length; p++) {
      const policy = policies[p];
      for (let d = 0; d < DIRECTIONS.length; d++) {
        const direction = DIRECTIONS[d];
        const rules = policy[direction].rules;
        if (rules.length === 0 || withoutMatchers.has(rules)) continue;
        const peers = matcherPeersOf(rules);
        if (peers.length > 0) this.peersOf[direction].set(policy.id, peers);
        else withoutMatchers.add(rules);
      }
    }
    // Class views only when some matcher reads them.
    this.views = this.any ? classes.map((c) => ({ type: 'pod', namespace: c.namespace, labels: c.labels, ips: c.ips, serviceAccount: c.serviceAccount })) : [];
  }

  /** Whether any policy has a matcher peer (else the analysis skips every step below). */
  get any(): boolean {
    return this.peersOf.ingress.size > 0 || this.peersOf.egress.size > 0;
  }

  /** Entity ids (classes, then `classes.length + atom index`) whose end the matcher's far half matches, ascending. */
  farEntities(peer: MatcherPeerModel, atoms: readonly IpAtom[]): number[] {
    const ids: number[] = [];
    for (let c = 0; c < this.views.length; c++) if (peer.far(this.views[c], this.namespaceLabels)) ids.push(c);
    let atomViews = this.atomViews.get(atoms);
    if (!atomViews) this.atomViews.set(atoms, (atomViews = atoms.map((a): PeerView => ({ type: 'ip', family: a.family, first: a.first, last: a.last }))));
    for (let a = 0; a < atomViews.length; a++) if (peer.far(atomViews[a], this.namespaceLabels)) ids.push(this.classes.length + a);
    return ids;
  }

  /** The matcher peers of `policyIds` (applying to class `classId` in `direction`) whose near end fails for the
   *  class; undefined when none does. */
  nearFailures(direction: Direction, classId: number, policyIds: readonly number[]): NearFailures | undefined {
    let byPolicy: Map<number, { key: string; peers: Set<MatcherPeerModel> }> | undefined;
    let key = '';
    for (const policyId of policyIds) {
      const peers = this.peersOf[direction].get(policyId);
      if (!peers) continue;
      let failing: Set<MatcherPeerModel> | undefined;
      let policyKey = '';
      for (let i = 0; i < peers.length; i++) {
        if (this.nearHolds(peers[i], classId)) continue;
        (failing ??= new Set()).add(peers[i]);
        policyKey += `${i},`;
      }
      if (!failing) continue;
      (byPolicy ??= new Map()).set(policyId, { key: policyKey, peers: failing });
      key += `${policyId}:${policyKey};`;
    }
    return byPolicy ? { key, byPolicy } : undefined;
  }

  private nearHolds(peer: MatcherPeerModel, classId: number): boolean {
    let holds = this.nearByPeer.get(peer);
    if (!holds) this.nearByPeer.set(peer, (holds = new Int8Array(this.classes.length)));
    if (holds[classId] === 0) holds[classId] = peer.near(this.views[classId], this.namespaceLabels) ? 1 : -1;
    return holds[classId] === 1;
  }
}

const DIRECTIONS: readonly Direction[] = ['ingress', 'egress'];

/** A policy's matcher peers in one direction (its rules), in rule and peer order (the order NearFailures keys
 *  count in). */
function matcherPeersOf(rules: readonly RuleModel[]): MatcherPeerModel[] {
  const out: MatcherPeerModel[] = [];
  for (let r = 0; r < rules.length; r++) {
    const peers = rules[r].peers;
    if (peers) for (let i = 0; i < peers.length; i++) if (peers[i].kind === 'matcher') out.push(peers[i] as MatcherPeerModel);
  }
  return out;
}
