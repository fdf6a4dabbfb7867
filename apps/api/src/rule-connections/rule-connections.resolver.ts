// Policy.ruleConnections: the connections each rule of a policy allows (the policy page's per-rule view), from the
// engine's explanation of every pair between the workloads the policy selects and every other peer, computed in the
// snapshot's model thread (AnalysisService.compute), never on the event loop.
import { Field, ObjectType, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { canonicalJson, type RuleConnectionsResult } from '@netpol-atlas/engine';
import { GraphQLError } from 'graphql';
import { mapAnalysisErrors } from '../analysis/analysis-errors.js';
import { AnalysisService } from '../analysis/analysis.service.js';
import { BoundedCache } from '../analysis/bounded-cache.js';
import { Policy } from '../snapshots/objects/snapshot-objects.models.js';

@ObjectType({ description: 'What one rule of a policy allows between one workload it selects and one peer.' })
export class RuleConnection {
  @Field({ description: 'The rule’s field path, e.g. spec.ingress[0].' })
  rule: string;

  @Field({ description: 'ingress (the peer connects to the subject) or egress (the subject connects to the peer).' })
  direction: string;

  @Field({ description: 'The selected workload, `namespace/name[Kind]`.' })
  subject: string;

  @Field({ description: 'A workload (`namespace/name[Kind]`) or an IP range (CIDR notation where it is one block).' })
  peer: string;

  @Field({ description: 'Ports the rule allows and the other side allows too (np-guard conn text; "" when none).' })
  ports: string;

  @Field({ description: 'Ports the rule allows that the other side denies ("" when none).' })
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
      'The connections each rule allows, sorted by rule, subject, peer (a port two rules list is credited to the first); null when the policy is not `analysed`. TOO_MANY_PAIRS when selected workloads × peers exceed 500,000.',
  })
  async ruleConnections(@Parent() policy: Policy): Promise<RuleConnection[] | null> {
    if (!policy.analysed) return null;
    const key = `${policy.contentSha256}|${canonicalJson(policy.options)}|${policy.namespace ?? ''}|${policy.name}`;
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
      });
      if (!result.ok) {
        if (result.code === 'NOT_FOUND') return null;
        throw new GraphQLError(result.message, { extensions: { code: 'TOO_MANY_PAIRS' } });
      }
      return result.connections.map((c) => ({ ...c }));
    });
  }
}
