// Compliance reports: for each framework a scenario that fails with the leaking path named, and its fixed
// version that passes; determinism of every text format; what changed since a previous report.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReport, formatReport, FRAMEWORKS, REPORT_TEXT_FORMATS, zonesOrigin, type ComplianceReport } from '../src/compliance/index.js';
import { cdeIntents, parseIntents, type SegmentationIntents } from '../src/intents/index.js';
import { parseManifests } from '../src/manifest/parse-manifests.js';
import { buildSnapshot } from '../src/model/snapshot.js';

const AT = '2026-12-01T00:00:00.000Z';

function report(yaml: string, framework: string, intents?: SegmentationIntents): ComplianceReport {
  const parsed = parseManifests([{ path: 'cluster.yaml', text: yaml }]);
  expect(parsed.issues.filter((i) => i.severity === 'error')).toEqual([]);
  const { snapshot } = buildSnapshot(parsed.objects);
  return buildReport({
    snapshot,
    objects: parsed.objects,
    framework,
    intents: intents ?? (cdeIntents() as SegmentationIntents),
    declared: intents !== undefined,
    generatedAt: AT,
    engineVersion: 'test',
  });
}

const control = (r: ComplianceReport, id: string) => {
  const found = r.controls.find((c) => c.id === id);
  if (!found) throw new Error(`no control ${id}`);
  return found;
};
const failRows = (r: ComplianceReport, id: string) => control(r, id).evidence.filter((e) => e.status === 'fail');

const ns = (name: string, labels: Record<string, string> = {}) => `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${name}, labels: ${JSON.stringify(labels)} }\n---\n`;
const deploy = (namespace: string, name: string, port: number) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec: { containers: [{ name: c, image: i, ports: [{ containerPort: ${port} }] }] }
---
`;
const policy = (namespace: string, name: string, spec: string) =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: ${name}, namespace: ${namespace} }\nspec:\n${spec.trim().split('\n').map((l) => `  ${l}`).join('\n')}\n---\n`;
const denyAll = (namespace: string) => policy(namespace, 'default-deny', 'podSelector: {}\npolicyTypes: [Ingress, Egress]');

const DNS_SERVER = `apiVersion: apps/v1
kind: Deployment
metadata: { name: coredns, namespace: kube-system }
spec:
  selector: { matchLabels: { k8s-app: kube-dns } }
  template:
    metadata: { labels: { k8s-app: kube-dns } }
    spec: { containers: [{ name: c, image: i, ports: [{ containerPort: 53, protocol: UDP }, { containerPort: 53, protocol: TCP }] }] }
---
`;
const DNS_PORTS = 'ports: [{ protocol: UDP, port: 53 }, { protocol: TCP, port: 53 }]';
const allowDns = (namespace: string) =>
  policy(
    namespace,
    'allow-dns',
    `podSelector: {}\npolicyTypes: [Egress]\negress:\n  - to: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }, podSelector: { matchLabels: { k8s-app: kube-dns } } }]\n    ${DNS_PORTS}`,
  );

// A shop: the CDE namespace `pay` (pci=cde) with an api and a vault; `web` in front of it; a `tools` namespace;
// cluster DNS in kube-system that every namespace may use.
const CLUSTER =
  ns('kube-system') +
  DNS_SERVER +
  denyAll('kube-system') +
  policy('kube-system', 'dns-from-cluster', `podSelector: { matchLabels: { k8s-app: kube-dns } }\ningress:\n  - from: [{ namespaceSelector: {} }]\n    ${DNS_PORTS}`) +
  allowDns('pay') +
  allowDns('web') +
  allowDns('tools') +
  ns('pay', { pci: 'cde' }) +
  ns('web') +
  ns('tools') +
  deploy('pay', 'api', 8443) +
  deploy('pay', 'vault', 8200) +
  deploy('web', 'shop', 8080) +
  deploy('tools', 'debug', 22) +
  denyAll('pay') +
  denyAll('web') +
  denyAll('tools') +
  policy('web', 'shop-to-api', 'podSelector: { matchLabels: { app: shop } }\npolicyTypes: [Egress]\negress:\n  - to: [{ namespaceSelector: { matchLabels: { pci: cde } }, podSelector: { matchLabels: { app: api } } }]\n    ports: [{ port: 8443 }]') +
  policy('pay', 'api-from-shop', 'podSelector: { matchLabels: { app: api } }\ningress:\n  - from: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: web } }, podSelector: { matchLabels: { app: shop } } }]\n    ports: [{ port: 8443 }]') +
  policy('pay', 'api-to-vault', 'podSelector: { matchLabels: { app: api } }\npolicyTypes: [Egress]\negress:\n  - to: [{ podSelector: { matchLabels: { app: vault } } }]\n    ports: [{ port: 8200 }]') +
  policy('pay', 'vault-from-api', 'podSelector: { matchLabels: { app: vault } }\ningress:\n  - from: [{ podSelector: { matchLabels: { app: api } } }]\n    ports: [{ port: 8200 }]');

