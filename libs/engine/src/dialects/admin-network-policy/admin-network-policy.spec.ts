// The policy.networking.k8s.io dialect: API-server validation (located issues with codes) and the tiered
// semantics through both engine paths (the factorised analysis behind `list`, the per-pair trace behind eval).
import { describe, expect, it } from 'vitest';
import { analyze } from '../../analysis/analyze.js';
import { connectivity } from '../../analysis/connectivity.js';
import { evaluate } from '../../analysis/evaluate.js';
import { parseManifests } from '../../manifest/parse-manifests.js';
import { buildSnapshot } from '../../model/snapshot.js';
import { connString } from '../../output/conn-string.js';

const parse = (text: string) => parseManifests([{ path: 'in.yaml', text }]);
const errors = (text: string) => parse(text).issues.filter((i) => i.severity === 'error').map((i) => ({ code: i.code, path: i.path }));

const anp = (spec: string, name = 'p') => `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata:\n  name: ${name}\nspec:\n${spec}`;
const SUBJECT = '  subject:\n    namespaces: {}\n';

describe('validation (API server rules)', () => {
  it('accepts a valid AdminNetworkPolicy without issues', () => {
    const text = anp(`  priority: 5\n${SUBJECT}  egress:\n  - name: r\n    action: Deny\n    to:\n    - networks: ["10.0.0.0/8", "fd00::/8"]\n    ports:\n    - portNumber: {protocol: UDP, port: 53}\n    - portRange: {protocol: TCP, start: 80, end: 90}\n    - namedPort: http\n`);
    expect(parse(text).issues).toEqual([]);
  });

  it('requires priority 0–1000, a subject and a known action', () => {
    expect(errors(anp(`  priority: 1001\n${SUBJECT}`))).toEqual([{ code: 'INVALID_VALUE', path: 'spec.priority' }]);
    expect(errors(anp('  priority: 1\n'))).toEqual([{ code: 'MISSING_FIELD', path: 'spec.subject' }]);
    expect(errors(anp(`  priority: 1\n${SUBJECT}  ingress:\n  - action: Accept\n    from:\n    - namespaces: {}\n`))).toEqual([
      { code: 'INVALID_VALUE', path: 'spec.ingress[0].action' },
    ]);
  });

  it('fails closed on unknown peer and port fields, and on two fields in one entry', () => {
    expect(errors(anp(`  priority: 1\n${SUBJECT}  egress:\n  - action: Allow\n    to:\n    - fqdn: example.com\n`))).toEqual([
      { code: 'INVALID_VALUE', path: 'spec.egress[0].to[0].fqdn' },
      { code: 'MISSING_FIELD', path: 'spec.egress[0].to[0]' },
    ]);
    expect(errors(anp(`  priority: 1\n${SUBJECT}  ingress:\n  - action: Allow\n    from:\n    - namespaces: {}\n      pods: {podSelector: {}}\n`))).toEqual([
      { code: 'INVALID_VALUE', path: 'spec.ingress[0].from[0]' },
    ]);
    expect(errors(anp(`  priority: 1\n${SUBJECT}  ingress:\n  - action: Allow\n    from:\n    - networks: ["10.0.0.0/8"]\n`))).toEqual([
      { code: 'INVALID_VALUE', path: 'spec.ingress[0].from[0].networks' },
      { code: 'MISSING_FIELD', path: 'spec.ingress[0].from[0]' },
    ]);
    expect(errors(anp(`  priority: 1\n${SUBJECT}  ingress:\n  - action: Allow\n    from:\n    - namespaces: {}\n    ports:\n    - portNumber: {protocol: TCP, port: 80, endPort: 90}\n`))).toEqual([
      { code: 'INVALID_VALUE', path: 'spec.ingress[0].ports[0].portNumber.endPort' },
    ]);
  });

  it('BaselineAdminNetworkPolicy: only `default`, only Allow / Deny', () => {
    const text = `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata:\n  name: other\nspec:\n${SUBJECT}  ingress:\n  - action: Pass\n    from:\n    - namespaces: {}\n`;
    expect(errors(text)).toEqual([
      { code: 'INVALID_VALUE', path: 'metadata.name' },
      { code: 'INVALID_VALUE', path: 'spec.ingress[0].action' },
    ]);
  });

  it('ClusterNetworkPolicy: tier Admin / Baseline, protocols, domainNames with Accept only', () => {
    const cnp = (spec: string) => `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata:\n  name: c\nspec:\n  priority: 3\n${SUBJECT}${spec}`;
    expect(errors(cnp('  tier: Admin\n  egress:\n  - action: Accept\n    to:\n    - domainNames: ["*.example.com"]\n    protocols:\n    - tcp: {destinationPort: {range: {start: 80, end: 81}}}\n    - destinationNamedPort: dns\n'))).toEqual([]);
    expect(errors(cnp('  tier: Middle\n'))).toEqual([{ code: 'INVALID_VALUE', path: 'spec.tier' }]);
    expect(errors(cnp('  tier: Admin\n  egress:\n  - action: Deny\n    to:\n    - domainNames: ["example.com"]\n'))).toEqual([
      { code: 'INVALID_VALUE', path: 'spec.egress[0].to[0].domainNames' },
    ]);
    expect(errors(cnp('  tier: Admin\n  egress:\n  - action: Deny\n    to:\n    - namespaces: {}\n    protocols:\n    - tcp: {destinationPort: {number: 80}, sourcePort: {number: 1}}\n'))).toEqual([
      { code: 'INVALID_VALUE', path: 'spec.egress[0].protocols[0].tcp.sourcePort' },
    ]);
  });
});

