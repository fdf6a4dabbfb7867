// Explain semantics and texts on small clusters: one test per rule text kind, the port classes np-guard
// builds (first rule of a policy wins, every allowing policy is cited), the layout, and one-port explanations.
import { describe, expect, it } from 'vitest';
import { analyze } from '../analysis/analyze.js';
import { loadSnapshot } from '../model/load.js';
import { connectionExplanationLines, explainConnection } from './connection.js';
import { iterateExplainedPairs } from './pairs.js';
import { formatExplain } from './report.js';
import { portsText, ruleText } from './text.js';
import { ConnectionSet } from '../algebra/connection-set.js';
import { PortSet } from '../algebra/port-set.js';
import type { ExplainedPair } from './types.js';

const NS = `apiVersion: v1
kind: Namespace
metadata:
  name: demo
`;

function deployment(name: string, ports = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: demo
spec:
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: c
        image: x${ports ? `\n        ports:\n${ports}` : ''}
`;
}

function policy(name: string, spec: string): string {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: demo
spec:
${spec}`;
}

const A = 'demo/a[Deployment]';
const B = 'demo/b[Deployment]';
const ANY_IP = '0.0.0.0-255.255.255.255[External]';

function cluster(...policies: string[]) {
  const text = [NS, deployment('a'), deployment('b', '        - name: http\n          containerPort: 8080'), ...policies].join('---\n');
  const { snapshot, issues } = loadSnapshot([{ path: 'cluster.yaml', text }]);
  expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
  return snapshot;
}

function pairs(snapshot: ReturnType<typeof cluster>): Map<string, ExplainedPair> {
  return new Map([...iterateExplainedPairs(analyze(snapshot))].map((p) => [`${p.src} => ${p.dst}`, p]));
}

