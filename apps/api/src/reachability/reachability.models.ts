// `reachability` result: the same shape as `netpol eval -o json` (the engine's Verdict).
import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PortRange } from '../analysis/analysis.models.js';
import { CNI_PROFILE_NOTE_DESCRIPTION } from '../analysis/cni-profile-answer.js';

@ObjectType({ description: 'A rule whose peer matched and whose ports contain the asked port.' })
export class AllowedBy {
  @Field({ description: 'Policy name (its namespace is `namespace`).' })
  policy: string;

  @Field()
  namespace: string;

  @Field({ description: '0-based field path of the rule, e.g. `spec.ingress[2]`.' })
  rule: string;

  @Field(() => [PortRange], { description: 'Every port the rule allows toward this destination (named ports resolved).' })
  ports: PortRange[];

  @Field(() => String, {
    nullable: true,
    description:
      'The ICMP the rule allows (`ICMP type 8`, `ICMP,ICMPv6`) when this side has Calico or Cilium policies (they decide ICMP ' +
      'apart from ports, so `ports` alone would understate the rule); null otherwise or when it allows no ICMP.',
  })
  icmp?: string | null;
}

@ObjectType({ description: 'Why a rule (or a rule-less policy) did not allow the asked port.' })
export class Denial {
  @Field()
  policy: string;

  @Field()
  namespace: string;

  @Field(() => String, { nullable: true, description: 'Absent for `no-rules`.' })
  rule?: string | null;

  @Field({ description: '`no-rules`, `no-peer-match`, `port-not-listed`, `named-port-unresolved` or `denied-by-rule` (a deny rule decided it).' })
  reason: string;

  @Field(() => [PortRange], { nullable: true, description: 'For `port-not-listed`: the ports the rule does allow toward this destination.' })
  ports?: PortRange[] | null;

  @Field(() => String, { nullable: true, description: 'For `port-not-listed`: the ICMP the rule does allow, as `AllowedBy.icmp`.' })
  icmp?: string | null;
}

export const DecisionAction = { ALLOW: 'ALLOW', DENY: 'DENY', PASS: 'PASS', ISOLATE: 'ISOLATE', DEFAULT_ALLOW: 'DEFAULT_ALLOW' } as const;
export type DecisionAction = (typeof DecisionAction)[keyof typeof DecisionAction];
registerEnumType(DecisionAction, {
  name: 'DecisionAction',
  description: 'What one step did with the asked port.',
  valuesMap: {
    ALLOW: { description: 'The rule allowed it.' },
    DENY: { description: 'The rule denied it.' },
    PASS: { description: 'The rule passed it on to the next tier (AdminNetworkPolicy Pass): a step, not a verdict.' },
    ISOLATE: { description: 'A NetworkPolicy selects this side and none of its rules allows the port (denied).' },
    DEFAULT_ALLOW: { description: 'Nothing decided it (no policy, or every tier passed or left it): allowed by default.' },
  },
});

@ObjectType({ description: 'One step of the tiered decision for the asked port on one side, in the words of `netpol eval --explain`.' })
export class DecisionStep {
  @Field({ description: 'The policy’s tier: `admin`, `namespaced`, `baseline` or a dialect’s; `system-default` for the system default.' })
  tier: string;

  @Field(() => String, { nullable: true, description: 'The policy kind; null for the system default.' })
  kind: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The policy’s apiVersion (`projectcalico.org/v3`, `networking.k8s.io/v1`, …): tells a Calico NetworkPolicy from a Kubernetes one of the same namespace and name; null for the system default.',
  })
  apiVersion: string | null;

  @Field(() => String, { nullable: true, description: 'null for cluster-scoped kinds and the system default.' })
  namespace: string | null;

  @Field(() => String, { nullable: true, description: 'The policy name; null for the system default.' })
  name: string | null;

  @Field(() => Int, { nullable: true, description: 'The policy’s priority where its kind has one (AdminNetworkPolicy, ClusterNetworkPolicy).' })
  priority: number | null;

  @Field(() => String, { nullable: true, description: '0-based field path of the rule, e.g. `spec.ingress[2]`; null when no rule is involved.' })
  rule: string | null;

  @Field(() => String, { nullable: true, description: 'The rule’s `name` (AdminNetworkPolicy rules are named).' })
  ruleName: string | null;

  @Field(() => DecisionAction)
  action: DecisionAction;

  @Field({ description: 'One line, as `netpol eval --explain` prints it.' })
  text: string;
}

