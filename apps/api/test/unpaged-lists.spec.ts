// Unpaged list fields kept for API compatibility (`namespaceMatrix.cells` without `busiest`, `lint.findings`,
// `exposure.selectorExposed`) answer at most MAX_UNPAGED_ITEMS items; past it they answer TOO_MANY_ITEMS, naming the
// paged field, instead of holding the event loop to build, execute and write every item (seconds at 50k pods).
// The paged and bounded forms keep answering on the same snapshot. Real server, real Postgres.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_UNPAGED_ITEMS } from '../src/graphql/errors.js';
import { startApp, type TestApp } from './support/app.js';
import { gql, type GraphQLResponse, type Json } from './support/graphql.js';

const NAMESPACES = 80;
const PEERS = 63;

/**
 * A `kubectl get -o json` List past every unpaged limit, small to analyse: NAMESPACES open namespaces `open-NN` and
 * NAMESPACES namespaces `sel-NN`, one Deployment each. A `sel-NN` workload admits only pods of PEERS teams (selectors
 * future pods may match: 80 × 63 = 5,040 selector exposure rows; no such pod exists, so nothing reaches it); every
 * workload reaches every `open-NN` one (80 × 159 = 12,720 namespace cells). In each `open-NN`, PEERS policies select
 * no pod (5,040 `policy-selects-nothing` findings).
 */
function cluster(): string {
  const items: unknown[] = [];
  for (const prefix of ['open', 'sel']) {
    for (let n = 0; n < NAMESPACES; n++) {
      const namespace = `${prefix}-${String(n).padStart(2, '0')}`;
      items.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { 'kubernetes.io/metadata.name': namespace } } });
      const labels = { app: 'web' };
      items.push({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { namespace, name: 'web' },
        spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 8080 }] }] } } },
      });
      for (let k = 0; k < PEERS; k++) {
        if (prefix === 'sel') break;
        items.push({
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { namespace, name: `nothing-${k}` },
          spec: { podSelector: { matchLabels: { app: `gone-${k}` } }, policyTypes: ['Ingress'] },
        });
      }
      if (prefix === 'sel') {
        const teams = Array.from({ length: PEERS }, (_, k) => ({ podSelector: { matchLabels: { team: `t${k}` } } }));
        items.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { namespace, name: 'from-teams' }, spec: { podSelector: {}, ingress: [{ from: teams }] } });
      }
    }
  }
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

/** Cells: every workload (2 × NAMESPACES) reaches each open one but its own. */
const CELLS = NAMESPACES * (2 * NAMESPACES - 1);

describe('unpaged lists are bounded before any item is built', () => {
  let t: TestApp;
  let id: string;

  beforeAll(async () => {
    t = await startApp();
    const res = await t.http.post('/api/v1/clusters/unpaged/snapshots').set('Content-Type', 'application/json').send(cluster());
    expect(res.status, res.text).toBe(201);
    id = res.body.id;
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const tooMany = (res: GraphQLResponse<Record<string, Json>>, field: string, paged: string) => {
    expect(res.errors, JSON.stringify(res.data)).toHaveLength(1);
    const [error] = res.errors!;
    const extensions = error.extensions ?? {};
    expect(extensions).toMatchObject({ code: 'TOO_MANY_ITEMS', maxItems: MAX_UNPAGED_ITEMS });
    expect(extensions.count).toBeGreaterThan(MAX_UNPAGED_ITEMS);
    expect(error.message).toContain(field);
    expect(error.message).toContain(paged);
    return extensions.count as number;
  };

  it('namespaceMatrix.cells: every cell past the limit is refused; busiest, amongBusiest and cellCount still answer', async () => {
    const every = await gql(t, 'query($id: ID!) { namespaceMatrix(snapshotId: $id) { cells { from to allowedPairs } } }', { id });
    expect(tooMany(every, 'namespaceMatrix.cells', 'cells(busiest: N)')).toBe(CELLS);
    const cross = await gql(t, 'query($id: ID!) { namespaceMatrix(snapshotId: $id) { cells(crossNamespace: true) { from } } }', { id });
    expect(tooMany(cross, 'namespaceMatrix.cells', 'cellCount')).toBe(CELLS);

    const bounded = await gql(
      t,
      `query($id: ID!) { namespaceMatrix(snapshotId: $id) {
        all: cellCount cross: cellCount(crossNamespace: true)
        busiest: cells(busiest: 10000) { from to allowedPairs }
        among: cells(amongBusiest: 40) { from to } } }`,
      { id },
    );
    expect(bounded.errors).toBeUndefined();
    const matrix = bounded.data!.namespaceMatrix;
    expect(matrix.all).toBe(CELLS);
    expect(matrix.cross).toBe(CELLS);
    // `busiest` bounds the answer itself (up to 10,000 of the 12,720), one allowed workload pair each.
    expect(matrix.busiest).toHaveLength(10_000);
    expect(matrix.busiest.every((c: Json) => c.allowedPairs === 1 && c.to.startsWith('open-'))).toBe(true);
    // The 40 busiest namespaces are open ones (reached by 159, reaching 79): 40 × 39 cells among them.
    expect(matrix.among).toHaveLength(40 * 39);
  });

  it('lint.findings: refused past the limit, paged by findingsPage', async () => {
    const every = await gql(t, 'query($id: ID!) { lint(snapshotId: $id) { findings { rule } } }', { id });
    const count = tooMany(every, 'lint.findings', 'lint.findingsPage');
    const page = await gql(
      t,
      `query($id: ID!) { lint(snapshotId: $id) { errors warnings info
        findingsPage(first: 100) { totalCount edges { node { rule } } }
        nothing: findingsPage(first: 1, rule: "policy-selects-nothing") { totalCount } } }`,
      { id },
    );
    expect(page.errors).toBeUndefined();
    const lint = page.data!.lint;
    expect(lint.findingsPage.totalCount).toBe(count);
    expect(lint.errors + lint.warnings + lint.info).toBe(count);
    expect(lint.findingsPage.edges).toHaveLength(100);
    expect(lint.nothing.totalCount).toBe(NAMESPACES * PEERS);
  });

  it('exposure.selectorExposed: refused past the limit, paged by selectorExposedPage; one workload\'s rows still listed', async () => {
    const every = await gql(t, 'query($id: ID!) { exposure(snapshotId: $id) { selectorExposed { peer } } }', { id });
    const count = tooMany(every, 'exposure.selectorExposed', 'exposure.selectorExposedPage');
    expect(count).toBeGreaterThanOrEqual(NAMESPACES * PEERS);
    const page = await gql(t, 'query($id: ID!) { exposure(snapshotId: $id) { selectorExposedWorkloads selectorExposedPage(first: 5) { totalCount edges { node { peer } } } } }', { id });
    expect(page.errors).toBeUndefined();
    expect(page.data!.exposure.selectorExposedPage.totalCount).toBe(count);
    expect(page.data!.exposure.selectorExposedWorkloads).toBe(NAMESPACES);
    expect(count).toBe(NAMESPACES * PEERS);
    const one = await gql(t, 'query($id: ID!, $w: String!) { exposure(snapshotId: $id, workload: $w) { selectorExposed { workload { name } peer } } }', { id, w: 'sel-07/web' });
    expect(one.errors).toBeUndefined();
    expect(one.data!.exposure.selectorExposed).toHaveLength(PEERS);
    expect(one.data!.exposure.selectorExposed.length).toBeLessThan(count);
    expect(one.data!.exposure.selectorExposed.every((r: Json) => r.workload.name === 'web')).toBe(true);
  });
});