/** The block of one pair in the report, without its separator line. */
function block(report: string, src: string, dst: string): string {
  const start = report.indexOf(`Connections between ${src} => ${dst}:\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = report.indexOf('-'.repeat(160), start);
  const tail = report.indexOf('\n####', start);
  const stop = [end, tail].filter((i) => i >= 0).sort((x, y) => x - y)[0] ?? report.length;
  return report.slice(start, stop);
}

const INGRESS_B_FROM_A_TCP80 = policy(
  'ingress-b',
  `  podSelector:
    matchLabels:
      app: b
  ingress:
  - from:
    - podSelector:
        matchLabels:
          app: a
    ports:
    - port: 80
`,
);

describe('rule texts', () => {
  const subject = B;
  const peer = A;
  const base = { kind: 'NetworkPolicy', policy: 'demo/p', direction: 'ingress' } as const;

  it('allows connections by rule #n (1-based)', () => {
    expect(ruleText({ ...base, verdict: 'allows', rule: 2 }, subject, peer)).toBe(
      "NetworkPolicy 'demo/p' allows connections by Ingress rule #3",
    );
  });

  it('selects the subject but no rule allows the peer', () => {
    expect(ruleText({ ...base, direction: 'egress', verdict: 'not-selected' }, A, B)).toBe(
      "NetworkPolicy 'demo/p' selects demo/a[Deployment], but demo/b[Deployment] is not allowed by any Egress rule",
    );
  });

  it('(no rules defined)', () => {
    expect(ruleText({ ...base, verdict: 'no-rules' }, subject, ANY_IP)).toBe(
      `NetworkPolicy 'demo/p' selects demo/b[Deployment], but ${ANY_IP} is not allowed by any Ingress rule (no rules defined)`,
    );
  });

  it('ports do not match', () => {
    expect(ruleText({ ...base, verdict: 'ports-mismatch', rule: 0 }, subject, peer)).toBe(
      "NetworkPolicy 'demo/p' selects demo/b[Deployment], and Ingress rule #1 selects demo/a[Deployment], but the protocols and ports do not match",
    );
  });

  it('named ports have no match', () => {
    expect(ruleText({ ...base, verdict: 'named-ports-unmatched', rule: 0 }, subject, peer)).toBe(
      "NetworkPolicy 'demo/p' selects demo/b[Deployment], and Ingress rule #1 selects demo/a[Deployment], " +
        'but named ports of the rule have no match in the configuration of the destination peer',
    );
  });

  it('port lists: TCP, UDP, SCTP order; bare when all ports', () => {
    expect(portsText(ConnectionSet.ALL)).toBe('TCP, UDP, SCTP');
    const some = ConnectionSet.of({ SCTP: PortSet.range(9003), TCP: PortSet.of([{ from: 1, to: 79 }, { from: 81, to: 65535 }]), UDP: PortSet.ALL });
    expect(portsText(some)).toBe('TCP:[1-79,81-65535], UDP, SCTP:[9003]');
  });
});

describe('explain classes from the trace', () => {
  it('system default on both sides: a default-only pair, listed in the last section', () => {
    const snapshot = cluster();
    const report = formatExplain(snapshot);
    expect(report).toBe(
      '\n#########################################################\n' +
        '# All Connections due to the system default (Allow all) #\n' +
        '#########################################################\n' +
        `${ANY_IP} => ${A}\n${ANY_IP} => ${B}\n${A} => ${ANY_IP}\n${A} => ${B}\n${B} => ${ANY_IP}\n${B} => ${A}\n`,
    );
    const pair = pairs(snapshot).get(`${A} => ${B}`)!;
    expect(pair.defaultOnly).toBe(true);
    expect(pair.classes).toHaveLength(1);
    expect(pair.classes[0].egress.systemDefault && pair.classes[0].ingress.systemDefault).toBe(true);
  });

  it('allows by rule #1 on the listed port; ports do not match elsewhere; system default on the open side', () => {
    const report = formatExplain(cluster(INGRESS_B_FROM_A_TCP80));
    expect(block(report, A, B)).toBe(
      `Connections between ${A} => ${B}:\n\n` +
        'Allowed connections:\n' +
        '\tAllowed TCP:[80] due to the following policies and rules:\n' +
        '\t\tEgress (Allowed) due to the system default (Allow all)\n' +
        '\t\tIngress (Allowed)\n' +
        "\t\t\tNetworkPolicy 'demo/ingress-b' allows connections by Ingress rule #1\n\n" +
        'Denied connections:\n' +
        '\tDenied TCP:[1-79,81-65535], UDP, SCTP due to the following policies and rules:\n' +
        '\t\tEgress (Allowed) due to the system default (Allow all)\n' +
        '\t\tIngress (Denied)\n' +
        `\t\t\tNetworkPolicy 'demo/ingress-b' selects ${B}, and Ingress rule #1 selects ${A}, but the protocols and ports do not match\n\n`,
    );
    expect(block(report, ANY_IP, B)).toContain(
      `\tDenied TCP, UDP, SCTP due to the following policies and rules:\n` +
        '\t\tEgress (Allowed) due to the system default (Allow all)\n' +
        '\t\tIngress (Denied)\n' +
        `\t\t\tNetworkPolicy 'demo/ingress-b' selects ${B}, but ${ANY_IP} is not allowed by any Ingress rule\n\n`,
    );
    // b's ingress plays no part from b to a: still default only.
    expect(report).toMatch(new RegExp(`\\n${B.replace(/[[\]]/g, '\\$&')} => ${A.replace(/[[\]]/g, '\\$&')}\\n`));
  });

  it('(no rules defined): an egress policy without rules', () => {
    const report = formatExplain(cluster(policy('deny-egress-a', '  podSelector:\n    matchLabels:\n      app: a\n  policyTypes:\n  - Egress\n')));
    expect(block(report, A, B)).toBe(
      `Connections between ${A} => ${B}:\n\n` +
        'Denied connections:\n' +
        '\tDenied TCP, UDP, SCTP due to the following policies and rules:\n' +
        '\t\tEgress (Denied)\n' +
        `\t\t\tNetworkPolicy 'demo/deny-egress-a' selects ${A}, but ${B} is not allowed by any Egress rule (no rules defined)\n` +
        '\t\tIngress (Allowed) due to the system default (Allow all)\n\n',
    );
  });

  it('named ports of the rule have no match on the destination (name absent, or another protocol)', () => {
    const namedRule = (name: string, protocol: string) =>
      policy(
        `named-${name}`,
        `  podSelector: {}\n  ingress:\n  - ports:\n    - port: ${name}\n      protocol: ${protocol}\n`,
      );
    const report = formatExplain(cluster(namedRule('http', 'UDP')));
    expect(block(report, B, A)).toContain(
      `\t\t\tNetworkPolicy 'demo/named-http' selects ${A}, and Ingress rule #1 selects ${B}, ` +
        'but named ports of the rule have no match in the configuration of the destination peer\n',
    );
    // Resolved on b (TCP http = 8080): allowed there, ports do not match elsewhere.
    const resolved = formatExplain(cluster(namedRule('http', 'TCP')));
    expect(block(resolved, A, B)).toContain("\tAllowed TCP:[8080] due to the following policies and rules:\n");
    expect(block(resolved, A, B)).toContain('but the protocols and ports do not match\n');
  });

  it('within one policy, the first matching rule explains a port (allowed or not)', () => {
    const p = policy(
      'two-rules',
      `  podSelector:
    matchLabels:
      app: b
  ingress:
  - from:
    - podSelector: {}
    ports:
    - port: 80
      endPort: 90
  - from:
    - podSelector: {}
    ports:
    - port: 85
      endPort: 100
`,
    );
    const pair = pairs(cluster(p)).get(`${A} => ${B}`)!;
    const summary = pair.classes
      .map((c) => `${c.allowed ? '+' : '-'}${portsText(c.ports)} ${c.ingress.reasons.map((r) => `${r.verdict}#${(r.rule ?? 0) + 1}`).join(',')}`)
      .sort();
    expect(summary).toEqual(['+TCP:[80-90] allows#1', '+TCP:[91-100] allows#2', '-TCP:[1-79,101-65535], UDP, SCTP ports-mismatch#1']);
  });

  it('across policies, every allowing policy is cited; a denied port cites every policy (as a list)', () => {
    const allowAll80 = (name: string) =>
      policy(name, `  podSelector:\n    matchLabels:\n      app: b\n  ingress:\n  - ports:\n    - port: 80\n`);
    const report = formatExplain(cluster(allowAll80('p1'), allowAll80('p2')));
    expect(block(report, A, B)).toBe(
      `Connections between ${A} => ${B}:\n\n` +
        'Allowed connections:\n' +
        '\tAllowed TCP:[80] due to the following policies and rules:\n' +
        '\t\tEgress (Allowed) due to the system default (Allow all)\n' +
        '\t\tIngress (Allowed)\n' +
        '\t\t\tNetworkPolicy list:\n' +
        "\t\t\t\t- NetworkPolicy 'demo/p1' allows connections by Ingress rule #1\n" +
        "\t\t\t\t- NetworkPolicy 'demo/p2' allows connections by Ingress rule #1\n\n\n" +
        'Denied connections:\n' +
        '\tDenied TCP:[1-79,81-65535], UDP, SCTP due to the following policies and rules:\n' +
        '\t\tEgress (Allowed) due to the system default (Allow all)\n' +
        '\t\tIngress (Denied)\n' +
        '\t\t\tNetworkPolicy list:\n' +
        `\t\t\t\t- NetworkPolicy 'demo/p1' selects ${B}, and Ingress rule #1 selects ${A}, but the protocols and ports do not match\n` +
        `\t\t\t\t- NetworkPolicy 'demo/p2' selects ${B}, and Ingress rule #1 selects ${A}, but the protocols and ports do not match\n\n\n`,
    );
  });

  it('every pair of distinct peers is covered once, and classes partition all ports', () => {
    const all = [...iterateExplainedPairs(analyze(cluster(INGRESS_B_FROM_A_TCP80)))];
    expect(all.map((p) => `${p.src} => ${p.dst}`)).toEqual([
      `${ANY_IP} => ${A}`,
      `${ANY_IP} => ${B}`,
      `${A} => ${ANY_IP}`,
      `${A} => ${B}`,
      `${B} => ${ANY_IP}`,
      `${B} => ${A}`,
    ]);
    for (const pair of all) {
      const union = pair.classes.reduce((acc, c) => acc.union(c.ports), ConnectionSet.NONE);
      expect(union.isAll).toBe(true);
      for (let i = 0; i < pair.classes.length; i++) {
        for (let j = i + 1; j < pair.classes.length; j++) expect(pair.classes[i].ports.intersect(pair.classes[j].ports).isEmpty).toBe(true);
      }
    }
  });
});

