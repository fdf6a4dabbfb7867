// The API server: `DATABASE_URL=postgres://… node apps/api/dist/apps/api/src/main.js` (PORT, default 3000; 0 = any).
// `npm start` (tools/start.mjs) builds everything, provides an embedded PostgreSQL when DATABASE_URL is unset,
// and runs this file. Migrations are applied and the demo loaded (into an empty store) before it listens.
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { startModelThreadsEarly } from './analysis/model-threads.js';
import { configFromEnv, DEFAULT_ANALYSIS_CACHE } from './config/app-config.js';
import { applyHeapGrowingPercent, DEFAULT_HEAP_GROWING_PERCENT } from './config/heap-growth.js';

// `main.js --migrate`: apply the migrations as the owner (DATABASE_OWNER_URL, else DATABASE_URL) and exit; `npm start`
// runs this first, so the server process never holds the owner's password.
if (process.argv.includes('--migrate')) {
  const ownerUrl = process.env.DATABASE_OWNER_URL || process.env.DATABASE_URL;
  if (!ownerUrl) throw new Error('DATABASE_OWNER_URL (or DATABASE_URL) is not set');
  const { runMigrations } = await import('./database/migrate.js');
  const applied = await runMigrations(ownerUrl);
  console.log(`migrations applied: ${applied.length ? applied.join(', ') : 'none pending'}`);
  process.exit(0);
}

const config = configFromEnv();
// Before the application's modules load: the event loop's heap then grows by a fixed factor (heap-growth.ts).
applyHeapGrowingPercent(config.heapGrowingPercent ?? DEFAULT_HEAP_GROWING_PERCENT);
// A server that preloads models starts its model threads (model-threads.ts) and reads the stored models into them
// (early-preload.ts) now, while this thread loads the application's modules (~2 s on a loaded machine), so that the
// models are loaded when it listens. Hence the application's modules are imported below, not above.
if ((config.preloadModels ?? 0) > 0) {
  const threads = startModelThreadsEarly(config, config.analysisCache ?? DEFAULT_ANALYSIS_CACHE);
  const { startEarlyPreload } = await import('./analysis/early-preload.js');
  void startEarlyPreload(config, threads);
}
const [{ createApp }, { JsonLogger }] = await Promise.all([import('./app.js'), import('./logging/json-logger.js')]);
const app = await createApp(config);
await app.listen(Number(process.env.PORT ?? 3000));
const { port } = app.getHttpServer().address() as AddressInfo;
// tools/start.mjs and the tests read this line.
const listening = `Netpol Atlas listening on http://localhost:${port}`;
if (config.logFormat === 'json') new JsonLogger().log(listening, 'Server');
else console.log(listening);
