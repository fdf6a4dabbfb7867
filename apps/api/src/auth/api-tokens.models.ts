import { ArgsType, Field, GraphQLISODateTime, ID, InputType, ObjectType } from '@nestjs/graphql';

@ObjectType({ description: 'An API token (its secret is shown only once, by createApiToken).' })
export class ApiToken {
  @Field(() => ID)
  id: string;

  @Field({ description: 'The visible part after `npat_`, to recognise a token.' })
  prefix: string;

  @Field()
  name: string;

  @Field({ description: 'viewer, ingester, auditor or admin.' })
  role: string;

  @Field(() => [String], { nullable: true, description: 'Tenants (cluster groups) it may see; null: every tenant.' })
  tenants: string[] | null;

  @Field(() => GraphQLISODateTime)
  createdAt: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  expiresAt: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  revokedAt: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'Last successful use (to the minute).' })
  lastUsedAt: Date | null;
}

@ObjectType()
export class CreatedApiToken {
  @Field({ description: 'The token itself: shown once, never stored (only its HMAC is).' })
  token: string;

  @Field(() => ApiToken)
  apiToken: ApiToken;
}

@InputType()
export class CreateApiTokenInput {
  @Field()
  name: string;

  @Field({ description: 'viewer, ingester, auditor or admin.' })
  role: string;

  @Field(() => [String], { nullable: true, description: 'Tenants it may see; omit for every tenant.' })
  tenants?: string[] | null;

  @Field(() => String, { nullable: true, description: 'RFC 3339 expiry; omit for none.' })
  expiresAt?: string | null;
}

@ArgsType()
export class RevokeApiTokenArgs {
  @Field(() => ID)
  id: string;
}

@ObjectType({ description: 'Who the caller is (no credentials needed to ask).' })
export class Viewer {
  @Field({ description: '`on`, or `off` when the server runs with NETPOL_AUTH=off (everyone is an admin).' })
  auth: string;

  @Field({ description: 'Whether the request carried valid credentials (always true with auth off).' })
  authenticated: boolean;

  @Field(() => String, { nullable: true })
  name?: string;

  @Field(() => String, { nullable: true })
  role?: string;

  @Field(() => [String], { nullable: true })
  tenants?: string[] | null;
}
