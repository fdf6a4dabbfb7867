// Lint: one fixture per rule that fires it and a fixed version that does not; suppressions with expiry;
// the SARIF output validated against the vendored SARIF 2.1.0 JSON schema; the demo cluster's findings.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import { describe, expect, it } from 'vitest';
import { lint, lintSarif, LINT_RULES, parseSuppressions, reachesThreshold } from '../src/lint/index.js';
import { parseManifests } from '../src/manifest/parse-manifests.js';
import { buildSnapshot } from '../src/model/snapshot.js';

const FIXTURES = path.resolve(import.meta.dirname, 'fixtures');

function run(yaml: string, options: Parameters<typeof lint>[1] = {}) {
  const parsed = parseManifests([{ path: 'fixture.yaml', text: yaml }]);
  expect(parsed.issues.filter((i) => i.severity === 'error')).toEqual([]);
  const built = buildSnapshot(parsed.objects);
  return lint({ snapshot: built.snapshot, objects: parsed.objects }, options);
}

const ns = (name: string, labels: Record<string, string> = {}) =>
  `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels: ${JSON.stringify(labels)}\n---\n`;

function deploy(namespace: string, name: string, labels: Record<string, string>, ports: string[] = [], extra = ''): string {
  const portYaml = ports.length
    ? `\n          ports:\n${ports.map((p) => { const [n, num, proto] = p.split(':'); return `            - { name: ${n}, containerPort: ${num}, protocol: ${proto ?? 'TCP'} }`; }).join('\n')}`
    : '';
  return `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${namespace} }
spec:
  replicas: 1
  selector: { matchLabels: ${JSON.stringify(labels)} }
  template:
    metadata: { labels: ${JSON.stringify(labels)} }
    spec:${extra}
      containers:
        - name: c
          image: x${portYaml}
---
`;
}

function policy(namespace: string, name: string, spec: string): string {
  return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: ${name}, namespace: ${namespace} }\nspec:\n${spec
    .trim()
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')}\n---\n`;
}

const denyAll = (namespace: string) => policy(namespace, 'default-deny', 'podSelector: {}\npolicyTypes: [Ingress, Egress]');
const BASE =
  ns('app') +
  ns('kube-system') +
  deploy('app', 'web', { app: 'web' }, ['http:8080']) +
  deploy('app', 'db', { app: 'db' }, ['pg:5432']) +
  deploy('kube-system', 'coredns', { 'k8s-app': 'kube-dns' }, ['dns:53:UDP', 'dns-tcp:53:TCP']);
const DNS_OK = policy(
  'app',
  'allow-dns',
  `podSelector: {}
policyTypes: [Egress]
egress:
  - to:
      - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }
        podSelector: { matchLabels: { k8s-app: kube-dns } }
    ports: [{ protocol: UDP, port: 53 }, { protocol: TCP, port: 53 }]`,
);

