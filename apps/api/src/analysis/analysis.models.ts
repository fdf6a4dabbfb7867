// GraphQL types shared by the analysis queries (reachability, connectivity, exposure).
import { Field, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { CNI_PROFILE_NOTE_DESCRIPTION } from './cni-profile-answer.js';

// Enums as const objects (GraphQL enums all the same): their values are the engine's string literals, so the
// engine's query results are these GraphQL objects as they are.
export const Protocol = { TCP: 'TCP', UDP: 'UDP', SCTP: 'SCTP' } as const;
export type Protocol = (typeof Protocol)[keyof typeof Protocol];
registerEnumType(Protocol, { name: 'Protocol', description: 'A NetworkPolicy protocol.' });

export const PeerType = { WORKLOAD: 'WORKLOAD', IP_RANGE: 'IP_RANGE' } as const;
export type PeerType = (typeof PeerType)[keyof typeof PeerType];
registerEnumType(PeerType, { name: 'PeerType', description: 'A workload of the snapshot, or a range of IP addresses outside it.' });

@ObjectType({ description: 'Ports of one protocol, `from` to `to` inclusive; `name` when resolved from a named container port.' })
export class PortRange {
  @Field(() => Protocol)
  protocol: Protocol;

  @Field(() => Int)
  from: number;

  @Field(() => Int)
  to: number;

  @Field(() => String, { nullable: true })
  name?: string | null;
}

@ObjectType({ description: 'A workload named by its top-level controller (Deployment, StatefulSet, DaemonSet, CronJob, …) or a bare Pod.' })
export class WorkloadRef {
  @Field()
  namespace: string;

  @Field()
  kind: string;

  @Field()
  name: string;
}

@ObjectType({ description: 'One end of a connection: a workload (by its top-level controller) or an IP range outside the cluster.' })
export class NetworkPeer {
  @Field(() => PeerType)
  type: PeerType;

  @Field(() => String, { nullable: true, description: 'For a workload.' })
  namespace: string | null;

  @Field(() => String, { nullable: true, description: 'For a workload: the top-level controller kind.' })
  kind: string | null;

  @Field(() => String, { nullable: true, description: 'For a workload: the top-level controller name.' })
  name: string | null;

  @Field(() => String, { nullable: true, description: 'For an IP range: `first-last` (np-guard notation).' })
  ipRange: string | null;
}

@InputType({
  description:
    'Exactly one of: a workload (`namespace` + `name`, optionally `kind`; the top-level controller or np-guard name), ' +
    'a pod (`namespace` + `pod`), an `ip`, or `ref`, the string form the CLI and dashboard URLs use. Anything else is BAD_USER_INPUT.',
})
export class PeerInput {
  @Field(() => String, { nullable: true })
  namespace?: string | null;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'Workload kind (Deployment, StatefulSet, …), case-insensitive.' })
  kind?: string | null;

  @Field(() => String, { nullable: true })
  pod?: string | null;

  @Field(() => String, { nullable: true })
  ip?: string | null;

  @Field(() => String, {
    nullable: true,
    description: '`ns/name`, `ns/name[Kind]` or an IP address, as `netpol eval --src` and the dashboard URLs write a peer; alone.',
  })
  ref?: string | null;
}

@ObjectType({ description: 'A peer and every port allowed between it and the asked peer.' })
export class ReachablePeer {
  @Field(() => NetworkPeer)
  peer: NetworkPeer;

  @Field(() => [PortRange])
  ports: PortRange[];

  @Field({ description: 'The same ports as np-guard text, e.g. `TCP 8080,UDP 53` or `All Connections`.' })
  portsText: string;
}

// A wrapper rather than a field on each peer: an empty answer must still name the profile that produced it.
@ObjectType({ description: 'The peers of `whoCanReachPeers` / `reachableFromPeers`, with the CNI profile whose semantics produced them.' })
export class ReachablePeers {
  @Field(() => String, { description: "The CNI profile whose semantics produced the answer (the cluster's CNI, else the one its content implies)." })
  cniProfile: string;

  @Field(() => String, { nullable: true, description: CNI_PROFILE_NOTE_DESCRIPTION })
  cniProfileNote?: string;

  @Field(() => [ReachablePeer])
  peers: ReachablePeer[];
}
