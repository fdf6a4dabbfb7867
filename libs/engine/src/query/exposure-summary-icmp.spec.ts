// The exposure summary (API `exposure`, dashboard exposure page) names ICMP on Calico snapshots, as the list does;
// NetworkPolicy-only snapshots keep np-guard's text.
import { describe, expect, it } from 'vitest';
import { calicoServerInObject } from '../../../../tools/testing/client-server.js';
import { clientServerAnalysis } from '../../test/builders.js';
import { exposureSummary } from './exposure-summary.js';

const summaryOf = (policy: object) => exposureSummary(clientServerAnalysis(policy));

const calicoServerIn = (source: object, icmp?: object) =>
  calicoServerInObject([
    { action: 'Allow', protocol: 'TCP', source, destination: { ports: [80] } },
    { action: 'Allow', protocol: 'ICMP', source, ...(icmp ? { icmp } : {}) },
  ]);

describe('exposure summary texts name ICMP on Calico snapshots', () => {
  it('internet-exposed: `ICMP,TCP 80` where a Calico policy allows both from 0.0.0.0/0', () => {
    const summary = summaryOf(calicoServerIn({ nets: ['0.0.0.0/0'] }));
    const server = summary.internetExposed.find((e) => e.workload.name === 'server');
    expect(server?.conn).toBe('ICMP,TCP 80');
  });

  it('cluster-wide-exposed: `ICMP type 8,TCP 80` where a Calico policy allows both from every namespace', () => {
    const summary = summaryOf(calicoServerIn({ namespaceSelector: 'all()', selector: 'all()' }, { type: 8 }));
    const server = summary.clusterWideExposed.find((e) => e.workload.name === 'server');
    expect(server?.conn).toBe('ICMP type 8,TCP 80');
    const whole = summaryOf(calicoServerIn({ namespaceSelector: 'all()', selector: 'all()' }));
    expect(whole.clusterWideExposed.find((e) => e.workload.name === 'server')?.conn).toBe('ICMP,TCP 80');
  });

  it('NetworkPolicy only: np-guard text (ICMP, all or nothing, left out)', () => {
    const summary = summaryOf({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'server-in', namespace: 'a' },
      spec: { podSelector: { matchLabels: { app: 'server' } }, ingress: [{ ports: [{ port: 80 }] }] },
    });
    const server = summary.internetExposed.find((e) => e.workload.name === 'server');
    expect(server?.conn).toBe('TCP 80');
    expect(summary.clusterWideExposed.find((e) => e.workload.name === 'server')?.conn).toBe('TCP 80');
  });
});