@ObjectType({ description: 'What decided one side of a verdict in a tiered dialect (Calico): a rule, or a tier’s end-of-tier deny.' })
export class SideDecision {
  @Field({ description: '`rule` or `end-of-tier`.' })
  by: string;

  @Field({ description: 'The tier (`default`, `security`, …).' })
  tier: string;

  @Field({ description: '`allow` or `deny`.' })
  action: string;

  @Field(() => String, { nullable: true })
  policy?: string | null;

  @Field(() => String, { nullable: true })
  namespace?: string | null;

  @Field(() => String, { nullable: true, description: 'The rule’s field path, e.g. `spec.ingress[1]`.' })
  rule?: string | null;

  @Field(() => Number, { nullable: true, description: 'The policy’s order (null: unset, last in its tier).' })
  order?: number | null;

  @Field(() => [String], { nullable: true, description: 'Pass rules that handed the connection on to a later tier first.' })
  passedBy?: string[] | null;
}

@ObjectType({ description: 'One side (egress of the source, ingress of the destination) of a verdict.' })
export class SideExplanation {
  @Field({ description: 'Whether some policy selects this side’s pod for this direction.' })
  isolated: boolean;

  @Field(() => [String], { description: '`namespace/name` of every policy isolating this side, sorted.' })
  policies: string[];

  @Field(() => [AllowedBy])
  allowedBy: AllowedBy[];

  @Field({ description: 'False when this side is an IP outside the cluster (not checked).' })
  checked: boolean;

  @Field({ description: 'This side’s own verdict.' })
  allowed: boolean;

  @Field(() => String, { nullable: true, description: 'The pod (np-guard peer name) this side’s policies select; null for an IP.' })
  subject: string | null;

  @Field(() => [Denial], { description: 'When this side denies: why each rule did not allow the port.' })
  denials: Denial[];

  @Field(() => [DecisionStep], {
    description:
      'The ordered decision steps for the asked port: the first matching rule in each tier it went through (a pass is a ' +
      'step), then NetworkPolicy, the baseline tier or the system default; empty when this side is not checked (an IP).',
  })
  steps: DecisionStep[];

  @Field(() => SideDecision, { nullable: true, description: 'Tiered dialects (Calico): the rule or end-of-tier deny that decided this side.' })
  decision?: SideDecision | null;
}

@ObjectType()
export class ReachabilityExplanation {
  @Field(() => SideExplanation)
  ingress: SideExplanation;

  @Field(() => SideExplanation)
  egress: SideExplanation;

  @Field()
  summary: string;
}

@ObjectType({ description: 'What a verdict cannot be certain of: a policy of a dialect not modelled yet that may select one of its ends.' })
export class Caveat {
  @Field({
    description:
      '`UNMODELLED_POLICY`, `UNMODELLED_PEER`, `NOT_ENFORCED` (the CNI ignores the kind), `CNI_NOT_ENFORCING` or ' +
      '`SOURCE_PORT_RULE` (a Calico Deny / Pass limited to client source ports, not applied to the verdict).',
  })
  code: string;

  @Field({ description: 'The dialect the policy belongs to (`calico`, `cilium`, `admin-network-policy`, …).' })
  dialect: string;

  @Field()
  apiVersion: string;

  @Field()
  kind: string;

  @Field({ description: 'Empty for a cluster-scoped policy.' })
  namespace: string;

  @Field()
  name: string;

  @Field()
  message: string;
}

@ObjectType({ description: 'Whether one connection is allowed, and which policies and rules decide it (as `netpol eval -o json`).' })
export class Reachability {
  @Field()
  allowed: boolean;

  @Field(() => String, { description: 'The CNI profile whose semantics produced the verdict (the cluster\'s CNI, else the one its content implies).' })
  cniProfile: string;

  @Field(() => String, { nullable: true, description: CNI_PROFILE_NOTE_DESCRIPTION })
  cniProfileNote?: string;

  @Field(() => [Caveat], { description: 'Unmodelled policies that could change this verdict; empty when the verdict is certain.' })
  caveats: Caveat[];

  @Field(() => ReachabilityExplanation)
  explanation: ReachabilityExplanation;
}
