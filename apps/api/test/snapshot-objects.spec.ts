// The normalised objects tables: written with the snapshot in one transaction (all or nothing), shared by
// deduplicated uploads, immutable, read by the GraphQL snapshot lists; and the policy ⇄ workload selection.
import { parseManifests } from '@netpol-atlas/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotContent } from '../src/ingest/snapshot-content.js';
import { INSERT_BATCH, objectColumns } from '../src/snapshots/objects/snapshot-object-columns.js';
import { startApp, type TestApp } from './support/app.js';
import { rowCounts, withClient } from './support/database.js';
import { demoYaml } from './support/demo.js';
import { errorCodes, gql, type Json } from './support/graphql.js';

const OBJECT_TABLES = ['snapshot_object_sets', 'snapshot_namespaces', 'snapshot_workloads', 'snapshot_pods', 'snapshot_policies'];

/** A live-cluster style body: a Deployment with its ReplicaSet and pods, a bare pod, policies. */
function liveBody(podName = 'web-1-b'): string {
  const owned = (kind: string, name: string) => [{ apiVersion: 'apps/v1', kind, name, controller: true }];
  const items = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { team: 'payments', env: 'prod' } } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'tools', labels: { team: 'platform' } } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web', tier: 'front' } }, spec: { containers: [{ name: 'w', image: 'w' }] } } },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web-1', namespace: 'shop', ownerReferences: owned('Deployment', 'web') },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web', tier: 'front' } }, spec: { containers: [{ name: 'w', image: 'w' }] } } },
    },
    ...['web-1-a', podName].map((name, i) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'shop', labels: { app: 'web', tier: 'front' }, ownerReferences: owned('ReplicaSet', 'web-1') },
      spec: { containers: [{ name: 'w', image: 'w', ports: [{ containerPort: 8080 }] }] },
      status: { podIP: `10.0.0.${i + 1}` },
    })),
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'db-0', namespace: 'shop', labels: { app: 'db' } },
      spec: { containers: [{ name: 'd', image: 'd' }] },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'debug', namespace: 'tools', labels: { run: 'debug' } },
      spec: { containers: [{ name: 'd', image: 'd' }] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'default-deny', namespace: 'shop', labels: { managed: 'yes' } },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'web-in', namespace: 'shop' },
      spec: { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports: [{ port: 8080 }] }] },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'nothing', namespace: 'shop' },
      spec: { podSelector: { matchLabels: { app: 'absent' } } },
    },
    { apiVersion: 'policy.networking.k8s.io/v1alpha1', kind: 'AdminNetworkPolicy', metadata: { name: 'cluster-guard' }, spec: { priority: 10, subject: { namespaces: { matchLabels: { guarded: 'yes' } } }, ingress: [] } },
  ];
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

