import { ArgsType, Field, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { LabelFilterInput, LabelInput } from '../graphql/labels.js';
import { PageArgs } from '../graphql/page-args.js';

/** Max labels per cluster input (set, remove or filter). */
export const MAX_CLUSTER_LABELS = 64;
/** Provider and CNI names: short printable words such as `eks`, `gke`, `on-prem`, `cilium`. */
const WORD = /^[A-Za-z0-9][-A-Za-z0-9_.]{0,62}$/;

@InputType({ description: 'Cluster conditions, AND-ed.' })
export class ClusterFilterInput {
  @Field(() => String, { nullable: true, description: 'Clusters whose name contains this text.' })
  @IsOptional()
  @IsString()
  @MaxLength(63)
  nameContains?: string | null;

  @Field(() => [LabelFilterInput], { nullable: true, description: 'Clusters with all these labels.' })
  @IsOptional()
  @ArrayMaxSize(MAX_CLUSTER_LABELS)
  @ValidateNested({ each: true })
  @Type(() => LabelFilterInput)
  labels?: LabelFilterInput[] | null;
}

@ArgsType()
export class ClustersArgs extends PageArgs {
  @Field(() => ClusterFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => ClusterFilterInput)
  filter?: ClusterFilterInput | null;
}

@InputType({ description: 'A new cluster (uploads create clusters too, with no labels).' })
export class CreateClusterInput {
  @Field({ description: 'A DNS-1123 label, as in the upload URL.' })
  @IsString()
  name: string;

  @Field(() => [LabelInput], { defaultValue: [], description: 'Labels (a null value is not allowed here).' })
  @ArrayMaxSize(MAX_CLUSTER_LABELS)
  @ValidateNested({ each: true })
  @Type(() => LabelInput)
  labels: LabelInput[] = [];

  @Field(() => String, { nullable: true, description: 'Where it runs, e.g. eks, gke, aks, kind, on-prem.' })
  @IsOptional()
  @Matches(WORD, { message: 'provider must be 1 to 63 characters [A-Za-z0-9-_.] starting with a letter or digit' })
  provider?: string | null;

  @Field(() => String, { nullable: true, description: 'The CNI plugin, if known, e.g. calico, cilium.' })
  @IsOptional()
  @Matches(WORD, { message: 'cni must be 1 to 63 characters [A-Za-z0-9-_.] starting with a letter or digit' })
  cni?: string | null;
}

@ArgsType()
export class SetClusterCniArgs {
  @Field()
  @IsString()
  name: string;

  @Field(() => String, { nullable: true, description: 'A CNI profile (np-guard, calico, cilium, ovn-kubernetes, antrea, flannel, kubenet), or null: unknown.' })
  @IsOptional()
  @IsString()
  cni?: string | null;
}

@ArgsType()
export class LabelClusterArgs {
  @Field()
  @IsString()
  name: string;

  @Field(() => [LabelInput], { description: 'Labels to set (value a string) or remove (value null); the others are kept.' })
  @ArrayMaxSize(MAX_CLUSTER_LABELS)
  @ValidateNested({ each: true })
  @Type(() => LabelInput)
  labels: LabelInput[];
}
