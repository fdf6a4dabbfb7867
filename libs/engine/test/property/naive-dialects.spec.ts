// Truth tables for the naive Calico and Cilium evaluators themselves (issue 12): if the oracle is wrong, the
// dialect property test proves nothing. Cases from the upstream docs' own examples; the naive Calico selector
// reader is also checked against Calico's parser tests (shared/conformance/dialects/calico-selectors).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/manifest/types.js';
import { calicoSelectorMatches } from './naive-calico-selector.js';
import { buildNaiveDialectCluster, dialectAllowed, type Dialect, type Probe } from './naive-dialects.js';
import { findPod } from './naive-evaluator.js';

const SELECTORS = path.resolve(import.meta.dirname, '../../../../../shared/conformance/dialects/calico-selectors/selectors.json');

describe('naive Calico selector reader', () => {
  const cases = (JSON.parse(readFileSync(SELECTORS, 'utf8')) as { selector: string; labels: Record<string, string>; match: boolean }[])
    // The naive reader knows the generator's grammar; global() it reads as a namespaceSelector (no namespace).
    .filter((c) => !/contains|starts ?with|ends ?with|global\(\)/.test(c.selector));

  it("agrees with Calico's parser tests on the grammar the generator writes", () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
    const wrong = cases.filter((c) => calicoSelectorMatches(c.selector, c.labels) !== c.match);
    expect(wrong).toEqual([]);
  });

  it.each([
    ["app != 'a'", {}, true],
    ["app not in {'a', 'b'}", {}, true],
    ["app in {'a', 'b'}", {}, false],
    ["!(has(app) && tier == 'a') || role == 'c'", { app: 'a', tier: 'a' }, false],
    ['all()', {}, true],
    ['global()', {}, false],
  ] as const)('%s on %j: %s', (selector, labels, expected) => {
    expect(calicoSelectorMatches(selector, labels)).toBe(expected);
  });
});

const ns = (name: string, labels: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const pod = (namespace: string, name: string, labels: Record<string, string>, ip: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels },
  spec: { containers: [{ name: 'c', image: 'i', ports: [{ name: 'web', containerPort: 8080 }] }] },
  status: { podIP: ip, podIPs: [{ ip }] },
});
const calico = (kind: string, name: string, spec: object, namespace?: string): KubeObject => ({
  apiVersion: 'projectcalico.org/v3',
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
  spec,
});
const cilium = (kind: string, name: string, spec: object, namespace?: string): KubeObject => ({
  apiVersion: 'cilium.io/v2',
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
  spec,
});
const knp = (name: string, spec: object): KubeObject => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace: 'b' }, spec });

const BASE = [ns('a', { team: 'red' }), ns('b', { team: 'blue' }), pod('a', 'client', { app: 'client' }, '10.0.0.1'), pod('b', 'server', { app: 'server' }, '10.0.0.2')];
const TCP_8080: Probe = { protocol: 'TCP', port: 8080 };
const TCP_9090: Probe = { protocol: 'TCP', port: 9090 };
const PING: Probe = { protocol: 'ICMP', type: 8, code: 0 };

/** client → server at TCP 8080, TCP 9090 and ping, and 8.8.8.8 → server at TCP 8080. */
function verdicts(dialect: Dialect, ...objects: KubeObject[]): string[] {
  const cluster = buildNaiveDialectCluster([...BASE, ...objects], dialect);
  const client = findPod(cluster.base, 'a', 'client');
  const server = findPod(cluster.base, 'b', 'server');
  const say = (v: boolean) => (v ? 'allowed' : 'denied');
  return [...[TCP_8080, TCP_9090, PING].map((p) => say(dialectAllowed(cluster, client, server, p))), say(dialectAllowed(cluster, { ip: '8.8.8.8' }, server, TCP_8080))];
}

const SERVER_INGRESS = { selector: "app == 'server'", types: ['Ingress'] };

