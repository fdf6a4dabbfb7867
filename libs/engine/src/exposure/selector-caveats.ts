// Exposure reaches potential peers through representative peers made from label selectors (np-guard's model).
// A Calico rule's far end written as a label selector (`==`, `!=`, `in`, `has`, `&&`: `MatcherPeerModel.farSelectors`)
// makes one; any other selector expression (`||`, `contains`, `notSelector`, service accounts, …) the representative
// peers cannot express, so such a rule shows only through the real pods it matches: each such rule is named on the
// result, so the exposure is never read as more complete than it is.
import type { PolicyModel, Snapshot } from '../model/types.js';
import type { ExposureCaveat } from './types.js';

/** Far-end fields that select pods (a far end with only `nets` / `notNets` is addresses, which the IP lines cover). */
const POD_SELECTING_FIELDS = ['selector', 'notSelector', 'namespaceSelector', 'serviceAccounts'] as const;

export function unrepresentedSelectorCaveats(snapshot: Snapshot): ExposureCaveat[] {
  const out: ExposureCaveat[] = [];
  for (const policy of snapshot.policies) {
    for (const direction of ['ingress', 'egress'] as const) {
      for (const rule of policy[direction].rules) {
        if (rule.action !== 'allow') continue; // a Deny or Pass exposes nothing itself
        for (const peer of rule.peers ?? []) {
          if (peer.kind !== 'matcher' || peer.farMatchesEveryPod || peer.farSelectors) continue;
          const side = direction === 'ingress' ? 'source' : 'destination';
          const far = farSide(policy, rule.path, side);
          const fields = POD_SELECTING_FIELDS.filter((f) => far[f] !== undefined);
          if (fields.length === 0) continue;
          const id = policy.namespace ? `${policy.namespace}/${policy.name}` : policy.name;
          const written = fields.map((f) => `${f}: ${JSON.stringify(far[f])}`).join(', ');
          out.push({
            code: 'UNREPRESENTED_SELECTOR',
            kind: policy.kind,
            namespace: policy.namespace,
            name: policy.name,
            path: `${rule.path}.${side}`,
            message:
              `${policy.kind} ${id} (${policy.apiVersion}) ${rule.path}.${side} (${written}): exposure makes no representative peer from a ` +
              `${policy.dialect} selector; the rule shows only through the pods present in the snapshot`,
          });
        }
      }
    }
  }
  return out.sort((a, b) => compare(a.message, b.message));
}

function farSide(policy: PolicyModel, path: string, side: 'source' | 'destination'): Readonly<Record<string, unknown>> {
  const m = /^spec\.(ingress|egress)\[(\d+)\]$/.exec(path);
  if (!m) return {};
  const spec = (policy.object as { spec?: Record<string, unknown> }).spec;
  const rules = spec?.[m[1]];
  const rule = Array.isArray(rules) ? (rules[Number(m[2])] as Record<string, unknown> | undefined) : undefined;
  const far = rule?.[side];
  return far !== null && typeof far === 'object' ? (far as Record<string, unknown>) : {};
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
