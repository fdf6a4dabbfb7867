// Policy.ruleConnections: what each rule of a policy does with the connections it matches (the policy page's per-rule
// view), from the engine's decision for every pair between the workloads the policy selects and every other peer,
// computed in the snapshot's model thread (AnalysisService.compute), never on the event loop. The policy is found by
// kind and apiVersion too: an AdminNetworkPolicy and a BaselineAdminNetworkPolicy may share a name, and so may a
// Calico and a Kubernetes NetworkPolicy of one namespace.
import { Field, ObjectType, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { canonicalJson, type RuleConnectionsResult } from '@netpol-atlas/engine';
import { GraphQLError } from 'graphql';
import { mapAnalysisErrors } from '../analysis/analysis-errors.js';
import { AnalysisService } from '../analysis/analysis.service.js';
import { BoundedCache } from '../analysis/bounded-cache.js';
import { Policy } from '../snapshots/objects/snapshot-objects.models.js';

@ObjectType({ description: 'What one rule of a policy does (allow, deny, pass, log) with what it matches between one workload it selects and one peer.' })
export class RuleConnection {
  @Field({ description: 'The rule’s field path, e.g. spec.ingress[0].' })
  rule: string;

  @Field({ description: 'ingress (the peer connects to the subject) or egress (the subject connects to the peer).' })
  direction: string;

  @Field({
    description:
      'What the rule does with the ports it matches: allow, deny, pass (the next tier decides) or log (recorded; the next rules decide). NetworkPolicy rules only allow.',
  })
  action: string;

  @Field({ description: 'The selected workload, `namespace/name[Kind]`.' })
  subject: string;

  @Field({ description: 'A workload (`namespace/name[Kind]`) or an IP range (CIDR notation where it is one block).' })
  peer: string;

  @Field({
    description:
      'np-guard conn text ("" when none). allow: ports the rule allows that the final verdict allows too (the connection exists); deny: ports it denies; pass: ports it hands to the next tier; log: ports it records. Ports a higher-precedence rule decided first are not the rule’s.',
  })
  ports: string;

  @Field({ description: 'allow rules: ports the rule allows that the final verdict denies (the other side, or a host endpoint’s forward policy); "" otherwise.' })
  deniedByOtherSide: string;
}

@Resolver(() => Policy)
export class RuleConnectionsResolver {
  // Explaining a policy's rules on a 10,000-pod snapshot takes seconds: answers are kept per content and policy
  // (~200 bytes a row; at most 256 policies, 64 MiB).
  private readonly cache = new BoundedCache<Promise<RuleConnection[] | null>>(256, 64 * 1024 * 1024);

  constructor(private readonly analyses: AnalysisService) {}

  @ResolveField(() => [RuleConnection], {
    nullable: true,
    description:
      'What each rule does with the connections it matches (its `action`), sorted by rule, subject, peer (a port two allow rules list is credited to the first); null when the policy is not `analysed`. TOO_MANY_PAIRS when selected workloads × peers exceed 500,000.',
  })
  async ruleConnections(@Parent() policy: Policy): Promise<RuleConnection[] | null> {
    if (!policy.analysed) return null;
    const key = `${policy.contentSha256}|${canonicalJson(policy.options)}|${policy.apiVersion}|${policy.kind}|${policy.namespace ?? ''}|${policy.name}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const task = this.compute(policy);
    this.cache.set(key, task);
    task.then(
      (rows) => this.cache.resize(key, 200 * ((rows?.length ?? 0) + 1)),
      () => {
        if (this.cache.get(key) === task) this.cache.delete(key);
      },
    );
    return task;
  }

  private compute(policy: Policy): Promise<RuleConnection[] | null> {
    return mapAnalysisErrors(async () => {
      const result = await this.analyses.compute<RuleConnectionsResult>([{ sha: policy.contentSha256, options: policy.options }], {
        name: 'ruleConnections',
        namespace: policy.namespace ?? '',
        policyName: policy.name,
        kind: policy.kind,
        apiVersion: policy.apiVersion,
      });
      if (!result.ok) {
        if (result.code === 'NOT_FOUND') return null;
        throw new GraphQLError(result.message, { extensions: { code: result.code } });
      }
      return result.connections.map((c) => ({ ...c }));
    });
  }
}
