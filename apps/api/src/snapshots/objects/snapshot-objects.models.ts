import type { EngineOptions } from '@netpol-atlas/engine';
import { ArgsType, Field, InputType, Int, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { WorkloadRef } from '../../analysis/analysis.models.js';
import { Connection } from '../../graphql/connection.js';
import { Label, LabelFilterInput } from '../../graphql/labels.js';
import { PageArgs } from '../../graphql/page-args.js';

/** Max label conditions per filter. */
export const MAX_LABEL_FILTERS = 20;

@ObjectType({ description: 'A namespace of a snapshot: a Namespace object, or a namespace its objects live in.' })
export class Namespace {
  @Field()
  name: string;

  @Field(() => [Label], { description: 'Labels of the Namespace object, sorted by key (none if it was not uploaded).' })
  labels: readonly Label[];

  @Field({ description: 'True when the snapshot holds the Namespace object itself.' })
  declared: boolean;
}

@ObjectType({
  description:
    'A workload, named by its top-level controller (Deployment, StatefulSet, DaemonSet, CronJob, …); a Pod with no controller is its own.',
})
export class Workload {
  /** Content whose objects it belongs to and its cluster's engine options (for its field resolvers). */
  contentSha256: string;
  options: EngineOptions;

  @Field()
  namespace: string;

  @Field()
  kind: string;

  @Field()
  name: string;

  @Field(() => Int, {
    nullable: true,
    description: 'Declared replicas (default 1) for Deployment, StatefulSet, ReplicaSet, ReplicationController; else null.',
  })
  replicas: number | null;

  @Field(() => Int, { description: 'Pods analysis counts for it: its Pod objects, or the replicas its controller stands for.' })
  pods: number;

  @Field(() => [Label], { description: 'Labels of its pods (what policies select), sorted by key.' })
  labels: readonly Label[];
}

@ObjectType({ description: 'A pod: a Pod object, or a replica a controller stands for when the snapshot has no Pod objects.' })
export class Pod {
  @Field()
  namespace: string;

  @Field()
  name: string;

  @Field({ description: 'True for a replica a controller stands for (`<workload>-<i>`), not a Pod object.' })
  synthetic: boolean;

  @Field(() => WorkloadRef, { description: 'The workload (top-level controller) it belongs to.' })
  workload: WorkloadRef;

  @Field(() => [Label], { description: 'Sorted by key.' })
  labels: readonly Label[];

  @Field(() => [String], { description: 'status.podIPs (or podIP).' })
  ips: readonly string[];
}

@ObjectType({ description: 'A network policy object (NetworkPolicy, AdminNetworkPolicy, Calico, Cilium, …).' })
export class Policy {
  /** Content whose objects it belongs to and its cluster's engine options (for its field resolvers). */
  contentSha256: string;
  options: EngineOptions;

  @Field(() => String, { nullable: true, description: 'null for cluster-scoped kinds.' })
  namespace: string | null;

  @Field()
  kind: string;

  @Field()
  apiVersion: string;

  @Field()
  name: string;

  @Field(() => [String], { description: 'Ingress and/or Egress (Kubernetes defaults applied when omitted).' })
  policyTypes: readonly string[];

  @Field(() => [Label], { description: "The policy object's labels, sorted by key." })
  labels: readonly Label[];

  @Field({ description: 'True when the engine compiles this kind (its dialect is modelled); other kinds are stored only. Its analysed fields (tier, rules, …) are null while the cluster’s CNI profile does not enforce its dialect.' })
  analysed: boolean;

  @Field({
    description:
      'The policy dialect that owns its API group and kind (the engine registry: `networking-v1`, `admin-network-policy`, `calico`, `cilium`, …).',
  })
  dialect: string;
}

@ObjectType({ description: 'One rule of a policy as the engine compiled it (every dialect in the same words).' })
export class PolicyRule {
  @Field({ description: 'ingress or egress.' })
  direction: string;

  @Field({ description: 'The rule’s field path, e.g. spec.ingress[0] (Cilium: spec.ingressDeny[0], specs[1].egress[0]).' })
  path: string;

  @Field(() => String, { nullable: true, description: 'The rule’s own `name` (AdminNetworkPolicy, ClusterNetworkPolicy); else null.' })
  name: string | null;

  @Field({ description: 'What it does with the connections it matches: allow, deny, pass (to the next tier) or log (and go on).' })
  action: string;

  @Field(() => [String], { nullable: true, description: 'The peers it matches, each in words, in written order; null: every peer (pods and IP addresses).' })
  peers: readonly string[] | null;

  @Field({ description: 'The ports it matches (np-guard port text, e.g. `TCP:[80], UDP`), or `all ports`.' })
  ports: string;

  @Field(() => [String], { description: 'What the analysis does not decide from a snapshot for this rule (unmodelled peers, layer-7 limits, source ports).' })
  notes: readonly string[];
}

@ObjectType()
export class NamespaceConnection extends Connection(Namespace, 'Namespace') {}

@ObjectType()
export class WorkloadConnection extends Connection(Workload, 'Workload') {}

@ObjectType()
export class PodConnection extends Connection(Pod, 'Pod') {}

@ObjectType()
export class PolicyConnection extends Connection(Policy, 'Policy') {}

@ArgsType()
export class LabelledPageArgs extends PageArgs {
  @Field(() => [LabelFilterInput], { nullable: true, description: `Only items with all these labels (at most ${MAX_LABEL_FILTERS}).` })
  @IsOptional()
  @ArrayMaxSize(MAX_LABEL_FILTERS)
  @ValidateNested({ each: true })
  @Type(() => LabelFilterInput)
  labels?: LabelFilterInput[] | null;
}

@ArgsType()
export class ObjectPageArgs extends LabelledPageArgs {
  @Field(() => String, { nullable: true, description: 'Only items of this namespace.' })
  @IsOptional()
  @IsString()
  namespace?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Only items whose `namespace/name` contains this text (case-insensitive; at most 253 characters).',
  })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  search?: string | null;
}

@ArgsType()
export class PolicyPageArgs extends ObjectPageArgs {
  @Field(() => String, { nullable: true, description: 'Only policies of this dialect (`Policy.dialect`, e.g. `admin-network-policy`).' })
  @IsOptional()
  @IsString()
  @MaxLength(63)
  dialect?: string | null;
}

@InputType({ description: "A workload of the pod list's namespace, by top-level controller kind and name." })
export class WorkloadRefInput {
  @Field()
  @IsString()
  kind: string;

  @Field()
  @IsString()
  name: string;
}

@ArgsType()
export class PodPageArgs extends ObjectPageArgs {
  @Field(() => WorkloadRefInput, { nullable: true, description: 'Only pods of this workload (requires `namespace`).' })
  @IsOptional()
  @ValidateNested()
  @Type(() => WorkloadRefInput)
  workload?: WorkloadRefInput | null;
}
