// The dialect generators must produce what they claim (issue 12): objects the parser accepts, and, over the CI
// run count, every Calico and Cilium feature the dialect property test is meant to exercise.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../src/manifest/parse-manifests.js';
import { calicoClusterArb, ciliumClusterArb } from './dialect-arbitrary.js';

const CALICO_FEATURES: Record<string, RegExp> = {
  Tier: /"kind":"Tier"/,
  'tier defaultAction Pass': /"defaultAction":"Pass"/,
  GlobalNetworkPolicy: /"kind":"GlobalNetworkPolicy"/,
  'namespaced NetworkPolicy': /"apiVersion":"projectcalico.org\/v3","kind":"NetworkPolicy"/,
  'Kubernetes NetworkPolicy': /"apiVersion":"networking.k8s.io\/v1"/,
  GlobalNetworkSet: /"kind":"GlobalNetworkSet"/,
  NetworkSet: /"kind":"NetworkSet"/,
  order: /"order":\d+,"selector"|"order":\d+[,}]/,
  'action Pass': /"action":"Pass"/,
  'action Deny': /"action":"Deny"/,
  'action Log': /"action":"Log"/,
  types: /"types":\[/,
  'has()': /has\(/,
  'in {}': / in \{/,
  'not in {}': / not in \{/,
  '&&': /&&/,
  '||': /\|\|/,
  'all()': /all\(\)/,
  'global()': /global\(\)/,
  'policy namespaceSelector': /"namespaceSelector":"[^"]*","types"|"namespaceSelector":"[^"]*","ingress"|"namespaceSelector":"[^"]*","egress"/,
  nets: /"nets":\[/,
  notNets: /"notNets":\[/,
  notSelector: /"notSelector":/,
  'port range': /"\d+:\d+"/,
  'named port': /"ports":\[[^\]]*"(http|metrics|dns|db)"/,
  notPorts: /"notPorts":\[/,
  'protocol ICMP': /"protocol":"ICMP"/,
  'protocol number': /"protocol":(6|17)[,}]/,
  notProtocol: /"notProtocol":/,
  icmp: /"icmp":\{/,
  notICMP: /"notICMP":\{/,
};

const CILIUM_FEATURES: Record<string, RegExp> = {
  CiliumNetworkPolicy: /"kind":"CiliumNetworkPolicy"/,
  CiliumClusterwideNetworkPolicy: /"kind":"CiliumClusterwideNetworkPolicy"/,
  'Kubernetes NetworkPolicy': /"apiVersion":"networking.k8s.io\/v1"/,
  'derived namespace label': /"(k8s:|any:)?io.kubernetes.pod.namespace"/,
  'derived service account label': /io.cilium.k8s.policy.serviceaccount/,
  'namespace labels': /io.cilium.k8s.namespace.labels.team/,
  'k8s: source': /"k8s:/,
  serviceAccountName: /"serviceAccountName":"sa1"/,
  fromEndpoints: /"fromEndpoints"/,
  toEndpoints: /"toEndpoints"/,
  ingressDeny: /"ingressDeny"/,
  egressDeny: /"egressDeny"/,
  'entity world': /"world"/,
  'entity cluster': /"cluster"/,
  'entity all': /"all"/,
  fromCIDR: /"fromCIDR"/,
  'CIDRSet except': /"(from|to)CIDRSet":\[\{"cidr":"[^"]+","except"/,
  endPort: /"endPort":\d+/,
  'protocol ANY': /"protocol":"ANY"/,
  'named port': /"port":"(http|metrics|dns|db)"/,
  'port 0': /"port":"0"/,
  enableDefaultDeny: /"enableDefaultDeny":\{"(ingress|egress)":false/,
};

describe.each([
  ['calico', calicoClusterArb, CALICO_FEATURES],
  ['cilium', ciliumClusterArb, CILIUM_FEATURES],
] as const)('%s clusters (fast-check)', (_dialect, arbitrary, features) => {
  const samples = fc.sample(arbitrary, { seed: 1212, numRuns: 300 });

  it('are always valid: the parser returns every generated object and no error', () => {
    for (const cluster of samples) {
      const result = parseManifests(cluster.documents);
      expect(result.issues.filter((i) => i.severity === 'error')).toEqual([]);
      expect(result.objects.length).toBe(cluster.objects.length);
    }
  });

  it('cover every feature the dialect property test exercises, over 300 runs', () => {
    const missing = Object.entries(features)
      .filter(([, pattern]) => !samples.some((c) => pattern.test(JSON.stringify(c.objects))))
      .map(([name]) => name);
    expect(missing).toEqual([]);
  });
});
