import { Module } from '@nestjs/common';
import { ApiTokensRepository } from './api-tokens.repository.js';
import { ApiTokensResolver } from './api-tokens.resolver.js';
import { ApiTokensService } from './api-tokens.service.js';

/** API tokens (the auth middleware in app.ts reads ApiTokensService; the PermissionGuard is an app-wide guard). */
@Module({ providers: [ApiTokensRepository, ApiTokensService, ApiTokensResolver], exports: [ApiTokensService] })
export class AuthModule {}
