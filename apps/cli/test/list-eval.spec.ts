// `netpol list` options and `netpol eval`, on the demo cluster, through the built bin (exit codes, stdout vs
// stderr) and in-process for the formats.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
const BIN = path.join(REPO_ROOT, 'apps/cli/bin/netpol.mjs');
const DEMO = path.join(REPO_ROOT, 'libs/engine/test/fixtures/demo');
const execFileAsync = promisify(execFile);

async function netpol(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const scratch = mkdtempSync(path.join(tmpdir(), 'netpol-cli-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('netpol eval', () => {
  it.each([
    ['production/frontend', 'production/backend', '8080', [], 'allowed'],
    ['production/backend', 'production/redis', '6379', [], 'denied'],
    ['production/backend', '8.8.8.8', '443', [], 'allowed'],
    ['production/frontend', '8.8.8.8', '53', ['--protocol', 'udp'], 'denied'],
    ['monitoring/prometheus', 'production/database[StatefulSet]', 'metrics', [], 'allowed'],
  ])('%s → %s port %s %j: %s', async (src, dst, port, extra, first) => {
    const r = await netpol('eval', DEMO, '--src', src, '--dst', dst, '--port', port, ...extra);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(first);
    expect(r.stderr).toBe('');
  });

  it('explains both sides with --explain', async () => {
    const r = await netpol('eval', DEMO, '--src', 'production/backend', '--dst', 'production/redis', '--port', '6379', '--explain');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('denied');
    expect(r.stdout).toContain('egress of production/backend[Deployment]: allowed; isolated by production/backend-egress, production/default-deny-all');
    expect(r.stdout).toContain('  allowed by production/backend-egress spec.egress[2]: TCP 6379');
    expect(r.stdout).toContain('ingress of production/redis[Deployment]: denied; isolated by production/default-deny-all');
    expect(r.stdout).toContain('  production/default-deny-all: has no rule in this direction');
  });

  it('-o json prints the reachability object', async () => {
    const r = await netpol('eval', DEMO, '--src', 'production/frontend', '--dst', 'production/backend', '--port', '8080', '-o', 'json');
    expect(r.code).toBe(0);
    const verdict = JSON.parse(r.stdout);
    expect(verdict.allowed).toBe(true);
    expect(Object.keys(verdict)).toEqual(['allowed', 'cniProfile', 'caveats', 'explanation']);
    expect(verdict.cniProfile).toBe('np-guard');
    expect(verdict.explanation.ingress.allowedBy).toEqual([
      { policy: 'backend-ingress', namespace: 'production', rule: 'spec.ingress[0]', ports: [{ protocol: 'TCP', from: 8080, to: 8080 }] },
    ]);
    expect(verdict.explanation.egress.policies).toEqual(['production/default-deny-all', 'production/frontend-egress-restrict']);
    expect(typeof verdict.explanation.summary).toBe('string');
    // The tiered decision steps of each side, as GraphQL's SideExplanation.steps has them.
    expect(verdict.explanation.ingress.steps.map((s: Record<string, unknown>) => [s.tier, s.name, s.rule, s.action])).toEqual([
      ['admin', 'cde-ingress-guardrail', 'spec.ingress[0]', 'PASS'],
      ['namespaced', 'backend-ingress', 'spec.ingress[0]', 'ALLOW'],
    ]);
    expect(verdict.explanation.egress.steps.map((s: { name: string; action: string }) => [s.name, s.action])).toContainEqual(['frontend-egress-restrict', 'ALLOW']);
  });

  it('an ambiguous name exits 2 listing the candidates', async () => {
    writeFileSync(
      path.join(scratch, 'twins.yaml'),
      ['Deployment', 'StatefulSet']
        .map((kind) => `apiVersion: apps/v1\nkind: ${kind}\nmetadata: {name: web, namespace: ns}\nspec:\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: c, image: x}]}\n`)
        .join('---\n'),
    );
    const r = await netpol('eval', path.join(scratch, 'twins.yaml'), '--src', 'ns/web', '--dst', '1.2.3.4', '--port', '80');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('ns/web[Deployment]');
    expect(r.stderr).toContain('ns/web[StatefulSet]');
    const ok = await netpol('eval', path.join(scratch, 'twins.yaml'), '--src', 'ns/web[StatefulSet]', '--dst', '1.2.3.4', '--port', '80');
    expect(ok.code).toBe(0);
  });

  it.each([
    [['--src', 'production/nope', '--dst', 'production/backend', '--port', '80'], 'no workload or pod production/nope'],
    [['--src', 'production/frontend', '--dst', 'production/backend', '--port', 'nope'], 'no container port named nope'],
    [['--src', 'not a peer', '--dst', 'production/backend', '--port', '80'], 'expected ns/name'],
    [['--src', 'production/frontend', '--dst', 'production/backend'], "required option '--port"],
  ])('%j exits 2', async (args, message) => {
    const r = await netpol('eval', DEMO, ...args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
  });

  it('--timings prints one stderr line', async () => {
    const r = await netpol('eval', DEMO, '--src', 'production/frontend', '--dst', 'production/backend', '--port', '8080', '--timings');
    expect(r.stderr).toMatch(/^timings: parse=\d+\.\d analyze=\d+\.\d output=\d+\.\d rss=\d+ cpu=\d+\/\d+\/\d+\n$/);
  });
});

describe('netpol list', () => {
  it('txt by default; --timings on stderr only', async () => {
    const r = await netpol('list', DEMO, '--timings');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('production/frontend[Deployment] => production/backend[Deployment] : TCP 8080\n');
    expect(r.stderr).toMatch(/^timings: parse=\d+\.\d analyze=\d+\.\d output=\d+\.\d rss=\d+ cpu=\d+\/\d+\/\d+\n$/);
  });

  it('--pods lists replicas as peers', async () => {
    const r = await netpol('list', DEMO, '--pods', '-o', 'csv');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('src,dst,conn');
    expect(r.stdout).toContain('production/backend-0[Pod],production/database-1[Pod],TCP 5432\n');
    expect(r.stdout).not.toContain('production/database-0[Pod],production/database-1[Pod]');
  });

  it('warns on stderr when IPv6 rows are left out of txt, and shows them in md', async () => {
    writeFileSync(
      path.join(scratch, 'v6.yaml'),
      [
        'apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: ns}\nspec: {containers: [{name: c, image: x}]}\n',
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: ns}\nspec:\n  podSelector: {}\n  egress:\n  - to: [{ipBlock: {cidr: "2001:db8::/32"}}]\n',
      ].join('---\n'),
    );
    const txt = await netpol('list', path.join(scratch, 'v6.yaml'));
    expect(txt.code).toBe(0);
    expect(txt.stdout).not.toContain('2001:db8');
    expect(txt.stderr).toContain('IPv6');
    const md = await netpol('list', path.join(scratch, 'v6.yaml'), '-o', 'md');
    expect(md.stdout).toContain('| ns/a[Pod] | 2001:db8::-2001:db8:ffff:ffff:ffff:ffff:ffff:ffff[External] | All Connections |');
    expect(md.stderr).toBe('');
    expect(md.stdout.endsWith(' |\n')).toBe(true); // np-guard's md has no final newline; stdout gets one
  });

  it('exits 2 on unusable input, printing located issues', async () => {
    writeFileSync(path.join(scratch, 'bad.yaml'), 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  podSelector: {}\n  ingress:\n  - ports: [{protocol: ICMP}]\n');
    const r = await netpol('list', path.join(scratch, 'bad.yaml'));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: .*bad\.yaml/m);
    const missing = await netpol('list', path.join(scratch, 'missing-dir'));
    expect(missing.code).toBe(2);
    mkdirSync(path.join(scratch, 'empty'));
    const empty = await netpol('list', path.join(scratch, 'empty'));
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('no manifest files');
    const usage = await netpol('list', DEMO, '-o', 'xml');
    expect(usage.code).toBe(2);
  });

  it('exits 2 on a misspelt kind of a known group, naming its file, line, field and the kind meant', async () => {
    const file = path.join(scratch, 'typo.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicie\nmetadata: {name: p, namespace: a}\nspec: {}\n');
    for (const command of ['list', 'lint']) {
      const r = await netpol(command, file);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(`error: ${file}:6 (2nd document) kind: unknown kind "NetworkPolicie" in networking.k8s.io/v1: did you mean \`NetworkPolicy\`? [UNKNOWN_KIND]`);
    }
  });

  it('-o json keeps the engine\'s 0-based document index (the text says "2nd document", the JSON `document: 1`)', async () => {
    const file = path.join(scratch, 'second-document.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: a}\nspec:\n  podSelector: {matchLabels: {app: nothing}}\n  policyTypes: [Ingress]\n');
    const r = await netpol('lint', file, '-o', 'json');
    const findings = JSON.parse(r.stdout).findings as { rule: string; document: number; line: number }[];
    expect(findings.find((f) => f.rule === 'policy-selects-nothing')).toMatchObject({ document: 1, line: 5 });
  });

  it('exits 2 when no object of the input can be analysed, as the server answers 422 "nothing to store"', async () => {
    const file = path.join(scratch, 'only-ignored.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: a}\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n');
    const runs = [
      ['list', file],
      ['list', file, '--summary', '-o', 'json'],
      ['lint', file],
      ['eval', file, '--src', 'a/x', '--dst', 'a/y', '--port', '80'],
      ['who-can-reach', file, 'a/x'],
    ];
    for (const args of runs) {
      const r = await netpol(...args);
      expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(r.stderr).toContain('warning: ');
      expect(r.stderr).toContain('error: no object in the input can be analysed: nothing to analyse\n');
    }
  });
});
