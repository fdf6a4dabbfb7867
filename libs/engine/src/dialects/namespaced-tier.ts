import type { TierModel } from '../model/types.js';

/** Where namespaced NetworkPolicies sit among the tiers: after the admin tier, before the baseline tier.
 *  What they leave undecided for a pod they select is denied (isolation). Cilium's policies share this layer
 *  (its deny rules win over every allow of it), so the tier is one object both dialects compile to. */
export const NAMESPACED_TIER: TierModel = { name: 'namespaced', order: 200, endOfTier: 'deny-selected', denyWins: true };
