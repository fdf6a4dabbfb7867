// The filter fields every list of (from, to) pairs shares: connectivity rows and diff pairs.
import { Field, InputType } from '@nestjs/graphql';
import { IsOptional, IsString } from 'class-validator';

@InputType({ isAbstract: true })
export abstract class PeerPairFilter {
  @Field(() => String, { nullable: true, description: 'Source namespace (IP ranges have none).' })
  @IsOptional()
  @IsString()
  fromNamespace?: string | null;

  @Field(() => String, { nullable: true, description: 'Destination namespace.' })
  @IsOptional()
  @IsString()
  toNamespace?: string | null;

  @Field(() => String, { nullable: true, description: 'A workload at either end: `name` or `namespace/name` (top-level controller).' })
  @IsOptional()
  @IsString()
  workload?: string | null;
}