describe('naive Calico evaluator (docs.tigera.io: tiers, policy order, actions, network sets)', () => {
  it.each([
    ['no policy: the profile allows', [], ['allowed', 'allowed', 'allowed', 'allowed']],
    ['selected, no rule: end-of-tier deny', [calico('GlobalNetworkPolicy', 'p', SERVER_INGRESS)], ['denied', 'denied', 'denied', 'denied']],
    ['Allow TCP to a named port', [calico('GlobalNetworkPolicy', 'p', { ...SERVER_INGRESS, ingress: [{ action: 'Allow', protocol: 'TCP', destination: { ports: ['web'] } }] })], ['allowed', 'denied', 'denied', 'allowed']],
    ['lower order first: Deny 100 before Allow 200', [calico('GlobalNetworkPolicy', 'allow', { ...SERVER_INGRESS, order: 200, ingress: [{ action: 'Allow' }] }), calico('GlobalNetworkPolicy', 'deny', { ...SERVER_INGRESS, order: 100, ingress: [{ action: 'Deny', protocol: 'TCP' }] })], ['denied', 'denied', 'allowed', 'denied']],
    ['Log goes on to the next rule', [calico('GlobalNetworkPolicy', 'p', { ...SERVER_INGRESS, ingress: [{ action: 'Log' }, { action: 'Allow', protocol: 'ICMP' }] })], ['denied', 'denied', 'allowed', 'denied']],
    [
      'Pass skips to the next tier, where a NetworkPolicy (default tier, order 1000) allows 8080',
      [calico('Tier', 'security', { order: 100 }), calico('GlobalNetworkPolicy', 'security.p', { ...SERVER_INGRESS, tier: 'security', ingress: [{ action: 'Pass', protocol: 'TCP' }] }), knp('np', { podSelector: {}, ingress: [{ ports: [{ port: 8080 }] }] })],
      ['allowed', 'denied', 'denied', 'allowed'],
    ],
    ['a tier ending in Pass hands over to the profile', [calico('Tier', 'audit', { order: 50, defaultAction: 'Pass' }), calico('GlobalNetworkPolicy', 'audit.p', { ...SERVER_INGRESS, tier: 'audit' })], ['allowed', 'allowed', 'allowed', 'allowed']],
    ['a Calico Deny at order 500 beats a NetworkPolicy at 1000', [knp('np', { podSelector: {}, ingress: [{}] }), calico('GlobalNetworkPolicy', 'deny', { ...SERVER_INGRESS, order: 500, ingress: [{ action: 'Deny', protocol: 'TCP', destination: { ports: [8080] } }] })], ['denied', 'allowed', 'allowed', 'denied']],
    ['namespaced rule selector reaches its own namespace only', [calico('NetworkPolicy', 'p', { ...SERVER_INGRESS, ingress: [{ action: 'Allow', source: { selector: "app == 'client'" } }] }, 'b')], ['denied', 'denied', 'denied', 'denied']],
    ['namespaceSelector widens it', [calico('NetworkPolicy', 'p', { ...SERVER_INGRESS, ingress: [{ action: 'Allow', source: { selector: "app == 'client'", namespaceSelector: "team == 'red'" } }] }, 'b')], ['allowed', 'allowed', 'allowed', 'denied']],
    ['a global network set is selected through global() and holds outside addresses', [{ ...calico('GlobalNetworkSet', 'dns', { nets: ['8.8.8.0/24'] }), metadata: { name: 'dns', labels: { role: 'dns' } } }, calico('NetworkPolicy', 'p', { ...SERVER_INGRESS, ingress: [{ action: 'Allow', source: { selector: "role == 'dns'", namespaceSelector: 'global()' } }] }, 'b')], ['denied', 'denied', 'denied', 'allowed']],
    ['nets match pod addresses; notProtocol', [calico('GlobalNetworkPolicy', 'p', { ...SERVER_INGRESS, ingress: [{ action: 'Allow', notProtocol: 'TCP', source: { nets: ['10.0.0.0/24'] } }] })], ['denied', 'denied', 'allowed', 'denied']],
  ] as const)('%s', (_name, objects, expected) => {
    expect(verdicts('calico', ...(objects as readonly KubeObject[]))).toEqual(expected);
  });
});

