// GraphQL `diff`, `whatIf` and `policyDiff` over HTTP against the real app (embedded PostgreSQL): counts, paged pairs
// with causes (two unrelated edits, each pair naming only its own), filters, the page-size cap, typed errors, and
// what-if leaving the store untouched.
import { analyze, buildSnapshot, diffWithCauses, parseManifests } from '@netpol-atlas/engine';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DiffService } from '../src/diff/diff.service.js';
import { startApp, type TestApp } from './support/app.js';
import { rowCounts } from './support/database.js';
import { API_DEPLOYMENT_NEW, API_INGRESS_NEW, NEW_CLUSTER, OLD_CLUSTER } from './support/diff-fixture.js';
import { errorCodes, gql, type Json } from './support/graphql.js';

const PAIR_FIELDS = `type source destination oldText newText workloadsDiffInfo
  from { type namespace kind name ipRange } to { type namespace kind name ipRange }
  gained { protocol from to } lost { protocol from to } old { protocol from to } new { protocol from to }
  causes { change summary } jointCauses { change summary }`;

const DIFF_QUERY = `query($from: ID!, $to: ID!, $first: Int, $after: String, $filter: DiffFilter) {
  diff(from: $from, to: $to, first: $first, after: $after, filter: $filter) {
    counts { changed added removed workloadsAdded workloadsRemoved }
    pairs { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${PAIR_FIELDS} } } }
    changes { id object { kind namespace name } change summary fields { id path change before after summary } }
    uncheckedChanges
  }
}`;

const WHAT_IF_QUERY = `query($id: ID!, $manifests: String!, $delete: [ObjectRefInput!], $first: Int) {
  whatIf(snapshotId: $id, manifests: $manifests, delete: $delete, first: $first) {
    counts { changed added removed workloadsAdded workloadsRemoved }
    pairs { totalCount edges { node { ${PAIR_FIELDS} } } }
    changes { id change summary }
    issues { code severity message file document path line }
    deletionsNotFound { kind namespace name }
  }
}`;

/** The engine on the original manifests, as `netpol diff --explain` computes it. */
function engineExplained(oldText: string, newText: string) {
  const side = (text: string, file: string) => {
    const { objects } = parseManifests([{ path: file, text }]);
    return { objects, analysis: analyze(buildSnapshot(objects).snapshot) };
  };
  return diffWithCauses(side(oldText, 'old.yaml'), side(newText, 'new.yaml'));
}

