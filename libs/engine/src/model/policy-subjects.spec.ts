// One predicate decides which pods a policy selects (model/policy-subjects.ts): the trace applies a policy to those
// pods, rule connections count their workloads against the pair limit, and the HOST_NETWORK warning names the
// policies selecting a host-network pod. Checked on a small cluster where a pod selector alone would say otherwise:
// a Calico serviceAccountSelector, a preDNAT policy (host endpoints only), an AdminNetworkPolicy leaving a
// host-network pod out, a GlobalNetworkPolicy (cluster-scoped) selecting it.
import { describe, expect, it } from 'vitest';
import { analyze } from '../analysis/analyze.js';
import { clusterPeers } from '../analysis/connectivity.js';
import { policiesApplying, workloadEndpoint, type Endpoint } from '../analysis/trace.js';
import { policyRuleConnections } from '../explain/rule-connections.js';
import { loadSnapshot } from './load.js';
import { selectsPod } from './policy-subjects.js';

const pod = (name: string, account: string, hostNetwork = false) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: a, labels: {app: web}}\n` +
  `spec: {serviceAccountName: ${account}, ${hostNetwork ? 'hostNetwork: true, nodeName: n0, ' : ''}containers: [{name: c, image: x}]}\n` +
  `status: {${hostNetwork ? 'phase: Running' : `podIP: 10.0.0.${name.length}`}}\n`;
const calico = (kind: string, name: string, spec: string) =>
  `apiVersion: projectcalico.org/v3\nkind: ${kind}\nmetadata: {name: ${name}${kind === 'NetworkPolicy' ? ', namespace: a' : ''}}\nspec:\n  selector: app == 'web'\n${spec}  types: [Ingress]\n  ingress:\n  - action: Allow\n`;
// Three pods alike but for their account and host networking: web (web-sa), api (api-sa), host (web-sa, hostNetwork).
const CLUSTER = [
  `apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n`,
  pod('web', 'web-sa'),
  pod('api', 'api-sa'),
  pod('host', 'web-sa', true),
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: all-web, namespace: a}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  ingress:\n  - {}\n`,
  calico('NetworkPolicy', 'by-web-account', `  serviceAccountSelector: projectcalico.org/name == 'web-sa'\n`),
  calico('NetworkPolicy', 'by-api-account', `  serviceAccountSelector: projectcalico.org/name == 'api-sa'\n`),
  calico('GlobalNetworkPolicy', 'pre-dnat', `  preDNAT: true\n  applyOnForward: true\n`),
  calico('GlobalNetworkPolicy', 'global-web', ''),
  `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: admin}\nspec:\n  priority: 10\n  subject: {pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}}\n  ingress:\n  - {name: all, action: Allow, from: [{namespaces: {}}]}\n`,
];

function podOf(endpoint: Endpoint): Extract<Endpoint, { type: 'pod' }> {
  if (endpoint.type !== 'pod') throw new Error(`${endpoint.name} is not a pod`);
  return endpoint;
}

function load() {
  const { snapshot, issues } = loadSnapshot([{ path: 'subjects.yaml', text: CLUSTER.join('---\n') }]);
  expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
  return { snapshot, issues };
}

// Which pods each policy selects: web, api, host in that order.
const EXPECTED: Record<string, string> = {
  'a/all-web': 'web api host',
  'a/by-web-account': 'web host',
  'a/by-api-account': 'api',
  'pre-dnat': '',
  'global-web': 'web api host',
  admin: 'web api',
};

describe('the pods a policy selects', () => {
  it('the predicate and the trace agree, beyond the pod selector', () => {
    const { snapshot } = load();
    const workloads = ['web', 'api', 'host'].map((name) => snapshot.workloads.find((w) => w.name === name)!);
    for (const policy of snapshot.policies) {
      const byPredicate = workloads.filter((w) => selectsPod(policy, w.pods[0], snapshot.namespaces)).map((w) => w.name);
      const byTrace = workloads.filter((w) => policiesApplying(snapshot, 'ingress', podOf(workloadEndpoint(w))).includes(policy)).map((w) => w.name);
      expect({ policy: policy.fullName, selects: byPredicate.join(' ') }).toEqual({ policy: policy.fullName, selects: EXPECTED[policy.fullName] });
      expect(byTrace).toEqual(byPredicate);
    }
  });

  it('rule connections count the selected workloads against the pair limit (selected × peers)', () => {
    const analysis = analyze(load().snapshot);
    const pairs = (name: string, kind?: string) => {
      const result = policyRuleConnections(analysis, { namespace: name.includes('/') ? 'a' : '', name: name.split('/').at(-1)!, ...(kind ? { kind } : {}) }, { maxPairs: 0 });
      if (result.ok) return 0;
      const counted = /^(\d+) pairs to explain/.exec(result.message);
      if (!counted) throw new Error(result.message);
      return Number(counted[1]);
    };
    // all-web selects all three workloads: the peers per selected workload (every workload and IP range) are a third
    // of its count.
    const peers = pairs('a/all-web') / 3;
    expect(Number.isInteger(peers) && peers >= clusterPeers(analysis, 'workload').length).toBe(true);
    const counted = Object.fromEntries(Object.keys(EXPECTED).map((name) => [name, pairs(name, name === 'admin' ? 'AdminNetworkPolicy' : undefined) / peers]));
    expect(counted).toEqual(Object.fromEntries(Object.entries(EXPECTED).map(([name, pods]) => [name, pods === '' ? 0 : pods.split(' ').length])));
  });

  it('the HOST_NETWORK warning names the policies that select the host-network pod, cluster-scoped ones included', () => {
    const warnings = load().issues.filter((i) => i.code === 'HOST_NETWORK');
    expect(warnings.map((i) => i.message.split('; ')[0])).toEqual(['a/host[Pod] (pod host) uses hostNetwork and is selected by a/all-web, a/by-web-account, global-web']);
  });
});
