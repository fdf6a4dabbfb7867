import { Inject } from '@nestjs/common';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { badUserInput, notFound } from '../graphql/errors.js';
import { validateArgs } from '../graphql/page-args.js';
import { parseRfc3339 } from '../ingest/captured-at.js';
import { clusterNameProblem } from '../ingest/cluster-name.js';
import { UUID } from '../snapshots/snapshots.service.js';
import { ApiToken, CreateApiTokenInput, CreatedApiToken, RevokeApiTokenArgs, Viewer } from './api-tokens.models.js';
import { ApiTokensService } from './api-tokens.service.js';
import { Public, Requires } from './permission.guard.js';
import { currentPrincipal, ROLES, type Role } from './principal.js';

@Resolver()
export class ApiTokensResolver {
  constructor(
    private readonly tokens: ApiTokensService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Query(() => Viewer, { description: 'Who the caller is, and whether the server requires authentication.' })
  @Public()
  viewer(): Viewer {
    const principal = currentPrincipal();
    const authenticated = principal.kind !== 'anonymous';
    return {
      auth: this.config.auth === 'off' ? 'off' : 'on',
      authenticated,
      name: authenticated ? principal.name : undefined,
      role: principal.role,
      tenants: authenticated && principal.tenants ? [...principal.tenants] : null,
    };
  }

  @Query(() => [ApiToken], { description: 'Every API token (admin), oldest first.' })
  @Requires('admin')
  apiTokens(): Promise<ApiToken[]> {
    return this.tokens.list();
  }

  @Mutation(() => CreatedApiToken, { description: 'Creates an API token (admin); the token is in the answer and nowhere else.' })
  @Requires('admin')
  async createApiToken(@Args('input', validateArgs) input: CreateApiTokenInput): Promise<CreatedApiToken> {
    if (!(ROLES as readonly string[]).includes(input.role)) throw badUserInput(`role must be one of ${ROLES.join(', ')}`, { argument: 'input.role' });
    if (!input.name.trim() || input.name.length > 200) throw badUserInput('name must be 1 to 200 characters', { argument: 'input.name' });
    const tenants = input.tenants == null ? null : [...new Set(input.tenants)].sort();
    for (const tenant of tenants ?? []) {
      const problem = clusterNameProblem(tenant);
      if (problem) throw badUserInput(`tenant ${JSON.stringify(tenant)}: ${problem.replace(/^cluster name/, 'a tenant name')}`, { argument: 'input.tenants' });
    }
    let expiresAt: Date | null = null;
    if (input.expiresAt != null) {
      expiresAt = parseRfc3339(input.expiresAt) ?? null;
      if (!expiresAt) throw badUserInput('expiresAt must be an RFC 3339 date-time', { argument: 'input.expiresAt' });
    }
    const { token, row } = await this.tokens.create({ name: input.name.trim(), role: input.role as Role, tenants, expiresAt }, currentPrincipal());
    return { token, apiToken: row };
  }

  @Mutation(() => ApiToken, { description: 'Revokes an API token (admin) at once; NOT_FOUND when there is none.' })
  @Requires('admin')
  async revokeApiToken(@Args(validateArgs) args: RevokeApiTokenArgs): Promise<ApiToken> {
    const row = UUID.test(args.id) ? await this.tokens.revoke(args.id, currentPrincipal()) : undefined;
    if (!row) throw notFound(`API token ${args.id} not found`);
    return row;
  }
}
