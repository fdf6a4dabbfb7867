import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Connection } from '../../graphql/connection.js';

@ObjectType({ description: 'A Kubernetes label (key=value).' })
export class Label {
  @Field()
  key: string;

  @Field()
  value: string;
}

@ObjectType({ description: 'A namespace of a snapshot: a Namespace object, or a namespace its objects live in.' })
export class Namespace {
  @Field()
  name: string;

  @Field(() => [Label], { description: 'Labels of the Namespace object, sorted by key (none if it was not uploaded).' })
  labels: readonly Label[];
}

@ObjectType({ description: 'A top-level controller (Deployment, StatefulSet, DaemonSet, CronJob, …) or a bare Pod.' })
export class Workload {
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

  @Field(() => [Label], { description: 'Labels of its pods (what policies select), sorted by key.' })
  labels: readonly Label[];
}

@ObjectType({ description: 'A network policy object (NetworkPolicy, AdminNetworkPolicy, Calico, Cilium, …).' })
export class Policy {
  @Field(() => String, { nullable: true, description: 'null for cluster-scoped kinds.' })
  namespace: string | null;

  @Field()
  kind: string;

  @Field()
  name: string;

  @Field(() => [String], { description: 'Ingress and/or Egress (Kubernetes defaults applied when omitted).' })
  policyTypes: readonly string[];
}

@ObjectType()
export class NamespaceConnection extends Connection(Namespace, 'Namespace') {}

@ObjectType()
export class WorkloadConnection extends Connection(Workload, 'Workload') {}

@ObjectType()
export class PolicyConnection extends Connection(Policy, 'Policy') {}
