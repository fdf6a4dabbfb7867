// The dashboard in a real Chromium, served by the real built API server on an embedded PostgreSQL that holds
// only the demo data (loaded at first start). Fails, never skips, when no browser starts.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from './api-server.js';
import { launchBrowser, type LaunchedBrowser } from './browser.js';

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
    screenshotDir = await mkdtemp(path.join(tmpdir(), 'netpol-dashboard-shots-'));
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
  if (process.env.NETPOL_KEEP_SCREENSHOTS !== '1' && screenshotDir) {
    await rm(screenshotDir, { recursive: true, force: true });
  }
});

/**
 * Opens a new tab at `pathname`, recording script errors and console errors (a clean page has none). The admin
 * token is put in sessionStorage first, as the dashboard's sign-in form does (`signedIn: false` leaves it out).
 */
async function openPage(pathname: string, { signedIn = true } = {}): Promise<{ page: Page; problems: string[]; status: number | undefined }> {
  const { browser, server } = stack();
  const page = await browser.context.newPage();
  if (signedIn) await page.addInitScript((token) => sessionStorage.setItem('netpol-atlas.token', token), server.adminToken);
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
      await page.getByRole('heading', { level: 1, name: 'Clusters' }).waitFor();
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

  it('lists the demo cluster and navigates to a snapshot with its namespaces, workloads and policies', async () => {
    const { page, problems, status } = await openPage('/');
    try {
      expect(status).toBe(200);
      // The pages render once the token is checked (auth/AuthGate.tsx), so wait for the heading first.
      await page.getByRole('heading', { level: 1, name: 'Clusters' }).waitFor();
      await expect(page.title()).resolves.toBe('Clusters · Netpol Atlas');
      const demo = page.getByRole('region', { name: 'demo' });
      await demo.getByRole('heading', { level: 2, name: 'demo' }).waitFor();

      await page.screenshot({ path: path.join(stack().screenshotDir, 'clusters-page.png'), fullPage: true });

      const snapshotLink = demo.getByRole('link', { name: /^Snapshot of demo captured / }).first();
      const href = await snapshotLink.getAttribute('href');
      expect(href).toMatch(/^\/snapshots\/[0-9a-f-]{36}$/);
      await snapshotLink.click();

      // Client-side navigation: the URL changes without a page load, and focus moves to the new h1.
      await page.waitForURL(`**${href}`);
      await page.getByRole('heading', { level: 1, name: /^Snapshot of demo, \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/ }).waitFor();
      await expectSnapshotContents(page);
      await expect(page.evaluate(() => document.activeElement?.tagName)).resolves.toBe('H1');

      // Back to the list (history), then to the cluster's own page.
      await page.goBack();
      await page.getByRole('region', { name: 'demo' }).getByRole('link', { name: 'demo', exact: true }).click();
      await page.waitForURL('**/clusters/demo');
      await page.getByRole('heading', { level: 1, name: 'Cluster demo' }).waitFor();
      await page.getByRole('region', { name: 'Snapshots' }).getByRole('link', { name: /^Snapshot of demo captured / }).first().waitFor();
      await page.screenshot({ path: path.join(stack().screenshotDir, 'cluster-page.png'), fullPage: true });
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
      expect(await internet.getByRole('rowheader').count()).toBeGreaterThan(0);
      await page.getByRole('region', { name: 'Cluster-wide exposed' }).getByRole('table').waitFor();
      await page.getByRole('region', { name: 'Unprotected' }).getByRole('table').waitFor();
      await page.screenshot({ path: path.join(stack().screenshotDir, 'exposure.png'), fullPage: true });

      await tabs.getByRole('link', { name: 'Connectivity' }).click();
      await page.waitForURL(`**/snapshots/${id}/connectivity`);
      const matrix = page.getByRole('region', { name: 'Namespace matrix' });
      const grid = matrix.getByRole('table', { name: /Allowed workload pairs from each namespace/ });
      await grid.getByRole('columnheader', { name: 'production' }).waitFor();
      await grid.getByRole('rowheader', { name: 'production' }).waitFor();
      const rows = page.getByRole('region', { name: 'Allowed connections' });
      await rows.getByText(/^\d+ allowed connections\.$/).waitFor();
      await page.screenshot({ path: path.join(stack().screenshotDir, 'connectivity.png'), fullPage: true });

      // A matrix cell filters the rows to its namespace pair (in the URL too).
      await grid.getByRole('link', { name: /workload pairs allowed from production to production/ }).click();
      await page.waitForURL(/fromNamespace=production&toNamespace=production$/);
      await rows.getByText('2 allowed connections.', { exact: true }).waitFor();
      await rows.getByRole('rowheader', { name: 'production/frontend Deployment' }).waitFor();
      await expect(rows.getByLabel('From namespace').inputValue()).resolves.toBe('production');
      expect(problems).toEqual([]);
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
