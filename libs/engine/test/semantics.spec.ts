// One table per semantic rule of issue 3, on hand-built objects. Every verdict is computed twice: by
// `evaluate` (the simple per-pair path) and by the factorised analysis, which must agree.
import { describe, expect, it } from 'vitest';
import type { Protocol } from '../src/algebra/connection-set.js';
import { parseIp } from '../src/algebra/ip-set.js';
import { analyze } from '../src/analysis/analyze.js';
import { evaluate } from '../src/analysis/evaluate.js';
import type { ParsedObject } from '../src/manifest/types.js';
import type { EngineOptions, Snapshot } from '../src/model/types.js';
import { controller, namespace, pod, policy, snapshotOf, spec } from './builders.js';

/** Verdict by both paths; throws when they disagree. */
function verdict(snapshot: Snapshot, from: string, to: string, port: number | string, protocol?: Protocol): boolean {
  const v = evaluate(snapshot, spec(from), spec(to), port, protocol);
  const analysis = analyze(snapshot);
  const portNumber = typeof port === 'number' ? port : undefined;
  if (portNumber !== undefined) {
    const proto = protocol ?? 'TCP';
    const classOf = (text: string) => {
      const [ns, name] = text.split('/');
      const w = snapshot.workloads.find((x) => x.namespace === ns && (x.name === name || x.topLevel.name === name))!;
      return analysis.workloadClass[w.id];
    };
    const atomOf = (text: string, atoms: typeof analysis.srcAtoms) => {
      const ip = parseIp(text)!;
      return atoms.findIndex((a) => a.family === ip.family && a.first <= ip.value && ip.value <= a.last);
    };
    const fromIp = 'ip' in spec(from);
    const toIp = 'ip' in spec(to);
    const conn = fromIp
      ? analysis.atomToClass(atomOf(from, analysis.srcAtoms), classOf(to))
      : toIp
        ? analysis.classToAtom(classOf(from), atomOf(to, analysis.dstAtoms))
        : analysis.classToClass(classOf(from), classOf(to));
    if (conn.contains(proto, portNumber) !== v.allowed) {
      throw new Error(`${from} -> ${to} ${proto} ${portNumber}: evaluate ${v.allowed}, factorised ${conn.key}`);
    }
  }
  return v.allowed;
}

const base = (extra: ParsedObject[], options?: EngineOptions) =>
  snapshotOf(
    [
      namespace('a', { team: 'x' }),
      namespace('b', { team: 'y' }),
      pod('a', 'client', { labels: { app: 'client' } }),
      pod('a', 'other', { labels: { app: 'other' } }),
      pod('b', 'client', { labels: { app: 'client' } }),
      pod('b', 'other', { labels: { app: 'other' } }),
      pod('a', 'server', { labels: { app: 'server' }, ports: [{ name: 'http', containerPort: 8080 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }] }),
      ...extra,
    ],
    options,
  );

describe('isolation is per direction', () => {
  const s = base([policy('a', 'ingress-only', { podSelector: { matchLabels: { app: 'server' } }, policyTypes: ['Ingress'] })]);
  it.each([
    ['a/client', 'a/server', false],
    ['a/server', 'a/client', true],
    ['a/server', '8.8.8.8', true],
    ['8.8.8.8', 'a/server', false],
  ])('%s → %s: %s', (from, to, expected) => {
    expect(verdict(s, from, to, 80)).toBe(expected);
  });
});

describe('policyTypes defaulting (Ingress always; Egress iff spec.egress has a rule)', () => {
  const allowAll = [{}];
  it.each([
    // [policyTypes, egress rules, ingress isolated?, egress isolated?, egress allows server → client:80?]
    [undefined, undefined, true, false, true],
    [undefined, allowAll, true, true, true],
    [undefined, [], true, false, true],
    [['Egress'], undefined, false, true, false],
    [['Ingress', 'Egress'], undefined, true, true, false],
    [['Ingress'], [{ ports: [{ port: 1 }] }], true, false, true],
  ])('policyTypes %j, egress %j: ingress isolated %s, egress isolated %s', (types, egress, ingressIsolated, egressIsolated, egressAllows) => {
    const s = base([
      policy('a', 'p', {
        podSelector: { matchLabels: { app: 'server' } },
        ...(types ? { policyTypes: types } : {}),
        ...(egress ? { egress } : {}),
      }),
    ]);
    expect(evaluate(s, spec('a/client'), spec('a/server'), 80).explanation.ingress.isolated).toBe(ingressIsolated);
    expect(evaluate(s, spec('a/server'), spec('a/client'), 80).explanation.egress.isolated).toBe(egressIsolated);
    expect(verdict(s, 'a/client', 'a/server', 80)).toBe(!ingressIsolated);
    expect(verdict(s, 'a/server', 'a/client', 80)).toBe(egressAllows);
  });

  it('egress rules with no policyTypes make the policy egress-isolating', () => {
    const s = base([policy('a', 'p', { podSelector: { matchLabels: { app: 'server' } }, egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] })]);
    expect(verdict(s, 'a/server', 'b/client', 53, 'UDP')).toBe(true);
    expect(verdict(s, 'a/server', 'b/client', 80)).toBe(false);
    expect(verdict(s, 'a/client', 'a/server', 80)).toBe(false); // ingress isolated, no ingress rules
  });
});

