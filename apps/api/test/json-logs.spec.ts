// Issue 13: NETPOL_LOG_FORMAT=json makes every line of the BUILT server's log one JSON object (pino), each request
// one access line with its request id (the caller's X-Request-Id, else a generated UUID, echoed in the response);
// the default text format (what a person starting the server reads) is covered by startup-messages.spec.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_MAIN, ensureApiBuilt } from './support/build.js';
import { createDatabase } from './support/database.js';

const ADMIN_TOKEN = `npat_${randomBytes(9).toString('base64url')}_${randomBytes(32).toString('base64url')}`;

describe('JSON logs (NETPOL_LOG_FORMAT=json)', () => {
  let server: ChildProcess;
  let output = '';
  let url: string;
  let secrets: string;

  beforeAll(async () => {
    ensureApiBuilt();
    secrets = mkdtempSync(path.join(os.tmpdir(), 'netpol-logs-'));
    server = spawn(process.execPath, [BUILT_MAIN], {
      env: {
        ...process.env,
        DATABASE_URL: await createDatabase('logs'),
        PORT: '0',
        NETPOL_LOG_FORMAT: 'json',
        NETPOL_DEMO_DATA: 'off',
        NETPOL_JOBS: 'off',
        NETPOL_SECRETS_DIR: secrets,
        NETPOL_TOKEN_SECRET: randomBytes(32).toString('base64url'),
        NETPOL_BOOTSTRAP_ADMIN_TOKEN: ADMIN_TOKEN,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    for (let waited = 0; !/listening on (http:\/\/[^\s"]+)/.test(output); waited += 100) {
      if (waited > 90_000 || server.exitCode !== null) throw new Error(`the server did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    url = /listening on (http:\/\/[^\s"]+)/.exec(output)![1];
  }, 120_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(secrets, { recursive: true, force: true });
  });

  const lines = () =>
    output
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        try {
          return JSON.parse(line) as Record<string, unknown>;
        } catch {
          throw new Error(`a log line is not JSON: ${line}`);
        }
      });

  it('every line is a JSON object with level, time and msg; the startup lines are among them', () => {
    const parsed = lines();
    expect(parsed.length).toBeGreaterThan(2);
    for (const line of parsed) {
      expect(typeof line.level).toBe('string');
      expect(Number.isNaN(Date.parse(String(line.time)))).toBe(false);
      expect(typeof line.msg).toBe('string');
    }
    expect(parsed.map((line) => line.msg)).toContain(`Netpol Atlas listening on ${url}`);
  });

  it('one access line per request, with the caller\'s X-Request-Id (echoed) or a generated one; the route pattern, not the path', async () => {
    const given = await fetch(`${url}/api/v1/snapshots/00000000-0000-4000-8000-000000000000`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'x-request-id': 'ci-run-42.step-7' },
    });
    expect(given.status).toBe(404);
    expect(given.headers.get('x-request-id')).toBe('ci-run-42.step-7');
    const generated = await fetch(`${url}/healthz`);
    const id = generated.headers.get('x-request-id')!;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // An id that is not a plain token is replaced, not echoed (no header or log injection).
    const hostile = await fetch(`${url}/healthz`, { headers: { 'x-request-id': 'a b<script>' } });
    expect(hostile.headers.get('x-request-id')).not.toContain('script');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const access = lines().filter((line) => line.msg === 'request');
    expect(access.find((line) => line.requestId === 'ci-run-42.step-7')).toMatchObject({
      level: 'info',
      context: 'HTTP',
      method: 'GET',
      route: '/api/v1/snapshots/:id',
      status: 404,
    });
    expect(access.find((line) => line.requestId === id)).toMatchObject({ route: '/healthz', status: 200 });
    expect(output).not.toContain('00000000-0000-4000-8000-000000000000');
  });
});
