// The dashboard review's leftovers in a real Chromium against the real built API (embedded PostgreSQL): a page for
// every policy kind the engine models (AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy, Calico
// NetworkPolicy / GlobalNetworkPolicy, CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy) with its rules as the
// engine reads them, linked from the snapshot's list and from the decision steps of a verdict.
import { readFileSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverByAdminClientByNetworkPolicyYaml } from '../../../tools/testing/client-server.js';
import { startApiServer, uploadSnapshot, type ApiServer } from './api-server.js';
import { launchBrowser, type LaunchedBrowser } from './browser.js';

const SCREENSHOT_DIR = process.env.NETPOL_SCREENSHOT_DIR ?? path.resolve(import.meta.dirname, '../test-output/screenshots');
const FIXTURES = path.resolve(import.meta.dirname, '../../api/test/fixtures');

let server: ApiServer | undefined;
let browser: LaunchedBrowser | undefined;
let setupError: unknown;
const ids: Record<string, string> = {};

beforeAll(async () => {
  try {
    browser = await launchBrowser({ viewport: { width: 1280, height: 800 } });
    server = await startApiServer();
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    for (const dialect of ['calico', 'cilium']) ids[dialect] = await upload(`kinds-${dialect}`, readFileSync(path.join(FIXTURES, `policy-kinds-${dialect}.yaml`), 'utf8'));
  } catch (error) {
    setupError = error;
  }
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

function stack(): { browser: LaunchedBrowser; server: ApiServer } {
  if (setupError) throw setupError;
  if (!browser || !server) throw new Error('beforeAll did not finish its setup');
  return { browser, server };
}

async function upload(cluster: string, body: string): Promise<string> {
  if (!server) throw new Error('no server');
  return uploadSnapshot(server, cluster, body);
}

async function openPage(pathname: string, { theme = 'light', viewport }: { theme?: 'light' | 'dark'; viewport?: { width: number; height: number } } = {}) {
  const { browser, server } = stack();
  const page = await browser.context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  await page.addInitScript(([token, chosen]) => {
    sessionStorage.setItem('netpol-atlas.token', token);
    localStorage.setItem('netpol-theme', chosen);
  }, [server.adminToken, theme] as const);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  await page.goto(`${server.baseUrl}${pathname}`);
  return { page, problems };
}

async function shoot(page: Page, name: string): Promise<void> {
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  expect((await stat(file)).size, `${name}.png looks blank`).toBeGreaterThan(20_000);
}

/** A summary fact (`<dt>` → `<dd>` text). */
const fact = (page: Page, term: string) => page.getByRole('region', { name: 'Summary' }).locator(`dt:text-is("${term}") + dd`).innerText();

/** The rules table's cells, row by row (header row left out). */
async function ruleRows(page: Page): Promise<string[][]> {
  const table: Locator = page.getByRole('region', { name: 'Rules' }).getByRole('table');
  await table.waitFor();
  return table.locator('tbody tr').evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('th, td')].map((cell) => (cell as HTMLElement).innerText.replace(/\s+/g, ' ').trim())));
}