describe('a direction in policyTypes with no rules allows nothing', () => {
  it.each([[{ ingress: [] }], [{}]])('%j', (rules) => {
    const s = base([policy('a', 'deny', { podSelector: {}, policyTypes: ['Ingress'], ...rules })]);
    expect(verdict(s, 'a/client', 'a/server', 80)).toBe(false);
    expect(verdict(s, 'b/client', 'a/other', 443)).toBe(false);
    expect(verdict(s, '1.2.3.4', 'a/server', 80)).toBe(false);
    expect(verdict(s, 'b/client', 'b/other', 80)).toBe(true); // namespace b is not selected
  });
});

describe('policies union', () => {
  const s = base([
    policy('a', 'p80', { podSelector: { matchLabels: { app: 'server' } }, ingress: [{ ports: [{ port: 80 }] }] }),
    policy('a', 'p443', { podSelector: { matchLabels: { app: 'server' } }, ingress: [{ ports: [{ port: 443 }] }] }),
    policy('a', 'deny', { podSelector: {}, policyTypes: ['Ingress'] }),
  ]);
  it.each([
    [80, true],
    [443, true],
    [8080, false],
  ])('port %i: %s', (port, expected) => {
    expect(verdict(s, 'b/client', 'a/server', port)).toBe(expected);
  });
  it('lists each allowing rule', () => {
    const v = evaluate(s, spec('b/client'), spec('a/server'), 80);
    expect(v.explanation.ingress.policies).toEqual(['a/deny', 'a/p443', 'a/p80']);
    expect(v.explanation.ingress.allowedBy.map((x) => `${x.policy} ${x.rule}`)).toEqual(['p80 spec.ingress[0]']);
  });
});

describe('peer selectors: AND inside one peer, OR across peers (truth table)', () => {
  const isolate = policy('a', 'isolate', { podSelector: { matchLabels: { app: 'server' } }, policyTypes: ['Ingress'] });
  const andPeer = base([
    isolate,
    policy('a', 'and', {
      podSelector: { matchLabels: { app: 'server' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'y' } }, podSelector: { matchLabels: { app: 'client' } } }] }],
    }),
  ]);
  const orPeers = base([
    isolate,
    policy('a', 'or', {
      podSelector: { matchLabels: { app: 'server' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: 'y' } } }, { podSelector: { matchLabels: { app: 'client' } } }] }],
    }),
  ]);
  // [source, AND result, OR result]
  it.each([
    ['a/client', false, true], // OR: podSelector alone = pods of the policy's namespace
    ['a/other', false, false],
    ['b/client', true, true],
    ['b/other', false, true],
  ])('%s: AND %s, OR %s', (from, andExpected, orExpected) => {
    expect(verdict(andPeer, from, 'a/server', 80)).toBe(andExpected);
    expect(verdict(orPeers, from, 'a/server', 80)).toBe(orExpected);
  });
});

