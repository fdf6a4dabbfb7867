// Segmentation intents: located validation issues, the demo's violation table (each violation a concrete
// connection with the rule that allows it), exceptions live and expired, and the fixed demo passing.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analysis/analyze.js';
import { allowedFlows, allowingRules, checkIntents, parseIntents, rulesText, type SegmentationIntents } from '../src/intents/index.js';
import { loadSnapshot } from '../src/model/load.js';

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures');
const demoDocuments = () =>
  readdirSync(path.join(FIXTURES, 'demo'))
    .sort()
    .map((name) => ({ path: name, text: readFileSync(path.join(FIXTURES, 'demo', name), 'utf8') }));
const intentsText = readFileSync(path.join(FIXTURES, 'demo-intents.yaml'), 'utf8');

function demoIntents(): SegmentationIntents {
  const parsed = parseIntents({ path: 'demo-intents.yaml', text: intentsText });
  expect(parsed.issues).toEqual([]);
  return parsed.intents as SegmentationIntents;
}

function analysisOf(documents: { path: string; text: string }[]) {
  const loaded = loadSnapshot(documents);
  expect(loaded.issues.filter((i) => i.severity === 'error')).toEqual([]);
  return analyze(loaded.snapshot);
}

describe('SegmentationIntents validation', () => {
  it('locates every problem: file, field path, line', () => {
    const text = `apiVersion: netpol-atlas/v1
kind: SegmentationIntents
zones:
  - name: cde
    namespaceSelector: { matchLabels: { pci: cde } }
  - name: Bad_Name
    namespaces: [x]
allowedFlows:
  - from: cde
    to: nowhere
    ports: [{ protocol: TCP, port: 70000 }]
exceptions:
  - from: cde
    to: external
    owner: me
    justification: because
`;
    const { intents, issues } = parseIntents({ path: 'zones.yaml', text });
    expect(intents).toBeUndefined();
    expect(issues.map((i) => [i.code, i.path, i.line, i.file])).toEqual([
      ['INVALID_VALUE', 'zones[1].name', 6, 'zones.yaml'],
      ['INVALID_VALUE', 'allowedFlows[0].to', 10, 'zones.yaml'],
      ['INVALID_VALUE', 'allowedFlows[0].ports[0].port', 11, 'zones.yaml'],
      ['MISSING_FIELD', 'exceptions[0].expires', 13, 'zones.yaml'],
    ]);
  });

  it('rejects another kind or apiVersion', () => {
    const { issues } = parseIntents({ path: 'z.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nzones: []\n' });
    expect(issues.map((i) => i.path)).toEqual(['apiVersion', 'kind']);
  });
});

describe('the demo against its intents', () => {
  it('names each violation: the connection, its ports and the rule that allows it', () => {
    const result = checkIntents(analysisOf(demoDocuments()), demoIntents(), '2026-12-01T00:00:00Z');
    expect(result.passed).toBe(false);
    expect(result.zones).toEqual([
      {
        name: 'cde',
        workloads: [
          'production/backend[Deployment]',
          'production/database[StatefulSet]',
          'production/db-backup[CronJob]',
          'production/frontend[Deployment]',
          'production/redis[Deployment]',
        ],
      },
    ]);
    expect(result.violations.map((v) => [v.src, v.dst, v.ports, v.allowedBy])).toEqual([
      [
        'production/backend[Deployment]',
        'ingress-nginx/ingress-nginx-controller[Deployment]',
        'TCP 53,UDP 53',
        'egress: production/backend-egress spec.egress[0]; ingress: not isolated (allowed by default)',
      ],
      [
        'production/backend[Deployment]',
        'monitoring/prometheus[Deployment]',
        'TCP 53,UDP 53',
        'egress: production/backend-egress spec.egress[0]; ingress: not isolated (allowed by default)',
      ],
    ]);
    expect(result.violations[0].rules).toEqual([{ direction: 'egress', policy: 'production/backend-egress', kind: 'NetworkPolicy', apiGroup: 'networking.k8s.io', rule: 'spec.egress[0]' }]);
    expect(result.exceptionsApplied).toMatchObject([{ path: 'exceptions[0]', owner: 'platform-team', connections: 7 }]);
    expect(result.checked).toBe(result.conforming + result.violations.length);
  });

  it('an expired exception covers nothing and is a finding', () => {
    const result = checkIntents(analysisOf(demoDocuments()), demoIntents(), '2027-07-01T00:00:00Z');
    expect(result.expiredExceptions).toMatchObject([{ path: 'exceptions[0]', expires: '2027-06-30' }]);
    expect(result.exceptionsApplied).toEqual([]);
    expect(result.violations.filter((v) => v.dst.endsWith('[External]')).map((v) => v.ports)).toContain('TCP 53,UDP 53');
  });

  it('passes once backend-egress sends DNS to kube-dns only', () => {
    const fixed = demoDocuments().map((d) =>
      d.path === 'policies.yaml'
        ? {
            ...d,
            text: d.text.replace(
              '    - to: []\n',
              '    - to:\n        - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }\n          podSelector: { matchLabels: { k8s-app: kube-dns } }\n',
            ),
          }
        : d,
    );
    expect(fixed.find((d) => d.path === 'policies.yaml')?.text).not.toContain('to: []');
    const result = checkIntents(analysisOf(fixed), demoIntents(), '2026-12-01T00:00:00Z');
    expect(result.violations).toEqual([]);
    expect(result.passed).toBe(true);
  });
});

