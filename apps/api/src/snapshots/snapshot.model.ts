import { Field, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { Cluster } from '../clusters/cluster.model.js';
import { Connection } from '../graphql/connection.js';

@ObjectType({ description: 'What a snapshot holds (see the README for the counting rules).' })
export class SnapshotCounts {
  @Field(() => Int)
  namespaces: number;

  @Field(() => Int, { description: 'Pod objects, or for a manifest-only snapshot the replicas of its controllers.' })
  pods: number;

  @Field(() => Int)
  workloads: number;

  @Field(() => Int)
  policies: number;
}

@ObjectType({ description: 'One upload of a cluster state (immutable).' })
export class Snapshot {
  @Field(() => ID)
  id: string;

  @Field(() => Cluster)
  cluster: Cluster;

  @Field(() => GraphQLISODateTime)
  capturedAt: Date;

  @Field(() => GraphQLISODateTime)
  uploadedAt: Date;

  @Field({ description: 'How it arrived: rest, graphql, demo.' })
  source: string;

  @Field({ description: 'Lowercase hex SHA-256 of the stored content (GET /api/v1/snapshots/{id}/content).' })
  contentSha256: string;

  @Field({ description: 'True when an earlier upload had the same content (stored once).' })
  deduplicated: boolean;

  @Field(() => SnapshotCounts)
  counts: SnapshotCounts;
}

@ObjectType()
export class SnapshotConnection extends Connection(Snapshot, 'Snapshot') {}
