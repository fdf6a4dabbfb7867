// Every allowed connection of a snapshot (workloads and IP ranges, both families) with the policy rules that
// allow it on each side: the evidence rows of intents checks, reports and probe plans.
import { ConnectionSet } from '../algebra/connection-set.js';
import { iterateConnectivity, PairExplainer, type Peer } from '../compliance/engine-api.js';
import type { Analysis } from '../compliance/engine-api.js';
import type { ExplainClass, RuleReason } from '../compliance/engine-api.js';
import { connString } from '../output/conn-string.js';
import type { PolicyModel } from '../model/types.js';

export interface AllowingRule {
  readonly direction: 'egress' | 'ingress';
  /** `namespace/name`. */
  readonly policy: string;
  /** The policy's kind and API group (`''` for the core group): with `policy`, which object the rule is in — a Calico
   *  and a Kubernetes NetworkPolicy may share a namespace/name. */
  readonly kind: string;
  readonly apiGroup: string;
  /** e.g. `spec.egress[1]`. */
  readonly rule: string;
}

export interface Flow {
  readonly src: Peer;
  readonly dst: Peer;
  readonly conn: ConnectionSet;
  /** The allowed port classes, each with its rules per direction. */
  readonly classes: readonly ExplainClass[];
  /** The snapshot's policies by id (`RuleReason.policyId`): the kind and API group of each allowing rule's policy. */
  readonly policies: readonly PolicyModel[];
}

/** Allowed connections, by source then destination name (workloads and IP atoms of both families). Only the
 *  pairs the analysis finds connected are explained: a pair has an allowed port class exactly when its
 *  analysed connection is non-empty, and at 2.5k workloads ~98% of the 6.6M ordered pairs have none, so
 *  explaining every pair cost ~40 s of a report where these few explain in well under a second. */
export function allowedFlows(analysis: Analysis): Flow[] {
  return [...iterateAllowedFlows(analysis)];
}

/** `allowedFlows` one at a time; `keep`, asked when the pair comes up (after the flows before it were taken): only
 *  the pairs it accepts are explained (a probe plan's zone, pairs it has nothing left to learn from). */
export function* iterateAllowedFlows(analysis: Analysis, keep?: (src: Peer, dst: Peer) => boolean): Generator<Flow> {
  const explainer = new PairExplainer(analysis);
  for (const { src, dst } of iterateConnectivity(analysis)) {
    if (keep && !keep(src, dst)) continue;
    const classes = explainer.explain(src, dst).classes.filter((c) => c.allowed);
    if (classes.length === 0) continue;
    // At once: a chain of pairwise unions grows quadratic with a flow's classes (2N of them under N overlapping CIDR rules).
    const conn = ConnectionSet.unionAll(classes.map((c) => c.ports));
    yield { src, dst, conn, classes, policies: analysis.snapshot.policies };
  }
}

/** The rules allowing some of `ports` (every port of the flow when omitted), per direction, de-duplicated and
 *  sorted; a direction no policy restricts has none (its `default` flag is set). */
export function allowingRules(flow: Flow, ports?: ConnectionSet): { rules: AllowingRule[]; egressDefault: boolean; ingressDefault: boolean } {
  const rules = new Map<string, AllowingRule>();
  let egressDefault = false;
  let ingressDefault = false;
  for (const c of flow.classes) {
    if (ports && c.ports.intersect(ports).isEmpty) continue;
    if (c.egress.systemDefault) egressDefault = true;
    if (c.ingress.systemDefault) ingressDefault = true;
    for (const reason of [...c.egress.reasons, ...c.ingress.reasons]) {
      if (reason.verdict !== 'allows' || !reason.path) continue;
      const rule = toRule(reason, flow.policies);
      // By kind + API group + namespace/name: two policies of one name (Calico's and Kubernetes' NetworkPolicy) stay two.
      rules.set(`${rule.direction}|${rule.policy}|${rule.kind}|${rule.apiGroup}|${rule.rule}`, rule);
    }
  }
  const sorted = [...rules.values()].sort(
    (a, b) => cmp(a.direction, b.direction) || cmp(a.policy, b.policy) || cmp(a.kind, b.kind) || cmp(a.apiGroup, b.apiGroup) || cmp(a.rule, b.rule),
  );
  return { rules: sorted, egressDefault, ingressDefault };
}

function toRule(reason: RuleReason, policies: readonly PolicyModel[]): AllowingRule {
  const policy = reason.policyId !== undefined ? policies[reason.policyId] : undefined;
  const apiVersion = policy?.apiVersion ?? '';
  const apiGroup = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  // The policy's own kind: the reason's is the explanation text's (`NetworkPolicy.projectcalico.org` for Calico's).
  return { direction: reason.direction, policy: reason.policy, kind: policy?.kind ?? reason.kind, apiGroup, rule: reason.path ?? '' };
}

/** `production/backend-egress spec.egress[3]` per rule; a policy name that two objects share among `rules` is
 *  qualified by kind and API group (`NetworkPolicy.projectcalico.org shop/web spec.ingress[0]`), so that the text
 *  tells them apart and stays as it was wherever names are unique. */
export function ruleLabels(rules: readonly AllowingRule[]): string[] {
  const objects = new Map<string, Set<string>>();
  for (const r of rules) objects.set(r.policy, (objects.get(r.policy) ?? new Set()).add(`${r.kind}.${r.apiGroup}`));
  return rules.map((r) => ((objects.get(r.policy)?.size ?? 0) > 1 ? `${r.kind}${r.apiGroup ? `.${r.apiGroup}` : ''} ${r.policy} ${r.rule}` : `${r.policy} ${r.rule}`));
}

/** `egress production/backend-egress spec.egress[3]; ingress: not isolated (allowed by default)`. */
export function rulesText(found: ReturnType<typeof allowingRules>): string {
  const labels = ruleLabels(found.rules);
  const part = (direction: 'egress' | 'ingress', isDefault: boolean) => {
    const rules = labels.filter((_, i) => found.rules[i].direction === direction);
    if (rules.length > 0) return `${direction}: ${rules.join(', ')}`;
    return `${direction}: ${isDefault ? 'not isolated (allowed by default)' : 'n/a'}`;
  };
  return `${part('egress', found.egressDefault)}; ${part('ingress', found.ingressDefault)}`;
}

/** `icmp`: the snapshot `showsIcmp` (Calico or Cilium policies decide ICMP apart from ports), so ICMP is named. */
export function portsText(conn: ConnectionSet, icmp = false): string {
  return connString(conn, icmp);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
