// GraphQL inputs of `diff`, `whatIf`, `Snapshot.stagedWhatIf` and `policyDiff` (validated by `validateArgs`; page size capped by PageArgs).
import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEnum, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { PageArgs } from '../graphql/page-args.js';
import { DiffPairType } from './diff.models.js';
import { PeerPairFilter } from '../graphql/peer-pair-filter.js';

/** At most this many deletions per what-if (each is one object ref). */
export const MAX_DELETIONS = 1000;

@InputType({ description: 'Every given field must hold (AND).' })
export class DiffFilter extends PeerPairFilter {
  @Field(() => [DiffPairType], { nullable: true, description: 'Only pairs of these types.' })
  @IsOptional()
  @IsArray()
  @IsEnum(DiffPairType, { each: true })
  types?: DiffPairType[] | null;
}

@ArgsType()
export class DiffArgs extends PageArgs {
  @Field(() => ID, { description: 'The old snapshot.' })
  @IsString()
  from: string;

  @Field(() => ID, { description: 'The new snapshot (any cluster).' })
  @IsString()
  to: string;

  @Field(() => DiffFilter, { nullable: true, description: 'Filters `pairs` (not `counts`).' })
  @IsOptional()
  @ValidateNested()
  @Type(() => DiffFilter)
  filter?: DiffFilter | null;
}

@ArgsType()
export class StagedWhatIfArgs extends PageArgs {
  @Field(() => DiffFilter, { nullable: true, description: 'Filters `pairs` (not `counts`).' })
  @IsOptional()
  @ValidateNested()
  @Type(() => DiffFilter)
  filter?: DiffFilter | null;
}

@InputType({ description: 'An object to delete: kind, namespace (default `default`; ignored for cluster-scoped kinds) and name.' })
export class ObjectRefInput {
  @Field()
  @IsString()
  @IsNotEmpty()
  @MaxLength(253)
  kind: string;

  @Field(() => String, { nullable: true, description: 'API group of the kind; default: its home group (`NetworkPolicy`: networking.k8s.io).' })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  apiGroup?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(253)
  namespace?: string | null;

  @Field()
  @IsString()
  @IsNotEmpty()
  @MaxLength(253)
  name: string;
}

@ArgsType()
export class WhatIfArgs extends PageArgs {
  @Field(() => ID)
  @IsString()
  snapshotId: string;

  @Field({
    description:
      'Proposed manifests (YAML, multi-document or a List, or JSON): each object replaces the object of the same ' +
      'kind/namespace/name, or is added. May be empty.',
  })
  @IsString()
  manifests: string;

  @Field(() => [ObjectRefInput], { nullable: true, description: 'Objects to delete from the snapshot.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_DELETIONS)
  @ValidateNested({ each: true })
  @Type(() => ObjectRefInput)
  delete?: ObjectRefInput[] | null;

  @Field(() => DiffFilter, { nullable: true, description: 'Filters `pairs` (not `counts`).' })
  @IsOptional()
  @ValidateNested()
  @Type(() => DiffFilter)
  filter?: DiffFilter | null;
}

@ArgsType()
export class PolicyDiffArgs {
  @Field(() => ID)
  @IsString()
  from: string;

  @Field(() => ID)
  @IsString()
  to: string;
}
