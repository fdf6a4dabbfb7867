// Issue 13: everything that needs the engine model — diffs with causes, what-ifs, lint, compliance reports and their
// evidence, the snapshot views' selections, tiers and isolation, rule connections — runs in the model threads
// (apps/api/src/analysis/model-computations.ts), never on the server's thread. The engine functions as the API
// imports them are wrapped here, so a call on the server's thread (this process) would be counted; the model threads
// load the built engine on their own. The answers are compared with the engine's, computed here afterwards.
import {
  analyze,
  buildReport,
  buildSnapshot,
  checkIntents,
  diff,
  diffWithCauses,
  formatExplainedDiff,
  formatLint,
  isolationSummary,
  lint,
  loadAnalysis,
  objectDiff,
  parseManifests,
  policyDiff,
  policyRuleConnections,
  stagedWhatIf,
  whatIf,
} from '@netpol-atlas/engine';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AnalysisService } from '../src/analysis/analysis.service.js';
import { ModelPreload } from '../src/analysis/model-preload.js';
import { modelFromContent } from '../src/analysis/snapshot-model.js';
import { startApp, type TestApp } from './support/app.js';
import { withClient } from './support/database.js';
import { demoYaml } from './support/demo.js';
import { gql, type Json } from './support/graphql.js';

vi.mock('@netpol-atlas/engine', async (importOriginal) => {
  const engine = await importOriginal<typeof import('@netpol-atlas/engine')>();
  const wrapped = [
    'analyze',
    'buildReport',
    'buildSnapshot',
    'checkIntents',
    'diff',
    'diffWithCauses',
    'formatLint',
    'isolationSummary',
    'lint',
    'loadAnalysis',
    'objectDiff',
    'policyDiff',
    'policyRuleConnections',
    'stagedWhatIf',
    'whatIf',
  ] as const;
  return { ...engine, ...Object.fromEntries(wrapped.map((name) => [name, vi.fn(engine[name] as (...args: never[]) => unknown).mockName(name)])) };
});
const onThisThread = [analyze, buildReport, buildSnapshot, checkIntents, diff, diffWithCauses, formatLint, isolationSummary, lint, loadAnalysis, objectDiff, policyDiff, policyRuleConnections, stagedWhatIf, whatIf].map((fn) => vi.mocked(fn));
const calledOnThisThread = () => onThisThread.filter((fn) => fn.mock.calls.length > 0).map((fn) => fn.getMockName());

const CAPTURED_AT = '2026-11-01T00:00:00.000Z';

