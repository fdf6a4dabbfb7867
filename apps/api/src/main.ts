// The API server: `DATABASE_URL=postgres://… node apps/api/dist/apps/api/src/main.js` (PORT, default 3000; 0 = any).
// `npm start` (tools/start.mjs) builds everything, provides an embedded PostgreSQL when DATABASE_URL is unset,
// and runs this file. Migrations are applied and the demo loaded (into an empty store) before it listens.
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { configFromEnv } from './config/app-config.js';
import { runMigrations } from './database/migrate.js';
import { JsonLogger } from './logging/json-logger.js';

// `main.js --migrate`: apply the migrations as the owner (DATABASE_OWNER_URL, else DATABASE_URL) and exit; `npm start`
// runs this first, so the server process never holds the owner's password.
if (process.argv.includes('--migrate')) {
  const ownerUrl = process.env.DATABASE_OWNER_URL || process.env.DATABASE_URL;
  if (!ownerUrl) throw new Error('DATABASE_OWNER_URL (or DATABASE_URL) is not set');
  const applied = await runMigrations(ownerUrl);
  console.log(`migrations applied: ${applied.length ? applied.join(', ') : 'none pending'}`);
  process.exit(0);
}

const config = configFromEnv();
const app = await createApp(config);
await app.listen(Number(process.env.PORT ?? 3000));
const { port } = app.getHttpServer().address() as AddressInfo;
// tools/start.mjs and the tests read this line.
const listening = `Netpol Atlas listening on http://localhost:${port}`;
if (config.logFormat === 'json') new JsonLogger().log(listening, 'Server');
else console.log(listening);
