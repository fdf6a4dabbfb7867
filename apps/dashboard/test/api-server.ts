// Runs the BUILT API server (which serves the built dashboard) against a throwaway embedded PostgreSQL,
// both as child processes, the way `npm start` runs them. Build first: `vite build` here and the api's `tsc`.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { freePort, startChild, waitForHttpOk, waitForLine, type RunningChild } from './child-process.js';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
/** The built server; NETPOL_API_MAIN points at another build (e.g. one made outside the repo). */
export const API_MAIN = process.env.NETPOL_API_MAIN ?? path.join(REPO_ROOT, 'apps/api/dist/apps/api/src/main.js');
export const DASHBOARD_DIST = path.join(REPO_ROOT, 'apps/dashboard/dist');
const DASHBOARD_INDEX = path.join(DASHBOARD_DIST, 'index.html');
const EMBEDDED_PG = path.join(REPO_ROOT, 'tools/embedded-pg.mjs');

export interface ApiServer {
  baseUrl: string;
  /** The server's first admin token (NETPOL_BOOTSTRAP_ADMIN_TOKEN): pages get it through sessionStorage. */
  adminToken: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startApiServer(): Promise<ApiServer> {
  for (const [file, how] of [
    [API_MAIN, 'build the API: npx nx run @netpol-atlas/api:build'],
    [DASHBOARD_INDEX, 'build the dashboard: npx vite build --config apps/dashboard/vite.config.ts'],
  ] as const) {
    if (!existsSync(file)) throw new Error(`${path.relative(REPO_ROOT, file)} is missing; ${how}`);
  }

  const started: RunningChild[] = [];
  const stopAll = async () => {
    for (const child of started.reverse()) await child.stop();
  };
  try {
    // Our own database, whatever the caller's environment says.
    const env = { ...process.env };
    delete env.DATABASE_URL;
    const postgres = startChild(process.execPath, [EMBEDDED_PG, '--throwaway', '--stop-on-stdin-close'], {
      name: 'postgres',
      cwd: REPO_ROOT,
      env,
    });
    started.push(postgres);
    const [, databaseUrl] = await waitForLine(postgres, /^PG (\S+) up$/m, 90_000);

    const port = await freePort();
    const adminToken = `npat_${randomBytes(9).toString('base64url')}_${randomBytes(32).toString('base64url')}`;
    const api = startChild(process.execPath, [API_MAIN], {
      name: 'api',
      cwd: REPO_ROOT,
      env: {
        ...env,
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        DASHBOARD_DIST,
        NETPOL_TOKEN_SECRET: randomBytes(32).toString('base64url'),
        NETPOL_BOOTSTRAP_ADMIN_TOKEN: adminToken,
      },
    });
    started.push(api);
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHttpOk(api, `${baseUrl}/readyz`, 90_000);
    return { baseUrl, adminToken, output: () => `${postgres.output()}\n${api.output()}`, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Uploads a YAML snapshot of `cluster` as the admin (REST ingest); its id. Throws with the server's answer unless 201. */
export async function uploadSnapshot(server: ApiServer, cluster: string, body: string): Promise<string> {
  const res = await fetch(`${server.baseUrl}/api/v1/clusters/${cluster}/snapshots`, {
    method: 'POST',
    headers: { 'content-type': 'application/yaml', authorization: `Bearer ${server.adminToken}` },
    body,
  });
  if (res.status !== 201) throw new Error(`upload ${cluster}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}
