import type { EngineOptions } from '@netpol-atlas/engine';
import { Field, ObjectType } from '@nestjs/graphql';
import { Connection } from '../graphql/connection.js';
import { PortRange, WorkloadRef } from '../analysis/analysis.models.js';
import { CNI_PROFILE_NOTE_DESCRIPTION } from '../analysis/cni-profile-answer.js';

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

  @Field(() => [String], {
    description:
      'Internet exposure: the truly public parts of `ipRanges` (private, shared, loopback, link-local, multicast and reserved blocks removed), adjacent parts merged, CIDR notation where a part is one block (else `first-last`); else empty.',
  })
  publicRanges: string[];

  @Field({
    description:
      'Cluster-wide exposure: true when some of these ports are open to every namespace only through AdminNetworkPolicy-like peers ' +
      '(`namespaces: {}` of an AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy rule), which never match ' +
      'host-network pods: for those ports this entry does not speak for host-network pods (as `netpol list --exposure -o md` ' +
      'says `entire-cluster except host-network pods`); else false.',
  })
  exceptHostNetwork: boolean;
}

@ObjectType({
  description:
    'Potential exposure to pods a rule’s selectors could match, existing or not (as `netpol list --exposure` prints, e.g. `ingress-nginx/[all pods]`).',
})
export class SelectorExposure {
  @Field(() => WorkloadRef)
  workload: WorkloadRef;

  @Field({ description: '`INGRESS` (the peer may connect to the workload) or `EGRESS` (the workload may connect to it).' })
  direction: string;

  @Field({ description: 'np-guard’s name of the potential peer, `<namespace part>/<pod part>`.' })
  peer: string;

  @Field({ description: 'The namespaces it stands for, e.g. `namespaces with kubernetes.io/metadata.name=ingress-nginx`.' })
  namespaces: string;

  @Field({ description: 'The pods of those namespaces it stands for, e.g. `all pods` or `pods with app=web`.' })
  pods: string;

  @Field({ description: 'np-guard connection text.' })
  portsText: string;
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

@ObjectType()
export class SelectorExposureConnection extends Connection(SelectorExposure, 'SelectorExposure') {}

@ObjectType({ description: 'Workloads open beyond their namespace (ingress), and workloads no policy protects.' })
export class Exposure {
  @Field(() => [ExposedWorkload], { description: 'Accept connections from an IP range holding public (non-RFC 6890) addresses.' })
  internetExposed: ExposedWorkload[];

  @Field(() => [ExposedWorkload], {
    description: 'Accept connections from every pod of every namespace, existing or future (host-network pods excepted where `exceptHostNetwork`).',
  })
  clusterWideExposed: ExposedWorkload[];

  @Field(() => [UnprotectedWorkload])
  unprotected: UnprotectedWorkload[];

  @Field(() => String, { description: "The CNI profile whose semantics produced this report (the cluster's CNI, else the one its content implies)." })
  cniProfile: string;

  @Field(() => String, { nullable: true, description: CNI_PROFILE_NOTE_DESCRIPTION })
  cniProfileNote?: string;

  /** Content analysed, its engine options and the `workload` filter (for the field resolvers). */
  contentSha256: string;
  options: EngineOptions;
  workload: string | null;
}