describe('normalised snapshot objects', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t?.close());

  const upload = (cluster: string, body: string) => t.http.post(`/api/v1/clusters/${cluster}/snapshots`).set('Content-Type', 'application/json').send(body);

  it('encodes each batch as a JSON array of rows PostgreSQL reads back to the same values (quotes, backslashes, NULL, unicode, 5000+ rows)', async () => {
    const tricky = ['', 'NULL', 'a"b', 'c\\d', '{x,y}', ' spaced ', 'é😀', '\\"', ','];
    const workloads = Array.from({ length: INSERT_BATCH + 3 }, (_, i) => ({
      namespace: tricky[i % tricky.length]!,
      kind: 'Deployment',
      name: `w-${i}`,
      replicas: i % 3 === 0 ? null : i,
      pods: i,
      labels: { [tricky[(i + 1) % tricky.length]! || 'k']: tricky[i % tricky.length]! },
    }));
    const encoded = objectColumns({ namespaces: [], workloads, pods: [], policies: [], counts: { namespaces: 0, workloads: workloads.length, pods: 0, policies: 0 } });
    expect(encoded.batches.map((batch) => [batch.table, batch.rows])).toEqual([
      ['workloads', INSERT_BATCH],
      ['workloads', 3],
    ]);
    const decoded = await withClient(t.databaseUrl, async (client) => {
      const rows: unknown[] = [];
      for (const batch of encoded.batches) {
        const result = await client.query(
          'SELECT * FROM jsonb_to_recordset($1::text::jsonb) AS r (namespace text, kind text, name text, replicas integer, pods integer, labels jsonb)',
          [Buffer.from(batch.json)],
        );
        rows.push(...result.rows);
      }
      return rows;
    });
    expect(decoded).toEqual(workloads);
  });

  it('writes the objects of new content with the snapshot; a deduplicated upload shares them', async () => {
    const first = await upload('shop', liveBody());
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.counts).toEqual({ namespaces: 2, pods: 4, workloads: 3, policies: 4 });
    const sha = first.body.contentSha256 as string;
    const rows = await withClient(t.databaseUrl, async (client) => {
      const count = async (table: string) => Number((await client.query(`SELECT count(*) AS n FROM ${table} WHERE content_sha256 = $1`, [sha])).rows[0].n);
      return {
        namespaces: await count('snapshot_namespaces'),
        workloads: await count('snapshot_workloads'),
        pods: await count('snapshot_pods'),
        policies: await count('snapshot_policies'),
        set: (await client.query('SELECT namespaces, workloads, pods, policies FROM snapshot_object_sets WHERE content_sha256 = $1', [sha])).rows,
      };
    });
    expect(rows).toEqual({ namespaces: 2, workloads: 3, pods: 4, policies: 4, set: [{ namespaces: 2, workloads: 3, pods: 4, policies: 4 }] });

    const before = await rowCounts(t.databaseUrl);
    const again = await upload('shop-copy', liveBody());
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ deduplicated: true, contentSha256: sha, counts: first.body.counts });
    const after = await rowCounts(t.databaseUrl);
    for (const table of OBJECT_TABLES) expect(after[table], table).toBe(before[table]);
    expect(after.snapshots).toBe(before.snapshots + 1);
  });

  it('a failure while writing the objects writes nothing at all (cluster, content, snapshot, objects)', async () => {
    // A row trigger makes the database refuse one pod, after content, namespaces and workloads were written.
    await withClient(t.databaseUrl, async (client) => {
      await client.query(`CREATE FUNCTION refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'test: refused pod %', NEW.name; END $$`);
      await client.query(`CREATE TRIGGER refuse_boom BEFORE INSERT ON snapshot_pods FOR EACH ROW WHEN (NEW.name = 'boom') EXECUTE FUNCTION refuse_boom()`);
    });
    try {
      const before = await rowCounts(t.databaseUrl);
      const failed = await upload('failing', liveBody('boom'));
      expect(failed.status).toBe(500);
      // Every table, the cluster's included, is as it was.
      expect(await rowCounts(t.databaseUrl)).toEqual(before);
      expect(before.snapshot_pods).toBeGreaterThan(0);
    } finally {
      await withClient(t.databaseUrl, async (client) => {
        await client.query('DROP TRIGGER refuse_boom ON snapshot_pods');
        await client.query('DROP FUNCTION refuse_boom()');
      });
    }
    // The same upload succeeds once the database accepts it: nothing half-written was left in its way.
    const retried = await upload('failing', liveBody('boom'));
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ deduplicated: false, counts: { pods: 4 } });
  });

  for (const table of OBJECT_TABLES) {
    it(`${table} is evidence: UPDATE, DELETE and TRUNCATE are refused by the database`, async () => {
      const before = await rowCounts(t.databaseUrl);
      expect(before[table]).toBeGreaterThan(0);
      for (const sql of [`UPDATE ${table} SET content_sha256 = content_sha256`, `DELETE FROM ${table}`, `DELETE FROM ${table} WHERE false`, `TRUNCATE ${table} CASCADE`]) {
        const error = await withClient(t.databaseUrl, (client) => client.query(sql).then(() => undefined, (e: Error) => e));
        expect(error?.message, sql).toMatch(new RegExp(`^evidence is immutable: (UPDATE|DELETE|TRUNCATE) on ${table} is not allowed$`));
      }
      expect(await rowCounts(t.databaseUrl)).toEqual(before);
    });
  }

  it('a policy lists the workloads it applies to: a Calico serviceAccountSelector narrows it, an AdminNetworkPolicy leaves host-network pods out', async () => {
    const pod = (name: string, serviceAccountName: string, hostNetwork = false) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'edge', labels: { app: name } },
      spec: { serviceAccountName, ...(hostNetwork ? { hostNetwork: true, nodeName: 'n0' } : {}), containers: [{ name: 'c', image: 'c' }] },
      status: { podIP: hostNetwork ? '192.168.0.10' : `10.1.0.${name.length}` },
    });
    const items = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'edge', labels: { zone: 'edge' } } },
      pod('api', 'api-sa'),
      pod('web', 'web-sa'),
      pod('agent', 'agent-sa', true),
      {
        apiVersion: 'projectcalico.org/v3',
        kind: 'NetworkPolicy',
        metadata: { name: 'api-only', namespace: 'edge' },
        spec: { selector: 'all()', serviceAccountSelector: "projectcalico.org/name == 'api-sa'", types: ['Ingress'] },
      },
      {
        apiVersion: 'policy.networking.k8s.io/v1alpha1',
        kind: 'AdminNetworkPolicy',
        metadata: { name: 'edge-guard' },
        spec: { priority: 10, subject: { namespaces: { matchLabels: { zone: 'edge' } } }, ingress: [{ name: 'deny-all', action: 'Deny', from: [{ namespaces: {} }] }] },
      },
    ];
    const res = await upload('subjects', JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const listed = await gql(t, 'query($id: ID!) { snapshot(id: $id) { policies(first: 10) { edges { node { name analysed workloads(first: 10) { edges { node { name } } } } } } } }', { id: res.body.id });
    expect(listed.errors, JSON.stringify(listed.errors)).toBeUndefined();
    const workloadsOf = Object.fromEntries(listed.data!.snapshot.policies.edges.map((e: Json) => [e.node.name, [e.node.analysed, e.node.workloads.edges.map((w: Json) => w.node.name)]]));
    // Before, each listed every pod its pod selector matches: api-only all three, edge-guard the agent too.
    expect(workloadsOf).toEqual({ 'api-only': [true, ['api']], 'edge-guard': [true, ['api', 'web']] });
  });

  describe('GraphQL lists read from the tables', () => {
    let id: string;
    beforeAll(async () => {
      const res = await upload('graph', liveBody('web-1-c'));
      expect(res.status).toBe(201);
      id = res.body.id;
    });
    const snapshot = async (fields: string, variables: Record<string, unknown> = {}) => {
      const declared = fields.includes('$after') ? ', $after: String' : '';
      const res = await gql(t, `query($id: ID!${declared}) { snapshot(id: $id) { ${fields} } }`, { id, ...variables });
      expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
      return res.data!.snapshot;
    };

    it('namespaces, filterable by label; pods paged with cursors, filterable by workload and label', async () => {
      const s = await snapshot(`
        all: namespaces(first: 10) { totalCount edges { node { name declared labels { key value } } } }
        payments: namespaces(first: 10, labels: [{ key: "team", value: "payments" }]) { totalCount edges { node { name } } }
        withEnv: namespaces(first: 10, labels: [{ key: "env" }]) { edges { node { name } } }
        pods(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { namespace name synthetic ips workload { namespace kind name } } } }
        webPods: pods(first: 10, namespace: "shop", workload: { kind: "Deployment", name: "web" }) { totalCount edges { node { name } } }
        debugPods: pods(first: 10, labels: [{ key: "run", value: "debug" }]) { edges { node { namespace name } } }
      `);
      expect(s.all.edges.map((e: Json) => e.node)).toEqual([
        { name: 'shop', declared: true, labels: [{ key: 'env', value: 'prod' }, { key: 'team', value: 'payments' }] },
        { name: 'tools', declared: true, labels: [{ key: 'team', value: 'platform' }] },
      ]);
      expect(s.payments).toEqual({ totalCount: 1, edges: [{ node: { name: 'shop' } }] });
      expect(s.withEnv.edges).toEqual([{ node: { name: 'shop' } }]);
      expect(s.pods.totalCount).toBe(4);
      expect(s.pods.edges.map((e: Json) => e.node)).toEqual([
        { namespace: 'shop', name: 'db-0', synthetic: false, ips: [], workload: { namespace: 'shop', kind: 'Pod', name: 'db-0' } },
        { namespace: 'shop', name: 'web-1-a', synthetic: false, ips: ['10.0.0.1'], workload: { namespace: 'shop', kind: 'Deployment', name: 'web' } },
      ]);
      expect(s.pods.pageInfo.hasNextPage).toBe(true);
      const next = await snapshot('pods(first: 5, after: $after) { pageInfo { hasNextPage } edges { node { name } } }', { after: s.pods.pageInfo.endCursor });
      expect(next.pods.edges.map((e: Json) => e.node.name)).toEqual(['web-1-c', 'debug']);
      expect(next.pods.pageInfo.hasNextPage).toBe(false);
      expect(s.webPods).toEqual({ totalCount: 2, edges: [{ node: { name: 'web-1-a' } }, { node: { name: 'web-1-c' } }] });
      expect(s.debugPods.edges).toEqual([{ node: { namespace: 'tools', name: 'debug' } }]);
    });

    it('workloads and policies filter by namespace and label; each lists what selects it / what it selects (engine model)', async () => {
      const s = await snapshot(`
        workloads(first: 10, namespace: "shop") {
          totalCount
          edges { node { kind name replicas pods labels { key value } policies(first: 10) { totalCount edges { node { name kind } } } } }
        }
        front: workloads(first: 10, labels: [{ key: "tier", value: "front" }]) { edges { node { name } } }
        policies(first: 10) { totalCount edges { node { namespace kind apiVersion name policyTypes analysed labels { key value } workloads(first: 10) { totalCount edges { node { kind name } } } } } }
        managed: policies(first: 10, namespace: "shop", labels: [{ key: "managed", value: "yes" }]) { edges { node { name } } }
      `);
      expect(s.workloads.totalCount).toBe(2);
      expect(s.workloads.edges.map((e: Json) => [e.node.kind, e.node.name, e.node.replicas, e.node.pods])).toEqual([
        ['Deployment', 'web', 2, 2],
        ['Pod', 'db-0', null, 1],
      ]);
      expect(s.workloads.edges[0].node.labels).toEqual([{ key: 'app', value: 'web' }, { key: 'tier', value: 'front' }]);
      expect(s.workloads.edges[0].node.policies.edges.map((e: Json) => e.node.name)).toEqual(['default-deny', 'web-in']);
      expect(s.workloads.edges[1].node.policies.edges.map((e: Json) => e.node.name)).toEqual(['default-deny']);
      expect(s.front.edges).toEqual([{ node: { name: 'web' } }]);

      expect(s.policies.totalCount).toBe(4);
      const byName = Object.fromEntries(s.policies.edges.map((e: Json) => [e.node.name, e.node]));
      expect(s.policies.edges.map((e: Json) => e.node.name)).toEqual(['cluster-guard', 'default-deny', 'nothing', 'web-in']);
      // Analysed since the AdminNetworkPolicy dialect exists; its subject (namespaces labelled guarded=yes) selects none here.
      expect(byName['cluster-guard']).toMatchObject({ namespace: null, kind: 'AdminNetworkPolicy', analysed: true });
      expect(byName['cluster-guard'].workloads.edges.map((e: Json) => `${e.node.namespace}/${e.node.kind}/${e.node.name}`)).toEqual([]);
      expect(byName['default-deny']).toMatchObject({ policyTypes: ['Ingress', 'Egress'], analysed: true, labels: [{ key: 'managed', value: 'yes' }] });
      expect(byName['default-deny'].workloads.edges.map((e: Json) => `${e.node.kind}/${e.node.name}`)).toEqual(['Deployment/web', 'Pod/db-0']);
      expect(byName['web-in'].workloads.edges.map((e: Json) => e.node.name)).toEqual(['web']);
      expect(byName.nothing.workloads.totalCount).toBe(0);
      expect(s.managed.edges).toEqual([{ node: { name: 'default-deny' } }]);
    });

    it('names each policy\'s dialect, tier and priority, and filters the list by dialect (from the registry)', async () => {
      const s = await snapshot(`
        all: policies(first: 10) { edges { node { name kind dialect tier priority } } }
        anp: policies(first: 10, dialect: "admin-network-policy") { totalCount edges { node { name manifest } } }
        np: policies(first: 10, dialect: "networking-v1") { totalCount edges { node { name } } }
      `);
      expect(s.all.edges.map((e: Json) => e.node)).toEqual([
        { name: 'cluster-guard', kind: 'AdminNetworkPolicy', dialect: 'admin-network-policy', tier: 'admin', priority: 10 },
        { name: 'default-deny', kind: 'NetworkPolicy', dialect: 'networking-v1', tier: 'namespaced', priority: null },
        { name: 'nothing', kind: 'NetworkPolicy', dialect: 'networking-v1', tier: 'namespaced', priority: null },
        { name: 'web-in', kind: 'NetworkPolicy', dialect: 'networking-v1', tier: 'namespaced', priority: null },
      ]);
      expect(s.anp.totalCount).toBe(1);
      expect(s.anp.edges[0].node.name).toBe('cluster-guard');
      // A cluster-scoped policy's manifest is there too.
      expect(s.anp.edges[0].node.manifest).toContain('priority: 10');
      expect(s.np.totalCount).toBe(3);
      const unknown = await gql(t, 'query($id: ID!) { snapshot(id: $id) { policies(first: 5, dialect: "nope") { totalCount } } }', { id });
      expect(errorCodes(unknown)).toEqual(['BAD_USER_INPUT']);
      expect(JSON.stringify(unknown)).toContain('admin-network-policy');
    });

    it('pages the selection lists with cursors, and refuses foreign or forged cursors', async () => {
      const page = (after?: string) =>
        snapshot(`workloads(first: 1, namespace: "shop") { edges { node { policies(first: 1, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { name } } } } } }`, { after });
      const one = (await page()).workloads.edges[0].node.policies;
      expect(one).toMatchObject({ totalCount: 2, pageInfo: { hasNextPage: true }, edges: [{ node: { name: 'default-deny' } }] });
      const two = (await page(one.pageInfo.endCursor)).workloads.edges[0].node.policies;
      expect(two).toMatchObject({ pageInfo: { hasNextPage: false }, edges: [{ node: { name: 'web-in' } }] });

      const pods = await snapshot('pods(first: 1) { pageInfo { endCursor } }');
      const foreign = await gql(t, 'query($id: ID!, $after: String) { snapshot(id: $id) { workloads(first: 1, after: $after) { totalCount } } }', {
        id,
        after: pods.pods.pageInfo.endCursor,
      });
      expect(errorCodes(foreign)).toEqual(['BAD_USER_INPUT']);
      const forged = await gql(t, 'query($id: ID!) { snapshot(id: $id) { pods(first: 1, after: "cG9kOnNob3AAeAB5") { totalCount } } }', { id });
      expect(errorCodes(forged)).toEqual(['BAD_USER_INPUT']);
      const noNamespace = await gql(t, 'query($id: ID!) { snapshot(id: $id) { pods(first: 1, workload: { kind: "Pod", name: "x" }) { totalCount } } }', { id });
      expect(errorCodes(noNamespace)).toEqual(['BAD_USER_INPUT']);
      const tooMany = await gql(t, `query($id: ID!) { snapshot(id: $id) { pods(first: 1, labels: [${'{ key: "a" },'.repeat(21)}]) { totalCount } } }`, { id });
      expect(errorCodes(tooMany)).toEqual(['BAD_USER_INPUT']);
    });
  });
});

