// `evaluate`'s denial reasons against the explain semantics (np-guard's): a matching rule that resolves to no
// port at all on the destination is "named ports of the rule have no match", any other "ports do not match".
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFORMANCE_DIR, readInputDir } from '../../../../tools/testing/np-guard-corpus.js';
import type { Protocol } from '../algebra/connection-set.js';
import { evaluate, EvaluateError, type DenialReason, type PeerSpec } from '../analysis/evaluate.js';
import { loadSnapshot } from '../model/load.js';
import type { Snapshot } from '../model/types.js';
import { connectionExplanationLines, explainConnection } from './connection.js';
import type { NetworkPolicyVerdict } from './types.js';

const REASON_OF: Partial<Record<NetworkPolicyVerdict, DenialReason>> = {
  'ports-mismatch': 'port-not-listed',
  'named-ports-unmatched': 'named-port-unresolved',
};

/** For every rule explain cites on a denying side, evaluate's denial for that rule carries the same reason. */
function expectAgreement(snapshot: Snapshot, from: PeerSpec, to: PeerSpec, port: number | string, protocol?: Protocol): void {
  const verdict = evaluate(snapshot, from, to, port, protocol);
  const explained = explainConnection(snapshot, from, to, port, protocol);
  expect(explained.explanation.allowed).toBe(verdict.allowed);
  for (const direction of ['egress', 'ingress'] as const) {
    const side = explained.explanation[direction];
    const denials = verdict.explanation[direction].denials;
    if (side.allowed) continue;
    for (const reason of side.reasons) {
      const expected = REASON_OF[reason.verdict as keyof typeof REASON_OF];
      if (!expected) continue;
      expect(denials.map(({ ports: _ports, ...denial }) => denial)).toContainEqual({
        policy: reason.policy.split('/')[1],
        namespace: reason.policy.split('/')[0],
        rule: reason.path,
        reason: expected,
      });
    }
  }
}

describe('evaluate agrees with explain on named-port denials', () => {
  // ingress rule: from every namespace, port `newport` over UDP; pod-a declares `newport` as SCTP 8956.
  const dir = path.join(CONFORMANCE_DIR, 'explain', 'netpol_named_port_test', 'input');
  const { snapshot, issues } = loadSnapshot(readInputDir(dir));
  const newPod = { namespace: 'helloworld', name: 'new-pod' };
  const podA = { namespace: 'helloworld', name: 'pod-a' };

  it('reads the np-guard case', () => {
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(snapshot.policies.map((p) => p.fullName)).toEqual(['helloworld/enable-ingress-from-named-port']);
  });

  it('SCTP 8956 (newport): the rule resolves to nothing on pod-a, so its named ports have no match', () => {
    const verdict = evaluate(snapshot, newPod, podA, 'newport');
    expect(verdict.allowed).toBe(false);
    expect(verdict.explanation.ingress.denials).toEqual([
      { policy: 'enable-ingress-from-named-port', namespace: 'helloworld', rule: 'spec.ingress[0]', reason: 'named-port-unresolved' },
    ]);
    expect(connectionExplanationLines(explainConnection(snapshot, newPod, podA, 'newport'))).toContain(
      "\t\tNetworkPolicy 'helloworld/enable-ingress-from-named-port' selects helloworld/pod-a[Deployment], and spec.ingress[0] selects " +
        'helloworld/new-pod[Deployment], but named ports of the rule have no match in the configuration of the destination peer',
    );
  });

  it.each([
    ['newport', undefined],
    [8956, 'SCTP'],
    [8956, 'UDP'],
    [80, 'TCP'],
    [3535, 'UDP'],
  ] as const)('%s %s', (port, protocol) => {
    expectAgreement(snapshot, newPod, podA, port, protocol);
    const verdict = evaluate(snapshot, newPod, podA, port, protocol);
    expect(verdict.explanation.ingress.denials.map((d) => d.reason)).toEqual(['named-port-unresolved']);
  });

  it('a named port asked for with another protocol is an error, in both', () => {
    expect(() => evaluate(snapshot, newPod, podA, 'newport', 'UDP')).toThrow(EvaluateError);
    expect(() => explainConnection(snapshot, newPod, podA, 'newport', 'UDP')).toThrow(EvaluateError);
    expect(() => explainConnection(snapshot, newPod, podA, 70000)).toThrow(/not in 1-65535/);
  });
});

describe('a rule with a resolvable port is "port not listed" even when a named port of the same protocol is not', () => {
  const yaml = `apiVersion: v1
kind: Namespace
metadata: {name: ns}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: client, namespace: ns}
spec:
  selector: {matchLabels: {app: client}}
  template:
    metadata: {labels: {app: client}}
    spec: {containers: [{name: c, image: i}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: server, namespace: ns}
spec:
  selector: {matchLabels: {app: server}}
  template:
    metadata: {labels: {app: server}}
    spec: {containers: [{name: c, image: i, ports: [{name: web, containerPort: 8080}]}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: ns}
spec:
  podSelector: {matchLabels: {app: server}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: client}}}]
    ports: [{port: missing}, {port: 9090}]
  - from: [{podSelector: {matchLabels: {app: client}}}]
    ports: [{port: missing}]
`;
  const { snapshot } = loadSnapshot([{ path: 'c.yaml', text: yaml }]);
  const client = { namespace: 'ns', name: 'client' };
  const server = { namespace: 'ns', name: 'server' };

  it('per rule: resolvable ports → port-not-listed, nothing resolvable → named-port-unresolved', () => {
    const verdict = evaluate(snapshot, client, server, 'web');
    expect(verdict.allowed).toBe(false);
    expect(verdict.explanation.ingress.denials.map((d) => `${d.rule} ${d.reason}`)).toEqual([
      'spec.ingress[0] port-not-listed',
      'spec.ingress[1] named-port-unresolved',
    ]);
    // A port-not-listed denial says which ports the rule does allow (here 9090; `missing` resolves to nothing).
    expect(verdict.explanation.ingress.denials[0].ports).toEqual([{ protocol: 'TCP', from: 9090, to: 9090 }]);
    expect(verdict.explanation.ingress.denials[1].ports).toBeUndefined();
    expectAgreement(snapshot, client, server, 'web');
    expectAgreement(snapshot, client, server, 9091);
  });
});