/** Each rule: a fixture that fires it (with the expected field path) and its fixed version. */
const CASES: { rule: string; bad: string; good: string; path?: string; object?: string }[] = [
  {
    rule: 'dns-unreachable',
    bad: BASE + denyAll('app') + policy('app', 'dns-udp-only', 'podSelector: {}\npolicyTypes: [Egress]\negress:\n  - ports: [{ protocol: UDP, port: 53 }]'),
    good: BASE + denyAll('app') + DNS_OK,
    object: 'app/web',
  },
  {
    rule: 'policy-selects-nothing',
    bad: BASE + policy('app', 'typo', 'podSelector: { matchLabels: { app: wbe } }\ningress: [{}]'),
    good: BASE + policy('app', 'typo', 'podSelector: { matchLabels: { app: web } }\ningress: [{}]'),
    path: 'spec.podSelector',
  },
  {
    rule: 'peer-selects-nothing',
    bad: BASE + policy('app', 'p', 'podSelector: { matchLabels: { app: db } }\ningress:\n  - from: [{ podSelector: { matchLabels: { app: wbe } } }]'),
    good: BASE + policy('app', 'p', 'podSelector: { matchLabels: { app: db } }\ningress:\n  - from: [{ podSelector: { matchLabels: { app: web } } }]'),
    path: 'spec.ingress[0].from[0]',
  },
  {
    rule: 'namespace-without-default-deny-ingress',
    bad: BASE + policy('app', 'deny-egress', 'podSelector: {}\npolicyTypes: [Egress]') + denyAll('kube-system'),
    good: BASE + denyAll('app') + denyAll('kube-system'),
    object: '/app',
  },
  {
    rule: 'namespace-without-default-deny-egress',
    bad: BASE + policy('app', 'deny-ingress', 'podSelector: {}\npolicyTypes: [Ingress]') + denyAll('kube-system'),
    good: BASE + denyAll('app') + denyAll('kube-system'),
    object: '/app',
  },
  {
    rule: 'split-peer-selectors',
    bad:
      BASE +
      policy(
        'app',
        'p',
        'podSelector: { matchLabels: { app: db } }\ningress:\n  - from:\n      - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: app } }\n      - podSelector: { matchLabels: { app: web } }',
      ),
    good:
      BASE +
      policy(
        'app',
        'p',
        'podSelector: { matchLabels: { app: db } }\ningress:\n  - from:\n      - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: app } }\n        podSelector: { matchLabels: { app: web } }',
      ),
    path: 'spec.ingress[0].from[0]',
  },
  {
    rule: 'ipblock-any-address',
    bad: BASE + policy('app', 'p', 'podSelector: { matchLabels: { app: web } }\npolicyTypes: [Egress]\negress:\n  - to: [{ ipBlock: { cidr: 0.0.0.0/0 } }]'),
    good:
      BASE +
      policy(
        'app',
        'p',
        'podSelector: { matchLabels: { app: web } }\npolicyTypes: [Egress]\negress:\n  - to: [{ ipBlock: { cidr: 0.0.0.0/0, except: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16] } }]',
      ),
    path: 'spec.egress[0].to[0].ipBlock.cidr',
  },
  {
    rule: 'redundant-rule',
    bad:
      BASE +
      policy(
        'app',
        'p',
        'podSelector: { matchLabels: { app: db } }\ningress:\n  - from: [{ podSelector: {} }]\n    ports: [{ port: 5432 }]\n  - from: [{ podSelector: { matchLabels: { app: web } } }]\n    ports: [{ port: 5432 }]',
      ),
    good:
      BASE +
      policy(
        'app',
        'p',
        'podSelector: { matchLabels: { app: db } }\ningress:\n  - from: [{ podSelector: {} }]\n    ports: [{ port: 5432 }]\n  - from: [{ podSelector: { matchLabels: { app: web } } }]\n    ports: [{ port: 9187 }]',
      ),
    path: 'spec.ingress[1]',
  },
  {
    rule: 'named-port-undefined',
    bad: BASE + policy('app', 'p', 'podSelector: { matchLabels: { app: db } }\ningress:\n  - ports: [{ port: postgres }]'),
    good: BASE + policy('app', 'p', 'podSelector: { matchLabels: { app: db } }\ningress:\n  - ports: [{ port: pg }]'),
    path: 'spec.ingress[0].ports[0].port',
  },
  {
    rule: 'port-without-protocol-udp',
    bad: BASE + policy('kube-system', 'p', 'podSelector: { matchLabels: { k8s-app: kube-dns } }\ningress:\n  - ports: [{ port: 53 }]'),
    good: BASE + policy('kube-system', 'p', 'podSelector: { matchLabels: { k8s-app: kube-dns } }\ningress:\n  - ports: [{ port: 53, protocol: UDP }, { port: 53, protocol: TCP }]'),
    path: 'spec.ingress[0].ports[0]',
  },
  {
    rule: 'cni-not-enforcing',
    bad: BASE + denyAll('app') + 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: { name: kube-flannel-ds, namespace: kube-system, labels: { app: flannel } }\nspec:\n  selector: { matchLabels: { app: flannel } }\n  template:\n    metadata: { labels: { app: flannel } }\n    spec: { containers: [{ name: f, image: f }] }\n',
    good:
      BASE +
      denyAll('app') +
      'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: { name: canal, namespace: kube-system, labels: { k8s-app: canal } }\nspec:\n  selector: { matchLabels: { k8s-app: canal } }\n  template:\n    metadata: { labels: { k8s-app: canal } }\n    spec: { containers: [{ name: f, image: f }] }\n---\n' +
      'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: { name: kube-flannel-ds, namespace: kube-system, labels: { app: flannel } }\nspec:\n  selector: { matchLabels: { app: flannel } }\n  template:\n    metadata: { labels: { app: flannel } }\n    spec: { containers: [{ name: f, image: f }] }\n',
    object: 'kube-system/kube-flannel-ds',
  },
  {
    rule: 'host-network-selected',
    bad: BASE + deploy('app', 'agent', { app: 'agent' }, [], '\n      hostNetwork: true') + policy('app', 'p', 'podSelector: { matchLabels: { app: agent } }\npolicyTypes: [Ingress]'),
    good: BASE + deploy('app', 'agent', { app: 'agent' }) + policy('app', 'p', 'podSelector: { matchLabels: { app: agent } }\npolicyTypes: [Ingress]'),
    path: 'spec.podSelector',
  },
  {
    rule: 'api-server-unreachable',
    bad: BASE + policy('app', 'p', 'podSelector: { matchLabels: { app: web } }\npolicyTypes: [Egress]'),
    good: BASE.replace(
      deploy('app', 'web', { app: 'web' }, ['http:8080']),
      deploy('app', 'web', { app: 'web' }, ['http:8080'], '\n      automountServiceAccountToken: false'),
    ) + policy('app', 'p', 'podSelector: { matchLabels: { app: web } }\npolicyTypes: [Egress]'),
    object: 'app/web',
  },
  {
    rule: 'rules-ignored-by-policy-types',
    bad: BASE + policy('app', 'p', 'podSelector: { matchLabels: { app: web } }\npolicyTypes: [Ingress]\negress:\n  - ports: [{ port: 5432 }]'),
    good: BASE + policy('app', 'p', 'podSelector: { matchLabels: { app: web } }\npolicyTypes: [Ingress, Egress]\negress:\n  - ports: [{ port: 5432 }]'),
    path: 'spec.egress',
  },
  {
    rule: 'ingress-from-anywhere',
    bad: BASE + policy('app', 'p', 'podSelector: { matchLabels: { app: db } }\ningress:\n  - ports: [{ port: 5432 }]'),
    good: BASE + policy('app', 'p', 'podSelector: { matchLabels: { app: db } }\ningress:\n  - from: [{ podSelector: { matchLabels: { app: web } } }]\n    ports: [{ port: 5432 }]'),
    path: 'spec.ingress[0]',
  },
  {
    rule: 'dead-allow-rule',
    bad: BASE + denyAll('app') + DNS_OK + policy('app', 'web-to-db', 'podSelector: { matchLabels: { app: web } }\npolicyTypes: [Egress]\negress:\n  - to: [{ podSelector: { matchLabels: { app: db } } }]\n    ports: [{ port: 5432 }]'),
    good:
      BASE +
      denyAll('app') +
      DNS_OK +
      policy('app', 'web-to-db', 'podSelector: { matchLabels: { app: web } }\npolicyTypes: [Egress]\negress:\n  - to: [{ podSelector: { matchLabels: { app: db } } }]\n    ports: [{ port: 5432 }]') +
      policy('app', 'db-from-web', 'podSelector: { matchLabels: { app: db } }\ningress:\n  - from: [{ podSelector: { matchLabels: { app: web } } }]\n    ports: [{ port: 5432 }]'),
    path: 'spec.egress[0]',
  },
  {
    rule: 'unprotected-workload',
    bad: BASE,
    good: BASE + denyAll('app') + denyAll('kube-system'),
    object: 'app/web',
  },
  {
    rule: 'tier-contradiction',
    bad:
      BASE +
      policy('app', 'p', 'podSelector: { matchLabels: { app: db } }\ningress:\n  - from: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } } }]') +
      'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: { name: no-system }\nspec:\n  priority: 10\n  subject: { namespaces: { matchLabels: { kubernetes.io/metadata.name: app } } }\n  ingress:\n    - name: deny-system\n      action: Deny\n      from: [{ namespaces: { matchLabels: { kubernetes.io/metadata.name: kube-system } } }]\n',
    good:
      BASE +
      policy('app', 'p', 'podSelector: { matchLabels: { app: db } }\ningress:\n  - from: [{ podSelector: { matchLabels: { app: web } } }]') +
      'apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: { name: no-system }\nspec:\n  priority: 10\n  subject: { namespaces: { matchLabels: { kubernetes.io/metadata.name: app } } }\n  ingress:\n    - name: deny-system\n      action: Deny\n      from: [{ namespaces: { matchLabels: { kubernetes.io/metadata.name: kube-system } } }]\n',
    path: 'spec.ingress[0]',
  },
];

