// The one decision function: what the policies that apply to a subject decide, in one direction, about one
// peer, over every port. Every dialect compiles to tiers of ordered rules with actions; the factorised
// analysis, the per-pair trace (explanations), exposure and diff all decide through here.
//
//   for each tier, in order:
//     the matching rules, in precedence order, each decide the ports they match that are still undecided:
//       allow → allowed; deny → denied; pass → left for the next tier; log → nothing (the rule is recorded)
//     (a `denyWins` tier takes its deny rules first: Cilium's deny beats every allow of the layer)
//     a `deny-selected` tier whose policies select the subject denies what it left undecided
//       (NetworkPolicy isolation, Calico's end-of-tier deny); passed ports then go on to the next tier
//   what no tier decided is allowed (Kubernetes' default).
import { ConnectionSet } from '../algebra/connection-set.js';
import type { RuleAction, TierModel } from '../model/types.js';

export interface RuleHit<R> {
  readonly action: RuleAction;
  /** The rule's ports toward this destination (named ports already resolved). */
  readonly ports: ConnectionSet;
  /** The caller's handle on the rule (for provenance). */
  readonly rule: R;
}

export interface TierInput<R> {
  readonly tier: TierModel;
  /** Some policy of this tier applies to the subject in this direction (a `deny-selected` tier then isolates it). */
  readonly selected: boolean;
  /** The rules whose peers match, in precedence order. */
  readonly hits: readonly RuleHit<R>[];
}

export interface RuleEffect<R> {
  readonly rule: R;
  readonly action: RuleAction;
  /** The ports this rule decided (allow/deny), passed on (pass) or saw (log): its ports ∩ what was undecided. */
  readonly ports: ConnectionSet;
}

export interface Decision<R> {
  readonly allowed: ConnectionSet;
  /** Rules that decided something, in the order they did. */
  readonly effects: readonly RuleEffect<R>[];
  /** Per isolating tier: the ports it denied because no rule of it allowed them. */
  readonly isolatedBy: readonly { readonly tier: TierModel; readonly denied: ConnectionSet }[];
  /** What no tier decided (allowed by default). */
  readonly byDefault: ConnectionSet;
}

/** The tier a layer decides with when policies of two tier objects of one order share it (Calico's `default` tier
 *  holds Kubernetes NetworkPolicies; Cilium shares NetworkPolicy's tier): deny-wins only if every member says so —
 *  in Calico's default tier a NetworkPolicy at order 1000 allows before a Calico Deny at order 2000. */
export function layerTier(current: TierModel, joining: TierModel): TierModel {
  return current.denyWins && !joining.denyWins ? joining : current;
}

/** Decides one direction for one (subject, peer). `tiers` must be in tier order. */
export function decide<R>(tiers: readonly TierInput<R>[]): Decision<R> {
  let undecided = ConnectionSet.ALL;
  let allowed = ConnectionSet.NONE;
  const effects: RuleEffect<R>[] = [];
  const isolatedBy: { tier: TierModel; denied: ConnectionSet }[] = [];
  for (const { tier, selected, hits: inOrder } of tiers) {
    const hits = tier.denyWins ? denyFirst(inOrder) : inOrder;
    let passed = ConnectionSet.NONE;
    // In an isolating tier of allow-only rules (NetworkPolicy) every matching rule gets credit for its ports (a
    // union, as NetworkPolicy explanations list every rule that allows a port); elsewhere the first matching
    // rule decides a port (AdminNetworkPolicy: first match in priority and rule order).
    const union = tier.endOfTier === 'deny-selected' && hits.every((h) => h.action === 'allow' || h.action === 'log');
    let allowable = undecided;
    for (const hit of hits) {
      const ports = hit.ports.intersect(hit.action === 'allow' ? allowable : undecided);
      if (ports.isEmpty) continue;
      effects.push({ rule: hit.rule, action: hit.action, ports });
      if (hit.action === 'log') continue;
      undecided = undecided.subtract(ports);
      if (!union) allowable = allowable.subtract(ports);
      if (hit.action === 'allow') allowed = allowed.union(ports);
      else {
        allowable = allowable.subtract(ports);
        if (hit.action === 'pass') passed = passed.union(ports);
      }
    }
    if (selected && tier.endOfTier === 'deny-selected') {
      isolatedBy.push({ tier, denied: undecided });
      undecided = ConnectionSet.NONE;
    }
    undecided = undecided.union(passed);
  }
  return { allowed: allowed.union(undecided), effects, isolatedBy, byDefault: undecided };
}

/** Deny hits before the others, each group in its given order (stable). */
function denyFirst<R>(hits: readonly RuleHit<R>[]): readonly RuleHit<R>[] {
  if (!hits.some((h) => h.action === 'deny')) return hits;
  return [...hits.filter((h) => h.action === 'deny'), ...hits.filter((h) => h.action !== 'deny')];
}
