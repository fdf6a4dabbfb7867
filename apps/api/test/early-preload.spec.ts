// Issue 13, the first answer after a restart: the BUILT server (main.ts) of a store holding an analysed snapshot
// starts its model threads and loads the stored model and analysis into them before it imports the application
// (early-preload.ts), so ModelPreload has nothing left to load, and the first questions are answered by the model
// loaded then (from the stored model, never built from the content), the same as before the restart.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSyntheticCluster, SIZE_PRESETS } from '../../../libs/engine/bench/synthetic-cluster.js';
import { STORED_MODEL_KIND } from '../src/analysis/stored-model.js';
import { startApp, uploadJsonList } from './support/app.js';
import { BUILT_MAIN, ensureApiBuilt } from './support/build.js';
import { withClient } from './support/database.js';
import { gql, type Json } from './support/graphql.js';

// Tokens verify after the restart: one secret for both servers.
const TOKEN_SECRET = randomBytes(32).toString('base64url');
const PEER_FIELDS = 'peer { type namespace kind name ipRange } portsText';
const SIDE = 'isolated policies allowedBy { policy namespace rule ports { protocol from to name } }';
const QUESTIONS = `query($id: ID!, $from: PeerInput!, $to: PeerInput!, $port: Port!) {
  reachability(snapshotId: $id, from: $from, to: $to, port: $port) { allowed explanation { summary ingress { ${SIDE} } egress { ${SIDE} } } }
  whoCanReach(snapshotId: $id, to: $to, port: $port) { ${PEER_FIELDS} }
  reachableFrom(snapshotId: $id, from: $from) { ${PEER_FIELDS} } }`;

describe('a started server loads its stored models before it loads the application', () => {
  const cluster = generateSyntheticCluster(SIZE_PRESETS.S, 23);
  const deployments = (cluster.list.items as Json[]).filter((o) => o.kind === 'Deployment');
  const peer = (o: Json) => ({ namespace: o.metadata.namespace, name: o.metadata.name, kind: 'Deployment' });
  const questions = deployments.slice(0, 4).map((from, i) => ({ from: peer(from), to: peer(deployments[(i * 7 + 2) % deployments.length]!), port: ['8080', '53'][i % 2]! }));
  let databaseUrl: string;
  let id: string;
  let before: string[];
  let server: ChildProcess | undefined;
  let output = '';
  let secrets: string;
  let token: string;

  beforeAll(async () => {
    ensureApiBuilt();
    // Analysed (and its model stored) by an in-process server, which then stops.
    const t = await startApp({ tokenSecret: TOKEN_SECRET });
    databaseUrl = t.databaseUrl;
    token = t.adminToken;
    try {
      let sha: string;
      ({ id, contentSha256: sha } = await uploadJsonList(t, 'early-preload', cluster.list));
      before = [];
      for (const question of questions) before.push(JSON.stringify(await gql(t, QUESTIONS, { id, ...question })));
      expect(before.filter((answer) => answer.includes('"errors"'))).toEqual([]);
      const kinds = await withClient(databaseUrl, (c) => c.query<{ kind: string }>('SELECT kind FROM analysis_results WHERE content_sha256 = $1', [sha]));
      expect(kinds.rows.map((row) => row.kind)).toContain(STORED_MODEL_KIND);
    } finally {
      await t.close();
    }
    secrets = mkdtempSync(path.join(os.tmpdir(), 'netpol-early-preload-'));
    server = spawn(process.execPath, [BUILT_MAIN], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: '0',
        NETPOL_PRELOAD_MODELS: '1',
        NETPOL_DEMO_DATA: 'off',
        NETPOL_JOBS: 'off',
        NETPOL_SECRETS_DIR: secrets,
        NETPOL_TOKEN_SECRET: TOKEN_SECRET,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    for (let waited = 0; !/listening on http:\/\/\S+/.test(output); waited += 100) {
      if (waited > 90_000 || server.exitCode !== null) throw new Error(`the server did not start:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 240_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    if (secrets) rmSync(secrets, { recursive: true, force: true });
  });

  it('answers as before the restart from the model loaded early; ModelPreload loads nothing more', async () => {
    const url = /listening on (http:\/\/\S+)/.exec(output)![1]!;
    const post = async (variables: Record<string, unknown>) => {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: QUESTIONS, variables }),
      });
      return JSON.stringify(await res.json());
    };
    const after: string[] = [];
    for (const question of questions) after.push(await post({ id, ...question }));
    expect(after).toEqual(before);
    // The early preload said so (logged by ModelPreload, which waited for it, then found nothing left to load).
    for (let waited = 0; !/preloaded 1 model\(s\) with their analyses into the model threads while the application loaded/.test(output); waited += 100) {
      if (waited > 30_000) throw new Error(`no early preload line:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(output).not.toMatch(/early model preload stopped|not preloaded|model preload stopped/);
    // Loaded from the stored model and the stored analysis once each (counted as the service's own loads), never
    // built from the content, never held when a question asked (no second load: the questions found it).
    const metrics = await fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${token}` } }).then((res) => res.text());
    expect(metrics).toMatch(/artefact="model-thread"[^\n]*source="store"[^\n]* 1\n/);
    expect(metrics).toMatch(/artefact="analysis"[^\n]*source="store"[^\n]* 1\n/);
    expect(metrics).not.toMatch(/artefact="model-thread"[^\n]*source="(computed|memory)"[^\n]* [1-9]/);
  }, 120_000);
});