describe('lint rules', () => {
  it('has at least 15 rules, each with a fixture', () => {
    expect(LINT_RULES.length).toBeGreaterThanOrEqual(15);
    expect(LINT_RULES.map((r) => r.id).sort()).toEqual(CASES.map((c) => c.rule).sort());
  });

  for (const c of CASES) {
    it(`${c.rule}: fires on the fixture and not on its fixed version`, () => {
      const bad = run(c.bad).findings.filter((f) => f.rule === c.rule);
      expect(bad.length).toBeGreaterThan(0);
      const first = bad[0];
      if (c.path) expect(first.path).toBe(c.path);
      if (c.object) expect(bad.map((f) => `${f.object.namespace}/${f.object.name}`)).toContain(c.object);
      expect(first.message.length).toBeGreaterThan(10);
      expect(first.fix.length).toBeGreaterThan(10);
      if (first.object.kind === 'NetworkPolicy') expect(first).toMatchObject({ file: 'fixture.yaml', line: expect.any(Number) });
      expect(run(c.good).findings.filter((f) => f.rule === c.rule)).toEqual([]);
    });
  }
});

describe('suppressions', () => {
  const file = (expires: string) => ({
    path: 'suppressions.yaml',
    text: `apiVersion: netpol-atlas/v1\nkind: LintSuppressions\nsuppressions:\n  - rule: unprotected-workload\n    object: Deployment/app/web\n    reason: ticket SEC-12\n    expires: "${expires}"\n`,
  });

  it('hides a matching finding until its expiry, then reports the expired suppression', () => {
    const { suppressions, issues } = parseSuppressions(file('2026-12-31'));
    expect(issues).toEqual([]);
    const before = run(BASE, { suppressions, at: '2026-12-31T12:00:00Z', suppressionsFile: 'suppressions.yaml' });
    expect(before.findings.some((f) => f.rule === 'unprotected-workload' && f.object.name === 'web')).toBe(false);
    expect(before.suppressed.map((s) => s.finding.object.name)).toEqual(['web']);
    const after = run(BASE, { suppressions, at: '2027-01-01T00:00:00Z', suppressionsFile: 'suppressions.yaml' });
    expect(after.findings.some((f) => f.rule === 'unprotected-workload' && f.object.name === 'web')).toBe(true);
    expect(after.findings.find((f) => f.rule === 'suppression-expired')).toMatchObject({ file: 'suppressions.yaml', path: 'suppressions[0]' });
  });

  it('reports located issues for a malformed file', () => {
    const { issues } = parseSuppressions({
      path: 's.yaml',
      text: 'apiVersion: netpol-atlas/v1\nkind: LintSuppressions\nsuppressions:\n  - rule: x\n    object: y\n    expires: soon\n',
    });
    expect(issues.map((i) => [i.code, i.path, i.line])).toEqual([
      ['MISSING_FIELD', 'suppressions[0].reason', 4],
      ['INVALID_VALUE', 'suppressions[0].expires', 6],
    ]);
  });
});

