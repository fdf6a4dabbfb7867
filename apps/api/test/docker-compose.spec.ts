// docker-compose.yml cannot run here (no Docker engine); check what it wires instead.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from './support/processes.js';

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(path.join(REPO_ROOT, 'docker-compose.yml'), 'utf8'));

  it('has the services postgres, api and worker', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'postgres', 'worker']);
  });

  it('runs analyses in the worker (same image, same database), not in the api, and starts it after the api', () => {
    const { api, worker } = compose.services;
    expect(api.environment.NETPOL_JOBS).toBe('off');
    expect(worker.build).toEqual(api.build);
    expect(worker.environment.DATABASE_URL).toBe(api.environment.DATABASE_URL);
    expect(worker.depends_on.api.condition).toBe('service_healthy');
    // The command runs the built worker-main.js of apps/api/src/jobs/worker-main.ts (what `npm run worker` runs).
    const [node, file] = worker.command as string[];
    expect(node).toBe('node');
    expect(file).toBe('apps/api/dist/apps/api/src/jobs/worker-main.js');
    expect(existsSync(path.join(REPO_ROOT, 'apps/api/src/jobs/worker-main.ts'))).toBe(true);
    const rootPackage = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    expect(rootPackage.scripts.worker).toBe(`node ${file}`);
  });

  it('points the api at the postgres service with its credentials and database', () => {
    const pg = compose.services.postgres.environment;
    const url = new URL(compose.services.api.environment.DATABASE_URL);
    expect(url.protocol).toBe('postgres:');
    expect(url.hostname).toBe('postgres');
    expect(url.port || '5432').toBe('5432');
    expect(decodeURIComponent(url.username)).toBe(pg.POSTGRES_USER);
    expect(decodeURIComponent(url.password)).toBe(pg.POSTGRES_PASSWORD);
    expect(url.pathname).toBe(`/${pg.POSTGRES_DB}`);
  });

  it('starts the api after postgres is healthy, builds it from a Dockerfile in the repo and publishes PORT', () => {
    const api = compose.services.api;
    expect(api.depends_on.postgres.condition).toBe('service_healthy');
    expect(compose.services.postgres.healthcheck.test.join(' ')).toContain('pg_isready');
    expect(existsSync(path.join(REPO_ROOT, api.build.context, api.build.dockerfile))).toBe(true);
    expect(api.ports).toContain(`${api.environment.PORT}:${api.environment.PORT}`);
    const dockerfile = readFileSync(path.join(REPO_ROOT, api.build.dockerfile), 'utf8');
    expect(dockerfile).toMatch(/CMD \["node", "apps\/api\/dist\/apps\/api\/src\/main\.js"\]/);
  });
});
