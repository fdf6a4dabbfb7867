// The factorised analysis result: identity classes × IP atoms × port sets, in which any pair's allowed
// connections are a lookup (no policy is evaluated again).
import type { ConnectionSet } from '../algebra/connection-set.js';
import type { IpFamily } from '../algebra/ip-set.js';
import type { ContainerPort, RulePorts } from '../algebra/rule-ports.js';
import type { EntitySet } from './entity-set.js';
import type { Labels } from '../algebra/selector.js';
import type { Direction, PodModel, RuleModel, Snapshot, Workload } from '../model/types.js';

/**
 * Pods that no selector can tell apart: same namespace, same values of every label key some pod selector
 * reads, same resolution of every named port some rule uses (and, with `ipBlockMatchesPods`, the same
 * ipBlocks containing their IPs).
 */
export interface IdentityClass {
  readonly id: number;
  readonly namespace: string;
  /** Full labels of the first pod seen in the class (equal to every member's on the keys selectors read). */
  readonly labels: Labels;
  readonly namedPorts: ReadonlyMap<string, ContainerPort>;
  /** Id of the named-port resolution signature (classes with equal ids resolve every used name alike). */
  readonly namedPortSignature: number;
  /** Policies (ids) that select the class and isolate it for ingress / egress, ascending. */
  readonly ingressPolicies: readonly number[];
  readonly egressPolicies: readonly number[];
  /** Index into `Analysis.ingressProfiles` / `egressProfiles`; -1 = not isolated (default allow). */
  readonly ingressProfile: number;
  readonly egressProfile: number;
}

export interface IpAtom {
  readonly family: IpFamily;
  readonly first: bigint;
  readonly last: bigint;
  /** `first-last`, np-guard's text. */
  readonly text: string;
}

/** Rules of one profile whose peers match exactly the entities of one shared peer set. */
export interface ProfileSet {
  /** Index into `Analysis.peerSets`. */
  readonly set: number;
  /** Global rule ids (`Analysis.rules`), ascending. */
  readonly rules: readonly number[];
  /** Union of those rules' ports (named ports unresolved). */
  readonly ports: RulePorts;
}

/**
 * What the policies of one profile (the set of policies isolating some classes in one direction) allow from
 * (ingress) or to (egress) every entity. Entities: class ids `0..classes-1`, then the side's IP atoms
 * (`classes + atom index`). An entity's ports = the base for its kind ∪ the ports of every set containing it.
 */
export interface SideTable {
  readonly direction: Direction;
  /** One isolating tier of allow-only rules: a pair's ports are the union at the entity (else: `decide`). */
  readonly unionOnly: boolean;
  readonly policies: readonly number[];
  /** Rules that match every class: no peers, or a peer matching every pod of every namespace. */
  readonly classBaseRules: readonly number[];
  readonly classBase: RulePorts;
  /** Rules that match every IP atom: no peers. */
  readonly atomBaseRules: readonly number[];
  readonly atomBase: RulePorts;
  readonly sets: readonly ProfileSet[];
}

export interface GlobalRule {
  readonly policy: number;
  readonly rule: RuleModel;
}

export interface AnalysisStats {
  readonly workloads: number;
  readonly pods: number;
  readonly policies: number;
  readonly classes: number;
  /** Elementary port intervals per protocol induced by every rule (named ports resolved), summed. */
  readonly portAtoms: number;
  /** Source atoms (from ingress ipBlocks) + destination atoms (from egress ipBlocks), both families. */
  readonly ipAtoms: number;
  readonly ingressProfiles: number;
  readonly egressProfiles: number;
  /** Distinct peer sets (memoised matches of rule peers) and their total members. */
  readonly peerSets: number;
  readonly peerSetMembers: number;
  /** Sum over profiles of their peer sets. */
  readonly profileSets: number;
}

export interface Analysis {
  readonly snapshot: Snapshot;
  readonly classes: readonly IdentityClass[];
  /** Class of each workload (its representative pod), indexed by workload id. */
  readonly workloadClass: Int32Array;
  /** Class of each pod, per workload id, in `workloadPods` order (real pods only; synthetic → workloadClass). */
  readonly podClasses: readonly Int32Array[];
  /** Source atoms (from ingress ipBlocks) and destination atoms (from egress ipBlocks): IPv4 then IPv6. */
  readonly srcAtoms: readonly IpAtom[];
  readonly dstAtoms: readonly IpAtom[];
  readonly rules: readonly GlobalRule[];
  /** Every distinct set of entities some rule peer matches (ingress sets over source atoms, egress over
   *  destination atoms). */
  readonly peerSets: readonly EntitySet[];
  readonly ingressProfiles: readonly SideTable[];
  readonly egressProfiles: readonly SideTable[];
  readonly stats: AnalysisStats;
  /** Allowed connections between two classes (egress of `src` ∩ ingress of `dst`). */
  classToClass(src: number, dst: number): ConnectionSet;
  /** From a source atom (index in `srcAtoms`) to a class: only the class's ingress counts. */
  atomToClass(atom: number, dst: number): ConnectionSet;
  /** From a class to a destination atom (index in `dstAtoms`): only the class's egress counts. */
  classToAtom(src: number, atom: number): ConnectionSet;
  /**
   * `classToClass` / `classToAtom` of one source class toward many destination entities at once (`entities[0..count)`,
   * ascending and distinct: a class id, or the class count + a destination atom), into `out[0..count)`: the same
   * sets, the source's egress peer-set membership found per set rather than per entity. Optional (listings fall
   * back to the pair lookups).
   */
  classRow?(src: number, entities: Int32Array, count: number, out: ConnectionSet[]): void;
}

export type { PodModel, Workload };
