// Compliance over the real server and Postgres: lint(snapshotId); intents stored per cluster (versioned);
// generateReport → a signed, insert-only `reports` row; reports/report with paged evidence; REST downloads;
// the evidence pack (deterministic zip) verified offline by the built `netpol verify`, and a one-byte tamper
// caught; a compliance profile that reports on every new snapshot, with what changed since the previous report.
import { execFile } from 'node:child_process';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { canonicalJson, ENGINE_VERSION } from '@netpol-atlas/engine';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedRowManifest } from '../src/compliance/reports.service.js';
import { startApp, type TestApp } from './support/app.js';
import { withClient } from './support/database.js';
import { demoYaml } from './support/demo.js';
import { errorCodes, gql, type GraphQLResponse, type Json } from './support/graphql.js';
import { API_ROOT, REPO_ROOT } from './support/processes.js';

const run = promisify(execFile);
const NETPOL = path.join(REPO_ROOT, 'apps', 'cli', 'bin', 'netpol.mjs');
const INTENTS = readFileSync(path.join(API_ROOT, 'data', 'demo-intents.yaml'), 'utf8');

const REPORT_FIELDS = `id cluster snapshotId snapshotSha256 framework frameworkVersion engineVersion intentsId intentsVersion generatedAt
  reportSha256 signature evidenceUrl summary { verdict pass fail manual notApplicable }
  controls { id reference status summary counts { key value } exceptions { path owner expires connections }
    evidence(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { kind status subject peer ports detail } } } }
  changes { previousReportId flipped { control from to } newViolations { subject peer ports } }`;