describe('a snapshot the engine cannot analyse', () => {
  it('still lists its objects from the tables; the selection answers SNAPSHOT_NOT_ANALYSABLE', async () => {
    const t = await startApp();
    try {
      // Two pods of one ReplicaSet whose `app` label a policy selector reads differently: the engine refuses it.
      const owner = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', controller: true }];
      const items = [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'rs', namespace: 'a' }, spec: { replicas: 2, template: { metadata: { labels: { app: 'x' } } } } },
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p1', namespace: 'a', labels: { app: 'x' }, ownerReferences: owner } },
        { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p2', namespace: 'a', labels: { app: 'y' }, ownerReferences: owner } },
        { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'x-only', namespace: 'a' }, spec: { podSelector: { matchLabels: { app: 'x' } } } },
      ];
      const res = await t.http.post('/api/v1/clusters/odd/snapshots').set('Content-Type', 'application/json').send(JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
      expect(res.status).toBe(201);
      const listed = await gql(t, `query($id: ID!) { snapshot(id: $id) { pods(first: 5) { totalCount } workloads(first: 5) { edges { node { name policies(first: 5) { totalCount } } } } } }`, { id: res.body.id });
      expect(listed.data!.snapshot.pods.totalCount).toBe(2);
      expect(listed.data!.snapshot.workloads.edges).toEqual([{ node: { name: 'rs', policies: null } }]);
      expect(errorCodes(listed)).toEqual(['SNAPSHOT_NOT_ANALYSABLE']);
      expect((listed.errors![0] as { path?: unknown }).path).toEqual(['snapshot', 'workloads', 'edges', 0, 'node', 'policies']);
    } finally {
      await t.close();
    }
  });
});