// eval --explain speaks one language: rules by field path, the port as `TCP 8080 (http)`; `list --explain` keeps
// np-guard's `Ingress rule #1` and `TCP:[80]` (byte-exact conformance, above).
describe('one connection (eval --explain)', () => {
  const snapshot = cluster(INGRESS_B_FROM_A_TCP80);
  const a = { namespace: 'demo', name: 'a' };
  const b = { namespace: 'demo', name: 'b' };

  it('an allowed port: the allowing rule', () => {
    const e = explainConnection(snapshot, a, b, 80);
    expect(e.explanation.allowed).toBe(true);
    expect(connectionExplanationLines(e)).toEqual([
      'Allowed TCP 80 due to the following policies and rules:',
      '\tEgress (Allowed) due to the system default (Allow all)',
      '\tIngress (Allowed)',
      "\t\tNetworkPolicy 'demo/ingress-b' allows connections by spec.ingress[0]",
    ]);
  });

  it('a denied port and protocol: the reason of the denying side', () => {
    const e = explainConnection(snapshot, a, b, '80', 'UDP');
    expect(e.explanation.allowed).toBe(false);
    expect(connectionExplanationLines(e)).toEqual([
      'Denied UDP 80 due to the following policies and rules:',
      '\tEgress (Allowed) due to the system default (Allow all)',
      '\tIngress (Denied)',
      `\t\tNetworkPolicy 'demo/ingress-b' selects ${B}, and spec.ingress[0] selects ${A}, but the protocols and ports do not match`,
    ]);
  });

  it('a named port resolves on the destination; an IP source is explained by the pod side only', () => {
    const named = explainConnection(snapshot, a, b, 'http');
    expect(named.port).toBe(8080);
    expect(named.explanation.allowed).toBe(false);
    expect(connectionExplanationLines(named)[0]).toBe('Denied TCP 8080 (http) due to the following policies and rules:');
    const fromIp = explainConnection(snapshot, { ip: '10.0.0.1' }, b, 80);
    expect(connectionExplanationLines(fromIp)[3]).toBe(
      `\t\tNetworkPolicy 'demo/ingress-b' selects ${B}, but 10.0.0.1-10.0.0.1[External] is not allowed by any Ingress rule`,
    );
  });

  it('no policy on either side: the system default alone', () => {
    expect(connectionExplanationLines(explainConnection(snapshot, b, a, 443))).toEqual([
      'Allowed TCP 443 due to the system default (Allow all)',
    ]);
  });
});
