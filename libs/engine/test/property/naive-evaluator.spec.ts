// Truth tables for the naive evaluator itself: if the oracle is wrong, the property test proves nothing.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/manifest/types.js';
import { allowed, buildNaiveCluster, findPod, selectorMatches, type NaiveCluster, type Protocol } from './naive-evaluator.js';
import { cidrContains, formatIp, parseCidr, parseIp } from './naive-ip.js';

const ns = (name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels },
});

const pod = (namespace: string, name: string, labels: Record<string, string>, ports: object[] = []): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels },
  spec: { containers: [{ name: 'c', image: 'i', ports }] },
});

const netpol = (namespace: string, name: string, spec: object): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace },
  spec,
});

function verdict(cluster: NaiveCluster, from: string, to: string, protocol: Protocol, port: number): boolean {
  const peer = (s: string) => (s.includes('/') ? findPod(cluster, s.split('/')[0], s.split('/')[1]) : { ip: s });
  return allowed(cluster, peer(from), peer(to), protocol, port);
}

describe('naive IP arithmetic', () => {
  it.each([
    ['10.0.0.0/8', '10.255.255.255', true],
    ['10.0.0.0/8', '11.0.0.0', false],
    ['10.1.2.3/8', '10.9.9.9', true], // host bits are cleared
    ['0.0.0.0/0', '255.255.255.255', true],
    ['2001:db8::/32', '2001:db8:ffff::1', true],
    ['2001:db8::/32', '2001:db9::', false],
    ['::/0', '10.0.0.1', false], // families never mix
    ['0.0.0.0/0', '::1', false],
    ['::ffff:0:0/96', '::ffff:10.0.0.1', true],
    ['fe80::1/128', 'fe80:0:0:0:0:0:0:1', true],
  ])('%s contains %s: %s', (cidr, ip, expected) => {
    expect(cidrContains(parseCidr(cidr)!, parseIp(ip)!)).toBe(expected);
  });

  it.each(['1.2.3', '256.0.0.1', '1::2::3', '1:2:3:4:5:6:7:8:9', 'g::1', '10.0.0.0/33'])('rejects %s', (text) => {
    expect(text.includes('/') ? parseCidr(text) : parseIp(text)).toBeUndefined();
  });

  it.each([
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['1:0:0:0:0:0:0:0', '1::'],
    ['1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8'],
    ['10.0.0.255', '10.0.0.255'],
  ])('formats %s as %s', (input, expected) => {
    expect(formatIp(parseIp(input)!)).toBe(expected);
  });
});

describe('naive selectors', () => {
  const labels = { app: 'a', tier: 'b' };
  it.each([
    [{}, true],
    [{ matchLabels: { app: 'a' } }, true],
    [{ matchLabels: { app: 'a', tier: 'c' } }, false],
    [{ matchExpressions: [{ key: 'app', operator: 'In', values: ['a', 'c'] }] }, true],
    [{ matchExpressions: [{ key: 'role', operator: 'In', values: ['a'] }] }, false],
    [{ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['a'] }] }, false],
    [{ matchExpressions: [{ key: 'role', operator: 'NotIn', values: ['a'] }] }, true], // absent key satisfies NotIn
    [{ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'role', operator: 'Exists' }] }, false],
    [{ matchExpressions: [{ key: 'role', operator: 'DoesNotExist' }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }, false],
    [{ matchLabels: { app: 'a' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['c'] }] }, false],
  ])('%j on {app:a,tier:b}: %s', (selector, expected) => {
    expect(selectorMatches(selector, labels)).toBe(expected);
  });
});

