// Cilium entities and CIDR peers against the snapshot's Nodes, as truth tables through the per-pair trace (eval):
// a node's address has Cilium's `host` / `remote-node` identity, so `world` and CIDR peers never match it (CIDR
// selectors select nodes only under `policy-cidr-match-mode: nodes`), while `cluster` and `all` do, and `host` with
// `remote-node` is every node; `none` matches nothing and is no caveat (Cilium's EntityNone "can be selected but
// never exist"; its `cluster` entity is host, remote-node, init, ingress, health, unmanaged, kube-apiserver and the
// cluster's pods).
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../analysis/evaluate.js';
import { parseManifests } from '../../manifest/parse-manifests.js';
import { buildSnapshot } from '../../model/snapshot.js';

const NODE_IP = '172.18.0.10';
const BASE = [
  'apiVersion: v1\nkind: Namespace\nmetadata: {name: app}\n',
  'apiVersion: v1\nkind: Pod\nmetadata: {name: client, namespace: app, labels: {app: client}}\nspec: {nodeName: n1, containers: [{name: c}]}\nstatus: {podIP: 10.0.0.2}\n',
  'apiVersion: v1\nkind: Pod\nmetadata: {name: server, namespace: app, labels: {app: server}}\nspec: {nodeName: n1, containers: [{name: c}]}\nstatus: {podIP: 10.0.0.3}\n',
];
const NODE = `apiVersion: v1\nkind: Node\nmetadata: {name: n1}\nstatus: {addresses: [{type: InternalIP, address: ${NODE_IP}}]}\n`;
const egress = (rules: string) =>
  `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: out, namespace: app}\nspec:\n  endpointSelector: {matchLabels: {app: client}}\n  egress:\n${rules}`;

function ask(withNode: boolean, rules: string, to: string) {
  const parsed = parseManifests([{ path: 'in.yaml', text: [...BASE, ...(withNode ? [NODE] : []), egress(rules)].join('---\n') }]);
  expect(parsed.issues.filter((i) => i.severity === 'error')).toEqual([]);
  const { snapshot } = buildSnapshot(parsed.objects);
  const v = evaluate(snapshot, { namespace: 'app', pod: 'client' }, to.includes('/') ? { namespace: 'app', pod: to.split('/')[1] } : { ip: to }, 80, 'TCP');
  return { verdict: v.allowed ? 'allowed' : 'denied', caveats: v.caveats.map((c) => c.code) };
}

describe('Cilium peers and the snapshot\'s nodes (client → TCP 80)', () => {
  it.each([
    // [case, rules, to, with Nodes, expected]
    ['world: an external address', '  - toEntities: [world]\n', '8.8.8.8', true, 'allowed'],
    ['world: not a node\'s address', '  - toEntities: [world]\n', NODE_IP, true, 'denied'],
    ['world without Nodes in the snapshot: the address is external', '  - toEntities: [world]\n', NODE_IP, false, 'allowed'],
    ['toCIDR over the node range: not the node', '  - toCIDR: [172.18.0.0/16]\n', NODE_IP, true, 'denied'],
    ['… its other addresses', '  - toCIDR: [172.18.0.0/16]\n', '172.18.0.99', true, 'allowed'],
    ['toCIDRSet with except: not the node either', '  - toCIDRSet: [{cidr: 172.16.0.0/12, except: [172.18.1.0/24]}]\n', NODE_IP, true, 'denied'],
    ['all: the node too', '  - toEntities: [all]\n', NODE_IP, true, 'allowed'],
    ['cluster: the node (host / remote-node)', '  - toEntities: [cluster]\n', NODE_IP, true, 'allowed'],
    ['cluster: a pod', '  - toEntities: [cluster]\n', 'app/server', true, 'allowed'],
    ['cluster: not an external address', '  - toEntities: [cluster]\n', '8.8.8.8', true, 'denied'],
    ['host and remote-node: every node', '  - toEntities: [host, remote-node]\n', NODE_IP, true, 'allowed'],
    ['host and remote-node: not a pod', '  - toEntities: [host, remote-node]\n', 'app/server', true, 'denied'],
    ['none: nothing', '  - toEntities: [none]\n', 'app/server', true, 'denied'],
  ] as const)('%s', (_, rules, to, withNode, expected) => {
    expect(ask(withNode, rules, to).verdict).toBe(expected);
  });

  it('caveats: `cluster` is certain with the snapshot\'s Nodes, not without; `none` never is a caveat', () => {
    expect(ask(true, '  - toEntities: [cluster]\n', NODE_IP).caveats).toEqual([]);
    expect(ask(false, '  - toEntities: [cluster]\n', '8.8.8.8').caveats).toContain('UNMODELLED_PEER');
    expect(ask(true, '  - toEntities: [none]\n', 'app/server').caveats).toEqual([]);
    // `host` alone depends on the subject's node: still a caveat.
    expect(ask(true, '  - toEntities: [host]\n', NODE_IP).caveats).toContain('UNMODELLED_PEER');
  });
});

// Cilium: "If multiple policies apply to an endpoint, that endpoint's default deny will be enabled if any policy
// requests it" (enableDefaultDeny); the allows of every policy still add up.
describe('Cilium default deny across policies (client → server)', () => {
  const serverPolicy = (name: string, spec: string) =>
    `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: ${name}, namespace: app}\nspec:\n  endpointSelector: {matchLabels: {app: server}}\n${spec}`;
  const OPT_OUT = serverPolicy('opt-out', '  enableDefaultDeny: {ingress: false}\n  ingress:\n  - toPorts: [{ports: [{port: "8080", protocol: TCP}]}]\n');
  const ISOLATING = serverPolicy('isolating', '  ingress:\n  - toPorts: [{ports: [{port: "9090", protocol: TCP}]}]\n');
  const verdicts = (...docs: string[]) => {
    const parsed = parseManifests([{ path: 'in.yaml', text: [...BASE, ...docs].join('---\n') }]);
    expect(parsed.issues.filter((i) => i.severity === 'error')).toEqual([]);
    const { snapshot } = buildSnapshot(parsed.objects);
    return [80, 8080, 9090].map((port) => (evaluate(snapshot, { namespace: 'app', pod: 'client' }, { namespace: 'app', pod: 'server' }, port, 'TCP').allowed ? 'allowed' : 'denied'));
  };
  it.each([
    ['the opting-out policy alone: nothing isolated', [OPT_OUT], ['allowed', 'allowed', 'allowed']],
    ['the isolating policy alone: its port only', [ISOLATING], ['denied', 'denied', 'allowed']],
    ['both: isolated, and both policies\' ports allowed', [OPT_OUT, ISOLATING], ['denied', 'allowed', 'allowed']],
  ] as const)('%s', (_, docs, expected) => {
    expect(verdicts(...docs)).toEqual(expected);
  });
});
