import { Field, GraphQLISODateTime, ObjectType } from '@nestjs/graphql';
import { Connection } from '../graphql/connection.js';
import { Label } from '../graphql/labels.js';

@ObjectType({ description: 'A Kubernetes cluster whose snapshots are stored.' })
export class Cluster {
  /** Internal key, used by field resolvers. */
  id: string;

  @Field()
  name: string;

  @Field(() => [Label], { description: 'Cluster labels, sorted by key.' })
  labels: readonly Label[];

  @Field(() => String, { nullable: true })
  provider: string | null;

  @Field(() => String, { nullable: true, description: 'The CNI plugin, if known.' })
  cni: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Who set `cni`: `user` (createCluster, setClusterCni) or `collector` (detected by `netpol collect`, sent with its upload; never overrides a user's choice); null when unset.",
  })
  cniSource: string | null;

  @Field(() => GraphQLISODateTime)
  createdAt: Date;
}

@ObjectType()
export class ClusterConnection extends Connection(Cluster, 'Cluster') {}
