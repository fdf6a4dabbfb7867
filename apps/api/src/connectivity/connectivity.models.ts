import { ArgsType, Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsBoolean, IsInt, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import { Type } from 'class-transformer';
import { NetworkPeer, PortRange, Protocol } from '../analysis/analysis.models.js';
import { Connection } from '../graphql/connection.js';
import { PageArgs } from '../graphql/page-args.js';
import { PeerPairFilter } from '../graphql/peer-pair-filter.js';
import { CNI_PROFILE_NOTE_DESCRIPTION } from '../analysis/cni-profile-answer.js';
import type { NamespaceMatrixData } from '../analysis/namespace-matrix.js';

@ObjectType({ description: 'An allowed connection: `from` may open connections to `to` on `ports`.' })
export class ConnectivityRow {
  @Field(() => NetworkPeer)
  from: NetworkPeer;

  @Field(() => NetworkPeer)
  to: NetworkPeer;

  @Field(() => [PortRange])
  ports: PortRange[];

  @Field({ description: 'The same ports as np-guard text, e.g. `TCP 8080,UDP 53` or `All Connections`.' })
  portsText: string;
}

const CNI_PROFILE_DESCRIPTION = "The CNI profile whose semantics produced these results (the cluster's CNI, else the one its content implies).";

@ObjectType()
export class ConnectivityRowConnection extends Connection(ConnectivityRow, 'ConnectivityRow') {
  @Field(() => String, { description: CNI_PROFILE_DESCRIPTION })
  cniProfile: string;

  @Field(() => String, { nullable: true, description: CNI_PROFILE_NOTE_DESCRIPTION })
  cniProfileNote?: string;
}

@InputType({ description: 'Every given field must hold (AND).' })
export class ConnectivityFilter extends PeerPairFilter {
  @Field(() => Int, { nullable: true, description: 'Only rows allowing this port (any protocol unless `protocol`).' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(65535)
  port?: number | null;

  @Field(() => Protocol, { nullable: true, description: 'With `port`: only this protocol.' })
  @IsOptional()
  protocol?: Protocol | null;
}

@ArgsType()
export class ConnectivityArgs extends PageArgs {
  @Field(() => ID)
  @IsString()
  snapshotId: string;

  @Field(() => ConnectivityFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ConnectivityFilter)
  filter?: ConnectivityFilter | null;

  @Field(() => Boolean, {
    defaultValue: false,
    description:
      'np-guard’s view of IP peers: adjacent IP ranges with the same workload, direction and ports as one row (one row per merged range) instead of one per range the policies cut.',
  })
  @IsOptional()
  @IsBoolean()
  mergeIpRanges?: boolean;
}

@ObjectType({ description: 'A namespace with its workloads (top-level controllers).' })
export class NamespaceSummary {
  @Field()
  name: string;

  @Field(() => Int)
  workloads: number;

  @Field(() => Int, { description: 'Its workloads that some IP range outside the cluster may reach.' })
  reachableFromIpRanges: number;

  @Field(() => Int, { description: 'Its workloads that may reach some IP range outside the cluster.' })
  reachingIpRanges: number;
}

@ObjectType({ description: 'Allowed workload pairs from one namespace to another.' })
export class NamespaceCell {
  @Field()
  from: string;

  @Field()
  to: string;

  @Field(() => Int, { description: 'Ordered workload pairs with some allowed connection.' })
  allowedPairs: number;

  @Field(() => Int, { description: 'Of those, pairs allowing every port of every protocol.' })
  allPortsPairs: number;

  @Field(() => Int, { description: 'Ordered pairs of distinct workloads (the most `allowedPairs` can be).' })
  possiblePairs: number;
}

/** Most namespaces `busiestNamespaces` and `cells(amongBusiest:)` take, most cells `cells(busiest:)` returns. */
export const MAX_BUSIEST_NAMESPACES = 500;
export const MAX_BUSIEST_CELLS = 10_000;

@ObjectType({ description: 'Namespace × namespace summary; cells only where some pair is allowed.' })
export class NamespaceMatrix {
  @Field(() => [NamespaceSummary], { description: 'Namespaces holding workloads, sorted by name.' })
  namespaces: NamespaceSummary[];

  @Field(() => String, { description: CNI_PROFILE_DESCRIPTION })
  cniProfile: string;

  @Field(() => String, { nullable: true, description: CNI_PROFILE_NOTE_DESCRIPTION })
  cniProfileNote?: string;

  /** The stored matrix the cell fields select from (not a GraphQL field). */
  matrix: NamespaceMatrixData;
}

@ArgsType()
export class NamespaceCellsArgs {
  @Field(() => Int, {
    nullable: true,
    description: `Only cells between two of this many busiest namespaces (\`busiestNamespaces(first:)\`), 1 to ${MAX_BUSIEST_NAMESPACES}.`,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_BUSIEST_NAMESPACES)
  amongBusiest?: number | null;

  @Field(() => Boolean, { defaultValue: false, description: 'Only cells between two different namespaces.' })
  @IsOptional()
  @IsBoolean()
  crossNamespace?: boolean;

  @Field(() => Int, {
    nullable: true,
    description: `Of the cells selected, only this many with the most allowed pairs (ties by from, to), 1 to ${MAX_BUSIEST_CELLS}.`,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_BUSIEST_CELLS)
  busiest?: number | null;
}

@ArgsType()
export class BusiestNamespacesArgs {
  @Field(() => Int, { description: `How many, 1 to ${MAX_BUSIEST_NAMESPACES}.` })
  @IsInt()
  @Min(1)
  @Max(MAX_BUSIEST_NAMESPACES)
  first: number;
}

@ArgsType()
export class NamespaceCellCountArgs {
  @Field(() => Boolean, { defaultValue: false, description: 'Count only cells between two different namespaces.' })
  @IsOptional()
  @IsBoolean()
  crossNamespace?: boolean;
}
