// What the dashboard's Findings page and policy page read, through the real server and Postgres: the lint
// download (json, SARIF, txt, with a file name; 400 / 404 located), and Policy.ruleConnections (per rule path,
// the peers and ports it allows) on the demo cluster; what Deny / Pass rules do, and policies of one name in two kinds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { demoYaml } from './support/demo.js';
import { gql, type Json } from './support/graphql.js';

describe('findings and per-rule connections for the dashboard', () => {
  let t: TestApp;
  let snapshotId: string;

  beforeAll(async () => {
    t = await startApp();
    const ingest = await t.http.post('/api/v1/clusters/demo-findings/snapshots?capturedAt=2026-11-01T00:00:00Z').set('Content-Type', 'application/yaml').send(demoYaml());
    expect(ingest.status).toBe(201);
    snapshotId = ingest.body.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('downloads the lint findings as JSON, SARIF 2.1.0 and text, the same findings as GraphQL lint, readable by a viewer', async () => {
    const viewer = t.as(await t.tokenFor('viewer'));
    const json = await viewer.get(`/api/v1/snapshots/${snapshotId}/lint?format=json`).buffer(true);
    expect(json.status).toBe(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.headers['content-disposition']).toBe(`attachment; filename="demo-findings-${snapshotId.slice(0, 8)}-lint.json"`);
    const body = JSON.parse(json.text) as { summary: { findings: number; errors: number }; findings: Array<{ rule: string; path: string }> };
    const graph = await gql(t, 'query($id: ID!) { lint(snapshotId: $id) { errors findings { rule path } } }', { id: snapshotId });
    expect(graph.errors).toBeUndefined();
    const lint = (graph.data as Json).lint;
    expect(body.summary.findings).toBe(lint.findings.length);
    expect(body.summary.errors).toBe(lint.errors);
    expect(body.findings.map((f) => `${f.rule} ${f.path}`)).toEqual(lint.findings.map((f: Json) => `${f.rule} ${f.path}`));
    expect(lint.findings.length).toBeGreaterThan(0);

    const sarif = await viewer.get(`/api/v1/snapshots/${snapshotId}/lint?format=sarif`).buffer(true);
    expect(sarif.status).toBe(200);
    expect(sarif.headers['content-disposition']).toBe(`attachment; filename="demo-findings-${snapshotId.slice(0, 8)}-lint.sarif"`);
    const log = JSON.parse(sarif.text) as { version: string; runs: Array<{ results: unknown[] }> };
    expect(log.version).toBe('2.1.0');
    expect(log.runs[0].results).toHaveLength(lint.findings.length);

    const txt = await viewer.get(`/api/v1/snapshots/${snapshotId}/lint?format=txt`).buffer(true);
    expect(txt.status).toBe(200);
    expect(txt.text).toContain(lint.findings[0].rule);
  });

  it('refuses an unknown format (400), a malformed id (400) and an unknown snapshot (404), and a request without a token (401)', async () => {
    expect((await t.http.get(`/api/v1/snapshots/${snapshotId}/lint?format=pdf`)).status).toBe(400);
    expect((await t.http.get('/api/v1/snapshots/not-a-uuid/lint')).status).toBe(400);
    expect((await t.http.get('/api/v1/snapshots/00000000-0000-4000-8000-000000000000/lint')).status).toBe(404);
    expect((await t.as(undefined).get(`/api/v1/snapshots/${snapshotId}/lint`)).status).toBe(401);
  });

  it('lists the connections each rule of a demo policy allows: peers and ports per rule path', async () => {
    const res = await gql(
      t,
      `query($id: ID!) { snapshot(id: $id) { policies(namespace: "production", search: "production/backend", first: 10) {
        edges { node { name ruleConnections { rule direction subject peer ports deniedByOtherSide } } } } } }`,
      { id: snapshotId },
    );
    expect(res.errors).toBeUndefined();
    const policies = (res.data as Json).snapshot.policies.edges.map((e: Json) => e.node);
    const ingress = policies.find((p: Json) => p.name === 'backend-ingress').ruleConnections;
    expect(ingress).toContainEqual({
      rule: 'spec.ingress[0]',
      direction: 'ingress',
      subject: 'production/backend[Deployment]',
      peer: 'production/frontend[Deployment]',
      ports: 'TCP:[8080]',
      deniedByOtherSide: '',
    });
    expect(ingress.every((c: Json) => c.rule === 'spec.ingress[0]' || c.rule === 'spec.ingress[1]')).toBe(true);
    expect(ingress.some((c: Json) => c.rule === 'spec.ingress[1]' && c.peer.startsWith('ingress-nginx/'))).toBe(true);
    const egress = policies.find((p: Json) => p.name === 'backend-egress').ruleConnections;
    // The 0.0.0.0/0-except-private rule: public ranges on 443, merged, in CIDR notation where one block.
    const internet = egress.filter((c: Json) => c.rule === 'spec.egress[3]');
    expect(internet.length).toBeGreaterThan(0);
    expect(internet.every((c: Json) => c.ports === 'TCP:[443]' && !c.peer.includes('['))).toBe(true);
    expect(internet.map((c: Json) => c.peer)).toEqual(['0.0.0.0-9.255.255.255', '11.0.0.0-172.15.255.255', '172.32.0.0-192.167.255.255', '192.169.0.0-255.255.255.255']);
  });

  it('says what each rule does (allow, deny, pass) and keeps policies of one name in different kinds apart', async () => {
    const pod = (ns: string, name: string, ip: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${ns}, labels: {app: ${name}}}\nspec: {containers: [{name: c}]}\nstatus: {podIP: ${ip}}\n`;
    const ns = (name: string) => `{namespaces: {matchLabels: {kubernetes.io/metadata.name: ${name}}}}`;
    const yaml = [
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n`,
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n`,
      pod('a', 'client', '10.0.0.1'),
      pod('b', 'server', '10.0.0.2'),
      `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: default}\nspec:\n  priority: 10\n  subject: ${ns('b')}\n  ingress:\n  - {name: pass-web, action: Pass, from: [${ns('a')}], ports: [{portNumber: {protocol: TCP, port: 8080}}]}\n  - {name: deny-db, action: Deny, from: [${ns('a')}], ports: [{portNumber: {protocol: TCP, port: 5432}}]}\n`,
      `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: default}\nspec:\n  subject: ${ns('b')}\n  ingress:\n  - {name: deny-a, action: Deny, from: [${ns('a')}]}\n`,
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web, namespace: b}\nspec:\n  podSelector: {matchLabels: {app: server}}\n  ingress:\n  - ports: [{port: 8080}]\n  - ports: [{port: 9090}]\n`,
      `apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: web, namespace: b}\nspec:\n  selector: app == 'server'\n  order: 100\n  types: [Ingress]\n  ingress:\n  - {action: Deny, protocol: TCP, destination: {ports: [9090]}}\n`,
    ].join('---\n');
    const ingest = await t.http.post('/api/v1/clusters/rule-actions/snapshots?capturedAt=2026-11-01T00:00:00Z').set('Content-Type', 'application/yaml').send(yaml);
    expect(ingest.status).toBe(201);
    const res = await gql(
      t,
      `query($id: ID!) { snapshot(id: $id) { policies(first: 20) { edges { node { apiVersion kind namespace name ruleConnections { rule action subject peer ports deniedByOtherSide } } } } } }`,
      { id: ingest.body.id },
    );
    expect(res.errors).toBeUndefined();
    const rows = (kind: string, apiVersion: string) =>
      (res.data as Json).snapshot.policies.edges
        .map((e: Json) => e.node)
        .find((p: Json) => p.kind === kind && p.apiVersion === apiVersion)
        .ruleConnections.filter((c: Json) => c.peer === 'a/client[Pod]')
        .map((c: Json) => `${c.rule} ${c.action} ${c.ports}|${c.deniedByOtherSide}`);
    const group = 'policy.networking.k8s.io/v1alpha1';
    expect(rows('AdminNetworkPolicy', group)).toEqual(['spec.ingress[0] pass TCP:[8080]|', 'spec.ingress[1] deny TCP:[5432]|']);
    // The namespaced tier isolates b/server: the baseline policy decides nothing for it.
    expect(rows('BaselineAdminNetworkPolicy', group)).toEqual([]);
    // Calico's b/web (order 100) denies 9090 before the Kubernetes b/web (order 1000) could allow it.
    expect(rows('NetworkPolicy', 'networking.k8s.io/v1')).toEqual(['spec.ingress[0] allow TCP:[8080]|']);
    expect(rows('NetworkPolicy', 'projectcalico.org/v3')).toEqual(['spec.ingress[0] deny TCP:[9090]|']);
  });

  it('reads a cluster\'s compliance profile and its newest report per framework', async () => {
    const fields = 'cluster(name: "demo-findings") { complianceProfile { frameworks intentsId } latestReports { id framework summary { verdict } } }';
    const before = await gql(t, `{ ${fields} }`);
    expect(before.errors).toBeUndefined();
    expect((before.data as Json).cluster).toEqual({ complianceProfile: null, latestReports: [] });
    const ids: string[] = [];
    for (const framework of ['soc2', 'cis', 'soc2']) {
      const generated = await gql(t, 'mutation($s: ID!, $f: String!) { generateReport(snapshotId: $s, framework: $f) { id } }', { s: snapshotId, f: framework });
      expect(generated.errors).toBeUndefined();
      ids.push((generated.data as Json).generateReport.id);
    }
    const profile = await gql(t, 'mutation { setComplianceProfile(cluster: "demo-findings", frameworks: ["soc2", "cis"]) { id } }');
    expect(profile.errors).toBeUndefined();
    const after = await gql(t, `{ ${fields} }`);
    const cluster = (after.data as Json).cluster;
    expect(cluster.complianceProfile).toEqual({ frameworks: ['cis', 'soc2'], intentsId: null });
    // Sorted by framework, the newest soc2 report (the third) wins over the first.
    expect(cluster.latestReports.map((r: Json) => [r.framework, r.id])).toEqual([
      ['cis', ids[1]],
      ['soc2', ids[2]],
    ]);
    expect(cluster.latestReports.every((r: Json) => ['pass', 'fail', 'incomplete'].includes(r.summary.verdict))).toBe(true);
  });
});
