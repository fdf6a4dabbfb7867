// Issue 12 in a real Chromium against the real built API (embedded PostgreSQL): the cluster page shows the CNI
// profile and lets an admin change it; reachability, connectivity and inventory say which profile produced them
// and follow the change at once, with the profile's note where its name alone would mislead; a side denied by an explicit rule is not explained with NetworkPolicy
// allow-list words. Content: cilium-cli's echo-ingress-knp case, where client2 reaches echo-same-node only under
// the cilium profile (its NetworkPolicy selects Cilium's derived labels). A Calico rule that allows ICMP reads as its
// ICMP (`ICMP type 8`) in the reachability tables, not as an empty port list.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calicoServerIn, CLIENT_SERVER_PODS_YAML } from '../../../tools/testing/client-server.js';
import { startApiServer, uploadSnapshot, type ApiServer } from './api-server.js';
import { launchBrowser, type LaunchedBrowser } from './browser.js';

const SCREENSHOT_DIR = process.env.NETPOL_SCREENSHOT_DIR ?? path.resolve(import.meta.dirname, '../test-output/screenshots');
const DIALECTS = process.env.NETPOL_DIALECTS_DIR ?? path.resolve(import.meta.dirname, '../../../../shared/conformance/dialects');
const KNP_DIR = path.join(DIALECTS, 'cilium-cli', 'echo-ingress-knp', 'input');
const KNP = readdirSync(KNP_DIR).sort().map((f) => readFileSync(path.join(KNP_DIR, f), 'utf8')).join('\n---\n');
const TIERS = readFileSync(path.resolve(import.meta.dirname, '../../api/test/fixtures/tiered-explanation.yaml'), 'utf8');

let server: ApiServer | undefined;
let browser: LaunchedBrowser | undefined;
let setupError: unknown;

