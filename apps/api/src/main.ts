// The API server: `DATABASE_URL=postgres://… node apps/api/dist/apps/api/src/main.js` (PORT, default 3000; 0 = any).
// `npm start` (tools/start.mjs) builds everything, provides an embedded PostgreSQL when DATABASE_URL is unset,
// and runs this file. Migrations are applied and the demo loaded (into an empty store) before it listens.
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { configFromEnv } from './config/app-config.js';

const app = await createApp(configFromEnv());
await app.listen(Number(process.env.PORT ?? 3000));
const { port } = app.getHttpServer().address() as AddressInfo;
// tools/start.mjs and the tests read this line.
console.log(`Netpol Atlas listening on http://localhost:${port}`);
