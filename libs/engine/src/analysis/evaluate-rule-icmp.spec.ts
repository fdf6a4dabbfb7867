// `eval --explain`'s rule lines (AllowedBy / port-not-listed denials) name the ICMP a Cilium rule allows next to
// its ports; NetworkPolicy-only sides keep np-guard's port list.
import { describe, expect, it } from 'vitest';
import { parseManifests } from '../manifest/parse-manifests.js';
import { buildSnapshot } from '../model/snapshot.js';
import { evaluate } from './evaluate.js';

const pod = (name: string, ip: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'a', labels: { app: name } },
  spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] },
  status: { phase: 'Running', podIP: ip },
});

function snapshotOf(policy: object) {
  const items = [pod('client', '10.0.0.1'), pod('server', '10.0.0.2'), policy];
  const parsed = parseManifests([{ path: 'c.json', text: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }) }]);
  return buildSnapshot(parsed.objects).snapshot;
}

const CILIUM = {
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumNetworkPolicy',
  metadata: { name: 'server-in', namespace: 'a' },
  spec: {
    endpointSelector: { matchLabels: { app: 'server' } },
    ingress: [
      {
        fromEndpoints: [{ matchLabels: { app: 'client' } }],
        toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }] }],
        icmps: [{ fields: [{ type: 8, family: 'IPv4' }] }],
      },
    ],
  },
};

const from = { namespace: 'a', pod: 'client' };
const to = { namespace: 'a', pod: 'server' };

describe('eval rule lines name ICMP on Cilium sides', () => {
  it('allowed by: TCP 80 and `ICMP type 8`', () => {
    const verdict = evaluate(snapshotOf(CILIUM), from, to, 80);
    expect(verdict.allowed).toBe(true);
    expect(verdict.explanation.ingress.allowedBy.map((a) => [a.rule, a.ports.map((p) => `${p.protocol} ${p.from}`), a.icmp])).toEqual([
      ['spec.ingress[0]', ['TCP 80'], 'ICMP type 8'],
    ]);
  });

  it('port not listed: the rule allows TCP 80 and `ICMP type 8`', () => {
    const verdict = evaluate(snapshotOf(CILIUM), from, to, 81);
    expect(verdict.allowed).toBe(false);
    expect(verdict.explanation.ingress.denials.map((d) => [d.rule, d.reason, d.icmp])).toEqual([['spec.ingress[0]', 'port-not-listed', 'ICMP type 8']]);
  });

  it('NetworkPolicy only: no ICMP field', () => {
    const verdict = evaluate(
      snapshotOf({
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'server-in', namespace: 'a' },
        spec: { podSelector: { matchLabels: { app: 'server' } }, ingress: [{}] },
      }),
      from,
      to,
      80,
    );
    expect(verdict.explanation.ingress.allowedBy).toEqual([{ policy: 'server-in', namespace: 'a', rule: 'spec.ingress[0]', ports: [
      { protocol: 'TCP', from: 1, to: 65535 },
      { protocol: 'UDP', from: 1, to: 65535 },
      { protocol: 'SCTP', from: 1, to: 65535 },
    ] }]);
  });
});