beforeAll(async () => {
  try {
    browser = await launchBrowser();
    server = await startApiServer();
    await mkdir(SCREENSHOT_DIR, { recursive: true });
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
  return uploadSnapshot(stack().server, cluster, body);
}

async function openPage(pathname: string): Promise<{ page: Page; problems: string[] }> {
  const { browser, server } = stack();
  const page = await browser.context.newPage();
  await page.addInitScript((value) => sessionStorage.setItem('netpol-atlas.token', value), server.adminToken);
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

const REACH = (id: string) => `/snapshots/${id}/reachability?from=cilium-test/client2&to=cilium-test/echo-same-node&port=8080&protocol=TCP`;

describe('CNI profiles in the dashboard', () => {
  it('an admin changes the cluster CNI on its page; verdicts, connectivity and inventory name and follow it', async () => {
    const id = await upload('e2e-cni', KNP);
    const { page, problems } = await openPage(REACH(id));
    try {
      const verdict = page.getByRole('region', { name: 'Verdict' });
      await verdict.getByText('Denied', { exact: true }).waitFor();
      await expect(verdict.locator('[data-cni-profile]').textContent()).resolves.toBe('profile: np-guard');
      // Kubernetes NetworkPolicies only: "np-guard" misleads nobody, no note.
      expect(await verdict.getByTestId('cni-profile-note').count()).toBe(0);
      // Isolated by a NetworkPolicy whose rule does not match: the rule-by-rule table, named as that tier's.
      const ingress = page.getByRole('region', { name: 'Ingress (destination side)' });
      await ingress.getByRole('heading', { name: 'Why no rule of the NetworkPolicies allowed it' }).waitFor();

      await page.goto(`${stack().server.baseUrl}/clusters/e2e-cni`);
      const card = page.getByRole('region', { name: 'CNI profile' });
      await card.getByText('Unknown: each snapshot is analysed under the profile its content implies', { exact: false }).waitFor();
      const form = card.getByRole('form', { name: 'Change the CNI profile' });
      await form.getByLabel('CNI').selectOption('cilium');
      await form.getByRole('button', { name: 'Save' }).click();
      await card.getByRole('status').getByText('Saved', { exact: false }).waitFor();
      await expect(page.getByTestId('cluster-cni-current').innerText()).resolves.toBe('Every analysis of this cluster uses profile: cilium (chosen by a user).');
      await shoot(page, 'cluster-cni-changed');

      await page.goto(`${stack().server.baseUrl}${REACH(id)}`);
      await verdict.getByText('Allowed', { exact: true }).waitFor();
      await expect(verdict.locator('[data-cni-profile]').textContent()).resolves.toBe('profile: cilium');
      await shoot(page, 'reachability-cni-cilium');

      await page.goto(`${stack().server.baseUrl}/snapshots/${id}/connectivity`);
      const matrix = page.getByRole('region', { name: 'Namespace matrix' });
      await expect(matrix.locator('[data-cni-profile]').textContent()).resolves.toBe('profile: cilium');
      // A declared CNI: the name says it all, no note.
      expect(await matrix.getByTestId('cni-profile-note').count()).toBe(0);

      await page.goto(`${stack().server.baseUrl}/`);
      const inventoryCard = page.getByRole('region', { name: 'e2e-cni' });
      await expect(inventoryCard.locator('[data-cni-profile]').textContent()).resolves.toBe('profile: cilium');
      expect(await inventoryCard.getByTestId('cni-profile-note').count()).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('a side denied by an explicit rule says so, without the NetworkPolicy allow-list table', async () => {
    const id = await upload('e2e-cni-tiers', TIERS);
    const { page, problems } = await openPage(`/snapshots/${id}/reachability?from=a/client&to=b/web&port=5432&protocol=TCP`);
    try {
      const ingress = page.getByRole('region', { name: 'Ingress (destination side)' });
      await ingress.getByRole('heading', { name: 'Denied by an explicit rule' }).waitFor();
      await ingress.getByText("AdminNetworkPolicy 'admin' (priority 10) denies", { exact: false }).first().waitFor();
      expect(await ingress.getByRole('heading', { name: /Why no/ }).count()).toBe(0);
      expect(await ingress.getByRole('table').count()).toBe(0);
      await shoot(page, 'reachability-explicit-deny');
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('a Calico rule allowing ICMP shows its ICMP in the allowed-by and why-not tables', async () => {
    const serverIn = calicoServerIn(`    - { action: Allow, protocol: TCP, source: { selector: app == 'client' }, destination: { ports: [80] } }
    - { action: Allow, protocol: ICMP, source: { selector: app == 'client' }, icmp: { type: 8 } }
`);
    // The client's egress allows everything, ICMP included: its allowed-by row names ports and ICMP.
    const clientOut = `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: { name: client-out, namespace: a }
spec:
  selector: app == 'client'
  types: [Egress]
  egress:
    - { action: Allow }
`;
    const id = await upload('e2e-calico-icmp', [CLIENT_SERVER_PODS_YAML, serverIn, clientOut].join('---\n'));
    const { page, problems } = await openPage(`/snapshots/${id}/reachability?from=a/client&to=a/server&port=8080&protocol=TCP`);
    try {
      const verdict = page.getByRole('region', { name: 'Verdict' });
      await verdict.getByText('Denied', { exact: true }).waitFor();
      // No CNI declared for this cluster: np-guard evaluated the Calico policies, and the verdict says so.
      await expect(verdict.locator('[data-cni-profile]').textContent()).resolves.toBe('profile: np-guard');
      await expect(verdict.getByTestId('cni-profile-note').textContent()).resolves.toMatch(
        /^no CNI was declared: np-guard's reading \(the default\) evaluated every modelled policy dialect present \(calico\), calico included, .*\(declare the cluster's CNI, e.g\. calico, for them\)$/,
      );
      const note = await verdict.getByTestId('cni-profile-note').textContent();
      const cells = async (region: Locator, rule: string) =>
        region.getByRole('row').filter({ has: page.getByText(rule, { exact: true }) }).getByRole('cell').allInnerTexts();

      const egress = page.getByRole('region', { name: 'Egress (source side)' });
      await egress.getByRole('heading', { name: 'Allowed by' }).waitFor();
      expect(await cells(egress, 'spec.egress[0]')).toEqual(['spec.egress[0]', 'all TCP ports, all UDP ports, all SCTP ports, ICMP,ICMPv6']);

      const ingress = page.getByRole('region', { name: 'Ingress (destination side)' });
      await ingress.getByRole('table').waitFor();
      expect(await cells(ingress, 'spec.ingress[0]')).toEqual(['spec.ingress[0]', 'the other side matches, but the rule allows only TCP 80, not the asked port']);
      expect(await cells(ingress, 'spec.ingress[1]')).toEqual(['spec.ingress[1]', 'the other side matches, but the rule allows only ICMP type 8, not the asked port']);
      await shoot(page, 'reachability-calico-icmp');

      // The asked port a rule lists: that rule allows it, and a TCP-only rule names no ICMP.
      await page.goto(`${stack().server.baseUrl}/snapshots/${id}/reachability?from=a/client&to=a/server&port=80&protocol=TCP`);
      await page.getByRole('region', { name: 'Verdict' }).getByText('Allowed', { exact: true }).waitFor();
      await ingress.getByRole('heading', { name: 'Allowed by' }).waitFor();
      expect(await cells(ingress, 'spec.ingress[0]')).toEqual(['spec.ingress[0]', 'TCP 80']);

      // Every page that names the profile carries the same note next to it: connectivity's matrix, the inventory card.
      await page.goto(`${stack().server.baseUrl}/snapshots/${id}/connectivity`);
      const matrix = page.getByRole('region', { name: 'Namespace matrix' });
      await expect(matrix.locator('[data-cni-profile]').textContent()).resolves.toBe('profile: np-guard');
      await expect(matrix.getByTestId('cni-profile-note').textContent()).resolves.toBe(note);
      await shoot(page, 'connectivity-cni-profile-note');
      await page.goto(`${stack().server.baseUrl}/`);
      const inventoryCard = page.getByRole('region', { name: 'e2e-calico-icmp' });
      await expect(inventoryCard.locator('[data-cni-profile]').textContent()).resolves.toBe('profile: np-guard');
      await expect(inventoryCard.getByTestId('cni-profile-note').textContent()).resolves.toBe(note);
      // And a compliance report generated on it: the auditor reads the same note next to the report's profile.
      await page.goto(`${stack().server.baseUrl}/clusters/e2e-calico-icmp/compliance`);
      await page.getByLabel('Framework').selectOption('soc2');
      await page.getByRole('button', { name: 'Generate report' }).click();
      await page.waitForURL((url) => /^[0-9a-f-]{36}$/.test(url.searchParams.get('report') ?? ''));
      const report = page.getByRole('region', { name: /report, / });
      await expect(report.locator('[data-cni-profile]').textContent()).resolves.toBe('profile: np-guard');
      await expect(report.getByTestId('cni-profile-note').textContent()).resolves.toBe(note);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
