// Explanations of connections: for an ordered pair of peers, the ports grouped into classes that share one
// explanation (which policy rules, per direction, decided them). Plain data; texts come from ./text.ts.
import type { ConnectionSet } from '../algebra/connection-set.js';
import type { Direction } from '../model/types.js';

/** Policy kinds in np-guard's precedence order (the order their rule lines are printed in). */
export const POLICY_KINDS = ['AdminNetworkPolicy', 'NetworkPolicy', 'BaselineAdminNetworkPolicy'] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

/**
 * How one NetworkPolicy decided some ports of one direction:
 * - `allows`: rule `rule` matches the other end and lists these ports;
 * - `not-selected`: the policy selects the subject but none of its rules matches the other end;
 * - `no-rules`: the same, because the policy has no rule in this direction at all;
 * - `ports-mismatch`: rule `rule` matches the other end but does not list these ports;
 * - `named-ports-unmatched`: rule `rule` matches the other end but lists only named ports that the
 *   destination does not define (with that protocol).
 */
export type NetworkPolicyVerdict = 'allows' | 'not-selected' | 'no-rules' | 'ports-mismatch' | 'named-ports-unmatched';

/** A rule of a tier with actions (AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy) that was
 *  the first to match these ports: it allowed, denied or passed them on (a pass is a step, the next tier decides). */
export type TierRuleVerdict = 'allows' | 'denies' | 'passes';

export interface RuleReason {
  /** The policy's kind; `system-default` for "what no tier decided is allowed" after a pass. */
  readonly kind: string;
  /** `namespace/name` (a cluster-scoped policy: its name). */
  readonly policy: string;
  /** The policy's index in `Snapshot.policies` (absent for `system-default`): tells apart policies of one name in
   *  different API groups (a Calico and a Kubernetes NetworkPolicy `ns/web`, both of kind NetworkPolicy). */
  readonly policyId?: number;
  readonly direction: Direction;
  readonly verdict: NetworkPolicyVerdict | TierRuleVerdict;
  /** 0-based index of the rule in the policy's list for this direction (absent for not-selected / no-rules). */
  readonly rule?: number;
  /** 0-based field path of the rule, e.g. `spec.ingress[2]` (absent with `rule`). */
  readonly path?: string;
  /** Tiers with actions: the rule's `name`, the policy's tier order and its priority. */
  readonly ruleName?: string;
  readonly tierOrder?: number;
  readonly priority?: number;
}

/** What one direction decided for a set of ports, and why. */
export interface DirectionVerdict {
  readonly allowed: boolean;
  /** No policy applies to these ports in this direction (or this side is an IP): allowed by default. */
  readonly systemDefault: boolean;
  /** Allowed: every rule allowing the ports; denied: every rule (or rule-less policy) that did not. */
  readonly reasons: readonly RuleReason[];
}

/** One class of a direction's partition of all ports: the ports and their common verdict. */
export interface DirectionSegment extends DirectionVerdict {
  readonly ports: ConnectionSet;
  /** Identifies the verdict (allowed, default, reasons); equal keys = one explanation. */
  readonly key: string;
}

/** Ports of one pair sharing one explanation in both directions. */
export interface ExplainClass {
  readonly ports: ConnectionSet;
  readonly allowed: boolean;
  readonly egress: DirectionVerdict;
  readonly ingress: DirectionVerdict;
}

export interface ExplainedPair {
  /** Peer names as in `list` (workload, pod or `first-last[External]`). */
  readonly src: string;
  readonly dst: string;
  /** Everything allowed and no policy involved in either direction (np-guard's "system default" section). */
  readonly defaultOnly: boolean;
  /** Partition of all ports of all protocols (a default-only pair: one class, everything allowed). */
  readonly classes: readonly ExplainClass[];
}
