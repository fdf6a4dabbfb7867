import { ArgsType, Field, Float, GraphQLISODateTime, Int, ObjectType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { ClusterFilterInput } from '../clusters/cluster.inputs.js';
import { Cluster } from '../clusters/cluster.model.js';
import { Connection } from '../graphql/connection.js';
import { PageArgs } from '../graphql/page-args.js';
import type { SnapshotEntity } from '../snapshots/snapshot.entity.js';
import { Snapshot } from '../snapshots/snapshot.model.js';
import { CNI_PROFILE_NOTE_DESCRIPTION } from '../analysis/cni-profile-answer.js';

export const MAX_TREND = 30;
export const DEFAULT_TREND = 5;

@ObjectType({ description: "What the engine's analysis says about one snapshot's pods and workloads." })
export class InventoryAnalysis {
  @Field(() => Int, { description: 'Pods some NetworkPolicy isolates for ingress (selects, with Ingress in its policyTypes).' })
  podsIngressIsolated: number;

  @Field(() => Int, { description: 'Pods some NetworkPolicy isolates for egress.' })
  podsEgressIsolated: number;

  @Field(() => Float, { nullable: true, description: 'Percent of pods isolated for ingress (2 decimals); null without pods.' })
  ingressIsolatedPercent: number | null;

  @Field(() => Float, { nullable: true, description: 'Percent of pods isolated for egress (2 decimals); null without pods.' })
  egressIsolatedPercent: number | null;

  @Field(() => Int, { description: 'Workloads that accept connections from public IP addresses (see `exposure`).' })
  internetExposedWorkloads: number;

  @Field(() => String, { description: "The CNI profile whose semantics produced these figures (the cluster's CNI, else the one its content implies)." })
  cniProfile: string;

  @Field(() => String, { nullable: true, description: CNI_PROFILE_NOTE_DESCRIPTION })
  cniProfileNote?: string;
}

@ObjectType({ description: 'One snapshot of a cluster in the inventory: its counts, and (on request) its analysis.' })
export class InventoryPoint {
  /** The snapshot row (for the field resolvers). */
  entity: SnapshotEntity;

  @Field(() => Snapshot)
  snapshot: Snapshot;

  @Field(() => GraphQLISODateTime)
  capturedAt: Date;

  @Field(() => Int)
  namespaces: number;

  @Field(() => Int)
  pods: number;

  @Field(() => Int)
  workloads: number;

  @Field(() => Int)
  policies: number;
}

@ObjectType({ description: 'A cluster at a glance: its latest snapshot and the trend over its last snapshots.' })
export class ClusterInventory {
  @Field(() => Cluster)
  cluster: Cluster;

  @Field(() => Int, { nullable: true, description: 'Seconds since the latest snapshot was captured (0 if in the future); null without snapshots.' })
  latestSnapshotAgeSeconds: number | null;

  @Field(() => InventoryPoint, { nullable: true, description: 'The latest snapshot (capture time, ties to the later upload).' })
  latest: InventoryPoint | null;
}

@ObjectType()
export class ClusterInventoryConnection extends Connection(ClusterInventory, 'ClusterInventory') {}

@ArgsType()
export class InventoryArgs extends PageArgs {
  @Field(() => ClusterFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ClusterFilterInput)
  filter?: ClusterFilterInput | null;
}

@ArgsType()
export class TrendArgs {
  @Field(() => Int, { defaultValue: DEFAULT_TREND, description: `How many of the latest snapshots, 1 to ${MAX_TREND}.` })
  @Min(1)
  @Max(MAX_TREND)
  last: number = DEFAULT_TREND;
}
