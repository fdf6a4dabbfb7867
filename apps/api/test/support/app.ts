// Boots the real application (NestFactory, as main.ts does) on its own database of the test server.
import type { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { createApp } from '../../src/app.js';
import { MiB, type AppConfig } from '../../src/config/app-config.js';
import { createDatabase } from './database.js';

export interface TestApp {
  readonly app: INestApplication;
  readonly server: Server;
  readonly databaseUrl: string;
  close(): Promise<void>;
}

export async function startApp(overrides: Partial<AppConfig> = {}): Promise<TestApp> {
  const databaseUrl = overrides.databaseUrl ?? (await createDatabase('app'));
  const app = await createApp({ databaseUrl, bodyLimit: 64 * MiB, loadDemoData: false, ...overrides }, ['error', 'warn']);
  return { app, server: app.getHttpServer() as Server, databaseUrl, close: () => app.close() };
}
