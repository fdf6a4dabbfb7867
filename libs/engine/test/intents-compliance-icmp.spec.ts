// Intents violations and compliance evidence name ICMP on Calico snapshots (as the list does): there a policy
// decides ICMP apart from ports, so `TCP 80` alone would understate what is allowed. NetworkPolicy-only
// snapshots keep np-guard's text.
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analysis/analyze.js';
import { buildReport } from '../src/compliance/index.js';
import { cdeIntents, checkIntents, parseIntents, type SegmentationIntents } from '../src/intents/index.js';
import { parseManifests } from '../src/manifest/parse-manifests.js';
import { buildSnapshot } from '../src/model/snapshot.js';

const AT = '2026-12-01T00:00:00.000Z';

const cluster = (policy: string) => `apiVersion: v1
kind: Namespace
metadata: { name: web, labels: { zone: web } }
---
apiVersion: v1
kind: Namespace
metadata: { name: pay, labels: { pci: cde } }
---
apiVersion: v1
kind: Pod
metadata: { name: client, namespace: web, labels: { app: client } }
spec: { containers: [{ name: c }] }
status: { phase: Running, podIP: 10.0.0.1 }
---
apiVersion: v1
kind: Pod
metadata: { name: api, namespace: pay, labels: { app: api } }
spec: { containers: [{ name: c, ports: [{ containerPort: 80 }] }] }
status: { phase: Running, podIP: 10.0.0.2 }
---
${policy}`;

const CALICO = `apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: { name: api-in, namespace: pay }
spec:
  selector: app == 'api'
  types: [Ingress]
  ingress:
    - { action: Allow, protocol: TCP, source: { namespaceSelector: zone == 'web' }, destination: { ports: [80] } }
    - { action: Allow, protocol: ICMP, source: { namespaceSelector: zone == 'web' } }
`;

const NETWORK_POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: api-in, namespace: pay }
spec:
  podSelector: { matchLabels: { app: api } }
  ingress: [{ from: [{ namespaceSelector: { matchLabels: { zone: web } } }], ports: [{ port: 80 }] }]
`;

const INTENTS = `apiVersion: netpol-atlas/v1
kind: SegmentationIntents
zones:
  - name: cde
    namespaces: [pay]
  - name: web
    namespaces: [web]
allowedFlows: []
`;

function load(policy: string) {
  const parsed = parseManifests([{ path: 'cluster.yaml', text: cluster(policy) }]);
  expect(parsed.issues.filter((i) => i.severity === 'error')).toEqual([]);
  return { objects: parsed.objects, snapshot: buildSnapshot(parsed.objects).snapshot };
}

function intents(): SegmentationIntents {
  const parsed = parseIntents({ path: 'intents.yaml', text: INTENTS });
  expect(parsed.issues).toEqual([]);
  return parsed.intents as SegmentationIntents;
}

function violationPorts(policy: string): string[] {
  const result = checkIntents(analyze(load(policy).snapshot), intents(), AT);
  return result.violations.filter((v) => v.src === 'web/client[Pod]' && v.dst === 'pay/api[Pod]').map((v) => v.ports);
}

function evidencePorts(policy: string): (string | undefined)[] {
  const { snapshot, objects } = load(policy);
  const report = buildReport({ snapshot, objects, framework: 'pci-dss-4.0', intents: cdeIntents() as SegmentationIntents, declared: false, generatedAt: AT, engineVersion: 'test' });
  const rows = report.controls.flatMap((c) => c.evidence).filter((e) => e.kind === 'connection' && e.subject === 'web/client[Pod]' && e.peer === 'pay/api[Pod]');
  return [...new Set(rows.map((e) => e.ports))];
}

describe('intents and compliance texts name ICMP on Calico snapshots', () => {
  it('intents violation: `ICMP,TCP 80` where a Calico policy allows both', () => {
    expect(violationPorts(CALICO)).toEqual(['ICMP,TCP 80']);
  });

  it('compliance evidence: `ICMP,TCP 80` where a Calico policy allows both', () => {
    expect(evidencePorts(CALICO)).toEqual(['ICMP,TCP 80']);
  });

  it('NetworkPolicy only: np-guard text (`TCP 80`)', () => {
    expect(violationPorts(NETWORK_POLICY)).toEqual(['TCP 80']);
    expect(evidencePorts(NETWORK_POLICY)).toEqual(['TCP 80']);
  });
});
