// AdminNetworkPolicy / ClusterNetworkPolicy corners as truth tables through the per-pair trace (eval, ping):
// - a rule without ports matches every protocol, ICMP included; one with ports (or protocols) never matches ICMP
//   (the API: "Networks matches both regular IP traffic and ICMP"; ports name TCP / UDP / SCTP only);
// - a ClusterNetworkPolicy Pass in the Baseline tier goes on to the system default (allowed): "Pass: skips all
//   further ClusterNetworkPolicy rules in the current tier ... and passes evaluation to the next tier".
import { describe, expect, it } from 'vitest';
import { evaluate, evaluateIcmp } from '../../analysis/evaluate.js';
import { parseManifests } from '../../manifest/parse-manifests.js';
import { buildSnapshot } from '../../model/snapshot.js';

const PODS = ['a', 'b']
  .map((ns) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${ns}, namespace: ${ns}}\nspec: {containers: [{name: c}]}\nstatus: {podIP: 10.0.0.${ns === 'a' ? 1 : 2}}\n`)
  .join('---\n');
const anp = (action: string, ports: string) =>
  `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: p}\nspec:\n  priority: 5\n  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: a}}}\n  egress:\n  - action: ${action}\n    to: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: b}}}]\n${ports}`;
const cnp = (tier: string, action: string, rest = '') =>
  `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {name: c-${tier.toLowerCase()}-${action.toLowerCase()}}\nspec:\n  tier: ${tier}\n  priority: 5\n  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: a}}}\n  egress:\n  - action: ${action}\n    to: [{namespaces: {matchLabels: {kubernetes.io/metadata.name: b}}}]\n${rest}`;

function ask(...docs: string[]) {
  const parsed = parseManifests([{ path: 'in.yaml', text: [PODS, ...docs].join('---\n') }]);
  expect(parsed.issues.filter((i) => i.severity === 'error')).toEqual([]);
  const { snapshot } = buildSnapshot(parsed.objects);
  const word = (allowed: boolean) => (allowed ? 'allowed' : 'denied');
  return {
    ping: word(evaluateIcmp(snapshot, { namespace: 'a', pod: 'a' }, { namespace: 'b', pod: 'b' }).allowed),
    tcp80: word(evaluate(snapshot, { namespace: 'a', pod: 'a' }, { namespace: 'b', pod: 'b' }, 80, 'TCP').allowed),
  };
}

describe('AdminNetworkPolicy and ClusterNetworkPolicy: ICMP and tiers (a → b)', () => {
  it.each([
    ['ANP Deny without ports: ping denied too', [anp('Deny', '')], { ping: 'denied', tcp80: 'denied' }],
    ['ANP Deny with ports: ping untouched', [anp('Deny', '    ports: [{portNumber: {protocol: TCP, port: 80}}]\n')], { ping: 'allowed', tcp80: 'denied' }],
    ['CNP Admin Deny without protocols: ping denied too', [cnp('Admin', 'Deny')], { ping: 'denied', tcp80: 'denied' }],
    ['CNP Admin Deny of tcp (every port): ping untouched', [cnp('Admin', 'Deny', '    protocols: [{tcp: {}}]\n')], { ping: 'allowed', tcp80: 'denied' }],
    ['CNP Baseline Pass: the system default allows', [cnp('Baseline', 'Pass')], { ping: 'allowed', tcp80: 'allowed' }],
    ['CNP Admin Pass then Baseline Deny: denied', [cnp('Admin', 'Pass'), cnp('Baseline', 'Deny')], { ping: 'denied', tcp80: 'denied' }],
    ['CNP Admin Accept before a Baseline Deny: allowed', [cnp('Admin', 'Accept'), cnp('Baseline', 'Deny')], { ping: 'allowed', tcp80: 'allowed' }],
  ] as const)('%s', (_, docs, expected) => {
    expect(ask(...docs)).toEqual(expected);
  });
});