// The leak: the vault admits every namespace (the debug pod included), and debug may send anything.
const LEAK =
  policy('pay', 'vault-from-anywhere', 'podSelector: { matchLabels: { app: vault } }\ningress:\n  - from: [{ namespaceSelector: {} }]\n    ports: [{ port: 8200 }]') +
  policy('tools', 'debug-egress', 'podSelector: { matchLabels: { app: debug } }\npolicyTypes: [Egress]\negress:\n  - {}');

const INTENTS = parseIntents({
  path: 'zones.yaml',
  text: `apiVersion: netpol-atlas/v1
kind: SegmentationIntents
metadata: { name: shop }
zones:
  - name: cde
    namespaceSelector: { matchLabels: { pci: cde } }
  - name: web
    namespaces: [web]
  - name: tools
    namespaces: [tools]
  - name: platform
    namespaces: [kube-system]
allowedFlows:
  - { from: cde, to: platform, ports: [{ protocol: UDP, port: 53 }, { protocol: TCP, port: 53 }] }
  - { from: web, to: platform, ports: [{ protocol: UDP, port: 53 }, { protocol: TCP, port: 53 }] }
  - { from: tools, to: platform, ports: [{ protocol: UDP, port: 53 }, { protocol: TCP, port: 53 }] }
  - from: web
    to: { zone: cde, workloads: [pay/api] }
    ports: [{ protocol: TCP, port: 8443 }]
`,
}).intents as SegmentationIntents;

