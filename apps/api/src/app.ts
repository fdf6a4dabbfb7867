// Builds the Nest application the same way for `main.ts` and for the tests (NestFactory, not a testing module:
// serve-static needs the real HTTP adapter, shared notes stack.md pitfall 3).
import { type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Server } from 'node:http';
import { AppModule } from './app.module.js';
import { ApiTokensService } from './auth/api-tokens.service.js';
import { authMiddleware } from './auth/auth.middleware.js';
import { OidcVerifier } from './auth/oidc.js';
import type { AppConfig } from './config/app-config.js';
import { runMigrations } from './database/migrate.js';
import { graphqlJsonBody } from './graphql/json-body.js';
import { setupOpenApi } from './openapi/openapi.js';
import { Metrics } from './metrics/metrics.service.js';
import { RateLimiter } from './security/rate-limit.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, requestTimeout, securityHeaders } from './security/http-hardening.js';

export async function createApp(config: AppConfig, logger: LogLevel[] | false = ['error', 'warn', 'log']): Promise<INestApplication> {
  if (config.migrationDatabaseUrl && config.runMigrations !== false) await runMigrations(config.migrationDatabaseUrl);
  // No global body parser: the ingest route streams its own body (gzip, size limit); only /graphql parses JSON.
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bodyParser: false, logger });
  app.disable('x-powered-by');
  const timeoutMs = config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  app.use(app.get(Metrics).httpMiddleware());
  app.use(requestTimeout(timeoutMs));
  app.use(securityHeaders());
  app.use(authMiddleware(config, app.get(ApiTokensService), config.oidc ? new OidcVerifier(config.oidc) : undefined));
  app.use(app.get(RateLimiter).middleware());
  app.use('/graphql', graphqlJsonBody(config.bodyLimit));
  app.enableShutdownHooks();
  setupOpenApi(app);
  await app.init();
  // Node's own bounds on slow clients: the whole request must arrive within the timeout too.
  const server = app.getHttpServer() as Server;
  server.requestTimeout = timeoutMs;
  server.headersTimeout = Math.min(60_000, timeoutMs);
  return app;
}
