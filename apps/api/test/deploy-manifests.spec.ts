// Dogfood (issue 13): our own Kubernetes deployment (apps/api/deploy/kubernetes) is analysed by our own built CLI.
// `netpol lint` finds nothing in it (with the rest of a cluster around it: DNS, ingress controller, Prometheus),
// and `netpol check --intents apps/api/deploy/segmentation-intents.yaml` passes; the same checks catch a broken copy.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from './support/processes.js';

const run = promisify(execFile);
const NETPOL = path.join(REPO_ROOT, 'apps', 'cli', 'bin', 'netpol.mjs');
const DEPLOY = path.join(REPO_ROOT, 'apps', 'api', 'deploy', 'kubernetes');
const INTENTS = path.join(REPO_ROOT, 'apps', 'api', 'deploy', 'segmentation-intents.yaml');
const CLUSTER = path.join(REPO_ROOT, 'apps', 'api', 'test', 'fixtures', 'deploy-cluster');
const AT = '2026-12-01T00:00:00Z';
const scratch = mkdtempSync(path.join(tmpdir(), 'netpol-deploy-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function netpol(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [NETPOL, ...args], { cwd: REPO_ROOT, maxBuffer: 1 << 26 });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; code?: number };
    return { stdout: e.stdout ?? '', stderr: e.stderr ?? '', code: typeof e.code === 'number' ? e.code : -1 };
  }
}

/** The deployment and the surrounding cluster in one folder (check takes one path), optionally edited. */
function cluster(name: string, edit?: (file: string, text: string) => string): string {
  const dir = path.join(scratch, name);
  cpSync(DEPLOY, dir, { recursive: true });
  cpSync(CLUSTER, dir, { recursive: true });
  if (edit) for (const file of readdirSync(dir)) writeFileSync(path.join(dir, file), edit(file, readFileSync(path.join(dir, file), 'utf8')));
  return dir;
}

interface LintReport {
  summary: { findings: number };
  findings: { rule: string; severity: string; file: string; object: { namespace?: string; name: string } }[];
}

describe('our own deployment manifests, analysed by our own CLI', () => {
  it('declare the api and worker Deployments, the Service and the NetworkPolicies the issue asks for', () => {
    const objects = readdirSync(DEPLOY)
      .sort()
      .flatMap((file) => parseAllDocuments(readFileSync(path.join(DEPLOY, file), 'utf8')).map((doc) => doc.toJS()))
      .map((o: { kind: string; metadata: { name: string } }) => `${o.kind}/${o.metadata.name}`);
    expect(objects).toEqual(
      expect.arrayContaining([
        'Deployment/netpol-api',
        'Deployment/netpol-worker',
        'Service/netpol-api',
        'NetworkPolicy/default-deny',
        'NetworkPolicy/allow-dns',
        'NetworkPolicy/allow-postgres',
        'NetworkPolicy/allow-from-ingress-controller',
      ]),
    );
  });

  it('netpol lint: no finding in our files (DNS on UDP and TCP 53 reachable, default deny both ways)', async () => {
    const res = await netpol(['lint', path.relative(REPO_ROOT, DEPLOY), path.relative(REPO_ROOT, CLUSTER), '-o', 'json', '--at', AT]);
    expect(res.code, res.stderr).toBe(0);
    const report = JSON.parse(res.stdout) as LintReport;
    const files = new Set(report.findings.map((finding) => finding.file));
    // The surrounding cluster has findings (no default deny there): the lint did run, over both folders.
    expect([...files]).toEqual(['apps/api/test/fixtures/deploy-cluster/cluster.yaml']);
    expect(report.findings.filter((finding) => finding.object.namespace === 'netpol-atlas')).toEqual([]);
  });

  it('netpol lint catches a broken copy: without the DNS policy every pod of ours is dns-unreachable', async () => {
    const withoutDns = (text: string) => text.split('\n---\n').filter((doc) => !doc.includes('name: allow-dns,')).join('\n---\n');
    const dir = cluster('no-dns', (file, text) => (file === '30-networkpolicies.yaml' ? withoutDns(text) : text));
    const res = await netpol(['lint', dir, '-o', 'json', '--at', AT]);
    expect(res.code).toBe(1);
    const report = JSON.parse(res.stdout) as LintReport;
    const unreachable = report.findings.filter((f) => f.rule === 'dns-unreachable').map((f) => `${f.object.namespace}/${f.object.name}`);
    expect(unreachable).toEqual(expect.arrayContaining(['netpol-atlas/netpol-api', 'netpol-atlas/netpol-worker']));
  });

  it('netpol check --intents: every connection across our zones is an allowed flow', async () => {
    const res = await netpol(['check', cluster('as-is'), '--intents', INTENTS, '--at', AT, '-o', 'json']);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    const report = JSON.parse(res.stdout) as { violations: unknown[]; conforming: number; zones: { name: string; workloads: string[] }[] };
    expect(report.violations).toEqual([]);
    expect(report.zones.find((zone) => zone.name === 'atlas-api')?.workloads).toEqual(['netpol-atlas/netpol-api[Deployment]']);
    expect(report.conforming).toBeGreaterThanOrEqual(8);
  });

  it('netpol check --intents fails when a policy lets another workload reach the API', async () => {
    const open = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: allow-shop, namespace: netpol-atlas }
spec:
  podSelector: { matchLabels: { app.kubernetes.io/component: api } }
  policyTypes: [Ingress]
  ingress: [{ from: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: shop } } }] }]
`;
    const dir = cluster('opened', (file, text) => (file === '30-networkpolicies.yaml' ? text + open : text));
    const res = await netpol(['check', dir, '--intents', INTENTS, '--at', AT, '-o', 'json']);
    expect(res.code).toBe(1);
    const report = JSON.parse(res.stdout) as { violations: { src: string; dst: string }[] };
    expect(report.violations.map((v) => `${v.src} => ${v.dst}`)).toEqual(['shop/storefront[Deployment] => netpol-atlas/netpol-api[Deployment]']);
  });
});
