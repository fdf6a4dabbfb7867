// The dashboard in a real Chromium, served by the real built API server on an embedded PostgreSQL that holds
// only the demo data (loaded at first start). Fails, never skips, when no browser starts.
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from './api-server.js';
import { launchBrowser, type LaunchedBrowser } from './browser.js';

/** Screenshots of every page: apps/dashboard/test-output/screenshots (NETPOL_SCREENSHOT_DIR elsewhere). */
const SCREENSHOT_DIR = process.env.NETPOL_SCREENSHOT_DIR ?? path.resolve(import.meta.dirname, '../test-output/screenshots');

let server: ApiServer | undefined;
let browser: LaunchedBrowser | undefined;
let screenshotDir: string | undefined;
let setupError: unknown;

beforeAll(async () => {
  // A setup failure is rethrown by every test (so each one FAILS with the cause; Vitest would report tests
  // after a failed beforeAll as skipped). The browser starts first: without one, don't wait for the server.
  try {
    browser = await launchBrowser();
    server = await startApiServer();
    // The test output folder (git-ignored): one screenshot per page, kept after the run for a human look.
    screenshotDir = SCREENSHOT_DIR;
    await rm(screenshotDir, { recursive: true, force: true });
    await mkdir(screenshotDir, { recursive: true });
  } catch (error) {
    setupError = error;
  }
});

/** The running browser and server, or the setup error. */
function stack(): { browser: LaunchedBrowser; server: ApiServer; screenshotDir: string } {
  if (setupError) throw setupError;
  if (!browser || !server || !screenshotDir) throw new Error('beforeAll did not finish its setup');
  return { browser, server, screenshotDir };
}

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/**
 * Opens a new tab at `pathname`, recording script errors and console errors (a clean page has none). The admin
 * token is put in sessionStorage first, as the dashboard's sign-in form does (`signedIn: false` leaves it out).
 */
async function openPage(pathname: string, { signedIn = true, token }: { signedIn?: boolean; token?: string } = {}): Promise<{ page: Page; problems: string[]; status: number | undefined }> {
  const { browser, server } = stack();
  const page = await browser.context.newPage();
  if (signedIn) await page.addInitScript((value) => sessionStorage.setItem('netpol-atlas.token', value), token ?? server.adminToken);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  const response = await page.goto(`${server.baseUrl}${pathname}`);
  return { page, problems, status: response?.status() };
}

async function firstDemoSnapshotId(): Promise<string> {
  const response = await fetch(`${stack().server.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${stack().server.adminToken}` },
    body: JSON.stringify({
      query: '{ clusters(first: 50) { edges { node { name snapshots(first: 1) { edges { node { id } } } } } } }',
    }),
  });
  const body = (await response.json()) as {
    data: { clusters: { edges: Array<{ node: { name: string; snapshots: { edges: Array<{ node: { id: string } }> } } }> } };
  };
  const demo = body.data.clusters.edges.find((edge) => edge.node.name === 'demo');
  const id = demo?.node.snapshots.edges[0]?.node.id;
  if (!id) throw new Error(`the demo cluster has no snapshot: ${JSON.stringify(body)}`);
  return id;
}