describe('selector shapes', () => {
  const rule = (from: unknown[]) =>
    base([policy('a', 'p', { podSelector: { matchLabels: { app: 'server' } }, ingress: [{ from }] })]);
  it.each([
    // [peers, a/client, a/other, b/client, 8.8.8.8]
    ['namespaceSelector {} = every namespace', [{ namespaceSelector: {} }], true, true, true, false],
    ['namespaceSelector {} AND podSelector', [{ namespaceSelector: {}, podSelector: { matchLabels: { app: 'client' } } }], true, false, true, false],
    ['podSelector {} = every pod of the namespace', [{ podSelector: {} }], true, true, false, false],
    ['matchExpressions In', [{ namespaceSelector: {}, podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['client', 'x'] }] } }], true, false, true, false],
    ['matchExpressions NotIn', [{ namespaceSelector: {}, podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['client'] }] } }], false, true, false, false],
    ['matchExpressions Exists', [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'Exists' }] } }], true, true, true, false],
    ['matchExpressions DoesNotExist', [{ namespaceSelector: { matchExpressions: [{ key: 'team', operator: 'DoesNotExist' }] } }], false, false, false, false],
    ['automatic kubernetes.io/metadata.name', [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'b' } } }], false, false, true, false],
  ])('%s', (_name, from, aClient, aOther, bClient, ip) => {
    const s = rule(from as unknown[]);
    expect(verdict(s, 'a/client', 'a/server', 80)).toBe(aClient);
    expect(verdict(s, 'a/other', 'a/server', 80)).toBe(aOther);
    expect(verdict(s, 'b/client', 'a/server', 80)).toBe(bClient);
    expect(verdict(s, '8.8.8.8', 'a/server', 80)).toBe(ip);
  });

  it('a namespace only referenced by a pod gets kubernetes.io/metadata.name too', () => {
    const s = snapshotOf([
      pod('undeclared', 'c', { labels: { app: 'c' } }),
      pod('a', 'server', { labels: { app: 'server' } }),
      policy('a', 'p', {
        podSelector: {},
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'undeclared' } } }] }],
      }),
    ]);
    expect(s.namespaces.get('undeclared')).toMatchObject({ declared: false, labels: { 'kubernetes.io/metadata.name': 'undeclared' } });
    expect(verdict(s, 'undeclared/c', 'a/server', 80)).toBe(true);
  });
});

describe('rules without from/to or ports', () => {
  it.each([
    ['no from: every peer, pods and IPs', { ports: [{ port: 80 }] }, [true, true, false]],
    ['from: [] is the same', { from: [], ports: [{ port: 80 }] }, [true, true, false]],
    ['no ports: every port and protocol', { from: [{ namespaceSelector: {} }] }, [true, false, true]],
    ['empty rule: everything', {}, [true, true, true]],
  ])('%s', (_name, rule, [pod80, ip80, podSctp]) => {
    const s = base([policy('a', 'p', { podSelector: { matchLabels: { app: 'server' } }, ingress: [rule] })]);
    expect(verdict(s, 'b/other', 'a/server', 80)).toBe(pod80);
    expect(verdict(s, '203.0.113.9', 'a/server', 80)).toBe(ip80);
    expect(verdict(s, 'b/other', 'a/server', 9999, 'SCTP')).toBe(podSctp);
  });
});

describe('ipBlock with except, IPv4 and IPv6', () => {
  const s = base([
    policy('a', 'egress', {
      podSelector: { matchLabels: { app: 'client' } },
      policyTypes: ['Egress'],
      egress: [
        { to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] },
        { to: [{ ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:1::/48'] } }], ports: [{ port: 443 }] },
      ],
    }),
  ]);
  it.each([
    ['10.0.0.1', 80, true],
    ['10.255.255.255', 80, true],
    ['10.1.0.0', 80, false],
    ['10.1.255.255', 80, false],
    ['10.2.0.0', 80, true],
    ['11.0.0.0', 80, false],
    ['2001:db8::1', 443, true],
    ['2001:db8::1', 80, false],
    ['2001:db8:1::5', 443, false],
    ['2001:db9::', 443, false],
  ])('a/client → %s port %i: %s', (ip, port, expected) => {
    expect(verdict(s, 'a/client', ip, port)).toBe(expected);
  });

  it('never matches pods by default; with ipBlockMatchesPods it matches pods by their IPs', () => {
    const objects = [
      pod('a', 'client', { labels: { app: 'client' } }),
      pod('a', 'server', { labels: { app: 'server' }, ips: ['10.0.0.7'] }),
      pod('a', 'far', { labels: { app: 'far' }, ips: ['192.168.0.7'] }),
      policy('a', 'p', { podSelector: { matchLabels: { app: 'client' } }, egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }] }),
    ];
    const strict = snapshotOf(objects);
    expect(verdict(strict, 'a/client', 'a/server', 80)).toBe(false);
    const loose = snapshotOf(objects, { ipBlockMatchesPods: true });
    expect(verdict(loose, 'a/client', 'a/server', 80)).toBe(true);
    expect(verdict(loose, 'a/client', 'a/far', 80)).toBe(false);
  });
});

