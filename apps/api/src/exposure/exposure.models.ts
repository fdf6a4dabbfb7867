import { Field, ObjectType } from '@nestjs/graphql';
import { PortRange, WorkloadRef } from '../analysis/analysis.models.js';

@ObjectType({ description: 'A workload and what it accepts from the exposure’s sources.' })
export class ExposedWorkload {
  @Field(() => WorkloadRef)
  workload: WorkloadRef;

  @Field(() => [PortRange])
  ports: PortRange[];

  @Field({ description: 'The same ports as np-guard text.' })
  portsText: string;

  @Field(() => [String], {
    description:
      'Internet exposure: the allowed source ranges that hold public addresses (`first-last`, adjacent ranges merged; ' +
      'ranges are cut where the policies’ ipBlocks cut them); else empty.',
  })
  ipRanges: string[];
}

@ObjectType({ description: 'A workload that no policy isolates in at least one direction.' })
export class UnprotectedWorkload {
  @Field(() => WorkloadRef)
  workload: WorkloadRef;

  @Field({ description: 'No policy selects it for ingress: anything may connect to it.' })
  ingress: boolean;

  @Field({ description: 'No policy selects it for egress: it may connect anywhere.' })
  egress: boolean;
}

@ObjectType({ description: 'Workloads open beyond their namespace (ingress), and workloads no policy protects.' })
export class Exposure {
  @Field(() => [ExposedWorkload], { description: 'Accept connections from an IP range holding public (non-RFC 6890) addresses.' })
  internetExposed: ExposedWorkload[];

  @Field(() => [ExposedWorkload], { description: 'Accept connections from every pod of every namespace, existing or future.' })
  clusterWideExposed: ExposedWorkload[];

  @Field(() => [UnprotectedWorkload])
  unprotected: UnprotectedWorkload[];
}