describe('contents stored before the objects tables', () => {
  it('get their objects when the server starts', async () => {
    // An older store: content and snapshot rows, and empty objects tables.
    const fresh = await startApp();
    await fresh.close();
    const content = snapshotContent(parseManifests([{ path: 'demo.yaml', text: demoYaml() }]).objects);
    await withClient(fresh.databaseUrl, async (client) => {
      const cluster = await client.query("INSERT INTO clusters (name) VALUES ('old') RETURNING id");
      await client.query('INSERT INTO snapshot_contents (sha256, content, size_bytes) VALUES ($1, $2, $3)', [content.sha256, content.bytes, content.bytes.length]);
      await client.query(
        `INSERT INTO snapshots (id, cluster_id, captured_at, source, content_sha256, counts, deduplicated)
         VALUES ('00000000-0000-4000-8000-0000000000aa', $1, now(), 'rest', $2, '{}', false)`,
        [cluster.rows[0].id, content.sha256],
      );
    });
    expect((await rowCounts(fresh.databaseUrl)).snapshot_workloads).toBe(0);
    const restarted = await startApp({ databaseUrl: fresh.databaseUrl });
    try {
      const counts = await rowCounts(fresh.databaseUrl);
      expect(counts.snapshot_object_sets).toBe(1);
      expect(counts.snapshot_workloads).toBe(8);
      const listed = await gql(restarted, '{ snapshot(id: "00000000-0000-4000-8000-0000000000aa") { workloads(first: 1) { totalCount } } }');
      expect(listed.data!.snapshot.workloads.totalCount).toBe(8);
    } finally {
      await restarted.close();
    }
  });
});
