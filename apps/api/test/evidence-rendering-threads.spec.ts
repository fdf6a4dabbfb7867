// Issue 13: a report's downloads (md, html, csv, PDF) and its evidence pack (every format, sums, signature, zip)
// are rendered in the render threads (apps/api/src/compliance/render-pool.ts), never on the server's thread. The
// rendering functions as the API imports them are wrapped here, so a call on the server's thread (this process)
// would be counted; the render threads load the built modules on their own. The bytes are compared with the same
// functions run here afterwards: audit evidence, so the same input must give the same bytes wherever it is made.
// The evidence pack reads the report's CNI profile and time in a render thread too (JSON.parse is watched here for
// the stored report's text). The pool's thread count is a setting (NETPOL_RENDER_THREADS) and its queue and
// finished renderings are in /metrics.
import { analyze, cdeIntents, formatReport, reportChanges, type ComplianceReport, type SegmentationIntents } from '@netpol-atlas/engine';
import { reportPdf } from '@netpol-atlas/report-pdf';
import { zipSync } from 'fflate';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { modelFromContent } from '../src/analysis/snapshot-model.js';
import { analysisEvidenceFiles } from '../src/compliance/evidence-files.js';
import { buildEvidencePack } from '../src/compliance/evidence-pack.js';
import { RenderPool } from '../src/compliance/render-pool.js';
import { reportViewOf, storedReportViewOf } from '../src/compliance/report-view.js';
import { SigningKeyService } from '../src/compliance/signing-key.service.js';
import { Metrics } from '../src/metrics/metrics.service.js';
import { startApp, type TestApp } from './support/app.js';
import { copyReport, withClient } from './support/database.js';
import { demoYaml } from './support/demo.js';
import { gql, type Json } from './support/graphql.js';

vi.mock('@netpol-atlas/engine', async (importOriginal) => {
  const engine = await importOriginal<typeof import('@netpol-atlas/engine')>();
  return { ...engine, formatReport: vi.fn(engine.formatReport).mockName('formatReport') };
});
vi.mock('@netpol-atlas/report-pdf', async (importOriginal) => {
  const pdf = await importOriginal<typeof import('@netpol-atlas/report-pdf')>();
  return { ...pdf, reportPdf: vi.fn(pdf.reportPdf).mockName('reportPdf') };
});
vi.mock('fflate', async (importOriginal) => {
  const fflate = await importOriginal<typeof import('fflate')>();
  return { ...fflate, zipSync: vi.fn(fflate.zipSync).mockName('zipSync') };
});
const onThisThread = [formatReport, reportPdf, zipSync].map((fn) => vi.mocked(fn as (...args: never[]) => unknown));
const calledOnThisThread = () => onThisThread.filter((fn) => fn.mock.calls.length > 0).map((fn) => fn.getMockName());

const bytesOf = (res: { body: unknown }) => res.body as Buffer;
const download = (t: TestApp, url: string) =>
  t.http
    .get(url)
    .buffer(true)
    .parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });

describe('report downloads and evidence packs in the render threads', () => {
  let t: TestApp;
  let reportId: string;
  /** A report's stored row pages, in key order. */
  const rowPagesOf = (id: string) =>
    withClient(t.databaseUrl, async (c) =>
      (await c.query<{ list: string; page: number; rowsJson: string }>('SELECT list, page, rows_json AS "rowsJson" FROM report_row_pages WHERE report_id = $1 ORDER BY list COLLATE "C", page', [id])).rows,
    );
  beforeAll(async () => {
    // One render thread (the setting NETPOL_RENDER_THREADS sets): the queue test below counts on it.
    t = await startApp({ renderThreads: 1 });
    const ingest = await t.http.post('/api/v1/clusters/demo/snapshots?capturedAt=2026-11-01T00:00:00Z').set('Content-Type', 'application/yaml').send(demoYaml());
    expect(ingest.status).toBe(201);
    const res = await gql(t, 'mutation($id: ID!) { generateReport(snapshotId: $id, framework: "pci-dss-4.0") { id } }', { id: ingest.body.id });
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    reportId = (res.data as Json).generateReport.id;
  }, 120_000);
  afterAll(() => t?.close());

  it('md, html, csv, pdf and the evidence pack: none rendered on the server thread, the same bytes as rendered here', async () => {
    const pool = t.app.get(RenderPool);
    const before = { ...pool.counts };
    const storedJcs = await withClient(t.databaseUrl, async (c) => (await c.query<{ report_jcs: string }>('SELECT report_jcs FROM reports WHERE id = $1', [reportId])).rows[0]!.report_jcs);
    for (const fn of onThisThread) fn.mockClear();
    const parse = vi.spyOn(JSON, 'parse');
    const parsedTexts: unknown[] = [];
    const [json, md, html, csv, pdf, pack] = await Promise.all([
      download(t, `/api/v1/reports/${reportId}`),
      ...(['md', 'html', 'csv', 'pdf'] as const).map((format) => download(t, `/api/v1/reports/${reportId}?format=${format}`)),
      download(t, `/api/v1/reports/${reportId}/evidence.zip`),
    ]).finally(() => {
      // Kept before mockRestore, which forgets the calls.
      parsedTexts.push(...parse.mock.calls.map(([text]) => text));
      parse.mockRestore();
    });
    for (const res of [json, md, html, csv, pdf, pack]) expect(res.status).toBe(200);
    expect(calledOnThisThread()).toEqual([]);
    // The stored report was never parsed on this thread (the evidence pack's profile and time were read in a render thread).
    expect(parsedTexts.filter((text) => text === storedJcs)).toHaveLength(0);
    // The json download too: its bytes read by a render thread.
    expect(pool.counts).toEqual({ ...before, report: before.report + 4, evidencePack: before.evidencePack + 1, reportHeader: before.reportHeader + 1, reportJson: before.reportJson + 1 });

    // The same bytes as the same functions give on this thread.
    const reportJcs = bytesOf(json).toString('utf8');
    const report = JSON.parse(reportJcs) as ComplianceReport;
    for (const [format, res] of [['md', md], ['html', html], ['csv', csv]] as const) expect(bytesOf(res).toString('utf8'), format).toBe(formatReport(report, format));
    expect(Buffer.compare(bytesOf(pdf), Buffer.from(await reportPdf(report))), 'pdf').toBe(0);
    const row = await withClient(t.databaseUrl, async (c) =>
      (await c.query<{ snapshot_id: string; snapshot_sha256: string; report_sha256: string }>('SELECT snapshot_id, snapshot_sha256, report_sha256 FROM reports WHERE id = $1', [reportId])).rows[0]!,
    );
    const content = await withClient(t.databaseUrl, async (c) => (await c.query<{ content: Buffer }>('SELECT content FROM snapshot_contents WHERE sha256 = $1', [row.snapshot_sha256])).rows[0]!.content);
    const model = modelFromContent(content, {});
    const intents = cdeIntents() as SegmentationIntents;
    const key = await t.app.get(SigningKeyService).key();
    const expected = await buildEvidencePack({
      reportId,
      reportJcs,
      reportSha256: row.report_sha256,
      snapshotId: row.snapshot_id,
      snapshotSha256: row.snapshot_sha256,
      snapshotContent: content,
      analysisFiles: analysisEvidenceFiles({ analysis: analyze(model.snapshot), objects: model.objects, intents, generatedAt: report.generatedAt }),
      intents,
      signingKey: key,
    });
    expect(Buffer.compare(bytesOf(pack), Buffer.from(expected)), 'evidence.zip').toBe(0);
  }, 240_000);

  it('a second report compares with the previous one ("what changed") without parsing the stored previous report on the server thread', async () => {
    const storedJcs = await withClient(t.databaseUrl, async (c) => (await c.query<{ report_jcs: string }>('SELECT report_jcs FROM reports WHERE id = $1', [reportId])).rows[0]!.report_jcs);
    const snapshotId = await withClient(t.databaseUrl, async (c) => (await c.query<{ snapshot_id: string }>('SELECT snapshot_id FROM reports WHERE id = $1', [reportId])).rows[0]!.snapshot_id);
    const parse = vi.spyOn(JSON, 'parse');
    const parsedTexts: unknown[] = [];
    // What the server thread sends to PostgreSQL and reads back.
    const db = t.app.get(DataSource);
    const query = vi.spyOn(db, 'query');
    const res = await gql(t, 'mutation($id: ID!) { generateReport(snapshotId: $id, framework: "pci-dss-4.0") { id } }', { id: snapshotId }).finally(() => {
      parsedTexts.push(...parse.mock.calls.map(([text]) => text));
      parse.mockRestore();
    });
    const sent = query.mock.calls.flatMap(([, parameters]) => (parameters ?? []) as unknown[]);
    const statements = query.mock.calls.map(([sql]) => sql);
    const received = await Promise.all(query.mock.results.map((r) => r.value as Promise<unknown>));
    query.mockRestore();
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    // The stored previous report (a few MiB on a big cluster) was read and parsed in the model thread that built the
    // new one, and that thread stored the new one: neither report's text passed through the server thread.
    expect(parsedTexts.filter((text) => text === storedJcs)).toHaveLength(0);
    const newJcs = await withClient(t.databaseUrl, async (c) => (await c.query<{ report_jcs: string }>('SELECT report_jcs FROM reports WHERE id = $1', [(res.data as Json).generateReport.id])).rows[0]!.report_jcs);
    // The spy sees the server thread's queries: the previous report's and the new report's rows were read.
    expect(statements.filter((sql) => /FROM reports r/.test(sql))).toHaveLength(2);
    expect(sent.filter((p) => p === newJcs || p === storedJcs)).toEqual([]);
    expect(JSON.stringify(received).includes('report_jcs')).toBe(false);
    const second = JSON.parse(bytesOf(await download(t, `/api/v1/reports/${(res.data as Json).generateReport.id}`)).toString('utf8')) as ComplianceReport;
    const previous = JSON.parse(storedJcs) as ComplianceReport;
    // It was compared, as the engine compares the two here, and the comparison names the previous report.
    const { changes, ...current } = second;
    expect(changes?.previousReportId).toBe(reportId);
    expect(changes).toEqual(reportChanges(previous, current as ComplianceReport, reportId));
  }, 120_000);

  it('GraphQL reads reports through their stored views; evidence pages and the changes are read from stored row pages, never from the report', async () => {
    const pool = t.app.get(RenderPool);
    const stored = await withClient(t.databaseUrl, async (c) => (await c.query<{ id: string; report_jcs: string }>('SELECT id, report_jcs FROM reports ORDER BY seq')).rows);
    expect(stored).toHaveLength(2);
    const views = await withClient(t.databaseUrl, async (c) => (await c.query<{ report_id: string; view_json: string }>('SELECT report_id, view_json FROM report_views ORDER BY report_id')).rows);
    // Each report's view was stored with it, and is what the stored report gives.
    expect(views.map((v) => v.report_id)).toEqual(stored.map((r) => r.id).sort());
    for (const { id, report_jcs } of stored) {
      expect(JSON.parse(views.find((v) => v.report_id === id)!.view_json)).toEqual(reportViewOf(JSON.parse(report_jcs) as ComplianceReport));
      // And its rows in pages: the pages the stored report gives, page by page.
      const pages = await rowPagesOf(id);
      const byKey = (a: { list: string; page: number }, b: { list: string; page: number }) => (a.list < b.list ? -1 : a.list > b.list ? 1 : a.page - b.page);
      expect(pages).toEqual(storedReportViewOf(JSON.parse(report_jcs) as ComplianceReport).rowPages.map((p) => ({ ...p })).sort(byKey));
      expect(pages.length).toBeGreaterThan(0);
    }

    const query = `{ reports(cluster: "demo", first: 10) { edges { node {
        id summary { verdict pass fail manual notApplicable } cniProfile
        controls { id status counts { key value } evidence(first: 2) { totalCount pageInfo { hasNextPage } edges { node { kind status subject peer ports zones detail } } } }
        changes { previousReportId flipped { control from to } newViolations { subject detail } resolvedViolations { subject detail } } } } } }`;
    const before = { ...pool.counts };
    const parse = vi.spyOn(JSON, 'parse');
    const parsedTexts: unknown[] = [];
    const statements = vi.spyOn(t.app.get(DataSource), 'query');
    const res = await gql(t, query).finally(() => {
      parsedTexts.push(...parse.mock.calls.map(([text]) => text));
      parse.mockRestore();
    });
    const sql = statements.mock.calls.map(([text]) => text);
    statements.mockRestore();
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    // Neither report was read or parsed, here or in a render thread: the rows came from their stored pages.
    for (const { report_jcs } of stored) expect(parsedTexts.filter((text) => text === report_jcs)).toHaveLength(0);
    expect(pool.counts).toEqual(before);
    expect(sql.filter((text) => /report_jcs/.test(text))).toEqual([]);
    expect(sql.filter((text) => /FROM report_row_pages/.test(text)).length).toBeGreaterThan(0);

    // What the reports say, field by field (newest first).
    const nodes = (res.data as Json).reports.edges.map((e: Json) => e.node);
    expect(nodes.map((n: Json) => n.id)).toEqual(stored.map((r) => r.id).reverse());
    for (const node of nodes) {
      const report = JSON.parse(stored.find((r) => r.id === node.id)!.report_jcs) as ComplianceReport;
      const row = (e: ComplianceReport['controls'][number]['evidence'][number]) => ({ kind: e.kind, status: e.status, subject: e.subject, peer: e.peer ?? null, ports: e.ports ?? null, zones: e.zones ?? null, detail: e.detail });
      expect(node.summary).toEqual({ verdict: report.summary.verdict, pass: report.summary.pass, fail: report.summary.fail, manual: report.summary.manual, notApplicable: report.summary['not-applicable'] });
      expect(node.controls).toEqual(
        report.controls.map((c) => ({
          id: c.id,
          status: c.status,
          counts: Object.entries(c.counts).map(([key, value]) => ({ key, value })),
          evidence: { totalCount: c.evidence.length, pageInfo: { hasNextPage: c.evidence.length > 2 }, edges: c.evidence.slice(0, 2).map((e) => ({ node: row(e) })) },
        })),
      );
      const brief = (e: { subject: string; detail: string }) => ({ subject: e.subject, detail: e.detail });
      expect(node.changes).toEqual(
        report.changes
          ? { previousReportId: report.changes.previousReportId ?? null, flipped: report.changes.flipped, newViolations: report.changes.newViolations.map(brief), resolvedViolations: report.changes.resolvedViolations.map(brief) }
          : null,
      );
    }
    expect(nodes.some((n: Json) => n.controls.some((c: Json) => c.evidence.totalCount > 2))).toBe(true);
    expect(nodes[0].changes).not.toBeNull();

    // The next page of a control continues where the first ended.
    const paged = nodes[1].controls.find((c: Json) => c.evidence.totalCount > 2);
    const pageOf = (after: string | null) =>
      gql(t, 'query($id: ID!, $after: String) { report(id: $id) { controls { id evidence(first: 2, after: $after) { pageInfo { endCursor } edges { node { subject } } } } } }', { id: nodes[1].id, after });
    const cursor = (await pageOf(null)).data!.report.controls.find((c: Json) => c.id === paged.id).evidence.pageInfo.endCursor;
    const next = await pageOf(cursor);
    const report = JSON.parse(stored.find((r) => r.id === nodes[1].id)!.report_jcs) as ComplianceReport;
    const control = report.controls.find((c) => c.id === paged.id)!;
    expect(next.data!.report.controls.find((c: Json) => c.id === paged.id).evidence.edges.map((e: Json) => e.node.subject)).toEqual(control.evidence.slice(2, 4).map((e) => e.subject));
    // A list or a header without rows reads no report at all.
    const counted = { ...pool.counts };
    const list = await gql(t, '{ reports(cluster: "demo", first: 10) { edges { node { id summary { verdict } controls { id status } changes { flipped { control } } } } } }');
    expect(list.errors).toBeUndefined();
    expect(pool.counts).toEqual(counted);
  }, 120_000);

  it('a report stored before views were gets its view and row pages from the report in a render thread on first read, stored once', async () => {
    const pool = t.app.get(RenderPool);
    const copyId = '00000000-0000-4000-8000-00000000c0de';
    // The first report's row again under another id, with no view: as a report stored before this version.
    await copyReport(t.databaseUrl, reportId, copyId);
    const viewsOf = (id: string) => withClient(t.databaseUrl, async (c) => (await c.query<{ view_json: string }>('SELECT view_json FROM report_views WHERE report_id = $1', [id])).rows.map((r) => r.view_json));
    expect(await viewsOf(copyId)).toEqual([]);
    expect(await rowPagesOf(copyId)).toEqual([]);
    const before = pool.counts.reportView;
    const query = `query($id: ID!) { report(id: $id) { summary { verdict pass fail } controls { id status } } }`;
    const [first, again] = await Promise.all([gql(t, query, { id: copyId }), gql(t, query, { id: copyId })]);
    expect(first.errors, JSON.stringify(first.errors)).toBeUndefined();
    expect(again.data).toEqual(first.data);
    expect(first.data).toEqual((await gql(t, query, { id: reportId })).data);
    // Computed once for the two requests, in a render thread, and stored: the same view and row pages as the original's.
    expect(pool.counts.reportView).toBe(before + 1);
    expect(await viewsOf(copyId)).toEqual(await viewsOf(reportId));
    expect(await rowPagesOf(copyId)).toEqual(await rowPagesOf(reportId));
    const evidence = `query($id: ID!) { report(id: $id) { controls { id evidence(first: 3) { totalCount edges { node { subject detail } } } } } }`;
    const [copied, original] = await Promise.all([gql(t, evidence, { id: copyId }), gql(t, evidence, { id: reportId })]);
    expect(copied.errors, JSON.stringify(copied.errors)).toBeUndefined();
    expect(copied.data).toEqual(original.data);
    expect(pool.counts.reportView).toBe(before + 1);
  }, 120_000);

  it('/metrics: renderings waiting for the one render thread (netpol_render_threads_queued) and finished renderings (netpol_renders_total)', async () => {
    const json = bytesOf(await download(t, `/api/v1/reports/${reportId}`)).toString('utf8');
    const pool = t.app.get(RenderPool);
    const metrics = t.app.get(Metrics);
    const sample = (text: string, name: string) => text.split('\n').find((line) => line.startsWith(`${name} `) || line.startsWith(`${name}{`));
    const finishedBefore = (await metrics.registry.getSingleMetricAsString('netpol_renders_total')).match(/operation="report",outcome="ok"} (\d+)/)?.[1] ?? '0';
    // Six at once on one thread: one runs (or is its starting thread's), five wait.
    const renderings = Array.from({ length: 6 }, () => pool.report(json, 'pdf'));
    expect(pool.queued).toBe(5);
    expect(sample(await metrics.registry.getSingleMetricAsString('netpol_render_threads_queued'), 'netpol_render_threads_queued')).toBe('netpol_render_threads_queued 5');
    await Promise.all(renderings);
    const text = (await t.http.get('/metrics')).text;
    expect(text).toContain('# TYPE netpol_render_threads_queued gauge');
    expect(sample(text, 'netpol_render_threads_queued')).toBe('netpol_render_threads_queued 0');
    expect(text).toContain('# TYPE netpol_renders_total counter');
    expect(text).toContain(`netpol_renders_total{operation="report",outcome="ok"} ${Number(finishedBefore) + 6}`);
    expect(text).toMatch(/netpol_renders_total\{operation="evidencePack",outcome="ok"\} 1\n/);
    expect(text).toMatch(/netpol_renders_total\{operation="reportHeader",outcome="ok"\} 1\n/);
  }, 120_000);

  it('a full render queue is a 503 with Retry-After; the accepted renderings complete', async () => {
    const json = bytesOf(await download(t, `/api/v1/reports/${reportId}`)).toString('utf8');
    const pool = new RenderPool({ threads: 1, maxQueue: 1 });
    try {
      const outcomes = await Promise.allSettled(Array.from({ length: 6 }, () => pool.report(json, 'csv')));
      const refused = outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason as { getStatus(): number; retryAfterSeconds: number });
      expect(refused.length).toBeGreaterThan(0);
      for (const reason of refused) expect([reason.getStatus(), reason.retryAfterSeconds > 0]).toEqual([503, true]);
      const done = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [Buffer.from(o.value).toString('utf8')] : []));
      expect(done.length).toBeGreaterThan(0);
      for (const text of done) expect(text).toBe(formatReport(JSON.parse(json) as ComplianceReport, 'csv'));
    } finally {
      await pool.close();
    }
  }, 60_000);
});