describe('each framework: a leaking scenario fails naming the path, its fix passes', () => {
  it('PCI DSS 1.3.1: a path into the CDE from outside it', () => {
    const leaking = report(CLUSTER + LEAK, 'pci-dss-4.0', INTENTS);
    expect(control(leaking, '1.3.1').status).toBe('fail');
    expect(failRows(leaking, '1.3.1')).toEqual([
      {
        control: '1.3.1',
        kind: 'connection',
        status: 'fail',
        subject: 'tools/debug[Deployment]',
        peer: 'pay/vault[Deployment]',
        zones: 'tools -> cde',
        ports: 'TCP 8200',
        detail: 'not in the intents; egress: tools/debug-egress spec.egress[0]; ingress: pay/vault-from-anywhere spec.ingress[0]',
      },
    ]);
    const fixed = report(CLUSTER, 'pci-dss-4.0', INTENTS);
    expect(control(fixed, '1.3.1').status).toBe('pass');
    expect(control(fixed, '1.3.1').evidence.map((e) => `${e.subject} ${e.peer} ${e.status}`)).toEqual(['web/shop[Deployment] pay/api[Deployment] pass']);
  });

  it('PCI DSS without intents: a CDE workload left unisolated fails 1.3.1 and 1.4.2', () => {
    const open = CLUSTER.replace(denyAll('pay'), policy('pay', 'default-deny', 'podSelector: {}\npolicyTypes: [Egress]')).replace(
      /apiVersion: networking.k8s.io\/v1\nkind: NetworkPolicy\nmetadata: \{ name: vault-from-api[^]*?---\n/,
      '',
    );
    expect(open).not.toContain('vault-from-api');
    const leaking = report(open, 'pci-dss-4.0');
    expect(control(leaking, '1.3.1').status).toBe('fail');
    expect(failRows(leaking, '1.3.1')[0]).toMatchObject({ kind: 'workload', subject: 'pay/vault[Deployment]' });
    expect(control(leaking, '1.4.2').status).toBe('fail');
    expect(failRows(leaking, '1.4.2')[0]).toMatchObject({ subject: '0.0.0.0-255.255.255.255[External]', peer: 'pay/vault[Deployment]', ports: 'All Connections' });
    const fixed = report(CLUSTER, 'pci-dss-4.0');
    expect(['1.2.1', '1.3.1', '1.3.2', '1.4.1', '1.4.2'].map((id) => control(fixed, id).status)).toEqual(['pass', 'pass', 'pass', 'pass', 'pass']);
    expect(control(fixed, '11.4.5').status).toBe('manual');
  });

  it('SOC 2 CC6.6: a workload the internet can reach', () => {
    const leaking = report(CLUSTER.replace(denyAll('tools'), ''), 'soc2');
    expect(control(leaking, 'CC6.6').status).toBe('fail');
    expect(failRows(leaking, 'CC6.6').map((e) => `${e.subject} -> ${e.peer}`)).toContain('0.0.0.0-255.255.255.255[External] -> tools/debug[Deployment]');
    expect(control(leaking, 'CC6.1').status).toBe('fail');
    const fixed = report(CLUSTER, 'soc2');
    expect(control(fixed, 'CC6.6').status).toBe('pass');
    expect(control(fixed, 'CC6.1').status).toBe('pass');
  });

  it('CIS 5.3.1 / 5.3.2: flannel alone, a namespace without policies', () => {
    const flannel =
      'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: { name: kube-flannel-ds, namespace: kube-system }\nspec:\n  selector: { matchLabels: { app: flannel } }\n  template:\n    metadata: { labels: { app: flannel } }\n    spec: { containers: [{ name: f, image: f }] }\n---\n';
    const calico = flannel.replace(/kube-flannel-ds/g, 'calico-node').replace(/flannel/g, 'calico-node');
    const leaking = report(CLUSTER.replace(denyAll('tools'), '').replace(allowDns('tools'), '') + flannel, 'cis');
    expect(control(leaking, '5.3.1').status).toBe('fail');
    expect(failRows(leaking, '5.3.1').map((e) => e.subject)).toEqual(['kube-system/kube-flannel-ds[DaemonSet]']);
    expect(control(leaking, '5.3.2').status).toBe('fail');
    expect(failRows(leaking, '5.3.2').map((e) => e.subject)).toEqual(['tools']);
    const fixed = report(CLUSTER + calico, 'cis');
    expect(control(fixed, '5.3.1').status).toBe('pass');
    expect(control(fixed, '5.3.2').status).toBe('pass');
  });

  it('ISO 27001 A.8.22: a connection across zones the intents do not allow', () => {
    const leaking = report(CLUSTER + LEAK, 'iso27001', INTENTS);
    expect(control(leaking, 'A.8.22').status).toBe('fail');
    expect(failRows(leaking, 'A.8.22').map((e) => `${e.subject} -> ${e.peer} ${e.ports}`)).toContain('tools/debug[Deployment] -> pay/vault[Deployment] TCP 8200');
    const fixed = report(CLUSTER, 'iso27001', INTENTS);
    expect(control(fixed, 'A.8.22').status).toBe('pass');
  });

  it('NIST SC-7(5) and SC-7: a namespace without default deny, exposed to external addresses', () => {
    const leaking = report(CLUSTER.replace(denyAll('web'), ''), 'nist-800-53');
    expect(control(leaking, 'SC-7(5)').status).toBe('fail');
    expect(failRows(leaking, 'SC-7(5)').map((e) => `${e.subject}: ${e.detail}`)).toEqual([
      'web: no default-deny ingress policy (podSelector {}, no ingress rule)',
      'web: no default-deny egress policy (podSelector {}, no egress rule)',
    ]);
    expect(control(leaking, 'SC-7').status).toBe('fail');
    const fixed = report(CLUSTER, 'nist-800-53');
    expect(control(fixed, 'SC-7(5)').status).toBe('pass');
    expect(control(fixed, 'SC-7').status).toBe('pass');
  });
});

describe('report properties', () => {
  it('every framework id of the issue exists, each control with its reference and how it is decided', () => {
    expect(FRAMEWORKS.map((f) => f.id)).toEqual(['pci-dss-4.0', 'soc2', 'cis', 'iso27001', 'nist-800-53']);
    for (const f of FRAMEWORKS) for (const c of f.controls) expect(c.reference && c.evidenceNeeded && c.decision).toBeTruthy();
  });

  it('same input, same bytes, in every text format', () => {
    for (const format of REPORT_TEXT_FORMATS) {
      expect(formatReport(report(CLUSTER + LEAK, 'pci-dss-4.0', INTENTS), format)).toBe(formatReport(report(CLUSTER + LEAK, 'pci-dss-4.0', INTENTS), format));
    }
  });

  it('says what changed since the previous report: controls that flipped, new violations', () => {
    const before = report(CLUSTER, 'pci-dss-4.0', INTENTS);
    const parsed = parseManifests([{ path: 'cluster.yaml', text: CLUSTER + LEAK }]);
    const after = buildReport({
      snapshot: buildSnapshot(parsed.objects).snapshot,
      objects: parsed.objects,
      framework: 'pci-dss-4.0',
      intents: INTENTS,
      declared: true,
      generatedAt: '2026-12-02T00:00:00.000Z',
      engineVersion: 'test',
      previous: { id: 'r1', report: before },
    });
    expect(after.changes?.previousReportId).toBe('r1');
    expect(after.changes?.flipped).toContainEqual({ control: '1.3.1', from: 'pass', to: 'fail' });
    expect(after.changes?.newViolations.map((v) => `${v.control} ${v.subject} -> ${v.peer}`)).toContain('1.3.1 tools/debug[Deployment] -> pay/vault[Deployment]');
    expect(formatReport(after, 'md')).toContain('1.3.1: PASS → FAIL');
  });

  it('says in plain words where the zones come from: the intents and their version, or the selector that drew the CDE', () => {
    const withIntents = { ...report(CLUSTER, 'pci-dss-4.0', INTENTS), intents: { ...report(CLUSTER, 'pci-dss-4.0', INTENTS).intents, version: '3' } };
    expect(zonesOrigin(withIntents)).toEqual({ intents: 'intents shop (version 3)' });
    const convention = report(CLUSTER, 'pci-dss-4.0');
    expect(convention.intents).toMatchObject({ source: 'cde-selector', name: 'cde pci=cde' }); // the json keeps its fields
    expect(zonesOrigin(convention)).toEqual({ cde: 'CDE: namespaces labelled pci=cde (default convention; set --cde or intents to change)' });
    const chosen = (selector: string) => zonesOrigin({ ...convention, intents: { ...convention.intents, name: `cde ${selector}` } }).cde;
    expect(chosen('pod:tier=payments')).toBe('CDE: pods labelled tier=payments (chosen with --cde)');
    expect(chosen('pci=cde,env=prod')).toBe('CDE: namespaces labelled pci=cde and env=prod (chosen with --cde)');
    // The default's selector given explicitly (`--cde pci=cde`) is the user's choice, and the json records it.
    const snapshot = buildSnapshot(parseManifests([{ path: 'cluster.yaml', text: CLUSTER }]).objects).snapshot;
    const given = buildReport({ snapshot, framework: 'pci-dss-4.0', intents: cdeIntents('pci=cde')!, declared: false, cdeSelectorGiven: true, generatedAt: AT, engineVersion: 'test' });
    expect(given.intents).toMatchObject({ source: 'cde-selector', name: 'cde pci=cde', selectorGiven: true });
    expect(zonesOrigin(given)).toEqual({ cde: 'CDE: namespaces labelled pci=cde (chosen with --cde)' });
    expect(convention.intents.selectorGiven).toBeUndefined();

    const md = formatReport(convention, 'md');
    expect(md).toContain('\n- CDE: namespaces labelled pci=cde (default convention; set --cde or intents to change)\n- Zones: cde = ');
    expect(md).not.toContain('convention cde pci=cde');
    expect(formatReport(convention, 'html')).toContain('<li>CDE: namespaces labelled pci=cde (default convention; set --cde or intents to change)</li>\n<li>Zones: <b>cde</b> = ');
    expect(formatReport(withIntents, 'md')).toContain('\n- Zones (intents shop (version 3)): cde = ');
    expect(formatReport(withIntents, 'md')).not.toContain('- CDE:');
  });

  it('the demo cluster has a CDE a first-time user sees at once (pci=cde on production)', () => {
    const dir = path.resolve(import.meta.dirname, 'fixtures/demo');
    const text = readdirSync(dir).sort().map((f) => readFileSync(path.join(dir, f), 'utf8')).join('\n---\n');
    const r = report(text, 'pci-dss-4.0');
    expect(r.intents.zones[0].members).toContain('production/database[StatefulSet]');
    expect(control(r, '1.2.1').status).toBe('fail'); // the DNS outage of redis and db-backup
  });
});