describe('model computations in the model threads', () => {
  const objects = parseManifests([{ path: 'demo.yaml', text: demoYaml() }]).objects.map((o) => o.object);
  // The new side: the demo without one policy (the pairs it allowed are lost, each caused by its removal).
  const removed = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'backend-ingress')!;
  const edited = objects.filter((o) => o !== removed);
  let t: TestApp;
  const ids: string[] = [];
  const shas: string[] = [];
  beforeAll(async () => {
    t = await startApp();
    for (const items of [objects, edited]) {
      const res = await t.http
        .post(`/api/v1/clusters/computations/snapshots?capturedAt=${CAPTURED_AT}`)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
      expect(res.status, res.text.slice(0, 300)).toBe(201);
      ids.push(res.body.id);
      shas.push(res.body.contentSha256);
    }
  }, 120_000);
  afterAll(() => t?.close());

  const contentOf = (sha: string) =>
    withClient(t.databaseUrl, async (c) => (await c.query<{ content: Buffer }>('SELECT content FROM snapshot_contents WHERE sha256 = $1', [sha])).rows[0]!.content);

  it('diff with causes, what-if, staged what-if, policy diff, lint, report and evidence: none on the server thread, the engine’s answers', async () => {
    const service = t.app.get(AnalysisService);
    for (const fn of onThisThread) fn.mockClear();
    const [from, to] = ids as [string, string];
    const [explained, plain, policies, whatIfAnswer, staged, lintJson, report] = await Promise.all([
      t.http.get(`/api/v1/diff?from=${from}&to=${to}&format=txt&explain=true`),
      t.http.get(`/api/v1/diff?from=${from}&to=${to}&format=txt`),
      gql(t, 'query($from: ID!, $to: ID!) { policyDiff(from: $from, to: $to) { added { id } modified { id } removed { id object { name } } } }', { from, to }),
      gql(t, 'query($id: ID!) { whatIf(snapshotId: $id, manifests: "", delete: [{ kind: "NetworkPolicy", namespace: "production", name: "backend-ingress" }]) { counts { changed added removed } } }', { id: from }),
      gql(t, 'query($id: ID!) { snapshot(id: $id) { stagedWhatIf { counts { changed added removed } } } }', { id: from }),
      t.http.get(`/api/v1/snapshots/${from}/lint?format=json`),
      gql(t, 'mutation($id: ID!) { generateReport(snapshotId: $id, framework: "pci-dss-4.0") { id } }', { id: from }),
    ]);
    for (const answer of [policies, whatIfAnswer, staged, report]) expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
    expect(explained.status, explained.text.slice(0, 300)).toBe(200);
    expect(plain.status).toBe(200);
    expect(lintJson.status).toBe(200);
    const evidence = await t.http.get(`/api/v1/reports/${(report.data as Json).generateReport.id}/evidence.zip`).buffer(true);
    expect(evidence.status).toBe(200);
    expect(calledOnThisThread()).toEqual([]);
    expect(service.stats().model.computed).toBe(0);
    expect(service.computationCounts()).toMatchObject({ explainedDiff: 1, plainDiff: 1, policyDiff: 1, whatIf: 1, stagedWhatIf: 1, lintText: 1, report: 1, evidenceFiles: 1 });

    // The same bytes as the engine computes them here (the model built from the stored content, as the thread does).
    const [a, b] = await Promise.all(shas.map(async (sha) => modelFromContent(await contentOf(sha), {})));
    const sideA = { objects: a!.objects, analysis: analyze(a!.snapshot) };
    const sideB = { objects: b!.objects, analysis: analyze(b!.snapshot) };
    const expected = diffWithCauses(sideA, sideB, { engine: {} });
    expect(expected.diff.pairs.length).toBeGreaterThan(0);
    expect(explained.text).toBe(formatExplainedDiff(expected, 'txt', {}));
    expect((policies.data as Json).policyDiff.removed.map((c: Json) => c.object.name)).toEqual(['backend-ingress']);
    expect((policies.data as Json).policyDiff.removed.map((c: Json) => c.id)).toEqual(policyDiff(a!.objects, b!.objects).filter((c) => c.change === 'removed').map((c) => c.id));
    expect((staged.data as Json).snapshot.stagedWhatIf.counts).toEqual({ changed: 0, added: 0, removed: 0 });
    expect((whatIfAnswer.data as Json).whatIf.counts).toEqual({ changed: expected.diff.counts.changed, added: expected.diff.counts.added, removed: expected.diff.counts.removed });
    expect(lintJson.text).toBe(formatLint(lint({ snapshot: a!.snapshot, analysis: sideA.analysis, objects: a!.objects }, { at: CAPTURED_AT }), 'json'));
  }, 240_000);

  it('snapshot views (selections, tier, priority, rule connections, selector exposure, inventory isolation): none on the server thread', async () => {
    const service = t.app.get(AnalysisService);
    for (const fn of onThisThread) fn.mockClear();
    const before = service.computationCounts();
    const [id] = ids as [string];
    const res = await gql(
      t,
      `query($id: ID!) { snapshot(id: $id) {
        policies(namespace: "production", search: "production/backend", first: 10) { edges { node { name tier priority manifest
          workloads(first: 10) { edges { node { name } } } ruleConnections { rule direction subject peer ports } } } }
        workloads(namespace: "production", first: 10) { edges { node { name policies(first: 10) { edges { node { name } } } } } } }
        exposure(snapshotId: $id) { selectorExposed { workload { namespace name } direction peer portsText } }
        inventory(first: 10) { edges { node { latest { analysis { podsIngressIsolated } } } } } }`,
      { id },
    );
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    const data = res.data as Json;
    const backend = data.snapshot.policies.edges.map((e: Json) => e.node).find((p: Json) => p.name === 'backend-ingress');
    expect(backend.tier).toBe('namespaced');
    expect(backend.workloads.edges.length).toBeGreaterThan(0);
    expect(calledOnThisThread()).toEqual([]);
    const after = service.computationCounts();
    for (const name of ['selections', 'policy', 'ruleConnections', 'selectorExposure', 'isolation']) expect(after[name] ?? 0, name).toBeGreaterThan(before[name] ?? 0);

    // Rule connections as the engine lists them here.
    const model = modelFromContent(await contentOf(shas[0]!), {});
    const engineRows = policyRuleConnections(analyze(model.snapshot), { namespace: 'production', name: 'backend-ingress' });
    if (!engineRows.ok) throw new Error(engineRows.message);
    expect(backend.ruleConnections).toEqual(engineRows.connections.map((c) => ({ rule: c.rule, direction: c.direction, subject: c.subject, peer: c.peer, ports: c.ports })));
    // The inventory shows the cluster's latest snapshot: the edited one.
    const latest = modelFromContent(await contentOf(shas[1]!), {});
    const inventory = data.inventory.edges.map((e: Json) => e.node.latest.analysis.podsIngressIsolated);
    expect(inventory).toContain(isolationSummary(analyze(latest.snapshot)).ingressIsolated);
  }, 240_000);

  it('counts every model computation in the metrics, and the model threads’ queue', async () => {
    const metrics = await t.http.get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/^netpol_model_computations\{computation="explainedDiff"\} [1-9]/m);
    expect(metrics.text).toMatch(/^netpol_model_threads_queued \d+/m);
  });

  it('a restart preloads the most recently analysed model with its stored analysis: the first question builds nothing', async () => {
    await t.close();
    t = await startApp({ databaseUrl: t.databaseUrl, preloadModels: 1 });
    const preload = t.app.get(ModelPreload);
    const [newest] = await preload.candidates(1);
    expect(shas).toContain(newest!.sha);
    expect(await preload.running).toBe(1);
    const service = t.app.get(AnalysisService);
    // Loaded in its thread from its stored model (not built from the content), then the analysis onto it (the model
    // found held there), read from Postgres (not analysed again).
    expect(service.stats()['model-thread']).toEqual({ memory: 1, store: 1, computed: 0 });
    expect(service.stats().analysis).toEqual({ memory: 0, store: 1, computed: 0 });
    const id = ids[shas.indexOf(newest!.sha)];
    const res = await gql(t, 'query($id: ID!, $to: PeerInput!) { whoCanReach(snapshotId: $id, to: $to, port: "8080") { peer { name } } }', {
      id,
      to: { namespace: 'production', name: 'backend', kind: 'Deployment' },
    });
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    // Answered by the preloaded model: no load, no build.
    expect(service.stats()['model-thread']).toEqual({ memory: 1, store: 1, computed: 0 });
    expect(service.stats().analysis).toEqual({ memory: 0, store: 1, computed: 0 });
  }, 240_000);
});