describe('demo cluster and SARIF', () => {
  const dir = path.join(FIXTURES, 'demo');
  const documents = readdirSync(dir)
    .sort()
    .map((name) => ({ path: `demo/${name}`, text: readFileSync(path.join(dir, name), 'utf8') }));
  const parsed = parseManifests(documents);
  const result = lint({ snapshot: buildSnapshot(parsed.objects).snapshot, objects: parsed.objects });

  it('finds the dead allow rules the product exists to catch, and the DNS outage', () => {
    const dead = result.findings.filter((f) => f.rule === 'dead-allow-rule').map((f) => `${f.object.name} ${f.path}`).sort();
    expect(dead).toEqual([
      'backend-egress spec.egress[2]',
      'database-allow-backend-only spec.egress[1]',
      'database-allow-backend-only spec.ingress[1]',
    ]);
    expect(result.findings.filter((f) => f.rule === 'dns-unreachable').map((f) => f.object.name)).toEqual(['redis', 'db-backup']);
    expect(reachesThreshold(result.findings, 'error')).toBe(true);
  });

  it('is valid SARIF 2.1.0 (the OASIS JSON schema)', () => {
    const schema = JSON.parse(readFileSync(path.join(FIXTURES, 'sarif', 'sarif-schema-2.1.0.json'), 'utf8'));
    // ajv-draft-04 is CommonJS: its default export is the class at runtime, the module namespace to the type checker.
    const AjvDraft04 = Ajv as unknown as typeof import('ajv').default;
    const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    const sarif = JSON.parse(JSON.stringify(lintSarif(result)));
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    expect(sarif.runs[0].results.length).toBe(result.findings.length);
    expect(sarif.runs[0].results[0]).toMatchObject({ ruleId: result.findings[0].rule, level: expect.stringMatching(/^(error|warning|note)$/) });
    // A broken document is rejected: the validation can fail.
    expect(validate({ ...sarif, version: '2.0.0' })).toBe(false);
  });

  it('SARIF artifact locations: a relative path against %SRCROOT%, an absolute one as a file:// URI, both percent-encoded; stdin none', () => {
    const at = (file: string) => {
      const finding = { ...result.findings[0], file };
      return lintSarif({ ...result, findings: [finding], suppressed: [] }).runs[0].results[0].locations[0].physicalLocation?.artifactLocation;
    };
    expect(at('k8s/prod policies.yaml')).toEqual({ uri: 'k8s/prod%20policies.yaml', uriBaseId: '%SRCROOT%' });
    expect(at('./k8s/a.yaml')).toEqual({ uri: 'k8s/a.yaml', uriBaseId: '%SRCROOT%' });
    expect(at('/abs/path/a#1.yaml')).toEqual({ uri: 'file:///abs/path/a%231.yaml' });
    expect(at('C:\\repo\\a.yaml')).toEqual({ uri: 'file:///C:/repo/a.yaml' });
    expect(at('<stdin>')).toBeUndefined();
  });
});
