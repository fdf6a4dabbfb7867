// Builds the Nest application the same way for `main.ts` and for the tests (NestFactory, not a testing module:
// serve-static needs the real HTTP adapter, shared notes stack.md pitfall 3).
import { type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/app-config.js';
import { graphqlJsonBody } from './graphql/json-body.js';
import { setupOpenApi } from './openapi/openapi.js';

export async function createApp(config: AppConfig, logger: LogLevel[] | false = ['error', 'warn', 'log']): Promise<INestApplication> {
  // No global body parser: the ingest route streams its own body (gzip, size limit); only /graphql parses JSON.
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bodyParser: false, logger });
  app.use('/graphql', graphqlJsonBody(config.bodyLimit));
  app.enableShutdownHooks();
  setupOpenApi(app);
  await app.init();
  return app;
}
