// Listings of workload pairs are made only up to the server's bound (NETPOL_MAX_LISTED_ROWS; 50 here): a snapshot
// whose listing would be longer answers LISTING_TOO_LARGE (GraphQL) / 422 (REST download) with the counts, from a
// stored marker (no listing made, none remade), while the questions that never list pairs answer as always, and a
// snapshot under the bound lists as before. Real server, real Postgres, the analysis in its worker thread.
import { analyze, buildSnapshot, iterateConnectivity, parseManifests } from '@netpol-atlas/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { withClient } from './support/database.js';
import { gql } from './support/graphql.js';

const MAX_ROWS = 50;

/** `workloads` Deployments in two namespaces; `isolated`: every pod denied ingress but from its own namespace. */
function cluster(workloads: number, isolated: boolean): string {
  const items: unknown[] = [];
  for (const namespace of ['shop', 'tools']) {
    items.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { 'kubernetes.io/metadata.name': namespace } } });
    if (isolated) {
      items.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { namespace, name: 'own-namespace' }, spec: { podSelector: {}, ingress: [{ from: [{ podSelector: {} }] }], egress: [{ to: [{ podSelector: {} }] }], policyTypes: ['Ingress', 'Egress'] } });
    }
  }
  for (let w = 0; w < workloads; w++) {
    const labels = { app: `app-${w}` };
    items.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { namespace: w % 2 === 0 ? 'shop' : 'tools', name: `app-${w}` },
      spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 8080 }] }] } } },
    });
  }
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

/** The rows the engine lists for this content, one by one (the bound's count is checked against them). */
function listedRows(text: string): number {
  const analysis = analyze(buildSnapshot(parseManifests([{ path: 'c.json', text }]).objects).snapshot);
  return [...iterateConnectivity(analysis, { granularity: 'workload' })].length;
}

describe('the listing bound', () => {
  let t: TestApp;
  const open = cluster(10, false);
  const isolated = cluster(10, true);
  let openId: string;
  let isolatedId: string;

  beforeAll(async () => {
    t = await startApp({ maxListedRows: MAX_ROWS });
    for (const [name, body] of [['open', open], ['isolated', isolated]] as const) {
      const res = await t.http.post(`/api/v1/clusters/${name}/snapshots`).set('Content-Type', 'application/json').send(body);
      expect(res.status, res.text).toBe(201);
      if (name === 'open') openId = res.body.id;
      else isolatedId = res.body.id;
    }
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('answers LISTING_TOO_LARGE for the listings of a snapshot past it, with the rows the engine would list', async () => {
    const rows = listedRows(open);
    expect(rows).toBeGreaterThan(MAX_ROWS);
    for (const query of [
      'query($id: ID!) { connectivity(snapshotId: $id, first: 5) { totalCount } }',
      'query($id: ID!) { connectivity(snapshotId: $id, first: 5, mergeIpRanges: true) { totalCount } }',
      'query($id: ID!) { namespaceMatrix(snapshotId: $id) { cellCount } }',
    ]) {
      // Twice: the second answer comes from the stored marker.
      for (let round = 0; round < 2; round++) {
        const res = await gql(t, query, { id: openId });
        expect(res.errors, query).toHaveLength(1);
        expect(res.errors![0].extensions).toMatchObject({ code: 'LISTING_TOO_LARGE', rows, maxRows: MAX_ROWS });
        expect(res.errors![0].message).toContain(`${rows} workload pairs, more than the ${MAX_ROWS}`);
      }
    }
    const download = await t.http.get(`/api/v1/snapshots/${openId}/connectivity?format=txt`);
    expect(download.status).toBe(422);
    expect(download.body).toMatchObject({ rows, maxRows: MAX_ROWS });
    expect(download.body.message).toContain('whoCanReach');
  });

  it('stores a marker in place of each listing, never the listing', async () => {
    const stored = await withClient(t.databaseUrl, (client) =>
      client.query<{ kind: string; head: string }>(
        `SELECT r.kind, convert_from(substring(r.payload from 1 for 25), 'UTF8') AS head
           FROM analysis_results r JOIN snapshots s ON s.content_sha256 = r.content_sha256
          WHERE s.id = $1 AND r.kind IN ('connectivity', 'connectivity-rows', 'connectivity-rows-merged-ip', 'namespace-matrix') ORDER BY r.kind`,
        [openId],
      ),
    );
    expect(stored.rows.map((r) => r.kind)).toEqual(['connectivity', 'connectivity-rows', 'connectivity-rows-merged-ip', 'namespace-matrix']);
    expect(new Set(stored.rows.map((r) => r.head))).toEqual(new Set(['netpol:listing-too-large\n']));
  });

  it('still answers the questions that never list pairs on that snapshot', async () => {
    const res = await gql(
      t,
      `query($id: ID!) {
        reachability(snapshotId: $id, from: { namespace: "shop", name: "app-0" }, to: { namespace: "tools", name: "app-1" }, port: 8080) { allowed }
        whoCanReachPeers(snapshotId: $id, to: { namespace: "tools", name: "app-1" }, port: 8080) { peers { peer { name } } }
        exposure(snapshotId: $id) { unprotected { workload { name } } }
        lint(snapshotId: $id) { info }
      }`,
      { id: openId },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.reachability.allowed).toBe(true);
    // Nine other workloads and the IP ranges outside the cluster.
    expect(res.data!.whoCanReachPeers.peers.filter((p: { peer: { name: string | null } }) => p.peer.name?.startsWith('app-'))).toHaveLength(9);
    expect(res.data!.exposure.unprotected).toHaveLength(10);
    expect(res.data!.lint.info).toBeGreaterThanOrEqual(10);
  });

  it('lists a snapshot under the bound as before', async () => {
    const rows = listedRows(isolated);
    expect(rows).toBeLessThanOrEqual(MAX_ROWS);
    const res = await gql(t, 'query($id: ID!) { connectivity(snapshotId: $id, first: 100) { totalCount } namespaceMatrix(snapshotId: $id) { cellCount } }', { id: isolatedId });
    expect(res.errors).toBeUndefined();
    // Within each namespace only: 5 × 4 pairs in each, the API's rows per top-level controller as np-guard's here.
    expect(res.data!.connectivity.totalCount).toBe(2 * 5 * 4);
    expect(res.data!.namespaceMatrix.cellCount).toBe(2);
    const download = await t.http.get(`/api/v1/snapshots/${isolatedId}/connectivity?format=txt`);
    expect(download.status).toBe(200);
    expect(download.text.trim().split('\n')).toHaveLength(rows);
  });
});