// A Kubernetes and a Calico NetworkPolicy `shop/web`, both allowing shop/client → shop/web on TCP 8080.
const SAME_NAME = `apiVersion: v1
kind: Namespace
metadata: { name: shop }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: c, image: i, ports: [{ containerPort: 8080 }] }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: client, namespace: shop }
spec:
  selector: { matchLabels: { app: client } }
  template:
    metadata: { labels: { app: client } }
    spec: { containers: [{ name: c, image: i }] }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web, namespace: shop }
spec:
  podSelector: { matchLabels: { app: web } }
  policyTypes: [Ingress]
  ingress:
    - from: [{ podSelector: { matchLabels: { app: client } } }]
      ports: [{ protocol: TCP, port: 8080 }]
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: { name: web, namespace: shop }
spec:
  selector: app == 'web'
  types: [Ingress]
  ingress:
    - action: Allow
      protocol: TCP
      source: { selector: app == 'client' }
      destination: { ports: [8080] }
`;

describe('the rules allowing a flow', () => {
  const flowToWeb = (text: string) => {
    const flow = allowedFlows(analysisOf([{ path: 'same-name.yaml', text }])).find((f) => f.src.name === 'shop/client[Deployment]' && f.dst.name === 'shop/web[Deployment]');
    if (!flow) throw new Error('no flow shop/client → shop/web');
    return flow;
  };

  it('keeps two policies of one namespace/name apart by kind and API group, and names them so in the text', () => {
    const found = allowingRules(flowToWeb(SAME_NAME));
    expect(found.rules).toEqual([
      { direction: 'ingress', policy: 'shop/web', kind: 'NetworkPolicy', apiGroup: 'networking.k8s.io', rule: 'spec.ingress[0]' },
      { direction: 'ingress', policy: 'shop/web', kind: 'NetworkPolicy', apiGroup: 'projectcalico.org', rule: 'spec.ingress[0]' },
    ]);
    expect(rulesText(found)).toBe(
      'egress: not isolated (allowed by default); ingress: NetworkPolicy.networking.k8s.io shop/web spec.ingress[0], NetworkPolicy.projectcalico.org shop/web spec.ingress[0]',
    );
  });

  it('says a unique name as it always did (no kind, no group)', () => {
    const kubernetesOnly = SAME_NAME.slice(0, SAME_NAME.indexOf('---\napiVersion: projectcalico.org/v3'));
    const found = allowingRules(flowToWeb(kubernetesOnly));
    expect(found.rules).toHaveLength(1);
    expect(rulesText(found)).toBe('egress: not isolated (allowed by default); ingress: shop/web spec.ingress[0]');
  });
});
