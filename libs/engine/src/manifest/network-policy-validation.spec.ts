import { describe, expect, it } from 'vitest';
import { parseManifests } from './parse-manifests.js';

/** A NetworkPolicy whose spec is the given YAML (indented under `spec:`); the spec starts on line 6. */
function policy(spec: string): string {
  return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n  namespace: shop\nspec:\n${spec
    .trim()
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n')}\n`;
}

const issuesOf = (spec: string) =>
  parseManifests([{ path: 'np.yaml', text: policy(spec) }]).issues.map(({ code, path, line, severity }) => ({ code, path, line, severity }));

describe('NetworkPolicy validation (as the API server)', () => {
  it('accepts a complete valid policy', () => {
    const result = parseManifests([
      {
        path: 'np.yaml',
        text: policy(`
podSelector:
  matchLabels: {app: web}
policyTypes: [Ingress, Egress]
ingress:
- from:
  - podSelector: {}
    namespaceSelector:
      matchExpressions:
      - {key: team, operator: In, values: [a, b]}
      - {key: kubernetes.io/metadata.name, operator: Exists}
  ports:
  - {port: 80}
  - {protocol: UDP, port: 1000, endPort: 2000}
  - {protocol: SCTP, port: http-alt}
egress:
- to:
  - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16, 10.2.3.4/32]}
  - ipBlock: {cidr: "2001:db8::/32", except: ["2001:db8:1::/48"]}
- {}
`),
      },
    ]);
    expect(result.issues).toEqual([]);
    expect(result.objects).toHaveLength(1);
  });

  it('accepts an empty spec (selects every pod, denies ingress)', () => {
    expect(parseManifests([{ path: 'a.yaml', text: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n' }]).issues).toEqual([]);
  });

  it('requires a peer to name at least one of podSelector, namespaceSelector, ipBlock', () => {
    expect(issuesOf('ingress:\n- from:\n  - {}\n')).toEqual([
      { code: 'MISSING_FIELD', path: 'spec.ingress[0].from[0]', line: 9, severity: 'error' },
    ]);
  });

  it('forbids ipBlock together with another peer kind', () => {
    expect(issuesOf('egress:\n- to:\n  - ipBlock: {cidr: 10.0.0.0/8}\n    podSelector: {}\n')).toEqual([
      { code: 'INVALID_VALUE', path: 'spec.egress[0].to[0]', line: 9, severity: 'error' },
    ]);
  });

  it('requires ipBlock.cidr', () => {
    expect(issuesOf('egress:\n- to:\n  - ipBlock: {except: [10.0.0.0/24]}\n')).toMatchObject([
      { code: 'MISSING_FIELD', path: 'spec.egress[0].to[0].ipBlock.cidr' },
    ]);
  });

  it.each(['10.0.0.0/33', '10.0.0/8', 'banana', '10.0.0.0', '2001:db8::/129'])('rejects the cidr %s', (cidr) => {
    expect(issuesOf(`egress:\n- to:\n  - ipBlock: {cidr: "${cidr}"}\n`)).toEqual([
      { code: 'INVALID_VALUE', path: 'spec.egress[0].to[0].ipBlock.cidr', line: 9, severity: 'error' },
    ]);
  });

  it('requires each except strictly inside cidr (0-based path, its own line)', () => {
    const spec = 'egress:\n- to:\n  - ipBlock:\n      cidr: 10.0.0.0/16\n      except:\n      - 10.0.1.0/24\n      - 10.0.0.0/16\n      - 10.1.0.0/24\n      - 10.0.0.0/8\n';
    expect(issuesOf(spec)).toEqual([
      { code: 'INVALID_VALUE', path: 'spec.egress[0].to[0].ipBlock.except[1]', line: 13, severity: 'error' },
      { code: 'INVALID_VALUE', path: 'spec.egress[0].to[0].ipBlock.except[2]', line: 14, severity: 'error' },
      { code: 'INVALID_VALUE', path: 'spec.egress[0].to[0].ipBlock.except[3]', line: 15, severity: 'error' },
    ]);
  });

  it('rejects an except of the other IP family', () => {
    expect(issuesOf('egress:\n- to:\n  - ipBlock: {cidr: 10.0.0.0/8, except: ["2001:db8::/64"]}\n')).toMatchObject([
      { code: 'INVALID_VALUE', path: 'spec.egress[0].to[0].ipBlock.except[0]' },
    ]);
  });

  it('locates a bad except in the second egress rule as the issue text says', () => {
    const spec = 'egress:\n- {}\n- to:\n  - ipBlock: {cidr: 10.0.0.0/8, except: [11.0.0.0/16]}\n';
    expect(issuesOf(spec)).toMatchObject([{ path: 'spec.egress[1].to[0].ipBlock.except[0]', line: 10 }]);
  });

  it.each(['tcp', 'ICMP', 'HTTP'])('rejects the protocol %s', (protocol) => {
    expect(issuesOf(`ingress:\n- ports:\n  - {protocol: ${protocol}, port: 80}\n`)).toEqual([
      { code: 'INVALID_VALUE', path: 'spec.ingress[0].ports[0].protocol', line: 9, severity: 'error' },
    ]);
  });

  it.each([0, 65536, -1])('rejects the port number %s', (port) => {
    expect(issuesOf(`ingress:\n- ports:\n  - port: ${port}\n`)).toMatchObject([{ code: 'INVALID_VALUE', path: 'spec.ingress[0].ports[0].port' }]);
  });

  it.each(['HTTP', 'a-very-long-port-name', 'web--port', '-web', 'web-', '', '1234', 'web_port'])(
    'rejects the port name "%s"',
    (name) => {
      expect(issuesOf(`ingress:\n- ports:\n  - port: "${name}"\n`)).toEqual([
        { code: 'INVALID_VALUE', path: 'spec.ingress[0].ports[0].port', line: 9, severity: 'error' },
      ]);
    },
  );

  it.each(['http', 'metrics-1', 'a', 'dns-tcp', 'x123456789abcde', '8080x8'])('accepts the port name %s', (name) => {
    expect(issuesOf(`ingress:\n- ports:\n  - port: ${name}\n`)).toEqual([]);
  });

  it('rejects a fractional port', () => {
    expect(issuesOf('ingress:\n- ports:\n  - port: 80.5\n')).toMatchObject([{ code: 'WRONG_TYPE', path: 'spec.ingress[0].ports[0].port' }]);
  });

  it('rejects endPort without port', () => {
    expect(issuesOf('ingress:\n- ports:\n  - endPort: 90\n')).toEqual([
      { code: 'INVALID_VALUE', path: 'spec.ingress[0].ports[0].endPort', line: 9, severity: 'error' },
    ]);
  });

  it('rejects endPort with a named port', () => {
    expect(issuesOf('ingress:\n- ports:\n  - {port: http, endPort: 90}\n')).toMatchObject([
      { code: 'INVALID_VALUE', path: 'spec.ingress[0].ports[0].endPort' },
    ]);
  });

  it('rejects endPort below port', () => {
    expect(issuesOf('ingress:\n- ports:\n  - port: 100\n    endPort: 90\n')).toEqual([
      { code: 'INVALID_VALUE', path: 'spec.ingress[0].ports[0].endPort', line: 10, severity: 'error' },
    ]);
  });

  it('rejects endPort above 65535', () => {
    expect(issuesOf('ingress:\n- ports:\n  - {port: 100, endPort: 70000}\n')).toMatchObject([
      { code: 'INVALID_VALUE', path: 'spec.ingress[0].ports[0].endPort' },
    ]);
  });

  it('accepts endPort equal to port', () => {
    expect(issuesOf('ingress:\n- ports:\n  - {port: 100, endPort: 100}\n')).toEqual([]);
  });

  it('rejects more than two policyTypes', () => {
    expect(issuesOf('policyTypes: [Ingress, Egress, Ingress]\n')).toEqual([
      { code: 'INVALID_VALUE', path: 'spec.policyTypes', line: 7, severity: 'error' },
    ]);
  });

  it('rejects an unknown policy type', () => {
    expect(issuesOf('policyTypes:\n- ingress\n')).toEqual([{ code: 'INVALID_VALUE', path: 'spec.policyTypes[0]', line: 8, severity: 'error' }]);
  });

  it('accepts a repeated policy type, as the API server does', () => {
    expect(issuesOf('policyTypes:\n- Egress\n- Egress\n')).toEqual([]);
  });

  it('requires values for In and NotIn', () => {
    expect(issuesOf('podSelector:\n  matchExpressions:\n  - {key: a, operator: NotIn, values: []}\n')).toMatchObject([
      { code: 'MISSING_FIELD', path: 'spec.podSelector.matchExpressions[0].values' },
    ]);
  });

  it('forbids values for Exists and DoesNotExist', () => {
    expect(issuesOf('podSelector:\n  matchExpressions:\n  - {key: a, operator: DoesNotExist, values: [x]}\n')).toMatchObject([
      { code: 'INVALID_VALUE', path: 'spec.podSelector.matchExpressions[0].values' },
    ]);
  });

  it('rejects an unknown selector operator', () => {
    expect(issuesOf('podSelector:\n  matchExpressions:\n  - {key: a, operator: Equals, values: [x]}\n')).toMatchObject([
      { code: 'INVALID_VALUE', path: 'spec.podSelector.matchExpressions[0].operator' },
    ]);
  });

  it('requires key and operator in a selector requirement', () => {
    expect(issuesOf('podSelector:\n  matchExpressions:\n  - {values: [x]}\n').map((i) => [i.code, i.path])).toEqual([
      ['MISSING_FIELD', 'spec.podSelector.matchExpressions[0].key'],
      ['MISSING_FIELD', 'spec.podSelector.matchExpressions[0].operator'],
    ]);
  });

  it.each(['-bad', 'a/b/c', 'Bad_Prefix!/x', `${'k'.repeat(64)}`, 'example.com/'])('rejects the label key %s', (key) => {
    expect(issuesOf(`podSelector:\n  matchLabels:\n    "${key}": x\n`)).toMatchObject([{ code: 'INVALID_VALUE', line: 9 }]);
  });

  it.each(['app.kubernetes.io/name', 'example.com/tier', 'a', 'A_b.c-d'])('accepts the label key %s', (key) => {
    expect(issuesOf(`podSelector:\n  matchLabels:\n    ${key}: x\n`)).toEqual([]);
  });

  it.each(['-x', 'x-', 'has space', `${'v'.repeat(64)}`])('rejects the label value %s in matchLabels and in values', (value) => {
    expect(issuesOf(`podSelector:\n  matchLabels:\n    k: "${value}"\n`)).toMatchObject([{ code: 'INVALID_VALUE', path: 'spec.podSelector.matchLabels.k' }]);
    expect(issuesOf(`podSelector:\n  matchExpressions:\n  - {key: k, operator: In, values: ["${value}"]}\n`)).toMatchObject([
      { code: 'INVALID_VALUE', path: 'spec.podSelector.matchExpressions[0].values[0]' },
    ]);
  });

  it('accepts an empty label value', () => {
    expect(issuesOf('podSelector:\n  matchLabels:\n    k: ""\n')).toEqual([]);
  });

  it('rejects wrong shapes with paths', () => {
    expect(issuesOf('ingress: {}\negress:\n- to: x\n- ports: [80]\n')).toEqual([
      { code: 'WRONG_TYPE', path: 'spec.ingress', line: 7, severity: 'error' },
      { code: 'WRONG_TYPE', path: 'spec.egress[0].to', line: 9, severity: 'error' },
      { code: 'WRONG_TYPE', path: 'spec.egress[1].ports[0]', line: 10, severity: 'error' },
    ]);
  });

  it('leaves an invalid policy out of objects', () => {
    const result = parseManifests([{ path: 'np.yaml', text: policy('policyTypes: [Sideways]') }]);
    expect(result.objects).toEqual([]);
  });
});