describe('a page for every policy kind', () => {
  it('links every policy of the snapshot list to its page, cluster-scoped and Calico ones included', async () => {
    const { page, problems } = await openPage(`/snapshots/${ids.calico}`);
    try {
      const policies = page.getByRole('region', { name: 'Policies' });
      await policies.getByRole('link', { name: 'guard-shop' }).waitFor();
      const hrefs = await policies.getByRole('link').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      expect(hrefs.filter((href) => href?.includes('polic'))).toEqual([
        `/snapshots/${ids.calico}/cluster-policies/AdminNetworkPolicy/guard-shop`,
        `/snapshots/${ids.calico}/cluster-policies/BaselineAdminNetworkPolicy/default`,
        `/snapshots/${ids.calico}/cluster-policies/ClusterNetworkPolicy/dns-everywhere`,
        `/snapshots/${ids.calico}/cluster-policies/GlobalNetworkPolicy/security.block-probe-api`,
        `/snapshots/${ids.calico}/policies/shop/NetworkPolicy.projectcalico.org/allow-web`,
      ]);
      await policies.getByRole('link', { name: 'guard-shop' }).click();
      await page.getByRole('heading', { level: 1, name: 'AdminNetworkPolicy guard-shop' }).waitFor();
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('AdminNetworkPolicy: tier, priority, subject, each named rule with its action, peers and ports; a rule highlights its YAML', async () => {
    const { page, problems } = await openPage(`/snapshots/${ids.calico}/cluster-policies/AdminNetworkPolicy/guard-shop?rule=${encodeURIComponent('spec.ingress[1]')}`);
    try {
      await page.getByRole('heading', { level: 1, name: 'AdminNetworkPolicy guard-shop' }).waitFor();
      expect(await fact(page, 'Tier')).toBe('admin tier: decides before NetworkPolicies');
      expect(await fact(page, 'Priority')).toBe('20 (lower decides first)');
      expect(await fact(page, 'Applies to')).toBe('every pod in namespaces team=shop (host-network pods excepted)');
      expect(await ruleRows(page)).toEqual([
        ['spec.ingress[0] pass-ops-web', '↓ Pass to the next tier', 'from every pod in namespaces kubernetes.io/metadata.name=ops (host-network pods excepted)', 'TCP:[8080]'],
        ['spec.ingress[1] deny-ops-api', '✗ Deny', 'from every pod in namespaces kubernetes.io/metadata.name=ops (host-network pods excepted)', 'TCP:[9000]'],
      ]);
      await page.getByText('Highlighted: spec.ingress[1], lines 17–26.').waitFor();
      // What each rule does: the Deny rule's rows are the ports it denies, the Pass rule's those it hands to the next tier
      // (no "allowed" column about the other side for them).
      const rules = page.getByRole('region', { name: 'What each rule does' });
      const deny = rules.getByRole('region', { name: /^spec\.ingress\[1\]/ });
      await deny.getByRole('row', { name: 'ops/probe[Deployment] shop/web[Deployment] TCP:[9000]', exact: true }).waitFor();
      expect(await deny.getByRole('columnheader').allInnerTexts()).toEqual(['From', 'To (selected)', 'Ports denied']);
      const pass = rules.getByRole('region', { name: /^spec\.ingress\[0\]/ });
      await pass.getByRole('row', { name: 'ops/probe[Deployment] shop/web[Deployment] TCP:[8080]', exact: true }).waitFor();
      expect(await pass.getByRole('columnheader').allInnerTexts()).toEqual(['From', 'To (selected)', 'Ports passed to the next tier']);
      expect(await rules.getByText('allows nothing', { exact: false }).count()).toBe(0);
      await page.getByRole('region', { name: 'Selected workloads' }).getByRole('link', { name: 'shop/api' }).waitFor();
      await shoot(page, 'policy-kind-anp');
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('a Calico and a Kubernetes NetworkPolicy of one name: each page shows its own rules’ connections', async () => {
    const both = `${readFileSync(path.join(FIXTURES, 'policy-kinds-calico.yaml'), 'utf8')}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - ports: [{port: 8080}, {port: 9090}]
`;
    const id = await upload('kinds-same-name', both);
    const { page, problems } = await openPage(`/snapshots/${id}/policies/shop/NetworkPolicy.projectcalico.org/allow-web`);
    try {
      await page.getByRole('heading', { level: 1, name: 'NetworkPolicy shop/allow-web' }).waitFor();
      const calico = page.getByRole('region', { name: 'What each rule does' }).getByRole('region', { name: /^spec\.ingress\[0\]/ });
      // The Calico rule allows 8080 from the probe only (its source selector).
      await calico.getByRole('row', { name: 'ops/probe[Deployment] shop/web[Deployment] TCP:[8080] —', exact: true }).waitFor();
      expect(await calico.getByRole('row').count()).toBe(2);
      await page.goto(`${stack().server.baseUrl}/snapshots/${id}/policies/shop/allow-web`);
      await page.getByRole('heading', { level: 1, name: 'NetworkPolicy shop/allow-web' }).waitFor();
      expect(await fact(page, 'Kind')).toBe('NetworkPolicy networking.k8s.io/v1');
      const kubernetes = page.getByRole('region', { name: 'What each rule does' }).getByRole('region', { name: /^spec\.ingress\[0\]/ });
      await kubernetes.getByRole('row', { name: 'ops/probe[Deployment] shop/web[Deployment] TCP:[8080,9090] —', exact: true }).waitFor();
      await kubernetes.getByRole('row', { name: 'shop/api[Deployment] shop/web[Deployment] TCP:[8080,9090] —', exact: true }).waitFor();
      expect(await page.getByText('another policy of this namespace has the same name', { exact: false }).count()).toBe(0);
      await shoot(page, 'policy-same-name-kubernetes');
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('BaselineAdminNetworkPolicy and ClusterNetworkPolicy: their tiers, no priority for the baseline, the address peer', async () => {
    const { page, problems } = await openPage(`/snapshots/${ids.calico}/cluster-policies/BaselineAdminNetworkPolicy/default`);
    try {
      await page.getByRole('heading', { level: 1, name: 'BaselineAdminNetworkPolicy default' }).waitFor();
      expect(await fact(page, 'Tier')).toBe('baseline tier: decides after NetworkPolicies');
      expect(await page.getByRole('region', { name: 'Summary' }).locator('dt:text-is("Priority")').count()).toBe(0);
      expect(await ruleRows(page)).toEqual([['spec.egress[0] deny-internet', '✗ Deny', 'to addresses 0.0.0.0/0', 'all ports']]);
      await page.goto(`${stack().server.baseUrl}/snapshots/${ids.calico}/cluster-policies/ClusterNetworkPolicy/dns-everywhere`);
      await page.getByRole('heading', { level: 1, name: 'ClusterNetworkPolicy dns-everywhere' }).waitFor();
      expect(await fact(page, 'Priority')).toBe('5 (lower decides first)');
      expect(await ruleRows(page)).toEqual([['spec.egress[0] allow-dns', '✓ Allow', 'to every pod in namespaces kubernetes.io/metadata.name=kube-system (host-network pods excepted)', 'UDP:[53]']]);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('Calico GlobalNetworkPolicy and NetworkPolicy: tier, order, selector and peers as written (dark theme, phone width)', async () => {
    const { page, problems } = await openPage(`/snapshots/${ids.calico}/cluster-policies/GlobalNetworkPolicy/security.block-probe-api`, {
      theme: 'dark',
      viewport: { width: 390, height: 844 },
    });
    try {
      await page.getByRole('heading', { level: 1, name: 'GlobalNetworkPolicy security.block-probe-api' }).waitFor();
      expect(await fact(page, 'Tier')).toBe('Calico tier security');
      expect(await fact(page, 'Order')).toBe('10 (lower decides first)');
      expect(await fact(page, 'Applies to')).toBe('pods where app == "api" in every namespace');
      expect(await ruleRows(page)).toEqual([
        ['spec.ingress[0]', '✗ Deny', "from namespaceSelector kubernetes.io/metadata.name == 'ops'", 'TCP:[9000]'],
        ['spec.ingress[1]', '↓ Pass to the next tier', 'from every peer', 'all ports'],
      ]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
      await shoot(page, 'policy-kind-calico-gnp-390-dark');
      // Calico's namespaced kind shares the name NetworkPolicy: its URL names the API group.
      await page.goto(`${stack().server.baseUrl}/snapshots/${ids.calico}/policies/shop/NetworkPolicy.projectcalico.org/allow-web`);
      await page.getByRole('heading', { level: 1, name: 'NetworkPolicy shop/allow-web' }).waitFor();
      expect(await fact(page, 'Kind')).toBe('NetworkPolicy projectcalico.org/v3');
      expect(await fact(page, 'Order')).toBe('200 (lower decides first)');
      expect(await ruleRows(page)).toEqual([['spec.ingress[0]', '✓ Allow', "from namespaceSelector all(), selector app == 'probe'", 'TCP:[8080]']]);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('Cilium: a CiliumNetworkPolicy with its layer-7 limit, a clusterwide egressDeny rule at its own path', async () => {
    const { page, problems } = await openPage(`/snapshots/${ids.cilium}/policies/shop/CiliumNetworkPolicy/web-from-probe`);
    try {
      await page.getByRole('heading', { level: 1, name: 'CiliumNetworkPolicy shop/web-from-probe' }).waitFor();
      expect(await ruleRows(page)).toEqual([
        ['spec.ingress[0]', '✓ Allow', 'from pods app=probe,io.kubernetes.pod.namespace=ops in every namespace', 'TCP:[8080]', 'layer 7: GET /health'],
      ]);
      // The clusterwide egressDeny selects every pod, so Cilium isolates the probe's egress: the other side refuses 8080.
      await page.getByRole('region', { name: /^spec\.ingress\[0\]/ }).getByRole('row', { name: 'ops/probe[Deployment] shop/web[Deployment] none TCP:[8080]' }).waitFor();
      await shoot(page, 'policy-kind-cilium-cnp');
      await page.goto(`${stack().server.baseUrl}/snapshots/${ids.cilium}/cluster-policies/CiliumClusterwideNetworkPolicy/no-metadata-server?rule=${encodeURIComponent('spec.egressDeny[0]')}`);
      await page.getByRole('heading', { level: 1, name: 'CiliumClusterwideNetworkPolicy no-metadata-server' }).waitFor();
      expect(await ruleRows(page)).toEqual([['spec.egressDeny[0]', '✗ Deny', 'to addresses 169.254.169.254/32', 'all ports']]);
      await page.getByText('Highlighted: spec.egressDeny[0], lines').waitFor();
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('a verdict’s allowed-by table links a Calico NetworkPolicy to its page (no Kubernetes one of that name)', async () => {
    const { page, problems } = await openPage(`/snapshots/${ids.calico}/reachability?from=ops/probe&to=shop/web&port=8080&protocol=TCP`);
    try {
      const allowedBy = page.getByRole('table', { name: 'Rules allowing ingress' });
      const rule = allowedBy.getByRole('link', { name: 'spec.ingress[0]' });
      await rule.waitFor();
      expect(await rule.getAttribute('href')).toBe(`/snapshots/${ids.calico}/policies/shop/allow-web?rule=spec.ingress%5B0%5D`);
      await allowedBy.getByRole('link', { name: /^shop\/\s?allow-web$/ }).click();
      await page.getByRole('heading', { level: 1, name: 'NetworkPolicy shop/allow-web' }).waitFor();
      expect(await fact(page, 'Kind')).toBe('NetworkPolicy projectcalico.org/v3');
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('a verdict’s decision steps link to the deciding policy and rule of any kind', async () => {
    const { page, problems } = await openPage(`/snapshots/${ids.calico}/reachability?from=ops/probe&to=shop/api&port=9000&protocol=TCP`);
    try {
      const ingress = page.getByRole('region', { name: /ingress/i }).first();
      const rule = ingress.getByRole('link', { name: 'rule spec.ingress[0] of security.block-probe-api' });
      await rule.waitFor();
      expect(await rule.getAttribute('href')).toBe(`/snapshots/${ids.calico}/cluster-policies/GlobalNetworkPolicy/security.block-probe-api?rule=spec.ingress%5B0%5D`);
      await rule.click();
      await page.getByRole('heading', { level: 1, name: 'GlobalNetworkPolicy security.block-probe-api' }).waitFor();
      expect(await page.getByRole('region', { name: 'Rules' }).getByRole('link', { name: 'spec.ingress[0]' }).getAttribute('aria-current')).toBe('true');
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe('exposure through an AdminNetworkPolicy', () => {
  it('a workload opened to every namespace by an AdminNetworkPolicy `namespaces: {}` is not said to be open to host-network pods', async () => {
    // The scenario of serverByAdminClientByNetworkPolicyYaml, with Deployments for the two pods.
    const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: a}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: c, image: i, ports: [{containerPort: 80}]}]}
`;
    const id = await upload('anp-exposure', [deployment('client'), deployment('server'), serverByAdminClientByNetworkPolicyYaml()].join('---\n'));
    const { page, problems } = await openPage(`/snapshots/${id}/workloads/a/Deployment/server`);
    try {
      const exposure = page.getByRole('region', { name: 'Exposure' });
      await exposure.getByText('Entire cluster (except host-network pods):').waitFor();
      expect(await exposure.getByRole('listitem').filter({ hasText: 'Entire cluster' }).innerText()).toBe(
        '● Entire cluster (except host-network pods): every pod of every namespace but host-network pods may connect on TCP 80',
      );
      await page.goto(`${stack().server.baseUrl}/snapshots/${id}/workloads/a/Deployment/client`);
      const client = page.getByRole('region', { name: 'Exposure' }).getByRole('listitem').filter({ hasText: 'Entire cluster' });
      await client.getByText('every pod of every namespace may connect on TCP 80').waitFor();
      expect(await client.innerText()).toBe('● Entire cluster: every pod of every namespace may connect on TCP 80');
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
