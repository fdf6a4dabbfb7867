// Every surface that names the CNI profile which decided says the same honest thing: with no CNI declared and Calico
// policies present, np-guard's reading evaluated them, so next to the bare `np-guard` each carries the engine's
// `cniProfileNote` (GraphQL fields; REST headers, the bodies keeping np-guard's exact formats). Declared, none does.
import { undeclaredProfileNote } from '@netpol-atlas/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_SERVER_PODS_YAML, calicoServerIn } from '../../../tools/testing/client-server.js';
import { startApp, type TestApp } from './support/app.js';
import { gql } from './support/graphql.js';

const CALICO = `${CLIENT_SERVER_PODS_YAML}---\n${calicoServerIn("  - action: Allow\n    protocol: TCP\n    source: {selector: app == 'client'}\n")}`;
const NOTE = undeclaredProfileNote(false, 'np-guard', ['calico'])!;

const SURFACES = `query($id: ID!, $client: PeerInput!, $server: PeerInput!) {
  reachability(snapshotId: $id, from: $client, to: $server, port: 80) { cniProfile cniProfileNote }
  icmpReachability(snapshotId: $id, from: $client, to: $server) { cniProfile cniProfileNote }
  connectivity(snapshotId: $id, first: 1) { cniProfile cniProfileNote }
  namespaceMatrix(snapshotId: $id) { cniProfile cniProfileNote }
  exposure(snapshotId: $id) { cniProfile cniProfileNote }
  lint(snapshotId: $id) { cniProfile cniProfileNote }
  snapshot(id: $id) { cniProfile cniProfileNote }
  whoCanReachPeers(snapshotId: $id, to: $server, port: 80) { cniProfile cniProfileNote }
  reachableFromPeers(snapshotId: $id, from: $client) { cniProfile cniProfileNote }
  diff(from: $id, to: $id) { fromCniProfile fromCniProfileNote toCniProfile toCniProfileNote }
  whatIf(snapshotId: $id, manifests: "") { fromCniProfile fromCniProfileNote toCniProfile toCniProfileNote }
}`;

type Answer = Record<string, Record<string, string | null>>;

describe('the CNI profile note on every surface naming the profile', () => {
  let t: TestApp;
  let id: string;

  beforeAll(async () => {
    t = await startApp();
    const res = await t.http.post('/api/v1/clusters/calico-note/snapshots').set('Content-Type', 'application/yaml').send(CALICO);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    id = res.body.id as string;
  }, 120_000);
  afterAll(() => t?.close());

  const surfaces = async (): Promise<Answer> => {
    const res = await gql(t, SURFACES, { id, client: { ref: 'a/client' }, server: { ref: 'a/server' } });
    expect(res.errors).toBeUndefined();
    return res.data as Answer;
  };
  const inventoryAnalysis = async () => {
    const res = await gql(t, '{ inventory(first: 50) { edges { node { cluster { name } latest { analysis { cniProfile cniProfileNote } } } } } }');
    expect(res.errors).toBeUndefined();
    return (res.data!.inventory.edges as { node: { cluster: { name: string }; latest: { analysis: Record<string, string | null> } } }[]).find((e) => e.node.cluster.name === 'calico-note')!.node.latest.analysis;
  };
  const report = async () => {
    const res = await gql(t, 'mutation($id: ID!) { generateReport(snapshotId: $id, framework: "cis") { cniProfile cniProfileNote } }', { id });
    expect(res.errors).toBeUndefined();
    return res.data!.generateReport as Record<string, string | null>;
  };
  const rest = async () => {
    const connectivity = await t.http.get(`/api/v1/snapshots/${id}/connectivity?format=txt`).buffer(true);
    const lint = await t.http.get(`/api/v1/snapshots/${id}/lint?format=json`).buffer(true);
    const diff = await t.http.get(`/api/v1/diff?from=${id}&to=${id}&format=txt`).buffer(true);
    for (const res of [connectivity, lint, diff]) expect(res.status, res.text).toBe(200);
    return { connectivity, lint, diff };
  };
  const setCni = async (cni: string | null) => {
    const res = await gql(t, 'mutation($cni: String) { setClusterCni(name: "calico-note", cni: $cni) { cni } }', { cni });
    expect(res.errors).toBeUndefined();
  };

  it('no CNI declared: every GraphQL surface names np-guard with the note; REST carries it in headers, bodies unchanged', async () => {
    expect(NOTE).toContain("no CNI was declared: np-guard's reading");
    const answer = await surfaces();
    for (const [field, value] of Object.entries(answer)) {
      if (field === 'diff' || field === 'whatIf') {
        expect(value, field).toEqual({ fromCniProfile: 'np-guard', fromCniProfileNote: NOTE, toCniProfile: 'np-guard', toCniProfileNote: NOTE });
      } else {
        expect(value, field).toEqual({ cniProfile: 'np-guard', cniProfileNote: NOTE });
      }
    }
    expect(Object.keys(answer)).toHaveLength(11);
    expect(await inventoryAnalysis()).toEqual({ cniProfile: 'np-guard', cniProfileNote: NOTE });
    expect(await report()).toEqual({ cniProfile: 'np-guard', cniProfileNote: NOTE });

    const { connectivity, lint, diff } = await rest();
    expect([connectivity.headers['x-netpol-cni-profile'], connectivity.headers['x-netpol-cni-profile-note']]).toEqual(['np-guard', NOTE]);
    expect([lint.headers['x-netpol-cni-profile'], lint.headers['x-netpol-cni-profile-note']]).toEqual(['np-guard', NOTE]);
    expect([diff.headers['x-netpol-cni-profiles'], diff.headers['x-netpol-from-cni-profile-note'], diff.headers['x-netpol-to-cni-profile-note']]).toEqual(['np-guard np-guard', NOTE, NOTE]);
    // The np-guard format itself never carries it.
    expect(connectivity.text).not.toContain('no CNI was declared');
    expect(diff.text).not.toContain('no CNI was declared');
  });

  it('the cluster CNI declared (calico): the profile is named without a note everywhere, and no note header is sent', async () => {
    await setCni('calico');
    try {
      const answer = await surfaces();
      for (const [field, value] of Object.entries(answer)) {
        if (field === 'diff' || field === 'whatIf') {
          expect(value, field).toEqual({ fromCniProfile: 'calico', fromCniProfileNote: null, toCniProfile: 'calico', toCniProfileNote: null });
        } else {
          expect(value, field).toEqual({ cniProfile: 'calico', cniProfileNote: null });
        }
      }
      expect(await inventoryAnalysis()).toEqual({ cniProfile: 'calico', cniProfileNote: null });
      expect(await report()).toEqual({ cniProfile: 'calico', cniProfileNote: null });
      const { connectivity, lint, diff } = await rest();
      expect(connectivity.headers['x-netpol-cni-profile']).toBe('calico');
      expect(lint.headers['x-netpol-cni-profile']).toBe('calico');
      for (const header of ['x-netpol-cni-profile-note', 'x-netpol-from-cni-profile-note', 'x-netpol-to-cni-profile-note']) {
        expect([connectivity, lint, diff].map((res) => res.headers[header])).toEqual([undefined, undefined, undefined]);
      }
    } finally {
      await setCni(null);
    }
  });
});
