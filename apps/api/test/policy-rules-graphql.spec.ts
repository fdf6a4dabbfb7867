// Policy.subject / rules / order: every policy kind the engine compiles, read back as the engine compiled it (the
// dashboard's policy page of AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy, Calico and
// Cilium policies): subject, each rule's action, peers and ports, in written order.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type TestApp } from './support/app.js';
import { gql, type Json } from './support/graphql.js';

const fixture = (name: string) => readFileSync(path.resolve(import.meta.dirname, 'fixtures', name), 'utf8');

const POLICIES = `query($id: ID!) { snapshot(id: $id) { policies(first: 20) { edges { node {
  namespace kind apiVersion name analysed tier priority order subject rules { direction path name action peers ports notes } } } } } }`;

describe('Policy.rules of every modelled policy kind', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startApp();
    for (const [cluster, file] of [
      ['kinds-calico', 'policy-kinds-calico.yaml'],
      ['kinds-cilium', 'policy-kinds-cilium.yaml'],
    ]) {
      const res = await t.http.post(`/api/v1/clusters/${cluster}/snapshots`).set('Content-Type', 'application/yaml').send(fixture(file));
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids[cluster] = (res.body as { id: string }).id;
    }
  });
  afterAll(() => t?.close());

  async function policies(cluster: string): Promise<Record<string, Json>> {
    const res = await gql(t, POLICIES, { id: ids[cluster] });
    expect(res.errors).toBeUndefined();
    return Object.fromEntries(res.data!.snapshot.policies.edges.map((e: Json) => [`${e.node.kind} ${e.node.name}`, e.node]));
  }

  it('AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy: tier, priority, named rules with actions', async () => {
    const p = await policies('kinds-calico');
    expect(p['AdminNetworkPolicy guard-shop']).toMatchObject({
      namespace: null,
      analysed: true,
      tier: 'admin',
      priority: 20,
      order: null,
      subject: 'every pod in namespaces team=shop (host-network pods excepted)',
      rules: [
        { direction: 'ingress', path: 'spec.ingress[0]', name: 'pass-ops-web', action: 'pass', peers: ['every pod in namespaces kubernetes.io/metadata.name=ops (host-network pods excepted)'], ports: 'TCP:[8080]', notes: [] },
        { direction: 'ingress', path: 'spec.ingress[1]', name: 'deny-ops-api', action: 'deny', peers: ['every pod in namespaces kubernetes.io/metadata.name=ops (host-network pods excepted)'], ports: 'TCP:[9000]', notes: [] },
      ],
    });
    expect(p['BaselineAdminNetworkPolicy default']).toMatchObject({
      tier: 'baseline',
      priority: null,
      subject: 'every pod in every namespace (host-network pods excepted)',
      rules: [{ direction: 'egress', path: 'spec.egress[0]', name: 'deny-internet', action: 'deny', peers: ['addresses 0.0.0.0/0'], ports: 'all ports' }],
    });
    expect(p['ClusterNetworkPolicy dns-everywhere']).toMatchObject({
      tier: 'admin',
      priority: 5,
      rules: [{ direction: 'egress', name: 'allow-dns', action: 'allow', peers: ['every pod in namespaces kubernetes.io/metadata.name=kube-system (host-network pods excepted)'], ports: 'UDP:[53]' }],
    });
  });

  it('Calico NetworkPolicy and GlobalNetworkPolicy: tier, order, the selector as written, the peer fields as written, a Pass', async () => {
    const p = await policies('kinds-calico');
    expect(p['GlobalNetworkPolicy security.block-probe-api']).toMatchObject({
      apiVersion: 'projectcalico.org/v3',
      tier: 'security',
      priority: null,
      order: 10,
      subject: 'pods where app == "api" in every namespace',
      rules: [
        { path: 'spec.ingress[0]', name: null, action: 'deny', peers: ["namespaceSelector kubernetes.io/metadata.name == 'ops'"], ports: 'TCP:[9000]' },
        { path: 'spec.ingress[1]', action: 'pass', peers: ['every peer'], ports: 'all ports' },
      ],
    });
    // Calico's namespaced kind is also called NetworkPolicy: apiVersion tells it from Kubernetes' one.
    expect(p['NetworkPolicy allow-web']).toMatchObject({
      namespace: 'shop',
      apiVersion: 'projectcalico.org/v3',
      tier: 'default',
      order: 200,
      subject: 'pods where app == "web" in namespace shop',
      rules: [{ action: 'allow', peers: ["namespaceSelector all(), selector app == 'probe'"], ports: 'TCP:[8080]' }],
    });
  });

  it('CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy: deny rules at their own paths, layer-7 limits as notes', async () => {
    const p = await policies('kinds-cilium');
    expect(p['CiliumNetworkPolicy web-from-probe']).toMatchObject({
      namespace: 'shop',
      subject: 'pods app=web in namespace shop',
      rules: [{ direction: 'ingress', path: 'spec.ingress[0]', action: 'allow', ports: 'TCP:[8080]', notes: ['layer 7: GET /health'] }],
    });
    expect(p['CiliumNetworkPolicy web-from-probe'].rules[0].peers).toEqual(['pods app=probe,io.kubernetes.pod.namespace=ops in every namespace']);
    expect(p['CiliumClusterwideNetworkPolicy no-metadata-server']).toMatchObject({
      namespace: null,
      subject: 'every pod in every namespace',
      rules: [{ direction: 'egress', path: 'spec.egressDeny[0]', action: 'deny', peers: ['addresses 169.254.169.254/32'], ports: 'all ports' }],
    });
  });

  it('a policy of a dialect the CNI profile does not enforce has no rules, subject or tier', async () => {
    const set = await gql(t, 'mutation { setClusterCni(name: "kinds-cilium", cni: "calico") { name cni } }');
    expect(set.errors).toBeUndefined();
    const p = await policies('kinds-cilium');
    expect(p['CiliumNetworkPolicy web-from-probe']).toMatchObject({ analysed: true, subject: null, rules: null, tier: null });
  });
});
