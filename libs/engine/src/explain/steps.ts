// The decision steps of one asked port on one side (egress of the source, ingress of the destination): the
// explanation's reasons for that port, in tier order, each with its policy, rule and action — what the API's
// `SideExplanation.steps` and the dashboard's tiered timeline show. Built from the same side partition as
// `eval --explain`, with its texts, so the two cannot disagree.
import type { ConnectionSet, Protocol } from '../algebra/connection-set.js';
import { evaluateIcmpTraced, evaluateTraced, type PeerSpec, type SideExplanation, type TracedVerdict, type Verdict } from '../analysis/evaluate.js';
import type { SideTrace } from '../analysis/trace.js';
import type { Snapshot } from '../model/types.js';
import { external } from './connection.js';
import { sidePartition } from './side.js';
import { ruleText, SYSTEM_DEFAULT_KIND, SYSTEM_DEFAULT_TEXT } from './text.js';
import type { RuleReason } from './types.js';

/**
 * - `ALLOW` / `DENY`: the rule decided the port;
 * - `PASS`: the rule handed the port on to the next tier (a step, not a verdict);
 * - `ISOLATE`: a policy of an isolating tier (NetworkPolicy) selects the subject and none of its rules allows the
 *   port (the rule, when present, matched the peer but not the port);
 * - `DEFAULT_ALLOW`: nothing decided the port (no policy, or every tier passed or left it): allowed by default.
 */
export type DecisionAction = 'ALLOW' | 'DENY' | 'PASS' | 'ISOLATE' | 'DEFAULT_ALLOW';

export interface DecisionStep {
  /** The policy's tier (`admin`, `namespaced`, `baseline`, a dialect's); `system-default` for the system default (not a tier: what no tier decided). */
  readonly tier: string;
  /** The policy's kind, namespace (null when cluster-scoped) and name; all null for the system default. */
  readonly kind: string | null;
  /** The policy's apiVersion (`projectcalico.org/v3`, `networking.k8s.io/v1`, …): tells a Calico NetworkPolicy from a
   *  Kubernetes one of the same namespace and name; null for the system default. */
  readonly apiVersion: string | null;
  readonly namespace: string | null;
  readonly name: string | null;
  /** The policy's priority where its kind has one (AdminNetworkPolicy, ClusterNetworkPolicy). */
  readonly priority: number | null;
  /** 0-based field path of the rule, e.g. `spec.egress[0]`; null when no rule is involved. */
  readonly rule: string | null;
  /** The rule's `name` (tiers with actions name their rules). */
  readonly ruleName: string | null;
  readonly action: DecisionAction;
  /** One line in `eval --explain`'s words. */
  readonly text: string;
}

export interface SteppedSideExplanation extends SideExplanation {
  /** Ordered steps for the asked port; empty when this side is an IP outside the cluster (not checked). */
  readonly steps: readonly DecisionStep[];
}

export interface SteppedVerdict extends Verdict {
  readonly explanation: {
    readonly ingress: SteppedSideExplanation;
    readonly egress: SteppedSideExplanation;
    readonly summary: string;
  };
}

/** `evaluate`, each side with its decision steps for the asked port (one trace for both). */
export function evaluateWithSteps(snapshot: Snapshot, from: PeerSpec, to: PeerSpec, port: number | string, protocol?: Protocol): SteppedVerdict {
  return withSteps(evaluateTraced(snapshot, from, to, port, protocol));
}

/** `evaluateIcmp`, each side with its decision steps for the asked ICMP type and code. */
export function evaluateIcmpWithSteps(snapshot: Snapshot, from: PeerSpec, to: PeerSpec, icmp: { readonly type?: number; readonly code?: number } = {}): SteppedVerdict {
  return withSteps(evaluateIcmpTraced(snapshot, from, to, icmp));
}

function withSteps({ verdict, trace, has }: TracedVerdict): SteppedVerdict {
  const src = external(trace.src).name;
  const dst = external(trace.dst).name;
  const { explanation } = verdict;
  return {
    ...verdict,
    explanation: {
      ...explanation,
      egress: { ...explanation.egress, steps: sideDecisionSteps(trace.egress, has, src, dst) },
      ingress: { ...explanation.ingress, steps: sideDecisionSteps(trace.ingress, has, dst, src) },
    },
  };
}

/**
 * The steps that decided the asked connection (`has`: whether a set holds it) on one side. `subject` is the side's
 * own end (the source for egress), `peer` the other end, named as `eval --explain` names them. `null` (an IP end)
 * has no steps.
 */
export function sideDecisionSteps(side: SideTrace | null, has: (set: ConnectionSet) => boolean, subject: string, peer: string): DecisionStep[] {
  if (!side) return [];
  const segment = sidePartition(side).find((s) => has(s.ports));
  if (!segment) throw new Error('unreachable: a side partition covers every port');
  if (segment.systemDefault) return [defaultStep()];
  return segment.reasons.map((reason) => {
    if (reason.kind === SYSTEM_DEFAULT_KIND) return defaultStep();
    // By id: a Calico and a Kubernetes NetworkPolicy may share name, kind and layer.
    const policy = side.policies.find((p) => (reason.policyId !== undefined ? p.policy.id === reason.policyId : p.policy.fullName === reason.policy && p.policy.tier.order === reason.tierOrder))?.policy;
    if (!policy) throw new Error(`unreachable: reason of a policy not on this side (${reason.policy})`);
    return {
      tier: policy.tier.name,
      kind: policy.kind,
      apiVersion: policy.apiVersion,
      namespace: policy.namespace === '' ? null : policy.namespace,
      name: policy.name,
      priority: reason.priority ?? null,
      rule: reason.path ?? null,
      ruleName: reason.ruleName ? reason.ruleName : null,
      action: actionOf(reason),
      text: ruleText(reason, subject, peer, 'path'),
    };
  });
}

function actionOf(reason: RuleReason): DecisionAction {
  switch (reason.verdict) {
    case 'allows':
      return 'ALLOW';
    case 'denies':
      return 'DENY';
    case 'passes':
      return 'PASS';
    default:
      return 'ISOLATE';
  }
}

function defaultStep(): DecisionStep {
  return { tier: SYSTEM_DEFAULT_KIND, kind: null, apiVersion: null, namespace: null, name: null, priority: null, rule: null, ruleName: null, action: 'DEFAULT_ALLOW', text: SYSTEM_DEFAULT_TEXT };
}