const SERVER_SELECTOR = { matchLabels: { app: 'server' } };

describe('naive Cilium evaluator (docs.cilium.io: policy language, deny policies, enableDefaultDeny, entities)', () => {
  it.each([
    ['no policy: allowed', [], ['allowed', 'allowed', 'allowed', 'allowed']],
    ['an allow rule puts the endpoint in default deny', [cilium('CiliumNetworkPolicy', 'p', { endpointSelector: SERVER_SELECTOR, ingress: [{ fromEntities: ['world'] }] }, 'b')], ['denied', 'denied', 'denied', 'allowed']],
    ['fromEndpoints in a namespaced policy: its namespace only', [cilium('CiliumNetworkPolicy', 'p', { endpointSelector: SERVER_SELECTOR, ingress: [{ fromEndpoints: [{ matchLabels: { app: 'client' } }] }] }, 'b')], ['denied', 'denied', 'denied', 'denied']],
    ['… unless the selector names the namespace', [cilium('CiliumNetworkPolicy', 'p', { endpointSelector: SERVER_SELECTOR, ingress: [{ fromEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'a' } }] }] }, 'b')], ['allowed', 'allowed', 'allowed', 'denied']],
    ['… or a namespace label', [cilium('CiliumNetworkPolicy', 'p', { endpointSelector: SERVER_SELECTOR, ingress: [{ fromEndpoints: [{ matchLabels: { 'io.cilium.k8s.namespace.labels.team': 'red' } }] }] }, 'b')], ['allowed', 'allowed', 'allowed', 'denied']],
    ['toPorts with endPort; ICMP is not a port', [cilium('CiliumClusterwideNetworkPolicy', 'c', { endpointSelector: SERVER_SELECTOR, ingress: [{ fromEntities: ['cluster'], toPorts: [{ ports: [{ port: '8000', endPort: 8080, protocol: 'TCP' }] }] }] })], ['allowed', 'denied', 'denied', 'denied']],
    ['deny wins over any allow', [cilium('CiliumNetworkPolicy', 'p', { endpointSelector: SERVER_SELECTOR, ingress: [{ fromEntities: ['all'] }], ingressDeny: [{ fromEntities: ['cluster'], toPorts: [{ ports: [{ port: '8080', protocol: 'ANY' }] }] }] }, 'b')], ['denied', 'allowed', 'allowed', 'allowed']],
    ['a deny-only policy still isolates', [cilium('CiliumNetworkPolicy', 'p', { endpointSelector: SERVER_SELECTOR, ingressDeny: [{ fromEntities: ['world'] }] }, 'b')], ['denied', 'denied', 'denied', 'denied']],
    ['enableDefaultDeny false: rules without isolation', [cilium('CiliumNetworkPolicy', 'p', { endpointSelector: SERVER_SELECTOR, enableDefaultDeny: { ingress: false }, ingress: [{ fromEntities: ['world'] }], ingressDeny: [{ fromCIDRSet: [{ cidr: '8.0.0.0/8', except: ['8.8.0.0/16'] }] }] }, 'b')], ['allowed', 'allowed', 'allowed', 'allowed']],
    ['a NetworkPolicy sees the identity labels and adds its allows', [knp('np', { podSelector: { matchLabels: { 'io.cilium.k8s.policy.serviceaccount': 'default' } }, ingress: [{ ports: [{ port: 9090 }] }] })], ['denied', 'allowed', 'denied', 'denied']],
  ] as const)('%s', (_name, objects, expected) => {
    expect(verdicts('cilium', ...(objects as readonly KubeObject[]))).toEqual(expected);
  });
});