async function netpol(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [NETPOL, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('compliance API', () => {
  let t: TestApp;
  let snapshotId: string;
  let intentsId: string;
  let report: Json;
  const scratch = mkdtempSync(path.join(tmpdir(), 'netpol-evidence-'));

  beforeAll(async () => {
    t = await startApp();
    const ingest = await t.http.post('/api/v1/clusters/demo/snapshots?capturedAt=2026-11-01T00:00:00Z').set('Content-Type', 'application/yaml').send(demoYaml());
    expect(ingest.status).toBe(201);
    snapshotId = ingest.body.id;
  });
  afterAll(async () => {
    await t?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('lints a stored snapshot', async () => {
    const res = await gql(t, 'query($id: ID!) { lint(snapshotId: $id) { errors warnings findings { rule severity kind namespace name path } } }', { id: snapshotId });
    expect(res.errors).toBeUndefined();
    const lint = res.data!.lint;
    expect(lint.errors).toBe(2);
    expect(lint.findings).toContainEqual({ rule: 'dead-allow-rule', severity: 'warning', kind: 'NetworkPolicy', namespace: 'production', name: 'backend-egress', path: '[9].spec.egress[2]' }); // [9]: the object's place in the stored content
  });

  it('pages the findings, filtered and in reading order (errors, warnings, info; by rule), with the filters\' choices', async () => {
    type F = { rule: string; severity: string; namespace: string; path: string };
    const all = (await gql(t, 'query($id: ID!) { lint(snapshotId: $id) { info findings { rule severity namespace path } } }', { id: snapshotId })).data!.lint;
    const findings = all.findings as F[];
    const rank = (s: string) => ['error', 'warning', 'info'].indexOf(s);
    const reading = findings.map((f, i) => ({ f, i })).sort((a, b) => rank(a.f.severity) - rank(b.f.severity) || (a.f.rule < b.f.rule ? -1 : a.f.rule > b.f.rule ? 1 : a.i - b.i)).map((x) => x.f);
    const PAGE = `query($id: ID!, $first: Int!, $after: String, $severity: String, $rule: String, $namespace: String) { lint(snapshotId: $id) {
      rules namespaces
      findingsPage(first: $first, after: $after, severity: $severity, rule: $rule, namespace: $namespace) { totalCount pageInfo { hasNextPage endCursor } edges { node { rule severity namespace path } } } } }`;
    const pages = async (variables: Record<string, unknown>) => {
      const seen: F[] = [];
      const totals: number[] = [];
      let after: string | null = null;
      for (;;) {
        const res: GraphQLResponse<Record<string, Json>> = await gql(t, PAGE, { id: snapshotId, first: 3, after, ...variables });
        expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
        const page: Json = res.data!.lint.findingsPage;
        seen.push(...page.edges.map((e: { node: F }) => e.node));
        totals.push(page.totalCount);
        if (!page.pageInfo.hasNextPage) {
          // Every page counts the whole filtered list.
          expect(new Set(totals)).toEqual(new Set([seen.length]));
          return { seen, res };
        }
        after = page.pageInfo.endCursor;
      }
    };
    const every = await pages({});
    expect(every.seen).toEqual(reading);
    expect(every.seen.length).toBeGreaterThan(6);
    expect(every.res.data!.lint.rules).toEqual([...new Set(findings.map((f) => f.rule))].sort());
    expect(every.res.data!.lint.namespaces).toEqual([...new Set(findings.map((f) => f.namespace).filter(Boolean))].sort());
    const warnings = await pages({ severity: 'warning', namespace: 'production' });
    expect(warnings.seen).toEqual(reading.filter((f) => f.severity === 'warning' && f.namespace === 'production'));
    expect(warnings.seen.length).toBeGreaterThan(0);
    expect((await pages({ rule: 'dns-unreachable' })).seen).toEqual(reading.filter((f) => f.rule === 'dns-unreachable'));
    expect((await pages({ rule: 'no-such-rule' })).seen).toEqual([]);
    for (const bad of [{ first: 0 }, { first: 101 }, { after: 'bm90LWEtY3Vyc29y' }, { severity: 'x'.repeat(65) }]) {
      expect(errorCodes(await gql(t, PAGE, { id: snapshotId, first: 3, ...bad })), JSON.stringify(bad)).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('stores intents per cluster, each change a new version; invalid intents are BAD_USER_INPUT with located issues', async () => {
    const save = (content: string) => gql(t, 'mutation($c: String!) { saveIntents(cluster: "demo", content: $c) { id version name sha256 } }', { c: content });
    const first = await save(INTENTS);
    expect(first.errors).toBeUndefined();
    expect(first.data!.saveIntents).toMatchObject({ version: 1, name: 'demo-pci', sha256: createHash('sha256').update(INTENTS).digest('hex') });
    const second = await save(INTENTS);
    expect(second.data!.saveIntents.version).toBe(2);
    intentsId = second.data!.saveIntents.id;
    const bad = await save('apiVersion: netpol-atlas/v1\nkind: SegmentationIntents\nzones: [{ name: cde }]\n');
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0].extensions!.issues).toEqual([expect.objectContaining({ code: 'MISSING_FIELD', path: 'zones[0]' })]);
    const versions = await gql(t, '{ intentsVersions(cluster: "demo") { version } }');
    expect(versions.data!.intentsVersions).toEqual([{ version: 2 }, { version: 1 }]);
  });

  it('checks a stored snapshot against stored intents: each violation a connection with the rule that allows it', async () => {
    const res = await gql(
      t,
      'query($s: ID!, $i: ID!) { intentsCheck(snapshotId: $s, intentsId: $i) { passed at checked conforming violations { src dst srcZone dstZone ports rules { direction policy kind apiGroup rule } } exceptionsApplied { path connections } } }',
      { s: snapshotId, i: intentsId },
    );
    expect(res.errors).toBeUndefined();
    const check = res.data!.intentsCheck;
    expect(check).toMatchObject({ passed: false, at: '2026-11-01T00:00:00.000Z', checked: 15, conforming: 13, exceptionsApplied: [{ path: 'exceptions[0]', connections: 7 }] });
    expect(check.violations.map((v: Json) => `${v.src} -> ${v.dst} ${v.ports}`)).toEqual([
      'production/backend[Deployment] -> ingress-nginx/ingress-nginx-controller[Deployment] TCP 53,UDP 53',
      'production/backend[Deployment] -> monitoring/prometheus[Deployment] TCP 53,UDP 53',
    ]);
    expect(check.violations[0].rules).toEqual([{ direction: 'egress', policy: 'production/backend-egress', kind: 'NetworkPolicy', apiGroup: 'networking.k8s.io', rule: 'spec.egress[0]' }]);
  });

  it('generates a signed report stored as insert-only evidence', async () => {
    const res = await gql(t, `mutation($s: ID!, $i: ID) { generateReport(snapshotId: $s, framework: "pci-dss-4.0", intentsId: $i) { ${REPORT_FIELDS} } }`, {
      s: snapshotId,
      i: intentsId,
    });
    expect(res.errors).toBeUndefined();
    report = res.data!.generateReport;
    expect(report).toMatchObject({ cluster: 'demo', snapshotId, framework: 'pci-dss-4.0', frameworkVersion: '4.0.1', intentsId, intentsVersion: 2, changes: null });
    expect(report.summary).toEqual({ verdict: 'fail', pass: 3, fail: 2, manual: 1, notApplicable: 0 });
    const outbound = report.controls.find((c: Json) => c.id === '1.3.2');
    expect(outbound.status).toBe('fail');
    expect(outbound.exceptions).toEqual([{ path: 'exceptions[0]', owner: 'platform-team', expires: '2027-06-30', connections: 7 }]);
    expect(outbound.evidence.totalCount).toBe(12);
    expect(outbound.evidence.edges).toHaveLength(2);
    // The row: the JCS text hashes to reportSha256 (the database checks it too) and the signature verifies.
    const row = await withClient(t.databaseUrl, (c) => c.query('SELECT * FROM reports WHERE id = $1', [report.id]).then((r) => r.rows[0]));
    expect(createHash('sha256').update(row.report_jcs).digest('hex')).toBe(report.reportSha256);
    expect(canonicalJson(JSON.parse(row.report_jcs))).toBe(row.report_jcs);
    const pem = (await t.http.get('/api/v1/signing-key')).text;
    const manifest = signedRowManifest({ ...row, id: row.id, snapshotId: row.snapshot_id, snapshotSha256: row.snapshot_sha256, frameworkId: row.framework_id, frameworkVersion: row.framework_version, engineVersion: row.engine_version, intentsVersion: row.intents_version, reportSha256: row.report_sha256, generatedAt: new Date(row.generated_at).toISOString() });
    expect(verify(null, Buffer.from(manifest), createPublicKey(pem), Buffer.from(report.signature, 'base64'))).toBe(true);
    const refused = await withClient(t.databaseUrl, (c) => c.query("UPDATE reports SET verdict = 'pass'").then(() => undefined, (e: Error) => e.message));
    expect(refused).toBe('evidence is immutable: UPDATE on reports is not allowed');
  });

  it('pages evidence of a control and lists reports of a cluster; unknown framework is BAD_USER_INPUT', async () => {
    const control = report.controls.find((c: Json) => c.id === '1.3.2');
    const next = await gql(t, `query($id: ID!, $after: String) { report(id: $id) { controls { id evidence(first: 100, after: $after) { totalCount edges { node { subject } } } } } }`, {
      id: report.id,
      after: control.evidence.pageInfo.endCursor,
    });
    expect(next.data!.report.controls.find((c: Json) => c.id === '1.3.2').evidence.edges).toHaveLength(10);
    const list = await gql(t, '{ reports(cluster: "demo", first: 10) { totalCount edges { node { id framework } } } }');
    expect(list.data!.reports).toEqual({ totalCount: 1, edges: [{ node: { id: report.id, framework: 'pci-dss-4.0' } }] });
    const bad = await gql(t, 'mutation($s: ID!) { generateReport(snapshotId: $s, framework: "hipaa") { id } }', { s: snapshotId });
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    const missing = await gql(t, '{ report(id: "00000000-0000-4000-8000-000000000000") { id } }');
    expect(errorCodes(missing)).toEqual(['NOT_FOUND']);
  });

  it('downloads the report with Content-Disposition file names', async () => {
    const md = await t.http.get(`/api/v1/reports/${report.id}?format=md`);
    expect(md.status).toBe(200);
    // `<cluster>-<snapshot short id>-<framework>-report-<report short id>.<ext>`, as every download and the dashboard's links name files.
    expect(md.headers['content-disposition']).toBe(`attachment; filename="demo-${snapshotId.slice(0, 8)}-pci-dss-4.0-report-${report.id.slice(0, 8)}.md"`);
    expect(md.text).toContain('# PCI DSS v4.0.1 — network segmentation report');
    const json = await t.http.get(`/api/v1/reports/${report.id}`).buffer(true).parse((res, cb) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString('utf8')));
      res.on('end', () => cb(null, text));
    });
    expect(createHash('sha256').update(json.body as string).digest('hex')).toBe(report.reportSha256);
    expect((await t.http.get('/api/v1/reports/not-a-uuid')).status).toBe(400);
  });

  it('a CLI report of the downloaded snapshot is the same bytes as the server report (one engine version)', async () => {
    const res = await gql(t, `mutation($s: ID!) { generateReport(snapshotId: $s, framework: "soc2") { id generatedAt engineVersion reportSha256 } }`, { s: snapshotId });
    expect(res.errors).toBeUndefined();
    const server = res.data!.generateReport;
    expect(server.engineVersion).toBe(String(ENGINE_VERSION));
    const text = async (url: string) => {
      const r = await t.http.get(url).buffer(true).parse((response, cb) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => cb(null, Buffer.concat(chunks)));
      });
      expect(r.status).toBe(200);
      return r.body as Buffer;
    };
    const content = path.join(scratch, 'content.json');
    writeFileSync(content, await text(`/api/v1/snapshots/${snapshotId}/content`));
    const args = ['report', content, '--framework', 'soc2', '--cluster', 'demo', '--snapshot-id', snapshotId, '--captured-at', '2026-11-01T00:00:00Z', '--at', server.generatedAt];
    for (const format of ['md', 'html', 'csv'] as const) {
      const cli = await netpol([...args, '-o', format]);
      expect(cli.stderr).toBe('');
      expect(cli.stdout, `${format} differs`).toBe((await text(`/api/v1/reports/${server.id}?format=${format}`)).toString('utf8'));
    }
    // The PDF too: another process, another moment, the same bytes.
    const { stdout: cliPdf } = await run(process.execPath, [NETPOL, ...args, '-o', 'pdf'], { encoding: 'buffer', maxBuffer: 1 << 26 });
    const serverPdf = await text(`/api/v1/reports/${server.id}?format=pdf`);
    expect(serverPdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(Buffer.compare(cliPdf, serverPdf), 'pdf differs').toBe(0);
    const json = await netpol([...args, '-o', 'json']);
    const stored = (await text(`/api/v1/reports/${server.id}`)).toString('utf8');
    expect(canonicalJson(JSON.parse(json.stdout))).toBe(stored);
    expect(createHash('sha256').update(stored).digest('hex')).toBe(server.reportSha256);
    expect(JSON.parse(json.stdout).engineVersion).toBe(String(ENGINE_VERSION));
  });

  it('a server report on stored intents is the same bytes as a CLI report with that YAML and --intents-version', async () => {
    // nist-800-53: no earlier report of it, so no "changes" section the CLI could not know.
    const res = await gql(t, `mutation($s: ID!, $i: ID) { generateReport(snapshotId: $s, framework: "nist-800-53", intentsId: $i) { id generatedAt intentsVersion changes { previousReportId } } }`, {
      s: snapshotId,
      i: intentsId,
    });
    expect(res.errors).toBeUndefined();
    const server = res.data!.generateReport;
    expect(server.changes).toBeNull();
    const content = path.join(scratch, 'content-for-intents.json');
    writeFileSync(content, (await t.http.get(`/api/v1/snapshots/${snapshotId}/content`)).text);
    const intentsFile = path.join(scratch, 'intents.yaml');
    writeFileSync(intentsFile, INTENTS);
    const args = ['report', content, '--framework', 'nist-800-53', '--intents', intentsFile, '--cluster', 'demo', '--snapshot-id', snapshotId];
    const cli = await netpol([...args, '--captured-at', '2026-11-01T00:00:00Z', '--at', server.generatedAt, '--intents-version', String(server.intentsVersion), '-o', 'md']);
    expect(cli.stderr).toBe('');
    expect(cli.stdout).toContain(`(version ${server.intentsVersion})`);
    expect(cli.stdout).toBe((await t.http.get(`/api/v1/reports/${server.id}?format=md`)).text);
    // Without --intents there is no version to print: unusable input.
    const alone = await netpol(['report', content, '--framework', 'nist-800-53', '--intents-version', '2']);
    expect(alone).toMatchObject({ code: 2, stdout: '' });
    expect(alone.stderr).toContain('--intents-version');
  });

  it('serves a deterministic evidence pack that netpol verify accepts, and rejects once one byte is changed', async () => {
    const download = () =>
      t.http
        .get(`/api/v1/reports/${report.id}/evidence.zip`)
        .buffer(true)
        .parse((res, cb) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => cb(null, Buffer.concat(chunks)));
        });
    const first = await download();
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('application/zip');
    expect(first.headers['content-disposition']).toBe(`attachment; filename="demo-${snapshotId.slice(0, 8)}-pci-dss-4.0-evidence-${report.id.slice(0, 8)}.zip"`);
    const zip = first.body as Buffer;
    expect(Buffer.compare(zip, (await download()).body as Buffer)).toBe(0);
    const files = unzipSync(new Uint8Array(zip));
    expect(Object.keys(files).sort()).toEqual([
      'SHA256SUMS',
      'connectivity.csv',
      'intents.yaml',
      'lint.json',
      'lint.sarif',
      'manifest.json',
      'manifest.sig',
      'policies.json',
      'probe-plan.json',
      'probe-plan.sh',
      'report.csv',
      'report.html',
      'report.json',
      'report.md',
      'report.pdf',
      'snapshot/content.json',
    ]);
    // The pack's PDF is the download's: deterministic, and listed in the signed manifest like every file.
    const pdf = await t.http.get(`/api/v1/reports/${report.id}?format=pdf`).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe(`attachment; filename="demo-${snapshotId.slice(0, 8)}-pci-dss-4.0-report-${report.id.slice(0, 8)}.pdf"`);
    expect(Buffer.compare(pdf.body as Buffer, Buffer.from(files['report.pdf']))).toBe(0);
    const manifest = JSON.parse(Buffer.from(files['manifest.json']).toString());
    expect(manifest).toMatchObject({ reportId: report.id, reportSha256: report.reportSha256, snapshot: { id: snapshotId, contentSha256: report.snapshotSha256 }, intents: { version: 2 } });
    // The stored content itself, read by the render thread (content-source.ts).
    expect(createHash('sha256').update(files['snapshot/content.json']!).digest('hex')).toBe(report.snapshotSha256);

    const zipFile = path.join(scratch, 'evidence.zip');
    const keyFile = path.join(scratch, 'key.pem');
    writeFileSync(zipFile, zip);
    writeFileSync(keyFile, (await t.http.get('/api/v1/signing-key')).text);
    const ok = await netpol(['verify', zipFile, '--key', keyFile]);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('evidence pack verified');

    // One byte of report.md's stored (deflated) data, found by its local header, flipped.
    const tampered = Buffer.from(zip);
    const at = tampered.indexOf(Buffer.from('report.md')) + 'report.md'.length + 20;
    tampered[at] ^= 0xff;
    writeFileSync(zipFile, tampered);
    const bad = await netpol(['verify', zipFile, '--key', keyFile]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/FAIL|NOT valid/);

    // One byte of the PDF's stored data flipped: caught too.
    const pdfTampered = Buffer.from(zip);
    const pdfAt = pdfTampered.indexOf(Buffer.from('report.pdf')) + 'report.pdf'.length + 20;
    pdfTampered[pdfAt] ^= 0xff;
    writeFileSync(zipFile, pdfTampered);
    const badPdf = await netpol(['verify', zipFile, '--key', keyFile]);
    expect(badPdf.code).toBe(1);
    expect(badPdf.stdout).toMatch(/FAIL|NOT valid/);

    // A re-zipped pack with a consistent but forged SHA256SUMS still fails: the manifest's signature.
    const forgedFiles = { ...files, 'report.md': new TextEncoder().encode('# all good\n') };
    const { zipSync } = await import('fflate');
    writeFileSync(zipFile, zipSync(forgedFiles));
    const forged = await netpol(['verify', zipFile, '--key', keyFile]);
    expect(forged.code).toBe(1);
    expect(forged.stdout).toContain('FAIL report.md: SHA-256');
  });

  it('reports on every new snapshot of a cluster with a compliance profile, saying what changed', async () => {
    const profile = await gql(t, 'mutation($i: ID) { setComplianceProfile(cluster: "demo", frameworks: ["pci-dss-4.0", "cis"], intentsId: $i) { frameworks intentsId } }', { i: intentsId });
    expect(profile.data!.setComplianceProfile).toEqual({ frameworks: ['cis', 'pci-dss-4.0'], intentsId });
    // The fix: backend's DNS rule to kube-dns only. 1.3.2 flips to pass.
    const fixed = demoYaml().replace('    - to: []\n', '    - to:\n        - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }\n          podSelector: { matchLabels: { k8s-app: kube-dns } }\n');
    expect(fixed).not.toContain('to: []');
    const ingest = await t.http.post('/api/v1/clusters/demo/snapshots?capturedAt=2026-11-02T00:00:00Z').set('Content-Type', 'application/yaml').send(fixed);
    expect(ingest.status).toBe(201);
    const list = await gql(t, `{ reports(cluster: "demo", first: 10) { totalCount edges { node { framework snapshotId changes { previousReportId flipped { control from to } } } } } }`);
    const nodes = list.data!.reports.edges.map((e: Json) => e.node).filter((n: Json) => n.snapshotId === ingest.body.id);
    expect(nodes.map((n: Json) => n.framework).sort()).toEqual(['cis', 'pci-dss-4.0']);
    const pci = nodes.find((n: Json) => n.framework === 'pci-dss-4.0');
    expect(pci.changes.previousReportId).toBe(report.id);
    expect(pci.changes.flipped).toContainEqual({ control: '1.3.2', from: 'fail', to: 'pass' });
  });

  it("compares a report only with the previous one on the same basis (intents or the CDE convention), not across them", async () => {
    const generate = (i: string | null) =>
      gql(t, `mutation($s: ID!, $i: ID) { generateReport(snapshotId: $s, framework: "pci-dss-4.0", intentsId: $i) { id intentsId changes { previousReportId flipped { control } } } }`, { s: snapshotId, i });
    // The same snapshot without intents: the first report on that basis, so nothing "changed" (the intents' 1.3.2
    // violations are not "resolved" by leaving the intents out).
    const convention = await generate(null);
    expect(convention.errors).toBeUndefined();
    expect(convention.data!.generateReport).toMatchObject({ intentsId: null, changes: null });
    const again = await generate(null);
    expect(again.data!.generateReport.changes).toEqual({ previousReportId: convention.data!.generateReport.id, flipped: [] });
    // With the intents again: compared with the newest report on the intents, not the convention's just before it.
    const withIntents = await generate(intentsId);
    expect(withIntents.errors).toBeUndefined();
    const previous = await gql(t, '{ reports(cluster: "demo", first: 10) { edges { node { id framework intentsId } } } }');
    const newestOnIntents = previous.data!.reports.edges
      .map((e: Json) => e.node)
      .filter((n: Json) => n.framework === 'pci-dss-4.0' && n.intentsId !== null && n.id !== withIntents.data!.generateReport.id)[0];
    expect(withIntents.data!.generateReport.changes.previousReportId).toBe(newestOnIntents.id);
  });
});

describe('the demo at first start', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ loadDemoData: true });
  });
  afterAll(() => t?.close());

  it('has a PCI report of the demo snapshot, from its intents, at once', async () => {
    const res = await gql(t, '{ reports(cluster: "demo", first: 5) { totalCount edges { node { framework intentsVersion summary { verdict } controls { id status } } } } }');
    expect(res.errors).toBeUndefined();
    expect(res.data!.reports.totalCount).toBe(1);
    const node = res.data!.reports.edges[0].node;
    expect(node).toMatchObject({ framework: 'pci-dss-4.0', intentsVersion: 1, summary: { verdict: 'fail' } });
    expect(node.controls.map((c: Json) => `${c.id} ${c.status}`)).toEqual(['1.2.1 fail', '1.3.1 pass', '1.3.2 fail', '1.4.1 pass', '1.4.2 pass', '11.4.5 manual']);
  });
});
