import type { PolicyModel } from '../model/types.js';

/** Decision order of policies: tier order, then priority (lower first), then full name (deterministic where a
 *  dialect leaves equal priorities undefined). */
export function comparePolicyOrder(a: PolicyModel, b: PolicyModel): number {
  return a.tier.order - b.tier.order || a.priority - b.priority || (a.fullName < b.fullName ? -1 : a.fullName > b.fullName ? 1 : 0);
}