const PODS = ['a', 'b']
  .map((ns) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${ns}\n  namespace: ${ns}\nspec:\n  containers:\n  - name: c\n    ports:\n    - {name: web, containerPort: 8080}\n`)
  .join('---\n');
const toB = (action: string, ports = '') => `  - action: ${action}\n    to:\n    - namespaces: {matchLabels: {kubernetes.io/metadata.name: b}}\n${ports}`;
const policy = (kind: string, name: string, priority: number | undefined, rules: string) =>
  `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: ${kind}\nmetadata:\n  name: ${name}\nspec:\n${priority === undefined ? '' : `  priority: ${priority}\n`}  subject:\n    namespaces: {matchLabels: {kubernetes.io/metadata.name: a}}\n  egress:\n${rules}`;

/** a → b as the factorised analysis sees it, and the trace's verdict on TCP 8080 / 9090. */
function aToB(...docs: string[]) {
  const parsed = parse([PODS, ...docs].join('---\n'));
  expect(parsed.issues.filter((i) => i.severity === 'error')).toEqual([]);
  const { snapshot } = buildSnapshot(parsed.objects);
  const row = connectivity(analyze(snapshot)).find((r) => r.src.name === 'a/a[Pod]' && r.dst.name === 'b/b[Pod]');
  const verdict = (port: number) => evaluate(snapshot, { namespace: 'a', pod: 'a' }, { namespace: 'b', pod: 'b' }, port, 'TCP').allowed;
  return { conn: row ? connString(row.conn) : 'No Connections', tcp8080: verdict(8080), tcp9090: verdict(9090) };
}

describe('tiered semantics (factorised analysis and trace agree)', () => {
  it('a lower priority number wins, whatever the rule index', () => {
    const deny = policy('AdminNetworkPolicy', 'deny-first-rule', 2, toB('Deny'));
    const allow = policy('AdminNetworkPolicy', 'allow-late-rule', 1, `${toB('Deny', '    ports:\n    - portNumber: {protocol: UDP, port: 1}\n')}${toB('Allow', '    ports:\n    - namedPort: web\n')}`);
    expect(aToB(deny, allow)).toEqual({ conn: 'TCP 8080', tcp8080: true, tcp9090: false });
  });

  it('first matching rule wins within a policy; Pass hands the port to NetworkPolicy, then the baseline', () => {
    const admin = policy('AdminNetworkPolicy', 'admin', 10, `${toB('Pass', '    ports:\n    - portNumber: {protocol: TCP, port: 8080}\n')}${toB('Allow')}`);
    const baseline = policy('BaselineAdminNetworkPolicy', 'default', undefined, toB('Deny'));
    // 8080 passed: no NetworkPolicy selects a, so the baseline denies it; every other port allowed by the ANP.
    expect(aToB(admin, baseline)).toEqual({ conn: 'SCTP 1-65535,TCP 1-8079,8081-65535,UDP 1-65535', tcp8080: false, tcp9090: true });
    const np = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np\n  namespace: a\nspec:\n  podSelector: {}\n  egress:\n  - ports:\n    - port: 8080\n';
    // With a NetworkPolicy selecting a, the passed port is decided there (allowed) and never reaches the baseline.
    expect(aToB(admin, baseline, np)).toEqual({ conn: 'All Connections', tcp8080: true, tcp9090: true });
  });

  it('ClusterNetworkPolicy tiers: Admin before NetworkPolicy, Baseline after it', () => {
    const cnp = (tier: string, action: string) =>
      `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata:\n  name: ${tier.toLowerCase()}\nspec:\n  tier: ${tier}\n  priority: 1\n  subject:\n    namespaces: {matchLabels: {kubernetes.io/metadata.name: a}}\n  egress:\n${toB(action, '    protocols:\n    - tcp: {destinationPort: {number: 9090}}\n')}`;
    expect(aToB(cnp('Baseline', 'Deny'))).toMatchObject({ tcp8080: true, tcp9090: false });
    expect(aToB(cnp('Admin', 'Accept'), cnp('Baseline', 'Deny'))).toMatchObject({ tcp8080: true, tcp9090: true });
  });
});

describe('caveats', () => {
  it('a node peer is named on the verdicts of the pods its policy can select, and nowhere else', () => {
    const nodes = policy('AdminNetworkPolicy', 'to-nodes', 1, '  - action: Deny\n    to:\n    - nodes: {matchLabels: {role: infra}}\n');
    const parsed = parse([PODS, nodes].join('---\n'));
    const { snapshot } = buildSnapshot(parsed.objects);
    const fromA = evaluate(snapshot, { namespace: 'a', pod: 'a' }, { namespace: 'b', pod: 'b' }, 80, 'TCP');
    expect(fromA.allowed).toBe(true);
    expect(fromA.caveats).toMatchObject([{ code: 'UNMODELLED_PEER', kind: 'AdminNetworkPolicy', name: 'to-nodes' }]);
    expect(fromA.caveats[0]!.message).toContain('spec.egress[0].to[0].nodes');
    expect(evaluate(snapshot, { namespace: 'b', pod: 'b' }, { namespace: 'b', pod: 'b' }, 80, 'TCP').caveats).toEqual([]);
  });
});

describe('Nodes, host-network pods and networks (both engine paths)', () => {
  const NODES = ['n0:172.18.0.10:linux', 'n1:172.18.0.11:windows']
    .map((n) => n.split(':'))
    .map(([name, ip, os]) => `apiVersion: v1\nkind: Node\nmetadata:\n  name: ${name}\n  labels: {kubernetes.io/os: ${os}}\nstatus:\n  addresses:\n  - {type: InternalIP, address: ${ip}}\n  - {type: Hostname, address: ${name}}\n`)
    .join('---\n');
  const pod = (ns: string, name: string, extra: string, status: string) =>
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n${extra}  containers:\n  - name: c\n    ports:\n    - {name: web, containerPort: 8080}\nstatus:\n${status}`;
  const CLIENT = pod('a', 'a', '', '  podIP: 10.244.1.10\n');
  const SERVER = pod('b', 'b', '', '  podIP: 10.244.2.10\n');
  // A host-network pod with no podIP: its node's address.
  const HOST = pod('h', 'h', '  hostNetwork: true\n  nodeName: n0\n', '  phase: Running\n');
  const denyTo = (peer: string) => policy('AdminNetworkPolicy', 'deny', 5, `  - action: Deny\n    to:\n    - ${peer}\n`);

  function build(...docs: string[]) {
    const parsed = parse(docs.join('---\n'));
    expect(parsed.issues.filter((i) => i.severity === 'error')).toEqual([]);
    return buildSnapshot(parsed.objects).snapshot;
  }
  const conn = (snapshot: ReturnType<typeof build>, src: string, dst: string) =>
    connectivity(analyze(snapshot)).find((r) => r.src.name === src && r.dst.name === dst);

  it('reads Nodes (InternalIP / ExternalIP) and gives a host-network pod its node address', () => {
    const snapshot = build(NODES, HOST);
    expect([...snapshot.nodes.values()].map((n) => [n.name, n.ips])).toEqual([['n0', ['172.18.0.10']], ['n1', ['172.18.0.11']]]);
    expect(snapshot.workloads[0].pods[0].ips).toEqual(['172.18.0.10']);
  });

  it('rejects a Node address that is not an IP, at its field path', () => {
    const bad = 'apiVersion: v1\nkind: Node\nmetadata:\n  name: node-x\nstatus:\n  addresses:\n  - {type: InternalIP, address: 10.0.0.300}\n';
    expect(errors(bad)).toEqual([{ code: 'INVALID_VALUE', path: 'status.addresses[0].address' }]);
  });

  it('a nodes peer matches the selected nodes\' IPs and their host-network pods, not other pods or nodes', () => {
    const snapshot = build(NODES, CLIENT, SERVER, HOST, denyTo('nodes: {matchLabels: {kubernetes.io/os: linux}}'));
    const verdict = (to: { ip: string } | { namespace: string; pod: string }) => evaluate(snapshot, { namespace: 'a', pod: 'a' }, to, 8080, 'TCP');
    expect(verdict({ ip: '172.18.0.10' }).allowed).toBe(false);
    expect(verdict({ ip: '172.18.0.10' }).caveats).toEqual([]);
    expect(verdict({ ip: '172.18.0.11' }).allowed).toBe(true);
    expect(verdict({ namespace: 'h', pod: 'h' }).allowed).toBe(false);
    expect(verdict({ namespace: 'b', pod: 'b' }).allowed).toBe(true);
    // The factorised analysis agrees: the host-network pod is denied, the other pod allowed.
    expect(conn(snapshot, 'a/a[Pod]', 'h/h[Pod]')).toBeUndefined();
    expect(connString(conn(snapshot, 'a/a[Pod]', 'b/b[Pod]')!.conn)).toBe('All Connections');
  });

  it('without Nodes in the snapshot a nodes peer stays a caveat', () => {
    const snapshot = build(CLIENT, SERVER, denyTo('nodes: {matchLabels: {kubernetes.io/os: linux}}'));
    expect(evaluate(snapshot, { namespace: 'a', pod: 'a' }, { namespace: 'b', pod: 'b' }, 8080, 'TCP').caveats).toMatchObject([{ code: 'UNMODELLED_PEER' }]);
  });

  it('networks match pod IPs (unlike a NetworkPolicy ipBlock under the default options)', () => {
    const snapshot = build(CLIENT, SERVER, denyTo('networks: ["10.244.2.0/24"]'));
    expect(evaluate(snapshot, { namespace: 'a', pod: 'a' }, { namespace: 'b', pod: 'b' }, 8080, 'TCP').allowed).toBe(false);
    expect(conn(snapshot, 'a/a[Pod]', 'b/b[Pod]')).toBeUndefined();
    const np = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np\n  namespace: a\nspec:\n  podSelector: {}\n  egress:\n  - to:\n    - ipBlock: {cidr: 10.244.2.0/24}\n';
    const withNp = build(CLIENT, SERVER, np);
    expect(evaluate(withNp, { namespace: 'a', pod: 'a' }, { namespace: 'b', pod: 'b' }, 8080, 'TCP').allowed).toBe(false);
  });

  it('eval takes an IP at both ends when one of them is a node', () => {
    const snapshot = build(NODES, CLIENT);
    expect(evaluate(snapshot, { ip: '172.18.0.10' }, { ip: '172.18.0.11' }, 22, 'TCP').allowed).toBe(true);
    expect(() => evaluate(snapshot, { ip: '192.0.2.1' }, { ip: '192.0.2.2' }, 22, 'TCP')).toThrow(/neither is a node/);
  });
});

