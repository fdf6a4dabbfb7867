// Issue 13: the reachability queries are answered in a model thread (apps/api/src/analysis/model-host.ts): the
// engine model is built there from the stored content, never on the server's thread. `buildSnapshot` as the API
// imports it is wrapped here, so a build on the server's thread (this process) would be counted; the model threads
// load the built engine on their own. The answers are the engine's, computed here for comparison.
import { buildSnapshot, evaluateWithSteps, whoCanReach as engineWhoCanReach, analyze } from '@netpol-atlas/engine';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateSyntheticCluster, SIZE_PRESETS } from '../../../libs/engine/bench/synthetic-cluster.js';
import { AnalysisService } from '../src/analysis/analysis.service.js';
import { modelFromContent } from '../src/analysis/snapshot-model.js';
import { startApp, uploadJsonList, type TestApp } from './support/app.js';
import { withClient } from './support/database.js';
import { gql, type Json } from './support/graphql.js';

vi.mock('@netpol-atlas/engine', async (importOriginal) => {
  const engine = await importOriginal<typeof import('@netpol-atlas/engine')>();
  return { ...engine, buildSnapshot: vi.fn(engine.buildSnapshot) };
});
const buildOnThisThread = vi.mocked(buildSnapshot);

const REACHABILITY = `query($id: ID!, $from: PeerInput!, $to: PeerInput!, $port: Port!) {
  reachability(snapshotId: $id, from: $from, to: $to, port: $port) { allowed explanation { summary
    ingress { isolated policies steps { action text } } egress { isolated policies steps { action text } } } } }`;
const WHO_CAN_REACH = `query($id: ID!, $to: PeerInput!) {
  whoCanReach(snapshotId: $id, to: $to, port: "8080") { peer { type namespace kind name ipRange } portsText } }`;

describe('reachability queries in the model threads', () => {
  const cluster = generateSyntheticCluster(SIZE_PRESETS.S, 5);
  const deployments = (cluster.list.items as Json[]).filter((o) => o.kind === 'Deployment');
  const peer = (o: Json) => ({ namespace: o.metadata.namespace, name: o.metadata.name, kind: 'Deployment' });
  let t: TestApp;
  let id: string;
  let content: Buffer;
  beforeAll(async () => {
    t = await startApp();
    const uploaded = await uploadJsonList(t, 'model-threads', cluster.list);
    id = uploaded.id;
    content = await withClient(t.databaseUrl, async (c) =>
      (await c.query<{ content: Buffer }>('SELECT content FROM snapshot_contents WHERE sha256 = $1', [uploaded.contentSha256])).rows[0].content,
    );
  }, 120_000);
  afterAll(() => t?.close());

  it('cold pair questions at once: one model, built in its thread, answering as the engine does here', async () => {
    const service = t.app.get(AnalysisService);
    buildOnThisThread.mockClear();
    const pairs = deployments.slice(0, 6).map((from, i) => ({ from: peer(from), to: peer(deployments[(i * 7 + 3) % deployments.length]!), port: '8080' }));
    const answers = await Promise.all(pairs.map((pair) => gql(t, REACHABILITY, { id, ...pair })));
    expect(buildOnThisThread).not.toHaveBeenCalled();
    expect(service.stats().model.computed).toBe(0);
    expect(service.stats()['model-thread']!.computed).toBe(1);
    const { snapshot } = modelFromContent(content, {});
    answers.forEach((answer, i) => {
      expect(answer.errors).toBeUndefined();
      const expected = evaluateWithSteps(snapshot, pairs[i]!.from, pairs[i]!.to, 8080);
      expect(answer.data!.reachability.allowed).toBe(expected.allowed);
      expect(answer.data!.reachability.explanation.summary).toBe(expected.explanation.summary);
      expect(answer.data!.reachability.explanation.ingress.steps.map((s: Json) => s.text)).toEqual(expected.explanation.ingress.steps.map((s) => s.text));
    });
    // whoCanReach loads the analysis onto the same held model: the model is not built again.
    const who = await gql(t, WHO_CAN_REACH, { id, to: pairs[0]!.to });
    expect(who.errors).toBeUndefined();
    const expected = engineWhoCanReach(analyze(snapshot), pairs[0]!.to, '8080');
    expect(who.data!.whoCanReach.map((row: Json) => `${row.peer.name ?? row.peer.ipRange} ${row.portsText}`)).toEqual(expected.map((row) => `${row.peer.name ?? row.peer.ipRange} ${row.portsText}`));
    expect(service.stats()['model-thread']!.computed).toBe(1);
  }, 120_000);

  it('engine errors cross the thread as typed GraphQL errors (unknown peer: NOT_FOUND with candidates)', async () => {
    const wrong = { ...peer(deployments[0]!), name: `${deployments[0]!.metadata.name}x` };
    const answer = await gql(t, REACHABILITY, { id, from: wrong, to: peer(deployments[1]!), port: '8080' });
    expect(answer.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(answer.errors?.[0]?.message).toContain(wrong.name);
  }, 120_000);
});
