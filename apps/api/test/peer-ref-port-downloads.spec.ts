// Issue 15, API side: GraphQL PeerInput takes the `ns/name[Kind]` string form (`ref`, the CLI's parser), `port`
// takes an integer literal as well as a name, REST downloads name their file (Content-Disposition), and a YAML
// syntax error in an upload is located by line and column.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoDocuments } from '../src/demo/demo-data.service.js';
import { startApp, type TestApp } from './support/app.js';
import { errorCodes, gql } from './support/graphql.js';

describe('PeerInput.ref, Port, Content-Disposition', () => {
  let t: TestApp;
  let id: string;
  let later: string;

  beforeAll(async () => {
    t = await startApp();
    const body = (await demoDocuments()).map((d) => d.text).join('\n---\n');
    const upload = async (capturedAt: string) => {
      const res = await t.http.post(`/api/v1/clusters/shop-eu/snapshots?capturedAt=${capturedAt}`).set('Content-Type', 'application/yaml').send(body);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return (res.body as { id: string }).id;
    };
    id = await upload('2026-01-31T12:00:00Z');
    later = await upload('2026-02-01T08:30:15.250Z');
  });
  afterAll(() => t?.close());

  const summary = async (args: string) => {
    const res = await gql(t, `query($id: ID!) { reachability(snapshotId: $id, ${args}) { allowed explanation { summary } } }`, { id });
    return res;
  };

  it('ref in the string form, and an integer port literal, give the same verdict as the field form', async () => {
    const byFields = await summary('from: { namespace: "production", name: "frontend" }, to: { namespace: "production", name: "backend" }, port: "8080"');
    const byRef = await summary('from: { ref: "production/frontend[Deployment]" }, to: { ref: "production/backend" }, port: 8080');
    expect(byRef.errors).toBeUndefined();
    expect(byRef).toEqual(byFields);
    expect(byRef.data!.reachability.allowed).toBe(true);
    const ip = await summary('from: { ref: "production/backend" }, to: { ref: "8.8.8.8" }, port: 443');
    expect(ip.data!.reachability.allowed).toBe(true);
  });

  it('port as a variable: Int, numeric String or a named port', async () => {
    const query = `query($id: ID!, $from: PeerInput!, $to: PeerInput!, $port: Port!) {
      reachability(snapshotId: $id, from: $from, to: $to, port: $port) { allowed explanation { summary } } }`;
    const from = { ref: 'monitoring/prometheus' };
    const to = { ref: 'production/database' };
    const asInt = await gql(t, query, { id, from, to, port: 9187 });
    const asName = await gql(t, query, { id, from, to, port: 'metrics' });
    const asText = await gql(t, query, { id, from, to, port: '9187' });
    expect(asInt.errors).toBeUndefined();
    expect(asInt.data!.reachability.allowed).toBe(true);
    expect(asText).toEqual(asInt);
    expect(asName.data!.reachability.explanation.summary).toContain('TCP 9187 (metrics)');
    const bad = await gql(t, query, { id, from, to, port: 1.5 });
    expect(bad.errors?.[0].message).toMatch(/Port must be an integer or a container port name/);
    const outOfRange = await gql(t, query, { id, from, to, port: 70000 });
    expect(errorCodes(outOfRange)).toEqual(['BAD_USER_INPUT']);
  });

  it('a bare name, an unparsable ref or a ref with other fields is BAD_USER_INPUT', async () => {
    const bare = await summary('from: { ref: "frontend" }, to: { ref: "production/backend" }, port: 8080');
    expect(errorCodes(bare)).toEqual(['BAD_USER_INPUT']);
    // The CLI's words and candidates (looked up in the model thread).
    expect(bare.errors![0].message).toBe('from: ref frontend needs its namespace (ns/name); did you mean production/frontend[Deployment]?');
    expect(bare.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'from', fields: ['ref'], candidates: ['production/frontend[Deployment]'] });
    const bareTo = await summary('from: { ref: "production/frontend" }, to: { ref: "backend" }, port: 8080');
    expect(bareTo.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'to', candidates: ['production/backend[Deployment]'] });
    const who = await gql(t, 'query($id: ID!) { whoCanReachPeers(snapshotId: $id, to: { ref: "backend" }, port: 8080) { peers { portsText } } }', { id });
    expect(who.errors![0].message).toBe('to: ref backend needs its namespace (ns/name); did you mean production/backend[Deployment]?');
    expect(who.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'to', candidates: ['production/backend[Deployment]'] });
    const from = await gql(t, 'query($id: ID!) { reachableFrom(snapshotId: $id, from: { ref: "frontend" }) { portsText } }', { id });
    expect(from.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'from', candidates: ['production/frontend[Deployment]'] });
    // No workload of that name: said so, no candidates.
    const none = await summary('from: { ref: "zzzzzzzzzzzz" }, to: { ref: "production/backend" }, port: 8080');
    expect(none.errors![0].message).toBe('from: ref zzzzzzzzzzzz needs its namespace (ns/name); no workload of that name in the snapshot');
    expect(none.errors![0].extensions).not.toHaveProperty('candidates');
    const notAnIp = await summary('from: { ref: "10.0.0.300" }, to: { ref: "production/backend" }, port: 8080');
    expect(notAnIp.errors![0].message).toContain('"10.0.0.300" is not a valid IP address');
    const invalid = await summary('from: { ref: "a/b/c" }, to: { ref: "production/backend" }, port: 8080');
    expect(errorCodes(invalid)).toEqual(['BAD_USER_INPUT']);
    const mixed = await summary('from: { ref: "production/frontend", namespace: "production" }, to: { ref: "production/backend" }, port: 8080');
    expect(mixed.errors![0].message).toContain('a ref cannot be combined with other fields');
  });

  it('an unknown peer is NOT_FOUND with the near workloads, worded like the CLI ("did you mean …")', async () => {
    const reach = await summary('from: { ref: "production/frontnd" }, to: { ref: "production/backend" }, port: 8080');
    expect(errorCodes(reach)).toEqual(['NOT_FOUND']);
    expect(reach.errors![0].message).toBe('no workload or pod production/frontnd in the snapshot; did you mean production/frontend[Deployment]?');
    expect(reach.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', candidates: ['production/frontend[Deployment]'] });
    // The right name in another namespace, through the field form.
    const elsewhere = await summary('from: { namespace: "default", name: "frontend" }, to: { ref: "production/backend" }, port: 8080');
    expect(elsewhere.errors![0].message).toBe('no workload or pod default/frontend in the snapshot; did you mean production/frontend[Deployment]?');
    const who = await gql(t, 'query($id: ID!) { whoCanReach(snapshotId: $id, to: { ref: "production/bakend" }, port: 8080) { portsText } }', { id });
    expect(errorCodes(who)).toEqual(['NOT_FOUND']);
    expect(who.errors![0].message).toBe('no workload or pod production/bakend in the snapshot; did you mean production/backend[Deployment]?');
    const from = await gql(t, 'query($id: ID!) { reachableFrom(snapshotId: $id, from: { namespace: "production", pod: "frontnd-0" }) { portsText } }', { id });
    expect(errorCodes(from)).toEqual(['NOT_FOUND']);
    expect(from.errors![0].message).toMatch(/^no pod production\/frontnd-0 in the snapshot; did you mean production\/frontend/);
    // Nothing near: no hint, no candidates.
    const far = await summary('from: { ref: "production/zzzzzzzzzzzz" }, to: { ref: "production/backend" }, port: 8080');
    expect(far.errors![0].message).toBe('no workload or pod production/zzzzzzzzzzzz in the snapshot');
    expect(far.errors![0].extensions).not.toHaveProperty('candidates');
  });

  it('REST downloads carry Content-Disposition `<cluster>-<snapshot short id>-<what>.<ext>`', async () => {
    const [short, laterShort] = [id.slice(0, 8), later.slice(0, 8)];
    expect(short).toMatch(/^[0-9a-f]{8}$/);
    expect(short).not.toBe(laterShort);
    const csv = await t.http.get(`/api/v1/snapshots/${id}/connectivity?format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="shop-eu-${short}-connectivity.csv"`);
    const txt = await t.http.get(`/api/v1/snapshots/${later}/connectivity`);
    expect(txt.headers['content-disposition']).toBe(`attachment; filename="shop-eu-${laterShort}-connectivity.txt"`);
    // An id written in capitals names the same file.
    const content = await t.http.get(`/api/v1/snapshots/${id.toUpperCase()}/content`);
    expect(content.headers['content-disposition']).toBe(`attachment; filename="shop-eu-${short}-content.json"`);
    const diff = await t.http.get(`/api/v1/diff?from=${id}&to=${later}&format=md`);
    expect(diff.status).toBe(200);
    expect(diff.headers['content-disposition']).toBe(`attachment; filename="shop-eu-${short}-to-shop-eu-${laterShort}-diff.md"`);
  });

  it('a YAML syntax error in an upload is located by line and column', async () => {
    const res = await t.http
      .post('/api/v1/clusters/broken/snapshots')
      .set('Content-Type', 'application/yaml')
      .send('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  labels: {x: [1, 2}\n');
    expect(res.status).toBe(400);
    expect(res.body.issues[0]).toMatchObject({ code: 'SYNTAX', document: 0, path: '', line: 5, column: 20 });
  });
});