describe('naive evaluator semantics', () => {
  const base = [
    ns('prod', { env: 'prod' }),
    ns('dev', { env: 'dev' }),
    pod('prod', 'web', { app: 'web' }, [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }]),
    pod('prod', 'db', { app: 'db' }, [{ name: 'pg', containerPort: 5432 }]),
    pod('dev', 'tool', { app: 'web' }),
    pod('other', 'stray', { app: 'web' }), // namespace used but not declared
  ];

  it('no policies: everything is allowed, in every protocol', () => {
    const c = buildNaiveCluster(base);
    expect(verdict(c, 'prod/web', 'prod/db', 'SCTP', 1)).toBe(true);
    expect(verdict(c, '8.8.8.8', 'prod/db', 'UDP', 65535)).toBe(true);
  });

  it('ingress isolation: default deny, a pod to itself is still allowed', () => {
    const c = buildNaiveCluster([...base, netpol('prod', 'deny', { podSelector: {} })]);
    expect(verdict(c, 'prod/web', 'prod/db', 'TCP', 5432)).toBe(false);
    expect(verdict(c, 'prod/db', 'prod/db', 'TCP', 5432)).toBe(true);
    expect(verdict(c, 'prod/db', 'dev/tool', 'TCP', 1)).toBe(true); // egress not isolated, dev not isolated
    expect(verdict(c, 'prod/db', '1.2.3.4', 'TCP', 1)).toBe(true);
  });

  it('policyTypes defaulting: egress rules make an egress policy, an empty egress list does not', () => {
    const withEgress = buildNaiveCluster([...base, netpol('prod', 'e', { podSelector: {}, egress: [{ to: [{ podSelector: {} }] }] })]);
    expect(verdict(withEgress, 'prod/web', 'dev/tool', 'TCP', 80)).toBe(false); // egress only to prod pods
    expect(verdict(withEgress, 'prod/web', 'prod/db', 'TCP', 5432)).toBe(false); // ingress isolated, no ingress rule
    const emptyEgress = buildNaiveCluster([...base, netpol('prod', 'e', { podSelector: {}, egress: [] })]);
    expect(verdict(emptyEgress, 'prod/web', 'dev/tool', 'TCP', 80)).toBe(true);
    const explicitEgress = buildNaiveCluster([...base, netpol('prod', 'e', { podSelector: {}, policyTypes: ['Egress'] })]);
    expect(verdict(explicitEgress, 'prod/web', 'dev/tool', 'TCP', 80)).toBe(false);
    expect(verdict(explicitEgress, 'dev/tool', 'prod/web', 'TCP', 80)).toBe(true); // not ingress-isolated
    const emptyTypes = buildNaiveCluster([...base, netpol('prod', 'e', { podSelector: {}, policyTypes: [] })]);
    expect(verdict(emptyTypes, 'dev/tool', 'prod/web', 'TCP', 80)).toBe(false); // [] defaults like a missing list
  });

  it('peers: podSelector alone stays in the namespace, namespaceSelector AND podSelector, separate peers OR', () => {
    const sameNs = buildNaiveCluster([...base, netpol('prod', 'p', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }] })]);
    expect(verdict(sameNs, 'prod/web', 'prod/db', 'TCP', 5432)).toBe(true);
    expect(verdict(sameNs, 'dev/tool', 'prod/db', 'TCP', 5432)).toBe(false);
    const and = buildNaiveCluster([...base, netpol('prod', 'p', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { env: 'dev' } }, podSelector: { matchLabels: { app: 'web' } } }] }] })]);
    expect(verdict(and, 'dev/tool', 'prod/db', 'TCP', 5432)).toBe(true);
    expect(verdict(and, 'prod/web', 'prod/db', 'TCP', 5432)).toBe(false);
    const or = buildNaiveCluster([...base, netpol('prod', 'p', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { env: 'dev' } } }, { podSelector: { matchLabels: { app: 'web' } } }] }] })]);
    expect(verdict(or, 'dev/tool', 'prod/db', 'TCP', 5432)).toBe(true);
    expect(verdict(or, 'prod/web', 'prod/db', 'TCP', 5432)).toBe(true);
    expect(verdict(or, 'other/stray', 'prod/db', 'TCP', 5432)).toBe(false);
    const byName = buildNaiveCluster([...base, netpol('prod', 'p', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'other' } } }] }] })]);
    expect(verdict(byName, 'other/stray', 'prod/db', 'TCP', 5432)).toBe(true); // automatic label on an undeclared namespace
    expect(verdict(byName, 'dev/tool', 'prod/db', 'TCP', 5432)).toBe(false);
    const allNs = buildNaiveCluster([...base, netpol('prod', 'p', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: {} }] }] })]);
    expect(verdict(allNs, 'other/stray', 'prod/db', 'TCP', 5432)).toBe(true);
    expect(verdict(allNs, '10.0.0.1', 'prod/db', 'TCP', 5432)).toBe(false); // selectors never match IPs
  });

  it('rules: missing or empty from / ports mean everything; an empty rule list allows nothing', () => {
    for (const rule of [{}, { from: [] }, { from: [], ports: [] }]) {
      const c = buildNaiveCluster([...base, netpol('prod', 'p', { podSelector: {}, ingress: [rule] })]);
      expect(verdict(c, '10.0.0.1', 'prod/db', 'SCTP', 7)).toBe(true);
      expect(verdict(c, 'dev/tool', 'prod/db', 'UDP', 65535)).toBe(true);
    }
    const none = buildNaiveCluster([...base, netpol('prod', 'p', { podSelector: {}, ingress: [] })]);
    expect(verdict(none, 'dev/tool', 'prod/db', 'TCP', 5432)).toBe(false);
  });

  it('ports: default TCP, protocol only, endPort ranges, named ports resolved on the destination', () => {
    const c = buildNaiveCluster([
      ...base,
      netpol('prod', 'p', {
        podSelector: {},
        ingress: [{ ports: [{ port: 5432 }, { protocol: 'SCTP' }, { protocol: 'UDP', port: 1000, endPort: 1010 }, { port: 'http' }, { protocol: 'UDP', port: 'dns' }, { port: 'pg', protocol: 'UDP' }] }],
      }),
    ]);
    expect(verdict(c, 'dev/tool', 'prod/db', 'TCP', 5432)).toBe(true);
    expect(verdict(c, 'dev/tool', 'prod/db', 'UDP', 5432)).toBe(false);
    expect(verdict(c, 'dev/tool', 'prod/db', 'SCTP', 65535)).toBe(true);
    expect([999, 1000, 1010, 1011].map((p) => verdict(c, 'dev/tool', 'prod/db', 'UDP', p))).toEqual([false, true, true, false]);
    expect(verdict(c, 'dev/tool', 'prod/web', 'TCP', 8080)).toBe(true); // http resolves on web
    expect(verdict(c, 'dev/tool', 'prod/db', 'TCP', 8080)).toBe(false); // db has no http port
    expect(verdict(c, 'dev/tool', 'prod/web', 'UDP', 53)).toBe(true);
    expect(verdict(c, 'dev/tool', 'prod/web', 'TCP', 53)).toBe(false); // dns is UDP on web
    expect(verdict(c, 'dev/tool', 'prod/db', 'UDP', 5432)).toBe(false); // pg is TCP: protocol must match
  });

  it('egress named ports resolve on the destination pod and never on an IP', () => {
    const c = buildNaiveCluster([...base, netpol('dev', 'e', { podSelector: {}, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'pg' }] }] })]);
    expect(verdict(c, 'dev/tool', 'prod/db', 'TCP', 5432)).toBe(true);
    expect(verdict(c, 'dev/tool', 'prod/web', 'TCP', 5432)).toBe(false);
    expect(verdict(c, 'dev/tool', '10.0.0.1', 'TCP', 5432)).toBe(false);
  });

  it('ipBlock with except, IPv4 and IPv6, never matching pods', () => {
    const c = buildNaiveCluster([
      ...base,
      netpol('dev', 'e', {
        podSelector: {},
        egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }, { ipBlock: { cidr: '2001:db8::/64', except: ['2001:db8::/120'] } }] }],
      }),
    ]);
    expect(['9.255.255.255', '10.0.0.0', '10.0.255.255', '10.1.0.0', '10.1.255.255', '10.2.0.0', '10.255.255.255', '11.0.0.0'].map((ip) => verdict(c, 'dev/tool', ip, 'TCP', 1))).toEqual([
      false, true, true, false, false, true, true, false,
    ]);
    expect(['2001:db8::ff', '2001:db8::100', '2001:db8:0:0:ffff:ffff:ffff:ffff', '2001:db8:0:1::'].map((ip) => verdict(c, 'dev/tool', ip, 'UDP', 53))).toEqual([false, true, true, false]);
    expect(verdict(c, 'dev/tool', 'prod/web', 'TCP', 8080)).toBe(false); // ipBlock never matches pods
  });

  it('controllers stand for their template unless their pods are present', () => {
    const deployment: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'api', namespace: 'prod' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'c', image: 'i', ports: [{ name: 'grpc', containerPort: 9000 }] }] } } },
    };
    const policy = netpol('prod', 'p', { podSelector: { matchLabels: { app: 'api' } }, ingress: [{ ports: [{ port: 'grpc' }] }] });
    const c = buildNaiveCluster([...base, deployment, policy]);
    const api = findPod(c, 'prod', 'api', 'Deployment');
    expect(allowed(c, api, api, 'TCP', 9000)).toBe(true); // two replicas, through the policy
    expect(allowed(c, api, api, 'TCP', 9001)).toBe(false);
    const owned = pod('prod', 'api-1', { app: 'api' });
    const withPods = buildNaiveCluster([
      ...base,
      deployment,
      { ...owned, metadata: { ...owned.metadata, ownerReferences: [{ kind: 'Deployment', name: 'api', controller: true }] } },
    ]);
    expect(() => findPod(withPods, 'prod', 'api', 'Deployment')).toThrow();
    expect(findPod(withPods, 'prod', 'api-1').kind).toBe('Pod');
  });
});
