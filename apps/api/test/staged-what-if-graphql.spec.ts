// GraphQL `Snapshot.stagedWhatIf` over HTTP against the real app (embedded PostgreSQL): a stored snapshot with Calico
// staged policies, diffed against itself with them enforced, with causes; the same answer as the engine.
import { parseManifests, peerName, stagedWhatIf } from '@netpol-atlas/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { gql, type Json } from './support/graphql.js';
import { shopCluster } from '../../../tools/testing/shop-cluster.js';

const LIVE =
  shopCluster([['web', 8080], ['db', 5432]]) +
  `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-closed, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
`;
const STAGED = `
---
apiVersion: projectcalico.org/v3
kind: StagedKubernetesNetworkPolicy
metadata: {name: db-web-only, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: 5432}]}]
---
apiVersion: projectcalico.org/v3
kind: StagedKubernetesNetworkPolicy
metadata: {name: web-closed, namespace: shop}
spec:
  stagedAction: Delete
  podSelector: {matchLabels: {app: web}}
`;

const QUERY = `query($id: ID!, $first: Int, $filter: DiffFilter) {
  snapshot(id: $id) {
    stagedWhatIf(first: $first, filter: $filter) {
      counts { changed added removed }
      pairs { totalCount edges { node { type source destination oldText newText causes { change summary } } } }
      changes { id change }
      staged { action staged { kind apiGroup namespace name } target { kind apiGroup namespace name } targetExists }
      issues { code path file }
      caveats { code kind name message }
    }
  }
}`;

describe('GraphQL Snapshot.stagedWhatIf', () => {
  let t: TestApp;
  let stagedId: string;
  let liveId: string;

  const upload = async (body: string, capturedAt: string) => {
    const res = await t.http.post(`/api/v1/clusters/shop/snapshots?capturedAt=${capturedAt}`).set('Content-Type', 'application/yaml').send(body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return (res.body as { id: string }).id;
  };

  beforeAll(async () => {
    t = await startApp();
    liveId = await upload(LIVE, '2026-11-01T10:00:00Z');
    stagedId = await upload(LIVE + STAGED, '2026-11-02T10:00:00Z');
  });
  afterAll(() => t?.close());

  it('lists the staged policies and the pairs enforcing them would change, each with its cause', async () => {
    const res = await gql(t, QUERY, { id: stagedId, first: 100 });
    expect(res.errors).toBeUndefined();
    const d = res.data!.snapshot.stagedWhatIf;
    expect(d.staged).toEqual([
      {
        action: 'SET',
        staged: { kind: 'StagedKubernetesNetworkPolicy', apiGroup: 'projectcalico.org', namespace: 'shop', name: 'db-web-only' },
        target: { kind: 'NetworkPolicy', apiGroup: 'networking.k8s.io', namespace: 'shop', name: 'db-web-only' },
        targetExists: false,
      },
      {
        action: 'DELETE',
        staged: { kind: 'StagedKubernetesNetworkPolicy', apiGroup: 'projectcalico.org', namespace: 'shop', name: 'web-closed' },
        target: { kind: 'NetworkPolicy', apiGroup: 'networking.k8s.io', namespace: 'shop', name: 'web-closed' },
        targetExists: true,
      },
    ]);
    expect(d.issues).toEqual([]);
    expect(d.caveats).toEqual([]);
    expect(d.changes.map((c: Json) => `${c.change} ${c.id}`)).toEqual(['ADDED NetworkPolicy/shop/db-web-only', 'REMOVED NetworkPolicy/shop/web-closed']);
    const pairs = d.pairs.edges.map((e: Json) => e.node);
    // web → db narrows to 5432 (caused by the Set); db → web opens (caused by the Delete).
    expect(pairs).toContainEqual(
      expect.objectContaining({ type: 'CHANGED', source: 'shop/web[Deployment]', destination: 'shop/db[Deployment]', oldText: 'All Connections', newText: 'TCP 5432', causes: [expect.objectContaining({ change: 'NetworkPolicy/shop/db-web-only' })] }),
    );
    expect(pairs).toContainEqual(
      expect.objectContaining({ type: 'ADDED', source: 'shop/db[Deployment]', destination: 'shop/web[Deployment]', newText: 'All Connections', causes: [expect.objectContaining({ change: 'NetworkPolicy/shop/web-closed' })] }),
    );
    expect(d.pairs.totalCount).toBe(d.counts.changed + d.counts.added + d.counts.removed);
    // The engine on the stored content answers the same.
    const engine = stagedWhatIf(parseManifests([{ path: 'staged.yaml', text: LIVE + STAGED }]).objects);
    expect(pairs.map((p: Json) => `${p.type} ${p.source} ${p.destination}`)).toEqual(engine.diff.pairs.map((p) => `${p.type.toUpperCase()} ${peerName(p.src)} ${peerName(p.dst)}`));
  });

  it('filters pairs like diff, and a snapshot without staged policies changes nothing', async () => {
    const filtered = await gql(t, QUERY, { id: stagedId, filter: { types: ['ADDED'] } });
    expect(filtered.errors).toBeUndefined();
    const d = filtered.data!.snapshot.stagedWhatIf;
    expect(d.pairs.edges.every((e: Json) => e.node.type === 'ADDED')).toBe(true);
    expect(d.pairs.totalCount).toBe(d.counts.added);
    const live = await gql(t, QUERY, { id: liveId });
    expect(live.errors).toBeUndefined();
    expect(live.data!.snapshot.stagedWhatIf).toMatchObject({ counts: { changed: 0, added: 0, removed: 0 }, staged: [], changes: [] });
  });
});