describe('dashboard in a browser', () => {
  it('asks for a token first, refuses a wrong one, then shows the clusters; the CSP and security headers hold', async () => {
    const { page, problems, status } = await openPage('/', { signedIn: false });
    try {
      expect(status).toBe(200);
      const token = page.getByLabel('API token');
      await token.fill('npat_wrongwrongwr_wrongwrongwrongwrongwrongwrongwrongwrongwro');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').filter({ hasText: 'did not accept' }).waitFor();
      await token.fill(stack().server.adminToken);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Inventory' }).waitFor();
      await page.getByText('Signed in as first-start admin (admin).').waitFor();
      expect(await page.evaluate(() => sessionStorage.getItem('netpol-atlas.token'))).toBe(stack().server.adminToken);
      const headers = (await fetch(`${stack().server.baseUrl}/`)).headers;
      expect(headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(headers.get('x-powered-by')).toBeNull();
      // The wrong token's 401 is the only console error allowed.
      expect(problems.filter((problem) => !problem.includes('401'))).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('lists the demo cluster in the inventory and navigates to a snapshot with its namespaces, workloads and policies', async () => {
    const { page, problems, status } = await openPage('/');
    try {
      expect(status).toBe(200);
      await page.getByRole('heading', { level: 1, name: 'Inventory' }).waitFor();
      await expect(page.title()).resolves.toBe('Inventory · Netpol Atlas');
      const demo = page.getByRole('region', { name: 'demo' });
      await demo.getByRole('heading', { level: 2, name: 'demo' }).waitFor();
      // The inventory's figures for the demo: 3 internet-exposed workloads (the unprotected platform ones).
      await demo.getByText('Internet-exposed').waitFor();
      expect(await demo.locator('.kpi-bad').filter({ hasText: 'Internet-exposed' }).locator('dd').textContent()).toBe('3');

      const snapshotLink = demo.getByRole('link', { name: /^Snapshot of demo captured / }).first();
      const href = await snapshotLink.getAttribute('href');
      expect(href).toMatch(/^\/snapshots\/[0-9a-f-]{36}$/);
      await snapshotLink.click();

      // Client-side navigation: the URL changes without a page load, and focus moves to the new h1.
      await page.waitForURL(`**${href}`);
      await page.getByRole('heading', { level: 1, name: /^Snapshot of demo, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/ }).waitFor();
      await expectSnapshotContents(page);
      await expect(page.evaluate(() => document.activeElement?.tagName)).resolves.toBe('H1');

      // Back to the inventory (history), then to the cluster's own page.
      await page.goBack();
      await page.getByRole('region', { name: 'demo' }).getByRole('link', { name: 'demo', exact: true }).click();
      await page.waitForURL('**/clusters/demo');
      await page.getByRole('heading', { level: 1, name: 'Cluster demo' }).waitFor();
      await page.getByRole('region', { name: 'Snapshots' }).getByRole('link', { name: /^Snapshot of demo captured / }).first().waitFor();
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('serves a client route directly (SPA fallback) and renders it; screenshot for a human check', async () => {
    const id = await firstDemoSnapshotId();
    const { page, problems, status } = await openPage(`/snapshots/${id}`);
    try {
      expect(status).toBe(200);
      await page.getByRole('heading', { level: 1, name: /^Snapshot of demo, / }).waitFor();
      await expectSnapshotContents(page);
      await page.getByText(id, { exact: true }).waitFor();

      const screenshot = path.join(stack().screenshotDir, 'snapshot-page.png');
      await page.screenshot({ path: screenshot, fullPage: true });
      expect((await stat(screenshot)).size).toBeGreaterThan(10_000);
      console.info(`dashboard screenshot: ${screenshot}`);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('shows a not-found page for an unknown client route, and not-found alerts for unknown records', async () => {
    const unknownRoute = await openPage('/no/such/page');
    try {
      await unknownRoute.page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    } finally {
      await unknownRoute.page.close();
    }
    const unknownSnapshot = await openPage('/snapshots/00000000-0000-4000-8000-000000000000');
    try {
      const alert = unknownSnapshot.page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('No snapshot has the id 00000000-0000-4000-8000-000000000000');
    } finally {
      await unknownSnapshot.page.close();
    }
    const unknownCluster = await openPage('/clusters/no-such-cluster');
    try {
      const alert = unknownCluster.page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('There is no cluster named no-such-cluster');
    } finally {
      await unknownCluster.page.close();
    }
  });

  it('pages through a long snapshot list with "Show more" (cursor paging against the API)', async () => {
    // 21 uploads: one more than the dashboard's page of 20 snapshots per cluster.
    for (let second = 0; second <= 20; second++) {
      const capturedAt = `2026-01-01T00:00:${String(second).padStart(2, '0')}Z`;
      const response = await fetch(`${stack().server.baseUrl}/api/v1/clusters/paging/snapshots?capturedAt=${capturedAt}`, {
        method: 'POST',
        headers: { 'content-type': 'application/yaml', authorization: `Bearer ${stack().server.adminToken}` },
        body: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-${second}\n`,
      });
      expect(response.status, await response.clone().text()).toBe(201);
    }
    const { page, problems } = await openPage('/clusters/paging');
    try {
      const snapshots = page.getByRole('region', { name: 'Snapshots' });
      const links = snapshots.getByRole('link', { name: /^Snapshot of paging captured / });
      await snapshots.getByText('Showing 20 of 21 snapshots.').waitFor();
      expect(await links.count()).toBe(20);
      // Newest first.
      expect(await links.first().textContent()).toBe('2026-01-01 00:00:20 UTC');

      await snapshots.getByRole('button', { name: 'Show more snapshots' }).click();
      await snapshots.getByText('21 snapshots.', { exact: true }).waitFor();
      expect(await links.count()).toBe(21);
      expect(await links.last().textContent()).toBe('2026-01-01 00:00:00 UTC');
      expect(await snapshots.getByRole('button').count()).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('answers "can A reach B?" with the deciding policies and rules, and keeps the question in the URL', async () => {
    const id = await firstDemoSnapshotId();
    const { page, problems } = await openPage(`/snapshots/${id}`);
    try {
      await page.getByRole('navigation', { name: 'Snapshot views' }).getByRole('link', { name: 'Reachability' }).click();
      await page.waitForURL(`**/snapshots/${id}/reachability`);
      await page.getByRole('heading', { level: 1, name: 'Reachability' }).waitFor();

      // frontend → backend TCP 8080: allowed by one egress and one ingress rule.
      await askReachability(page, 'production/frontend (Deployment)', 'production/backend (Deployment)', '8080');
      const question = new URL(page.url()).searchParams;
      expect(Object.fromEntries(question)).toEqual({
        from: 'production/frontend[Deployment]',
        to: 'production/backend[Deployment]',
        port: '8080',
        protocol: 'TCP',
      });
      const verdict = page.getByRole('region', { name: 'Verdict' });
      await verdict.getByText('Allowed', { exact: true }).waitFor();
      const egress = page.getByRole('region', { name: 'Egress (source side)' });
      const ingress = page.getByRole('region', { name: 'Ingress (destination side)' });
      await egress.getByText('Allows', { exact: true }).waitFor();
      await egress.getByRole('row', { name: /^production\/\s?frontend-egress-restrict spec\.egress\[1\] TCP 8080$/ }).waitFor();
      await ingress.getByRole('row', { name: /^production\/\s?backend-ingress spec\.ingress\[0\] TCP 8080$/ }).waitFor();
      await page.screenshot({ path: path.join(stack().screenshotDir, 'reachability-allowed.png'), fullPage: true });

      // db-backup → database TCP 5432: the destination would accept it, the source's egress does not.
      await askReachability(page, 'production/db-backup (CronJob)', 'production/database (StatefulSet)', '5432');
      await verdict.getByText('Denied', { exact: true }).waitFor();
      await verdict.getByText('Blocked by the source’s egress', { exact: false }).waitFor();
      await egress.getByText('Denies', { exact: true }).waitFor();
      await egress
        .getByRole('row', { name: /^production\/\s?default-deny-all no rules has no rules for this direction/ })
        .waitFor();
      await ingress.getByText('Allows', { exact: true }).waitFor();
      await page.screenshot({ path: path.join(stack().screenshotDir, 'reachability-denied.png'), fullPage: true });

      // The question lives in the URL: back shows the previous verdict, and a copied link answers by itself.
      await page.goBack();
      await verdict.getByText('Allowed', { exact: true }).waitFor();
      await expect(page.getByLabel('Source workload').inputValue()).resolves.toBe('production/frontend[Deployment]');
      const linked = await openPage(
        `/snapshots/${id}/reachability?from=production/db-backup&to=production/database&port=5432&protocol=TCP`,
      );
      try {
        await linked.page.getByRole('region', { name: 'Verdict' }).getByText('Denied', { exact: true }).waitFor();
        expect(linked.problems).toEqual([]);
      } finally {
        await linked.page.close();
      }
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('shows the tiered decision steps per side: an AdminNetworkPolicy pass then a NetworkPolicy allow, an admin deny', async () => {
    // Issue 11: ANP `admin` (priority 10) passes TCP 8080 from namespace a and denies TCP 5432; NetworkPolicy
    // b/web-from-a allows TCP 8080; BaselineAdminNetworkPolicy `default` denies the rest from a.
    const fixture = await readFile(path.resolve(import.meta.dirname, '../../api/test/fixtures/tiered-explanation.yaml'), 'utf8');
    const upload = await fetch(`${stack().server.baseUrl}/api/v1/clusters/e2e-tiers/snapshots`, {
      method: 'POST',
      headers: { 'content-type': 'application/yaml', authorization: `Bearer ${stack().server.adminToken}` },
      body: fixture,
    });
    expect(upload.status, await upload.clone().text()).toBe(201);
    const { id } = (await upload.json()) as { id: string };
    const { page, problems } = await openPage(`/snapshots/${id}/reachability?from=a/client&to=b/web&port=8080&protocol=TCP`);
    try {
      const verdict = page.getByRole('region', { name: 'Verdict' });
      await verdict.getByText('Allowed', { exact: true }).waitFor();
      const ingress = page.getByRole('region', { name: 'Ingress (destination side)' });
      const steps = ingress.getByRole('list', { name: 'Decision steps' }).getByRole('listitem');
      await steps.first().waitFor();
      expect(await steps.count()).toBe(2);
      const admin = steps.nth(0);
      await expect(admin.locator('.tier-badge').textContent()).resolves.toBe('admin tier');
      await expect(admin.locator('.step-priority').textContent()).resolves.toBe('priority 10');
      await expect(admin.locator('.step-action').innerText()).resolves.toMatch(/Pass to the next tier$/);
      await admin.getByText("AdminNetworkPolicy 'admin' (priority 10) passes connections by spec.ingress[0] (pass-web)").waitFor();
      const allow = steps.nth(1);
      await expect(allow.locator('.tier-badge').textContent()).resolves.toBe('namespaced tier');
      await expect(allow.locator('.step-action').innerText()).resolves.toMatch(/Allow$/);
      // The action is coloured (the pass amber, the allow green), and the rule path links to the policy page's rule.
      const colour = (step: typeof admin) => step.locator('.step-action').evaluate((e) => getComputedStyle(e).color);
      expect(await colour(admin)).not.toBe(await colour(allow));
      const ruleLink = allow.getByRole('link', { name: 'rule spec.ingress[0] of b/web-from-a' });
      expect(await ruleLink.getAttribute('href')).toBe(`/snapshots/${id}/policies/b/web-from-a?rule=spec.ingress%5B0%5D`);
      const egress = page.getByRole('region', { name: 'Egress (source side)' });
      await egress.getByRole('list', { name: 'Decision steps' }).getByRole('listitem').filter({ hasText: 'Default allow' }).waitFor();
      await shoot(page, 'reachability-tiers-pass-allow');
      await page.getByRole('button', { name: 'Switch to dark theme' }).click();
      await shoot(page, 'reachability-tiers-pass-allow-dark');
      // The signed-in banner follows the theme (its text was light on a light background in the dark theme).
      const bannerContrast = await page.locator('.auth-banner').evaluate((e) => {
        const luminance = (colour: string) => {
          const [r, g, b] = (colour.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((c) => {
            const v = Number(c) / 255;
            return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
          });
          return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
        };
        const style = getComputedStyle(e);
        const [light, dark] = [luminance(style.color), luminance(style.backgroundColor)].sort((x, y) => y - x);
        return ((light ?? 0) + 0.05) / ((dark ?? 0) + 0.05);
      });
      expect(bannerContrast).toBeGreaterThan(4.5);
      await page.getByRole('button', { name: 'Switch to light theme' }).click();

      // TCP 5432: the admin tier's deny is the only step, and the verdict is denied.
      await page.goto(`${stack().server.baseUrl}/snapshots/${id}/reachability?from=a/client&to=b/web&port=5432&protocol=TCP`);
      await verdict.getByText('Denied', { exact: true }).waitFor();
      await verdict.getByText('Blocked by the destination’s ingress', { exact: false }).waitFor();
      const denied = ingress.getByRole('list', { name: 'Decision steps' }).getByRole('listitem');
      await denied.first().getByText('deny-db', { exact: false }).first().waitFor();
      expect(await denied.count()).toBe(1);
      await expect(denied.first().locator('.step-priority').textContent()).resolves.toBe('priority 10');
      await expect(denied.first().locator('.step-action').innerText()).resolves.toMatch(/Deny$/);
      await shoot(page, 'reachability-tiers-admin-deny');
      // Keyboard: the timeline's links are reachable with Tab (none on the cluster-scoped ANP, which has no page).
      await page.goto(`${stack().server.baseUrl}/snapshots/${id}/reachability?from=a/client&to=b/web&port=8080&protocol=TCP`);
      const policyLink = ingress.getByRole('link', { name: 'b/web-from-a', exact: true });
      await policyLink.focus();
      await page.keyboard.press('Tab');
      await expect(page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).resolves.toBe('rule spec.ingress[0] of b/web-from-a');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/policies\/b\/web-from-a\?rule=/);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('lists exposed workloads and shows the namespace matrix with filtered connectivity rows', async () => {
    const id = await firstDemoSnapshotId();
    const { page, problems } = await openPage(`/snapshots/${id}/reachability`);
    try {
      const tabs = page.getByRole('navigation', { name: 'Snapshot views' });
      await tabs.getByRole('link', { name: 'Exposure' }).click();
      await page.waitForURL(`**/snapshots/${id}/exposure`);
      await page.getByRole('heading', { level: 1, name: 'Exposure' }).waitFor();
      const internet = page.getByRole('region', { name: 'Internet-exposed' });
      await internet.getByRole('rowheader').first().waitFor();
      expect(await internet.getByRole('rowheader').count()).toBe(3);
      // Truly public ranges only: never the whole address space.
      await internet.getByText('172.32.0.0-192.167.255.255').first().waitFor();
      expect(await internet.getByText('0.0.0.0-255.255.255.255').count()).toBe(0);
      const bySelector = page.getByRole('region', { name: 'Exposed by selector' });
      await bySelector.getByText('ingress-nginx/[all pods]').waitFor();
      await bySelector.getByText('namespaces with kubernetes.io/metadata.name=ingress-nginx, all pods').waitFor();
      await page.getByRole('region', { name: 'Cluster-wide exposed' }).getByRole('table').waitFor();
      await page.getByRole('region', { name: 'Unprotected' }).getByRole('table').waitFor();

      await tabs.getByRole('link', { name: 'Connectivity' }).click();
      await page.waitForURL(`**/snapshots/${id}/connectivity`);
      const matrix = page.getByRole('region', { name: 'Namespace matrix' });
      const grid = matrix.getByRole('table', { name: /Allowed workload pairs from each namespace/ });
      await grid.getByRole('columnheader', { name: 'production' }).waitFor();
      await grid.getByRole('rowheader', { name: 'production' }).waitFor();
      const rows = page.getByRole('region', { name: 'Allowed connections' });
      // np-guard's view of IP peers: one row per merged range (47 split rows become 29), CIDR where it is one.
      await rows.getByText('Showing 29 of 29 allowed connections.').or(rows.getByText('29 allowed connections.', { exact: true })).first().waitFor();

      // A matrix cell filters the rows to its namespace pair (in the URL too).
      await grid.getByRole('link', { name: /workload pairs allowed from production to production/ }).click();
      await page.waitForURL(/fromNamespace=production&toNamespace=production$/);
      await rows.getByText('2 allowed connections.', { exact: true }).waitFor();
      await rows.getByRole('rowheader', { name: 'production/frontend Deployment' }).waitFor();
      await expect(rows.getByLabel('From namespace').inputValue()).resolves.toBe('production');
      // The drill-down: the workload × workload matrix of the cell, with the allowed ports.
      const drill = page.getByRole('region', { name: 'Workloads of production → production' });
      const drillTable = drill.getByRole('table', { name: /Allowed ports from workloads of production/ });
      await drillTable.waitFor();
      const frontendRow = drillTable.getByRole('row', { name: /^production\/\s?frontend Deployment/ });
      await frontendRow.getByRole('cell', { name: 'TCP 8080' }).waitFor();
      await page.screenshot({ path: path.join(stack().screenshotDir, 'connectivity-drilldown.png'), fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

/** A screenshot of the whole page in the test output folder, checked for non-blank rendering. */
async function shoot(page: Page, name: string): Promise<void> {
  const file = path.join(stack().screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  // A blank or error-only page compresses to a few kB; every real page here has text, tables or a graph.
  expect((await stat(file)).size, `${name}.png looks blank`).toBeGreaterThan(20_000);
  const text = await page.evaluate(() => document.querySelector('main')?.innerText.trim().length ?? 0);
  expect(text, `${name}: main has no text`).toBeGreaterThan(40);
}

// GraphQL answers in tests: loosely typed, asserted field by field.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

async function graphql(query: string, variables: Record<string, unknown> = {}): Promise<{ data?: Json; errors?: Json[] }> {
  const response = await fetch(`${stack().server.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${stack().server.adminToken}` },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: Json; errors?: Json[] };
}

const SHOP_V1 = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, uid: web-uid}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, ports: [{containerPort: 80}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop, uid: api-uid}
spec:
  replicas: 1
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, ports: [{containerPort: 8080}, {containerPort: 9090}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-ingress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress]
  ingress:
    - from: [{podSelector: {matchLabels: {app: web}}}]
      ports: [{protocol: TCP, port: PORT}]
`;

describe('dashboard as an analysis console (demo cluster)', () => {
  it('shows the demo verdicts in the explorer: each workload’s reach both ways, its policies and its exposure', async () => {
    const id = await firstDemoSnapshotId();
    const { page, problems } = await openPage(`/snapshots/${id}`);
    try {
      // Workloads are links: the explorer goes namespace → workload.
      await page.getByRole('region', { name: 'Namespaces' }).getByRole('link', { name: 'production', exact: true }).click();
      await page.waitForURL(/namespace=production/);
      await page.getByRole('region', { name: 'Workloads' }).getByRole('link', { name: 'frontend', exact: true }).click();
      await page.waitForURL(`**/snapshots/${id}/workloads/production/Deployment/frontend`);
      await page.getByRole('heading', { level: 1, name: 'production/frontend' }).waitFor();

      // frontend → backend TCP 8080 allowed, frontend → coredns DNS allowed; nothing reaches frontend
      // (ingress-nginx → frontend TCP 3000 is denied by default-deny-all).
      const out = page.getByRole('region', { name: 'What it can reach' });
      await out.getByRole('row', { name: /^production\/\s?backend Deployment TCP 8080/ }).waitFor();
      await out.getByRole('row', { name: /^kube-system\/\s?coredns Deployment TCP 53,UDP 53/ }).waitFor();
      expect(await out.getByRole('row').count()).toBe(3); // header + 2
      await page.getByRole('region', { name: 'Who can reach it' }).getByText('Nothing may connect to it.').waitFor();
      const ingressPolicies = page.getByRole('region', { name: 'Ingress policies' });
      await ingressPolicies.getByRole('link', { name: 'default-deny-all' }).waitFor();
      await page.getByRole('region', { name: 'Egress policies' }).getByRole('link', { name: 'frontend-egress-restrict' }).waitFor();
      await shoot(page, 'workload-frontend');

      // "Why": the verdict with the rule of each side.
      await out.getByRole('link', { name: 'Explain TCP 8080' }).click();
      await page.waitForURL(/\/reachability\?/);
      await page.getByRole('region', { name: 'Verdict' }).getByText('Allowed', { exact: true }).waitFor();
      await page
        .getByRole('region', { name: 'Egress (source side)' })
        .getByRole('row', { name: /^production\/\s?frontend-egress-restrict spec\.egress\[1\] TCP 8080$/ })
        .waitFor();
      await page.goBack();

      // database: backend on 5432 and prometheus on 9187 may connect; db-backup may not (its egress is denied).
      await page.goto(`${stack().server.baseUrl}/snapshots/${id}/workloads/production/StatefulSet/database`);
      const into = page.getByRole('region', { name: 'Who can reach it' });
      await into.getByRole('row', { name: /^production\/\s?backend Deployment TCP 5432/ }).waitFor();
      await into.getByRole('row', { name: /^monitoring\/\s?prometheus Deployment TCP 9187/ }).waitFor();
      expect(await into.getByRole('row', { name: /db-backup/ }).count()).toBe(0);
      // database → database (two replicas) on 5432 is denied: it does not reach itself.
      expect(await page.getByRole('region', { name: 'What it can reach' }).getByRole('row', { name: /database/ }).count()).toBe(0);

      // backend → redis TCP 6379 is denied on the ingress side; backend reaches public IPs on 443, in CIDR/np-guard rows.
      await page.goto(`${stack().server.baseUrl}/snapshots/${id}/workloads/production/Deployment/backend`);
      const backendOut = page.getByRole('region', { name: 'What it can reach' });
      await backendOut.getByRole('row', { name: /^production\/\s?database StatefulSet TCP 5432/ }).waitFor();
      await backendOut.getByRole('row', { name: /^10\.0\.0\.0\/8 IP range TCP 53,UDP 53/ }).waitFor();
      await backendOut.getByRole('row', { name: /^172\.32\.0\.0-192\.167\.255\.255 IP range TCP 53,443,UDP 53/ }).waitFor();
      expect(await backendOut.getByRole('row', { name: /redis/ }).count()).toBe(0);
      await page.getByRole('region', { name: 'Exposure' }).getByText('ingress-nginx/[all pods]').waitFor();
      await shoot(page, 'workload-backend');

      // A policy page: its YAML with the rule path highlighted, its rules as links, the workloads it selects.
      await page.getByRole('region', { name: 'Egress policies' }).getByRole('link', { name: 'backend-egress' }).click();
      await page.waitForURL(`**/snapshots/${id}/policies/production/backend-egress`);
      const rules = page.getByRole('region', { name: 'Rules' });
      await rules.getByRole('link', { name: 'spec.egress[3]' }).click();
      await page.waitForURL(/rule=spec\.egress%5B3%5D|rule=spec\.egress\[3\]/);
      await page.getByText(/^Highlighted: spec\.egress\[3\], lines \d+–\d+\.$/).waitFor();
      const highlighted = await page.locator('.yaml-line[data-active="true"]').allInnerTexts();
      expect(highlighted.join('\n')).toContain('0.0.0.0/0');
      expect(highlighted.join('\n')).toContain('192.168.0.0/16');
      // The rules as the engine reads them: action, peers, ports.
      await rules.getByRole('row', { name: /^spec\.egress\[3\] .*Allow to addresses 0\.0\.0\.0\/0 except 10\.0\.0\.0\/8, 172\.16\.0\.0\/12, 192\.168\.0\.0\/16 TCP:\[443\]$/ }).waitFor();
      await page.getByRole('region', { name: 'Selected workloads' }).getByRole('link', { name: 'production/backend' }).waitFor();
      await shoot(page, 'policy-backend-egress');
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('draws the service map: workloads in namespaces, edges with ports, the outside world; namespaces first when asked', async () => {
    const id = await firstDemoSnapshotId();
    const { page, problems } = await openPage(`/snapshots/${id}/map`);
    try {
      const canvas = page.locator('.map-canvas[data-ready="true"]');
      await canvas.waitFor();
      // 8 workloads + 4 namespaces + the outside node; the edges are the allowed node pairs.
      expect(await canvas.getAttribute('data-node-count')).toBe('13');
      const edgeTable = page.getByRole('table', { name: 'Edges of the service map' });
      const edgeRows = (await edgeTable.getByRole('row').count()) - 1;
      expect(Number(await canvas.getAttribute('data-edge-count'))).toBe(edgeRows);
      expect(edgeRows).toBeGreaterThan(10);
      await edgeTable.getByRole('row', { name: /^production\/frontend production\/backend TCP 8080$/ }).waitFor();
      // Cytoscape drew something: its canvas layers exist and have pixels.
      expect(await page.locator('.map-canvas canvas').count()).toBeGreaterThan(0);
      await shoot(page, 'service-map');

      // Highlight a workload's reach (in the URL), and filter by port.
      await page.goto(`${stack().server.baseUrl}/snapshots/${id}/map?focus=${encodeURIComponent('w:production/Deployment/backend')}`);
      await page.getByRole('heading', { level: 3, name: 'Reach of production/backend' }).waitFor();
      const reach = page.getByRole('table', { name: 'Edges of the service map' });
      await reach.getByRole('row', { name: /^production\/frontend production\/backend TCP 8080 in$/ }).waitFor();
      await reach.getByRole('row', { name: /^production\/backend production\/database TCP 5432 out$/ }).waitFor();
      // The edge to the outside merges 7 IP ranges with two port sets: one line per port set, its ranges under it
      // (once joined as "TCP 53,443,UDP 53 | TCP 53,UDP 53").
      const outside = reach.getByRole('row', { name: /^production\/backend Outside the cluster \(IP ranges\) / });
      const lines = await outside.locator('td li').allInnerTexts();
      expect(lines.map((line) => line.replace(/\s+/g, ' '))).toEqual([
        'TCP 53,443,UDP 53 to 0.0.0.0-9.255.255.255, 11.0.0.0-172.15.255.255, 172.32.0.0-192.167.255.255, 192.169.0.0-255.255.255.255',
        'TCP 53,UDP 53 to 10.0.0.0-10.255.255.255, 172.16.0.0-172.31.255.255, 192.168.0.0-192.168.255.255',
      ]);
      expect(await outside.textContent()).not.toContain('|');
      await page.getByText('“2 connections”: IP ranges of the outside node that get different ports').waitFor();
      await page.goto(`${stack().server.baseUrl}/snapshots/${id}/map?port=5432&protocol=TCP`);
      await page.locator('.map-canvas[data-ready="true"]').waitFor();
      await page.getByRole('table', { name: 'Edges of the service map' }).getByRole('row', { name: /^production\/backend production\/database TCP 5432$/ }).waitFor();

      // Aggregated view (what a big snapshot starts with): one node per namespace plus the outside world.
      await page.goto(`${stack().server.baseUrl}/snapshots/${id}/map?level=namespaces`);
      const aggregated = page.locator('.map-canvas[data-ready="true"]');
      await aggregated.waitFor();
      expect(await aggregated.getAttribute('data-node-count')).toBe('5');
      await shoot(page, 'service-map-namespaces');
      // Dark theme, for a human look.
      await page.getByRole('button', { name: 'Switch to dark theme' }).click();
      await page.locator('.map-canvas[data-ready="true"][data-theme="dark"]').waitFor();
      await shoot(page, 'service-map-namespaces-dark');
      await page.getByRole('button', { name: 'Switch to light theme' }).click();
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('refuses a malformed upload with the located error inline and stores nothing', async () => {
    const { page, problems } = await openPage('/upload?cluster=e2e-malformed');
    try {
      await page.getByRole('heading', { level: 1, name: 'Upload a snapshot' }).waitFor();
      await expect(page.getByLabel('Cluster').inputValue()).resolves.toBe('e2e-malformed');
      const bad = [
        'apiVersion: v1',
        'kind: Namespace',
        'metadata:',
        '  name: shop',
        '---',
        'apiVersion: networking.k8s.io/v1',
        'kind: NetworkPolicy',
        'metadata:',
        '  name: broken',
        '  namespace: shop',
        'spec:',
        '  podSelector: {}',
        '  ingress:',
        '    - from:',
        '        - ipBlock:',
        '            cidr: 10.0.0.0/33',
        '',
      ].join('\n');
      await page.getByLabel('Manifest files').setInputFiles({ name: 'broken.yaml', mimeType: 'application/yaml', buffer: Buffer.from(bad) });
      await shoot(page, 'upload');
      await page.getByRole('button', { name: 'Upload snapshot' }).click();
      const refused = page.getByRole('alert').filter({ hasText: 'Upload refused: nothing was stored' });
      await refused.waitFor();
      // File, line as the CLI prints them (`broken.yaml:16`), then the document counted from 1: the second one (the API's 1).
      const issue = refused.getByRole('row', { name: /^broken\.yaml 16 2nd document spec\.ingress\[0\]\.from\[0\]\.ipBlock\.cidr / });
      await issue.waitFor();
      expect(await issue.textContent()).toContain('10.0.0.0/33');
      await shoot(page, 'upload-refused');
      // Nothing stored: no such cluster, no snapshot.
      const check = await graphql('{ cluster(name: "e2e-malformed") { name } }');
      expect(check.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      // Browsers log the 400 answer of the refused request; no other console error is allowed.
      expect(problems.filter((problem) => !problem.includes('status of 400'))).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('diffs two uploaded snapshots: the known change, its cause with the rule path, coloured on the map', async () => {
    // Snapshot 1 through the dashboard's upload (drag-and-drop's file input), snapshot 2 through REST.
    const { page, problems } = await openPage('/upload?cluster=e2e-shop');
    try {
      await page.getByLabel('Manifest files').setInputFiles({ name: 'shop.yaml', mimeType: 'application/yaml', buffer: Buffer.from(SHOP_V1.replace('PORT', '8080')) });
      await page.getByRole('button', { name: 'Upload snapshot' }).click();
      await page.getByRole('status').filter({ hasText: 'Stored' }).getByRole('link', { name: 'Snapshot of e2e-shop' }).waitFor();
      const second = await fetch(`${stack().server.baseUrl}/api/v1/clusters/e2e-shop/snapshots`, {
        method: 'POST',
        headers: { 'content-type': 'application/yaml', authorization: `Bearer ${stack().server.adminToken}` },
        body: SHOP_V1.replace('PORT', '9090'),
      });
      expect(second.status, await second.clone().text()).toBe(201);

      // The cluster page marks the newest snapshot changed and links the diff with the previous one.
      await page.goto(`${stack().server.baseUrl}/clusters/e2e-shop`);
      const snapshots = page.getByRole('region', { name: 'Snapshots' });
      await snapshots.getByText('changed', { exact: true }).waitFor();
      await shoot(page, 'cluster-page');
      await snapshots.getByRole('link', { name: /^Compare the snapshot of .* with the previous one$/ }).first().click();
      await page.waitForURL(/\/diff\?from=.*&to=/);
      await page.getByRole('heading', { level: 1, name: 'Diff' }).waitFor();
      const pairs = page.getByRole('region', { name: 'Changed connections' });
      const changed = pairs.getByRole('row', { name: /± changed shop\/\s?web Deployment shop\/\s?api Deployment TCP 8080 TCP 9090/ });
      await changed.waitFor();
      const cause = changed.getByRole('link', { name: /shop\/api-ingress spec\.ingress\[0\]\.ports/ });
      await cause.waitFor();
      await page.getByRole('region', { name: 'Summary' }).getByText('1 changed connection').waitFor();
      await page.getByRole('region', { name: 'Object changes' }).getByRole('row', { name: /NetworkPolicy shop\/api-ingress/ }).waitFor();
      const diffMap = page.locator('.map-canvas[data-ready="true"]');
      await diffMap.waitFor();
      expect(Number(await diffMap.getAttribute('data-edge-count'))).toBe(1);
      const diffCsv = page.getByRole('region', { name: 'Downloads' }).getByRole('link', { name: 'CSV' });
      // Named as the API's Content-Disposition names it: `<cluster>-<snapshot short id>-to-<cluster>-<short id>-diff.csv`.
      const diffIds = new URL(page.url()).searchParams;
      const diffName = `e2e-shop-${diffIds.get('from')!.slice(0, 8)}-to-e2e-shop-${diffIds.get('to')!.slice(0, 8)}-diff.csv`;
      expect(await diffCsv.getAttribute('download')).toBe(diffName);
      // The link fetches the file with the kept token (a plain link would get 401) and saves it under its name.
      const [diffDownload] = await Promise.all([page.waitForEvent('download'), diffCsv.click()]);
      expect(diffDownload.suggestedFilename()).toBe(diffName);
      expect(await readFile((await diffDownload.path())!, 'utf8')).toContain('shop/api[Deployment]');
      const anonymous = await fetch(`${stack().server.baseUrl}${await diffCsv.getAttribute('href')}`);
      expect(anonymous.status).toBe(401);
      await shoot(page, 'diff');

      // The cause opens the policy at its rule, in the new snapshot.
      await cause.click();
      await page.waitForURL(/\/policies\/shop\/api-ingress\?rule=spec\.ingress/);
      await page.getByText(/^Highlighted: spec\.ingress\[0\], lines/).waitFor();
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('answers a what-if: proposed YAML against the demo snapshot, nothing stored', async () => {
    const id = await firstDemoSnapshotId();
    const before = await graphql('{ cluster(name: "demo") { snapshots { totalCount } } }');
    const { page, problems } = await openPage(`/snapshots/${id}/what-if`);
    try {
      // The fix for backend → redis: an ingress rule on redis.
      const fix = [
        'apiVersion: networking.k8s.io/v1',
        'kind: NetworkPolicy',
        'metadata:',
        '  name: redis-from-backend',
        '  namespace: production',
        'spec:',
        '  podSelector: {matchLabels: {app: redis}}',
        '  policyTypes: [Ingress]',
        '  ingress:',
        '    - from: [{podSelector: {matchLabels: {app: backend}}}]',
        '      ports: [{protocol: TCP, port: 6379}]',
      ].join('\n');
      await page.getByLabel('YAML or JSON').fill(fix);
      await page.getByRole('button', { name: 'Show what would change' }).click();
      const pairs = page.getByRole('region', { name: 'Changed connections' });
      const added = pairs.getByRole('row', { name: /\+ added production\/\s?backend Deployment production\/\s?redis Deployment No Connections TCP 6379/ });
      await added.waitFor();
      await added.getByText(/redis-from-backend/).waitFor();
      await shoot(page, 'what-if');
      const after = await graphql('{ cluster(name: "demo") { snapshots { totalCount } } }');
      expect(after.data.cluster.snapshots.totalCount).toBe(before.data.cluster.snapshots.totalCount);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('bundles GraphiQL at /graphiql: it loads and answers without any request off this server', async () => {
    const { page, problems } = await openPage('/graphiql');
    const offsite: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(stack().server.baseUrl) && !request.url().startsWith('data:') && !request.url().startsWith('blob:')) offsite.push(request.url());
    });
    try {
      await page.locator('.graphiql-container').waitFor({ timeout: 30_000 });
      // The editor (Monaco, from the bundle) has loaded the default query before it runs.
      await page.locator('.graphiql-query-editor').filter({ hasText: 'inventory' }).waitFor({ timeout: 30_000 });
      const response = page.locator('.graphiql-response');
      await expect
        .poll(
          async () => {
            if (!(await response.textContent())?.includes('demo')) await page.getByRole('button', { name: /execute query/i }).first().click();
            return (await response.textContent()) ?? '';
          },
          { timeout: 30_000, interval: 1_000 },
        )
        .toContain('"demo"');
      await shoot(page, 'graphiql');
      expect(offsite).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('fits a phone (390×844, dark): no page-wide sideways scroll, one-column forms, the header and current tab in view', async () => {
    const id = await firstDemoSnapshotId();
    const { page, problems } = await openPage('/upload');
    try {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.evaluate(() => localStorage.setItem('netpol-theme', 'dark'));
      const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      const pages: Array<[string, string, (p: Page) => Promise<unknown>]> = [
        ['upload', '/upload', (p) => p.getByLabel('Manifest files').waitFor({ state: 'attached' })],
        ['map', `/snapshots/${id}/map`, (p) => p.getByRole('table', { name: 'Edges of the service map' }).waitFor()],
        ['connectivity', `/snapshots/${id}/connectivity`, (p) => p.locator('.matrix').first().waitFor()],
        ['reachability', `/snapshots/${id}/reachability?from=production/frontend&to=production/backend&port=8080&protocol=TCP`, (p) => p.getByText('Verdict').first().waitFor()],
        ['what-if', `/snapshots/${id}/what-if`, (p) => p.getByRole('heading', { level: 1 }).waitFor()],
      ];
      for (const [name, pathname, ready] of pages) {
        await page.goto(`${stack().server.baseUrl}${pathname}`);
        await ready(page);
        expect(await overflow(), `${name} scrolls sideways at 390 px`).toBeLessThanOrEqual(0);
        await shoot(page, `phone-dark-${name}`);
      }
      // The reachability form is one column: the source and destination fieldsets are stacked, not side by side.
      await page.goto(`${stack().server.baseUrl}/snapshots/${id}/reachability`);
      const fieldsets = page.locator('form fieldset');
      await fieldsets.first().waitFor();
      const [source, destination] = await Promise.all([fieldsets.nth(0).boundingBox(), fieldsets.nth(1).boundingBox()]);
      expect(destination!.y).toBeGreaterThanOrEqual(source!.y + source!.height);
      // Brand and theme toggle share the first line of the header, each on one line.
      const brand = await page.locator('.site-header .brand').boundingBox();
      const toggle = await page.locator('.site-header .theme-toggle').boundingBox();
      expect(brand!.height).toBeLessThan(32);
      expect(Math.abs(brand!.y + brand!.height / 2 - (toggle!.y + toggle!.height / 2))).toBeLessThan(12);
      // The current snapshot tab (the last one) is scrolled into its row.
      await page.goto(`${stack().server.baseUrl}/snapshots/${id}/findings`);
      const current = page.getByRole('navigation', { name: 'Snapshot views' }).getByRole('link', { name: 'Findings' });
      await current.waitFor();
      const box = await current.boundingBox();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(390);
      expect(problems).toEqual([]);
    } finally {
      // The theme is a kept preference of the shared browser profile: later tests start from the system's.
      await page.evaluate(() => localStorage.removeItem('netpol-theme')).catch(() => undefined);
      await page.close();
    }
  });

  it('loads every page on the demo cluster without a console error (screenshot of each)', async () => {
    const id = await firstDemoSnapshotId();
    const pages: Array<[name: string, path: string, ready: (page: Page) => Promise<unknown>]> = [
      ['inventory', '/', (p) => p.getByRole('region', { name: 'demo' }).waitFor()],
      ['explorer', `/snapshots/${id}`, (p) => p.getByRole('region', { name: 'Policies' }).getByRole('table').waitFor()],
      ['explorer-filtered', `/snapshots/${id}?namespace=production&q=back`, (p) => p.getByRole('region', { name: 'Workloads' }).getByRole('link', { name: 'backend' }).waitFor()],
      ['workload-database', `/snapshots/${id}/workloads/production/StatefulSet/database`, (p) => p.getByRole('region', { name: 'Who can reach it' }).getByRole('table').waitFor()],
      ['policy-default-deny', `/snapshots/${id}/policies/production/default-deny-all`, (p) => p.getByLabel('Policy YAML').waitFor()],
      ['connectivity', `/snapshots/${id}/connectivity`, (p) => p.getByRole('region', { name: 'Downloads' }).waitFor()],
      ['exposure', `/snapshots/${id}/exposure`, (p) => p.getByRole('region', { name: 'Unprotected' }).getByRole('table').waitFor()],
      ['reachability-empty', `/snapshots/${id}/reachability`, (p) => p.getByRole('form', { name: 'Reachability question' }).waitFor()],
      ['reachability-denied', `/snapshots/${id}/reachability?from=ingress-nginx/ingress-nginx-controller&to=production/frontend&port=3000&protocol=TCP`, (p) => p.getByRole('region', { name: 'Verdict' }).getByText('Denied', { exact: true }).waitFor()],
      ['what-if-empty', `/snapshots/${id}/what-if`, (p) => p.getByLabel('YAML or JSON').waitFor()],
      ['diff-empty', '/diff', (p) => p.getByLabel('Old snapshot').waitFor()],
      ['cluster-demo', '/clusters/demo', (p) => p.getByRole('region', { name: 'Snapshots' }).getByRole('table').waitFor()],
      ['not-found', '/no/such/page', (p) => p.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor()],
    ];
    for (const [name, pathname, ready] of pages) {
      const { page, problems } = await openPage(pathname);
      try {
        await ready(page);
        await shoot(page, `page-${name}`);
        expect(problems, name).toEqual([]);
      } finally {
        await page.close();
      }
    }
    // Downloads carry file names and answer.
    const { page } = await openPage(`/snapshots/${id}/connectivity`);
    try {
      const csv = page.getByRole('region', { name: 'Downloads' }).getByRole('link', { name: 'CSV' });
      expect(await csv.getAttribute('download')).toBe(`demo-${id.slice(0, 8)}-connectivity.csv`);
      const [download] = await Promise.all([page.waitForEvent('download'), csv.click()]);
      expect(download.suggestedFilename()).toBe(`demo-${id.slice(0, 8)}-connectivity.csv`);
      expect(await readFile((await download.path())!, 'utf8')).toContain('production/frontend[Deployment]');
    } finally {
      await page.close();
    }
  });
});

/** Fills the reachability form with two workloads (option labels) and a TCP port, submits, waits for the URL. */
async function askReachability(page: Page, from: string, to: string, port: string): Promise<void> {
  const form = page.getByRole('form', { name: 'Reachability question' });
  await form.getByLabel('Source workload').selectOption({ label: from });
  await form.getByLabel('Destination workload').selectOption({ label: to });
  await form.getByLabel('Port', { exact: true }).fill(port);
  await form.getByLabel('Protocol').selectOption('TCP');
  await form.getByRole('button', { name: 'Check reachability' }).click();
  await page.waitForURL((url) => url.searchParams.get('port') === port);
}

async function expectSnapshotContents(page: Page): Promise<void> {
  const namespaces = page.getByRole('region', { name: 'Namespaces' });
  await namespaces.getByRole('rowheader', { name: 'production', exact: true }).waitFor();
  for (const name of ['monitoring', 'kube-system', 'ingress-nginx']) {
    await namespaces.getByRole('rowheader', { name, exact: true }).waitFor();
  }
  const workloads = page.getByRole('region', { name: 'Workloads' });
  for (const name of ['frontend', 'backend', 'database', 'coredns']) {
    await workloads.getByRole('rowheader', { name, exact: true }).waitFor();
  }
  const policies = page.getByRole('region', { name: 'Policies' });
  for (const name of ['default-deny-all', 'backend-ingress', 'database-allow-backend-only']) {
    await policies.getByRole('rowheader', { name, exact: true }).waitFor();
  }
}

/** A new API token (made with the admin token): `tenants` scopes what it sees (a tenant with no cluster: an empty store). */
async function createToken(role: string, tenants?: string[]): Promise<string> {
  const created = await graphql('mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token } }', {
    input: { name: `e2e ${role} ${tenants?.join(',') ?? 'all'}`, role, ...(tenants ? { tenants } : {}) },
  });
  expect(created.errors).toBeUndefined();
  return created.data.createApiToken.token as string;
}

describe('dashboard findings, compliance, per-rule connections and keyboard map (demo cluster)', () => {
  it('lists the demo’s lint findings with their fix, narrows them by severity and rule in the URL, links to the object', async () => {
    const id = await firstDemoSnapshotId();
    const { page, problems } = await openPage(`/snapshots/${id}/findings`);
    try {
      await page.getByRole('heading', { level: 1, name: 'Findings' }).waitFor();
      const list = page.getByRole('region', { name: 'Findings' });
      const items = list.getByRole('listitem');
      await items.first().waitFor();
      const all = await items.count();
      expect(all).toBeGreaterThan(10);
      // The demo's two errors: egress-isolated workloads that cannot resolve names.
      await list.getByRole('listitem').filter({ hasText: 'production/redis[Deployment] is egress-isolated and cannot reach kube-system/coredns' }).waitFor();
      await page.getByRole('navigation', { name: 'Snapshot views' }).getByRole('link', { name: 'Findings' }).and(page.locator('[aria-current="page"]')).waitFor();
      await shoot(page, 'findings');

      await page.getByLabel('Severity').selectOption('error');
      await page.waitForURL((url) => url.searchParams.get('severity') === 'error');
      await list.getByText(`2 of ${all} findings match the filters.`).waitFor();
      expect(await items.count()).toBe(2);
      expect(await list.locator('.pill').allTextContents()).toEqual(['error', 'error']);
      await page.getByLabel('Rule').selectOption('dns-unreachable');
      await page.waitForURL((url) => url.searchParams.get('rule') === 'dns-unreachable');
      // Filtered by the server: the list comes back with the same two.
      await list.getByText(`2 of ${all} findings match the filters.`).waitFor();
      expect(await items.count()).toBe(2);
      expect(await list.locator('code').first().textContent()).toBe('dns-unreachable');
      await page.getByLabel('Namespace').selectOption('monitoring');
      await list.getByText('No finding matches these filters.').waitFor();
      await page.getByRole('link', { name: 'Clear filters' }).click();
      await list.getByText(`${all} findings`, { exact: true }).waitFor();

      // A finding links to its object: the workload page.
      await list.getByRole('link', { name: 'Deployment production/redis' }).first().click();
      await page.getByRole('heading', { level: 1, name: /redis/ }).waitFor();

      // Downloads: SARIF with the token, a valid SARIF 2.1.0 log with every finding.
      await page.goto(`${stack().server.baseUrl}/snapshots/${id}/findings`);
      const sarifLink = page.getByRole('link', { name: 'SARIF 2.1.0' });
      expect(await sarifLink.getAttribute('download')).toBe(`demo-${id.slice(0, 8)}-lint.sarif`);
      const [download] = await Promise.all([page.waitForEvent('download'), sarifLink.click()]);
      const sarif = JSON.parse(await readFile((await download.path())!, 'utf8')) as { version: string; runs: Array<{ results: unknown[] }> };
      expect(sarif.version).toBe('2.1.0');
      expect(sarif.runs[0].results).toHaveLength(all);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('links the inventory’s lint errors to the findings and its compliance line to the compliance page', async () => {
    const { page, problems } = await openPage('/');
    try {
      const demo = page.getByRole('region', { name: 'demo' });
      await demo.getByRole('link', { name: '2 lint errors: see the findings' }).click();
      await page.waitForURL((url) => url.pathname.endsWith('/findings') && url.searchParams.get('severity') === 'error');
      await page.getByRole('region', { name: 'Findings' }).getByRole('listitem').nth(1).waitFor();
      await page.goBack();
      await page.getByRole('region', { name: 'demo' }).getByRole('link', { name: 'Compliance', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Compliance of demo' }).waitFor();
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('generates a compliance report, shows its controls with evidence, downloads the report and its evidence pack', async () => {
    const { page, problems } = await openPage('/clusters/demo/compliance');
    try {
      await page.getByRole('heading', { level: 1, name: 'Compliance of demo' }).waitFor();
      await page.getByLabel('Framework').selectOption('pci-dss-4.0');
      await page.getByRole('button', { name: 'Generate report' }).click();
      await page.waitForURL((url) => /^[0-9a-f-]{36}$/.test(url.searchParams.get('report') ?? ''));
      const summary = page.getByRole('region', { name: /^PCI DSS 4\.0 report, / });
      await summary.waitFor();
      const controls = page.getByRole('region', { name: 'Controls' });
      await controls.getByRole('heading', { level: 3, name: /1\.3\.1/ }).waitFor();
      // Evidence rows name connections and the rules behind them.
      expect(await controls.getByRole('table').count()).toBeGreaterThan(0);
      // Lint findings behind a control: their own severity (a warning, not the row's "info"), the object linked, and
      // its place in the snapshot in words instead of the content index "[16]".
      const lintControl = controls.getByRole('region', { name: /1\.2\.1/ });
      const warning = lintControl.getByRole('row', { name: /^warning Namespace ingress-nginx · object \d+ of the snapshot — — namespace-without-default-deny-egress / });
      await warning.waitFor();
      expect(await warning.getByRole('link', { name: 'Namespace ingress-nginx' }).getAttribute('href')).toMatch(/^\/snapshots\/[0-9a-f-]{36}\?namespace=ingress-nginx$/);
      await lintControl.getByRole('row', { name: /^error CronJob production\/db-backup · object \d+ of the snapshot — — dns-unreachable / }).waitFor();
      const statuses = await lintControl.locator('tbody td:first-child').allInnerTexts();
      expect(statuses.length).toBeGreaterThan(0);
      expect(statuses.filter((status) => !['error', 'warning'].includes(status.trim()))).toEqual([]);
      // (field paths keep their indexes: `spec.egress[2]`; a bare " [16]" is gone)
      expect(await lintControl.locator('tbody th').allInnerTexts()).not.toContainEqual(expect.stringMatching(/\s\[\d+\]/));
      await page.getByRole('region', { name: 'Reports' }).getByRole('row').nth(1).waitFor();
      await shoot(page, 'compliance-report');

      const jsonLink = summary.getByRole('link', { name: 'JSON (signed canonical form)' });
      const reportId = /\/api\/v1\/reports\/([0-9a-f-]+)/.exec((await jsonLink.getAttribute('href')) ?? '')![1]!;
      const [jsonDownload] = await Promise.all([page.waitForEvent('download'), jsonLink.click()]);
      const report = JSON.parse(await readFile((await jsonDownload.path())!, 'utf8')) as { snapshot: { id: string }; controls: Array<{ id: string }> };
      // `<cluster>-<snapshot short id>-<framework>-report-<report short id>.<ext>`, as the API's Content-Disposition names it.
      const reportStem = `demo-${report.snapshot.id.slice(0, 8)}-pci-dss-4.0`;
      expect(jsonDownload.suggestedFilename()).toBe(`${reportStem}-report-${reportId.slice(0, 8)}.json`);
      expect(report.controls.length).toBeGreaterThan(3);
      const [pdfDownload] = await Promise.all([page.waitForEvent('download'), summary.getByRole('link', { name: 'PDF', exact: true }).click()]);
      expect(pdfDownload.suggestedFilename()).toBe(`${reportStem}-report-${reportId.slice(0, 8)}.pdf`);
      expect((await readFile((await pdfDownload.path())!)).subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const [zipDownload] = await Promise.all([page.waitForEvent('download'), summary.getByRole('link', { name: 'Evidence pack (zip)' }).click()]);
      expect(zipDownload.suggestedFilename()).toBe(`${reportStem}-evidence-${reportId.slice(0, 8)}.zip`);
      const zip = await readFile((await zipDownload.path())!);
      expect(zip.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
      expect(zip.length).toBeGreaterThan(1000);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('shows located intents errors inline (nothing saved) and tells a viewer what its role may not do', async () => {
    const before = (await graphql('{ intentsVersions(cluster: "demo") { id } }')).data.intentsVersions;
    const { page, problems } = await openPage('/clusters/demo/compliance');
    try {
      const editor = page.getByLabel('Intents YAML');
      // The demo's stored intents are shown for editing, and the latest snapshot is checked against them: each
      // violation with the policy rules that allow it, linked to the policy page.
      await expect(editor.inputValue()).resolves.toContain('kind: SegmentationIntents');
      const intents = page.getByRole('region', { name: 'Segmentation intents' });
      await intents.getByRole('button', { name: /^Check the latest snapshot against version \d+$/ }).click();
      await intents.getByText(/^violations \d+ of \d+ zone-crossing connections conform; \d+ violations?\.$/).waitFor();
      const ruleLink = intents.getByRole('table').getByRole('link').first();
      expect(await ruleLink.getAttribute('href')).toMatch(/\/policies\/[^/]+\/[^/?]+\?rule=spec\.(ingress|egress)%5B\d+%5D$/);
      await editor.fill('apiVersion: netpol-atlas/v1\nkind: SegmentationIntents\nmetadata:\n  name: broken\nzones:\n  - name: cde\n    namespaces: [production]\nallowedFlows:\n  - from: cde\n    to: nowhere\n');
      await page.getByRole('button', { name: 'Save as a new version' }).click();
      const alert = page.getByRole('region', { name: 'Segmentation intents' }).getByRole('alert');
      await alert.getByText('Not saved:').waitFor();
      expect(await alert.locator('li').count()).toBeGreaterThan(0);
      expect(await alert.innerText()).toMatch(/allowedFlows\[0\]\.to/);
      await shoot(page, 'compliance-intents-error');
      const versions = await graphql('{ intentsVersions(cluster: "demo") { id } }');
      expect(versions.data.intentsVersions).toEqual(before);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
    const viewer = await openPage('/clusters/demo/compliance', { token: await createToken('viewer') });
    try {
      await viewer.page.getByText('Your token’s role (viewer) may not generate reports (auditor or admin).').waitFor();
      await viewer.page.getByText('Your token’s role (viewer) may not save intents (admin).').waitFor();
      expect(await viewer.page.getByRole('button', { name: 'Generate report' }).count()).toBe(0);
      await shoot(viewer.page, 'compliance-viewer');
      // Reading a report is reading: a viewer downloads it (the server answers it 200), but not the signed
      // evidence pack (auditor or admin), whose link it is not offered.
      const reports = (await graphql('{ reports(cluster: "demo", first: 1) { edges { node { id } } } }')).data.reports.edges as Array<{ node: { id: string } }>;
      expect(reports.length).toBe(1);
      await viewer.page.goto(`${stack().server.baseUrl}/clusters/demo/compliance?report=${reports[0].node.id}`);
      const summary = viewer.page.getByRole('region', { name: /^PCI DSS 4\.0 report, / });
      await summary.waitFor();
      const [download] = await Promise.all([viewer.page.waitForEvent('download'), summary.getByRole('link', { name: 'JSON (signed canonical form)' }).click()]);
      expect((JSON.parse(await readFile((await download.path())!, 'utf8')) as { controls: unknown[] }).controls.length).toBeGreaterThan(3);
      await summary.getByText('The signed evidence pack needs the auditor or admin role.').waitFor();
      expect(await summary.getByRole('link', { name: 'Evidence pack (zip)' }).count()).toBe(0);
      expect(viewer.problems).toEqual([]);
    } finally {
      await viewer.page.close();
    }
  });

  it('shows what each rule of a demo policy does, with peers and ports per rule path', async () => {
    const id = await firstDemoSnapshotId();
    const { page, problems } = await openPage(`/snapshots/${id}/policies/production/backend-ingress?rule=${encodeURIComponent('spec.ingress[0]')}`);
    try {
      const section = page.getByRole('region', { name: 'What each rule does' });
      const first = section.getByRole('region', { name: /^spec\.ingress\[0\]/ });
      await first.getByRole('row', { name: 'production/frontend[Deployment] production/backend[Deployment] TCP:[8080] —' }).waitFor();
      expect(await first.getAttribute('data-active')).toBe('true');
      const second = section.getByRole('region', { name: /^spec\.ingress\[1\]/ });
      await second.getByRole('link', { name: /^ingress-nginx\// }).first().waitFor();
      await shoot(page, 'policy-rule-connections');
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('moves keyboard focus between map nodes with the arrow keys, announces each, and highlights one with Enter', async () => {
    const id = await firstDemoSnapshotId();
    const { page, problems } = await openPage(`/snapshots/${id}/map`);
    try {
      const canvas = page.locator('.map-canvas[data-ready="true"]');
      await canvas.waitFor();
      await canvas.focus();
      await page.keyboard.press('ArrowRight');
      const first = await canvas.getAttribute('data-keyboard-node');
      expect(first).toMatch(/^w:/);
      const announcement = page.getByTestId('map-announcement');
      const firstText = await announcement.textContent();
      expect(firstText).toMatch(/, workload: \d+ connections? in, \d+ out/);
      await page.keyboard.press('ArrowRight');
      const second = await canvas.getAttribute('data-keyboard-node');
      expect(second).toMatch(/^(w:|outside|ns:)/);
      expect(second).not.toBe(first);
      expect(await announcement.textContent()).not.toBe(firstText);
      await page.keyboard.press('ArrowLeft');
      expect(await canvas.getAttribute('data-keyboard-node')).toBe(first);
      await shoot(page, 'service-map-keyboard');
      await page.keyboard.press('Enter');
      await page.waitForURL((url) => url.searchParams.get('focus') === first);
      await page.getByRole('heading', { level: 3, name: /^Reach of / }).waitFor();
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('shows designed empty states on an empty store (a token of a tenant without clusters)', async () => {
    const { page, problems } = await openPage('/', { token: await createToken('viewer', ['e2e-empty-tenant']) });
    try {
      await page.getByText('No clusters yet.').waitFor();
      await shoot(page, 'page-inventory-empty');
      await page.goto(`${stack().server.baseUrl}/clusters/demo/compliance`);
      await page.getByText('There is no cluster named demo.').waitFor();
      expect(problems.filter((p) => !p.includes('404'))).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