describe('explanations (eval --explain wording)', () => {
  it('name the policy, its priority, the rule path and name, and show a pass as a step', async () => {
    const { connectionExplanationLines, explainConnection } = await import('../../explain/index.js');
    const admin = policy('AdminNetworkPolicy', 'admin', 10, `  - name: pass-web\n    action: Pass\n    to:\n    - namespaces: {matchLabels: {kubernetes.io/metadata.name: b}}\n    ports:\n    - portNumber: {protocol: TCP, port: 8080}\n`);
    const baseline = policy('BaselineAdminNetworkPolicy', 'default', undefined, `  - name: deny-b\n    action: Deny\n    to:\n    - namespaces: {matchLabels: {kubernetes.io/metadata.name: b}}\n`);
    const { snapshot } = buildSnapshot(parse([PODS, admin, baseline].join('---\n')).objects);
    const lines = connectionExplanationLines(explainConnection(snapshot, { namespace: 'a', pod: 'a' }, { namespace: 'b', pod: 'b' }, 8080, 'TCP'));
    expect(lines).toEqual([
      'Denied TCP 8080 due to the following policies and rules:',
      '\tEgress (Denied)',
      "\t\tAdminNetworkPolicy 'admin' (priority 10) passes connections by spec.egress[0] (pass-web)",
      "\t\tBaselineAdminNetworkPolicy 'default' denies connections by spec.egress[0] (deny-b)",
      '\tIngress (Allowed) due to the system default (Allow all)',
    ]);
  });
});