describe('ports: numbers, names, endPort, protocols', () => {
  const withPorts = (ports: unknown[], direction: 'ingress' | 'egress' = 'ingress') =>
    base([
      policy('a', 'p', {
        podSelector: { matchLabels: { app: direction === 'ingress' ? 'server' : 'client' } },
        policyTypes: [direction === 'ingress' ? 'Ingress' : 'Egress'],
        [direction]: [{ ports }],
      }),
    ]);
  it.each([
    ['default protocol TCP', [{ port: 8080 }], 8080, 'TCP', true],
    ['default protocol is not UDP', [{ port: 8080 }], 8080, 'UDP', false],
    ['SCTP', [{ port: 9000, protocol: 'SCTP' }], 9000, 'SCTP', true],
    ['protocol without port = all its ports', [{ protocol: 'UDP' }], 12345, 'UDP', true],
    ['endPort lower bound', [{ port: 9000, endPort: 9100 }], 9000, 'TCP', true],
    ['endPort upper bound', [{ port: 9000, endPort: 9100 }], 9100, 'TCP', true],
    ['past endPort', [{ port: 9000, endPort: 9100 }], 9101, 'TCP', false],
    ['named port resolved on the destination', [{ port: 'http' }], 8080, 'TCP', true],
    ['named port: other numbers stay closed', [{ port: 'http' }], 8081, 'TCP', false],
    ['named port: protocol must match the container port', [{ port: 'dns' }], 53, 'UDP', false],
    ['named port with the right protocol', [{ port: 'dns', protocol: 'UDP' }], 53, 'UDP', true],
    ['unresolvable named port allows nothing', [{ port: 'nope' }], 8080, 'TCP', false],
  ])('%s', (_name, ports, port, protocol, expected) => {
    expect(verdict(withPorts(ports as unknown[]), 'a/client', 'a/server', port as number, protocol as Protocol)).toBe(expected);
  });

  it('egress named ports resolve on the destination, and never on an IP', () => {
    const s = withPorts([{ port: 'http' }], 'egress');
    expect(verdict(s, 'a/client', 'a/server', 8080)).toBe(true);
    expect(verdict(s, 'a/client', 'a/other', 8080)).toBe(false);
    expect(verdict(s, 'a/client', '8.8.8.8', 8080)).toBe(false);
  });

  it('explains an unresolved named port', () => {
    const v = evaluate(withPorts([{ port: 'nope' }]), spec('a/client'), spec('a/server'), 8080);
    expect(v.explanation.ingress.denials).toEqual([{ policy: 'p', namespace: 'a', rule: 'spec.ingress[0]', reason: 'named-port-unresolved' }]);
    const w = evaluate(withPorts([{ port: 80 }]), spec('a/client'), spec('a/server'), 8080);
    expect(w.explanation.ingress.denials).toEqual([
      { policy: 'p', namespace: 'a', rule: 'spec.ingress[0]', reason: 'port-not-listed', ports: [{ protocol: 'TCP', from: 80, to: 80 }] },
    ]);
  });

  it('evaluates a named port asked for by name', () => {
    const s = withPorts([{ port: 'http' }]);
    const v = evaluate(s, spec('a/client'), spec('a/server'), 'http');
    expect(v.allowed).toBe(true);
    expect(v.explanation.ingress.allowedBy[0].ports).toEqual([{ protocol: 'TCP', from: 8080, to: 8080, name: 'http' }]);
  });
});

describe('a pod to itself is always allowed; a workload to itself means two replicas', () => {
  const s = snapshotOf([
    pod('a', 'solo', { labels: { app: 'x' } }),
    controller('Deployment', 'a', 'web', { labels: { app: 'web' }, replicas: 3 }),
    policy('a', 'deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
  ]);
  it('pod to itself', () => {
    expect(evaluate(s, { namespace: 'a', pod: 'solo' }, { namespace: 'a', pod: 'solo' }, 80).allowed).toBe(true);
  });
  it('replicas of one workload are distinct pods', () => {
    expect(verdict(s, 'a/web', 'a/web', 80)).toBe(false);
    expect(evaluate(s, { namespace: 'a', pod: 'web-0' }, { namespace: 'a', pod: 'web-1' }, 80).allowed).toBe(false);
    expect(evaluate(s, { namespace: 'a', pod: 'web-2' }, { namespace: 'a', pod: 'web-2' }, 80).allowed).toBe(true);
  });
});