describe('GraphQL diff, whatIf, policyDiff', () => {
  let t: TestApp;
  let oldId: string;
  let newId: string;

  const upload = async (cluster: string, body: string, capturedAt: string) => {
    const res = await t.http.post(`/api/v1/clusters/${cluster}/snapshots?capturedAt=${capturedAt}`).set('Content-Type', 'application/yaml').send(body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return (res.body as { id: string }).id;
  };

  beforeAll(async () => {
    t = await startApp();
    oldId = await upload('shop', OLD_CLUSTER, '2026-11-01T10:00:00Z');
    newId = await upload('shop', NEW_CLUSTER, '2026-11-02T10:00:00Z');
  });
  afterAll(() => t?.close());

  it('diff: counts, pairs in np-guard order, each pair caused only by its own edit', async () => {
    const res = await gql(t, DIFF_QUERY, { from: oldId, to: newId, first: 100 });
    expect(res.errors).toBeUndefined();
    const d = res.data!.diff;
    expect(d.counts).toEqual({ changed: 1, added: 1, removed: 0, workloadsAdded: 0, workloadsRemoved: 0 });
    expect(d.pairs.totalCount).toBe(2);
    const [changed, added] = d.pairs.edges.map((e: Json) => e.node);
    expect(changed).toMatchObject({
      type: 'CHANGED',
      source: 'shop/web[Deployment]',
      destination: 'shop/api[Deployment]',
      oldText: 'TCP 8080',
      newText: 'TCP 8080-8090',
      from: { type: 'WORKLOAD', namespace: 'shop', kind: 'Deployment', name: 'web', ipRange: null },
      to: { type: 'WORKLOAD', namespace: 'shop', kind: 'Deployment', name: 'api', ipRange: null },
      gained: [{ protocol: 'TCP', from: 8081, to: 8090 }],
      lost: [],
      old: [{ protocol: 'TCP', from: 8080, to: 8080 }],
      new: [{ protocol: 'TCP', from: 8080, to: 8090 }],
      workloadsDiffInfo: null,
      jointCauses: [],
    });
    expect(added).toMatchObject({
      type: 'ADDED',
      source: 'shop/api[Deployment]',
      destination: 'shop/db[Deployment]',
      oldText: 'No Connections',
      newText: 'TCP 5432',
      gained: [{ protocol: 'TCP', from: 5432, to: 5432 }],
    });
    // Causation: the port edit explains web → api only, the label edit api → db only.
    expect(changed.causes.map((c: Json) => c.change)).toEqual(['NetworkPolicy/shop/api-ingress#spec.ingress[0].ports']);
    expect(added.causes.map((c: Json) => c.change)).toEqual(['Deployment/shop/api#spec.template.metadata.labels.role']);
    // Every cause names an entry of `changes` (or a field of one).
    const ids = new Set(d.changes.flatMap((c: Json) => [c.id, ...c.fields.map((f: Json) => f.id)]));
    for (const cause of [...changed.causes, ...added.causes]) expect(ids).toContain(cause.change);
    expect(d.changes.map((c: Json) => `${c.change} ${c.id}`)).toEqual(['MODIFIED Deployment/shop/api', 'MODIFIED NetworkPolicy/shop/api-ingress']);
    expect(d.uncheckedChanges).toEqual([]);
    // The same causes and summaries as the engine on the original manifests (`netpol diff --explain`).
    const engine = engineExplained(OLD_CLUSTER, NEW_CLUSTER);
    expect(d.pairs.edges.map((e: Json) => e.node.causes)).toEqual(engine.diff.pairs.map((p) => p.causes));
    expect(d.changes.map((c: Json) => c.summary)).toEqual(engine.changes.map((c) => c.summary));
  });

  it('diff: the field changes carry canonical JSON before/after values', async () => {
    const res = await gql(t, DIFF_QUERY, { from: oldId, to: newId });
    const policy = res.data!.diff.changes.find((c: Json) => c.object.kind === 'NetworkPolicy');
    expect(policy.fields).toEqual([
      expect.objectContaining({
        path: 'spec.ingress[0].ports',
        change: 'MODIFIED',
        before: '[{"port":8080,"protocol":"TCP"}]',
        after: '[{"endPort":8090,"port":8080,"protocol":"TCP"}]',
      }),
    ]);
    const label = res.data!.diff.changes.find((c: Json) => c.object.kind === 'Deployment').fields[0];
    expect(label).toMatchObject({ change: 'ADDED', before: null, after: '"db-client"' });
  });

  it('diff: pages with cursors (first: 1), and filters by type, namespace and workload', async () => {
    const one = await gql(t, DIFF_QUERY, { from: oldId, to: newId, first: 1 });
    expect(one.errors).toBeUndefined();
    const page1 = one.data!.diff.pairs;
    expect(page1.totalCount).toBe(2);
    expect(page1.edges.map((e: Json) => e.node.type)).toEqual(['CHANGED']);
    expect(page1.pageInfo).toEqual({ hasNextPage: true, endCursor: page1.edges[0].cursor });
    const two = await gql(t, DIFF_QUERY, { from: oldId, to: newId, first: 1, after: page1.pageInfo.endCursor });
    const page2 = two.data!.diff.pairs;
    expect(page2.edges.map((e: Json) => e.node.type)).toEqual(['ADDED']);
    expect(page2.pageInfo.hasNextPage).toBe(false);

    const filtered = async (filter: Json) => {
      const res = await gql(t, DIFF_QUERY, { from: oldId, to: newId, filter });
      expect(res.errors).toBeUndefined();
      // Counts are of the whole diff; totalCount of the filtered pairs.
      expect(res.data!.diff.counts.changed + res.data!.diff.counts.added).toBe(2);
      return res.data!.diff.pairs.edges.map((e: Json) => `${e.node.source}>${e.node.destination}`);
    };
    expect(await filtered({ types: ['ADDED'] })).toEqual(['shop/api[Deployment]>shop/db[Deployment]']);
    expect(await filtered({ types: ['REMOVED'] })).toEqual([]);
    expect(await filtered({ workload: 'web' })).toEqual(['shop/web[Deployment]>shop/api[Deployment]']);
    expect(await filtered({ workload: 'shop/db' })).toEqual(['shop/api[Deployment]>shop/db[Deployment]']);
    expect(await filtered({ workload: 'other/db' })).toEqual([]);
    expect(await filtered({ toNamespace: 'shop', fromNamespace: 'shop' })).toHaveLength(2);
    expect(await filtered({ fromNamespace: 'kube-system' })).toEqual([]);
  });

  it('diff without causation fields: the same counts, pairs and changes (computed without re-analysis)', async () => {
    const light = `query($from: ID!, $to: ID!) { diff(from: $from, to: $to) {
      counts { changed added removed } ...pairs changes { id summary fields { id } }
    } }
    fragment pairs on ConnectivityDiff { pairs { totalCount edges { cursor node { type source destination gained { protocol from to } } } } }`;
    const explained = vi.spyOn(t.app.get(DiffService), 'explainedDiff');
    const a = await gql(t, light, { from: oldId, to: newId });
    expect(a.errors).toBeUndefined();
    expect(explained).not.toHaveBeenCalled();
    const full = (await gql(t, DIFF_QUERY, { from: oldId, to: newId })).data!.diff;
    expect(a.data!.diff.counts).toEqual({ changed: 1, added: 1, removed: 0 });
    expect(a.data!.diff.pairs.edges).toEqual(
      full.pairs.edges.map((e: Json) => ({ cursor: e.cursor, node: { type: e.node.type, source: e.node.source, destination: e.node.destination, gained: e.node.gained } })),
    );
    expect(a.data!.diff.changes).toEqual(full.changes.map((c: Json) => ({ id: c.id, summary: c.summary, fields: c.fields.map((f: Json) => ({ id: f.id })) })));
    // Causes selected through a fragment are still computed.
    const viaFragment = await gql(t, `query($from: ID!, $to: ID!) { diff(from: $from, to: $to) { ...withCauses } }
      fragment withCauses on ConnectivityDiff { pairs { edges { node { ... on DiffPair { causes { change } } } } } }`, { from: oldId, to: newId });
    expect(viaFragment.data!.diff.pairs.edges.map((e: Json) => e.node.causes.length)).toEqual([1, 1]);
    expect(explained).toHaveBeenCalledTimes(2);
    explained.mockRestore();
  });

  it('diff of a snapshot with itself is empty', async () => {
    const res = await gql(t, DIFF_QUERY, { from: newId, to: newId });
    expect(res.errors).toBeUndefined();
    expect(res.data!.diff.counts).toEqual({ changed: 0, added: 0, removed: 0, workloadsAdded: 0, workloadsRemoved: 0 });
    expect(res.data!.diff.pairs).toEqual({ totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] });
    expect(res.data!.diff.changes).toEqual([]);
  });

  it('typed errors: NOT_FOUND for unknown snapshots, BAD_USER_INPUT for bad ids, page sizes and cursors', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect(errorCodes(await gql(t, DIFF_QUERY, { from: unknown, to: newId }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await gql(t, DIFF_QUERY, { from: oldId, to: unknown }))).toEqual(['NOT_FOUND']);
    const badId = await gql(t, DIFF_QUERY, { from: 'nope', to: newId });
    expect(errorCodes(badId)).toEqual(['BAD_USER_INPUT']);
    expect(badId.errors![0].extensions).toMatchObject({ argument: 'from' });
    for (const first of [0, 101]) {
      const res = await gql(t, DIFF_QUERY, { from: oldId, to: newId, first });
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0].extensions).toMatchObject({ arguments: ['first'] });
    }
    expect(errorCodes(await gql(t, DIFF_QUERY, { from: oldId, to: newId, after: 'bogus' }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(t, WHAT_IF_QUERY, { id: unknown, manifests: '' }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await gql(t, `{ policyDiff(from: "${unknown}", to: "${newId}") { added { id } } }`))).toEqual(['NOT_FOUND']);
  });

  it('whatIf: the proposed manifests give the same diff and causes as the stored new snapshot; nothing is stored', async () => {
    const before = await rowCounts(t.databaseUrl);
    const manifests = `${API_INGRESS_NEW}---\n${API_DEPLOYMENT_NEW}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings, namespace: shop}\n`;
    const res = await gql(t, WHAT_IF_QUERY, { id: oldId, manifests, first: 100 });
    expect(res.errors).toBeUndefined();
    const w = res.data!.whatIf;
    const stored = (await gql(t, DIFF_QUERY, { from: oldId, to: newId, first: 100 })).data!.diff;
    expect(w.counts).toEqual(stored.counts);
    expect(w.pairs.edges.map((e: Json) => e.node)).toEqual(stored.pairs.edges.map((e: Json) => e.node));
    expect(w.changes.map((c: Json) => c.id)).toEqual(['Deployment/shop/api', 'NetworkPolicy/shop/api-ingress']);
    // The ConfigMap is the third document of `manifests`: a warning located at its first line.
    const configMapLine = manifests.slice(0, manifests.lastIndexOf('---\n') + 4).split('\n').length;
    expect(configMapLine).toBe(21);
    expect(w.issues).toEqual([
      { code: 'UNKNOWN_KIND', severity: 'warning', message: expect.stringContaining('ConfigMap'), file: 'manifests', document: 2, path: '', line: configMapLine },
    ]);
    expect(w.deletionsNotFound).toEqual([]);
    expect(await rowCounts(t.databaseUrl)).toEqual(before);
  });

  it('whatIf: deleting a policy opens its pods (cause: the removal); unknown deletions are listed', async () => {
    const res = await gql(t, WHAT_IF_QUERY, {
      id: newId,
      manifests: '',
      delete: [
        { kind: 'NetworkPolicy', namespace: 'shop', name: 'db-ingress' },
        { kind: 'NetworkPolicy', namespace: 'shop', name: 'no-such-policy' },
      ],
      first: 100,
    });
    expect(res.errors).toBeUndefined();
    const w = res.data!.whatIf;
    expect(w.counts).toMatchObject({ removed: 0, changed: 1 });
    expect(w.counts.added).toBeGreaterThan(0);
    const intoDb = w.pairs.edges.map((e: Json) => e.node).filter((p: Json) => p.destination === 'shop/db[Deployment]');
    expect(intoDb.length).toBe(w.counts.added + w.counts.changed);
    for (const pair of intoDb) expect(pair.causes.map((c: Json) => c.change)).toEqual(['NetworkPolicy/shop/db-ingress']);
    expect(w.changes).toEqual([expect.objectContaining({ id: 'NetworkPolicy/shop/db-ingress', change: 'REMOVED' })]);
    expect(w.deletionsNotFound).toEqual([{ kind: 'NetworkPolicy', namespace: 'shop', name: 'no-such-policy' }]);
  });

  it('whatIf: manifests with errors are BAD_USER_INPUT with located issues', async () => {
    const syntax = await gql(t, WHAT_IF_QUERY, { id: oldId, manifests: 'kind: [\n' });
    expect(errorCodes(syntax)).toEqual(['BAD_USER_INPUT']);
    expect(syntax.errors![0].extensions).toMatchObject({
      argument: 'manifests',
      issues: [expect.objectContaining({ code: 'SYNTAX', severity: 'error', file: 'manifests', document: 0, line: expect.any(Number) })],
    });
    const invalid = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: bad, namespace: shop}\nspec:\n  podSelector: {}\n  ingress: [{ports: [{port: 70000}]}]\n`;
    const res = await gql(t, WHAT_IF_QUERY, { id: oldId, manifests: invalid });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    const issues = res.errors![0].extensions!.issues as Json[];
    expect(issues.some((i) => i.severity === 'error' && i.file === 'manifests' && i.path.startsWith('spec.ingress'))).toBe(true);
  });

  it('policyDiff: added, removed and modified policies, rule by rule', async () => {
    const query = `query($from: ID!, $to: ID!) { policyDiff(from: $from, to: $to) {
      added { id summary } removed { id summary }
      modified { id object { kind namespace name } change fields { path change before after summary } }
    } }`;
    const res = await gql(t, query, { from: oldId, to: newId });
    expect(res.errors).toBeUndefined();
    expect(res.data!.policyDiff).toEqual({
      added: [],
      removed: [],
      modified: [
        {
          id: 'NetworkPolicy/shop/api-ingress',
          object: { kind: 'NetworkPolicy', namespace: 'shop', name: 'api-ingress' },
          change: 'MODIFIED',
          fields: [
            {
              path: 'spec.ingress[0].ports',
              change: 'MODIFIED',
              before: '[{"port":8080,"protocol":"TCP"}]',
              after: '[{"endPort":8090,"port":8080,"protocol":"TCP"}]',
              summary: expect.stringContaining('spec.ingress[0].ports changed from'),
            },
          ],
        },
      ],
    });
    // Policies only in one side: the reverse diff of a cluster without policies.
    const bare = await upload('bare', OLD_CLUSTER.split('---\n').slice(0, 4).join('---\n'), '2026-11-03T10:00:00Z');
    const added = (await gql(t, query, { from: bare, to: newId })).data!.policyDiff;
    expect(added.added.map((c: Json) => c.id)).toEqual(['NetworkPolicy/shop/api-ingress', 'NetworkPolicy/shop/db-ingress']);
    expect(added.removed).toEqual([]);
    const removed = (await gql(t, query, { from: newId, to: bare })).data!.policyDiff;
    expect(removed.removed.map((c: Json) => c.id)).toEqual(['NetworkPolicy/shop/api-ingress', 'NetworkPolicy/shop/db-ingress']);
  });
});