describe('equal priorities', () => {
  it('warns on each of two AdminNetworkPolicies with one priority, not across kinds or tiers', () => {
    const one = policy('AdminNetworkPolicy', 'one', 5, toB('Deny'));
    const two = policy('AdminNetworkPolicy', 'two', 5, toB('Allow'));
    const three = policy('AdminNetworkPolicy', 'three', 6, toB('Allow'));
    const cnp = (name: string, tier: string) =>
      `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata:\n  name: ${name}\nspec:\n  tier: ${tier}\n  priority: 5\n  subject:\n    namespaces: {}\n  egress:\n${toB('Deny')}`;
    const parsed = parse([PODS, one, two, three, cnp('c-admin', 'Admin'), cnp('c-baseline', 'Baseline')].join('---\n'));
    const { issues } = buildSnapshot(parsed.objects);
    const warnings = issues.filter((i) => i.code === 'EQUAL_PRIORITY');
    expect(warnings.map((w) => [w.severity, w.path, w.message.split(' has ')[0]])).toEqual([
      ['warning', 'spec.priority', 'AdminNetworkPolicy one'],
      ['warning', 'spec.priority', 'AdminNetworkPolicy two'],
    ]);
    expect(warnings[0].message).toContain('like two in the admin tier');
    expect(warnings[0].document).toBeGreaterThan(0);
  });
});
