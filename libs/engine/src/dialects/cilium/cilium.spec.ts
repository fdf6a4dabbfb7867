// The cilium.io/v2 dialect: CRD validation (located issues with codes), and Cilium's semantics through both engine
// paths (the factorised analysis behind `list`, the per-pair trace behind `eval`), under the CNI profiles.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../analysis/analyze.js';
import { connectivity } from '../../analysis/connectivity.js';
import { evaluate } from '../../analysis/evaluate.js';
import type { CniProfileName } from '../../cni-profiles/profiles.js';
import { parseManifests } from '../../manifest/parse-manifests.js';
import { buildSnapshot } from '../../model/snapshot.js';
import { connString } from '../../output/conn-string.js';

const parse = (text: string) => parseManifests([{ path: 'in.yaml', text }]);
const errors = (text: string) => parse(text).issues.filter((i) => i.severity === 'error').map((i) => ({ code: i.code, path: i.path }));
const cnp = (spec: string, name = 'p', namespace = 'a') =>
  `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n${spec}`;
const ccnp = (spec: string, name = 'c') => `apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata:\n  name: ${name}\nspec:\n${spec}`;

describe('validation (the CRD schema and values)', () => {
  it('accepts a policy using every modelled field without issues', () => {
    const text = cnp(
      '  endpointSelector: {matchLabels: {"k8s:app": web}}\n  enableDefaultDeny: {ingress: true, egress: false}\n' +
        '  ingress:\n  - fromEndpoints: [{matchExpressions: [{key: io.kubernetes.pod.namespace, operator: In, values: [b]}]}]\n' +
        '    toPorts:\n    - ports: [{port: "80", protocol: TCP}, {port: "8000", endPort: 8100, protocol: ANY}]\n      rules:\n        http: [{method: GET, path: "/api/.*", headers: ["X-Token: a"]}]\n' +
        '  ingressDeny:\n  - fromEntities: [world]\n  - fromCIDRSet: [{cidr: 10.0.0.0/8, except: [10.1.0.0/16]}, {cidrGroupRef: office}]\n' +
        '  egress:\n  - toFQDNs: [{matchName: example.com}]\n  - toServices: [{k8sService: {serviceName: s, namespace: b}}]\n  - icmps: [{fields: [{type: 8, family: IPv4}]}]\n',
    );
    expect(parse(text).issues).toEqual([]);
  });

  it('names unknown fields (with the close one) and fails closed on L7 rules in a deny rule', () => {
    expect(parse(cnp('  endpointSelector: {}\n  ingress:\n  - fromEndpoint: [{}]\n')).issues).toMatchObject([
      { code: 'UNKNOWN_FIELD', path: 'spec.ingress[0].fromEndpoint', message: expect.stringContaining('fromEndpoints') },
    ]);
    expect(errors(cnp('  endpointSelector: {}\n  ingressDeny:\n  - toPorts:\n    - ports: [{port: "80"}]\n      rules: {http: [{method: GET}]}\n'))).toEqual([
      { code: 'UNKNOWN_FIELD', path: 'spec.ingressDeny[0].toPorts[0].rules' },
    ]);
  });

  it('checks subjects, entities, CIDRs, ports and protocols', () => {
    expect(errors(cnp('  ingress: []\n'))).toEqual([{ code: 'MISSING_FIELD', path: 'spec' }]);
    expect(errors(cnp('  nodeSelector: {}\n'))).toEqual([{ code: 'INVALID_VALUE', path: 'spec.nodeSelector' }]);
    expect(errors(ccnp('  nodeSelector: {}\n'))).toEqual([]);
    expect(
      errors(
        cnp(
          '  endpointSelector: {}\n  egress:\n  - toEntities: [everywhere]\n    toCIDR: [10.0.0.0/33]\n    toPorts:\n    - ports: [{port: "90", endPort: 80, protocol: ICMP}]\n',
        ),
      ),
    ).toEqual([
      { code: 'INVALID_VALUE', path: 'spec.egress[0].toCIDR[0]' },
      { code: 'INVALID_VALUE', path: 'spec.egress[0].toEntities[0]' },
      { code: 'INVALID_VALUE', path: 'spec.egress[0].toPorts[0].ports[0].endPort' },
      { code: 'INVALID_VALUE', path: 'spec.egress[0].toPorts[0].ports[0].protocol' },
    ]);
  });
});

const POD = (ns: string, name: string, labels: string, extra = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n  labels: {${labels}}\nspec:\n${extra}  containers:\n  - name: c\n    ports:\n    - {name: web, containerPort: 8080}\nstatus:\n  podIP: 10.0.${ns === 'a' ? 1 : 2}.1\n`;
const PODS = [
  POD('a', 'client', 'app: client', '  serviceAccountName: robot\n'),
  POD('b', 'server', 'app: server'),
  'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n  labels: {team: blue}\n',
].join('---\n');

/** client → server as the factorised analysis sees it (must agree with the trace), and the trace's verdicts. */
function clientToServer(docs: readonly string[], cni?: CniProfileName) {
  const parsed = parse([PODS, ...docs].join('---\n'));
  expect(parsed.issues.filter((i) => i.severity === 'error')).toEqual([]);
  const { snapshot } = buildSnapshot(parsed.objects, cni ? { cni } : {});
  const row = connectivity(analyze(snapshot)).find((r) => r.src.name === 'a/client[Pod]' && r.dst.name === 'b/server[Pod]');
  const conn = row ? connString(row.conn) : 'No Connections';
  const verdict = (port: number, protocol: 'TCP' | 'UDP' = 'TCP') => evaluate(snapshot, { namespace: 'a', pod: 'client' }, { namespace: 'b', pod: 'server' }, port, protocol);
  return { conn, tcp80: verdict(80).allowed, tcp8080: verdict(8080).allowed, verdict, snapshot };
}

const SERVER = '  endpointSelector: {matchLabels: {app: server}}\n';
const inB = (spec: string, name = 'p') => cnp(spec, name, 'b');

describe('Cilium semantics (factorised analysis and trace agree)', () => {
  it('a deny rule of one policy wins over an allow of another, whatever the policy order', () => {
    const allow = inB(`${SERVER}  ingress:\n  - fromEndpoints: [{matchLabels: {io.kubernetes.pod.namespace: a}}]\n`, 'a-allow');
    const deny = inB(`${SERVER}  ingressDeny:\n  - fromEntities: [all]\n    toPorts: [{ports: [{port: "80", protocol: TCP}]}]\n`, 'z-deny');
    expect(clientToServer([allow, deny])).toMatchObject({ conn: 'SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535', tcp80: false, tcp8080: true });
    // The explanation names the deny rule, its path and action; the allow it overtook is not credited.
    const ingress = clientToServer([allow, deny]).verdict(80).explanation.ingress;
    expect(ingress).toMatchObject({ allowed: false, allowedBy: [], denials: [{ policy: 'z-deny', namespace: 'b', rule: 'spec.ingressDeny[0]', reason: 'denied-by-rule' }] });
    expect(clientToServer([allow, deny]).verdict(80).explanation.summary).toContain('ingress: denied by b/z-deny spec.ingressDeny[0] (action deny)');
  });

  it('a deny-only policy isolates its direction; an empty rule isolates and allows nothing', () => {
    expect(clientToServer([inB(`${SERVER}  ingressDeny:\n  - fromEntities: [world]\n`)])).toMatchObject({ conn: 'No Connections', tcp80: false });
    expect(clientToServer([cnp('  endpointSelector: {}\n  egress:\n  - {}\n')])).toMatchObject({ conn: 'No Connections', tcp8080: false });
  });

  it('an L4-only rule admits every peer; enableDefaultDeny: false applies the rules without isolating', () => {
    expect(clientToServer([inB(`${SERVER}  ingress:\n  - toPorts: [{ports: [{port: "8080", protocol: TCP}]}]\n`)])).toMatchObject({ conn: 'TCP 8080', tcp80: false });
    const noDefaultDeny = `${SERVER}  enableDefaultDeny: {ingress: false}\n  ingress:\n  - toPorts: [{ports: [{port: "8080"}]}]\n  ingressDeny:\n  - toPorts: [{ports: [{port: "80"}]}]\n`;
    expect(clientToServer([inB(noDefaultDeny)])).toMatchObject({ conn: 'SCTP 1-79,81-65535,TCP 1-79,81-65535,UDP 1-79,81-65535', tcp80: false, tcp8080: true });
  });

  it("confines a namespaced policy's selectors to its namespace unless they name io.kubernetes.pod.namespace", () => {
    const sameNs = inB(`${SERVER}  ingress:\n  - fromEndpoints: [{matchLabels: {app: client}}]\n`);
    expect(clientToServer([sameNs])).toMatchObject({ conn: 'No Connections' });
    const byNsLabel = inB(`${SERVER}  ingress:\n  - fromEndpoints: [{matchLabels: {"k8s:io.kubernetes.pod.namespace": a, "any:app": client}}]\n`);
    expect(clientToServer([byNsLabel])).toMatchObject({ conn: 'All Connections' });
    // A namespace label also lifts the confinement (Cilium's getEndpointSelector; issue 12 property counterexample).
    const byNamespaceLabel = inB(`${SERVER}  ingress:\n  - fromEndpoints: [{matchLabels: {"k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name": a}}]\n`);
    expect(clientToServer([byNamespaceLabel])).toMatchObject({ conn: 'All Connections' });
    // Clusterwide policies select and match in every namespace; identity labels include the service account and
    // the namespace's labels.
    const cluster = ccnp(`${SERVER}  ingress:\n  - fromEndpoints: [{matchLabels: {io.cilium.k8s.policy.serviceaccount: robot}}]\n    toPorts: [{ports: [{port: "80"}]}]\n`);
    expect(clientToServer([cluster])).toMatchObject({ conn: 'SCTP 80,TCP 80,UDP 80', tcp80: true });
    const byNamespaceLabels = ccnp('  endpointSelector: {matchLabels: {io.cilium.k8s.namespace.labels.team: blue}}\n  ingress:\n  - {}\n');
    expect(clientToServer([byNamespaceLabels])).toMatchObject({ conn: 'No Connections' });
  });

  it('CIDR rules with except and CiliumCIDRGroup references decide IP peers, never pods', () => {
    const group = 'apiVersion: cilium.io/v2alpha1\nkind: CiliumCIDRGroup\nmetadata:\n  name: office\nspec:\n  externalCIDRs: ["192.0.2.0/24"]\n';
    const policy = cnp('  endpointSelector: {}\n  egress:\n  - toCIDRSet: [{cidr: 10.0.0.0/8, except: [10.9.0.0/16]}, {cidrGroupRef: office}]\n');
    const { verdict, snapshot } = clientToServer([group, policy]);
    expect(verdict(80).allowed).toBe(false); // the server's IP 10.0.2.1 is in 10.0.0.0/8, but CIDRs match no pod
    const toIp = (ip: string) => evaluate(snapshot, { namespace: 'a', pod: 'client' }, { ip }, 443, 'TCP').allowed;
    expect([toIp('10.8.0.1'), toIp('10.9.0.1'), toIp('192.0.2.7'), toIp('8.8.8.8')]).toEqual([true, false, true, false]);
  });

  // Cilium's mutual authentication (docs: network/servicemesh/mutual-authentication): a rule with
  // `authentication.mode: required` allows only after both identities are authenticated; `disabled` (the default)
  // requires nothing. The L4 verdict stands; the requirement is named like an L7 constraint.
  it('authentication-required rule: the L4 verdict, naming the mutual-authentication requirement', () => {
    const rule = (mode: string, l7 = '') =>
      inB(`${SERVER}  ingress:\n  - fromEndpoints: [{matchLabels: {app: client, io.kubernetes.pod.namespace: a}}]\n    toPorts:\n    - ports: [{port: "8080", protocol: TCP}]\n${l7}    authentication: {mode: ${mode}}\n`);
    const cases = [
      ['required', ''],
      ['disabled', ''],
      ['required', '      rules: {http: [{method: GET, path: /}, {method: POST, path: /p}]}\n'],
    ] as const;
    const rows = cases.map(([mode, l7]) => {
      const { verdict, tcp80 } = clientToServer([rule(mode, l7)]);
      const v = verdict(8080);
      return [mode, l7 !== '', v.allowed, tcp80, /allowed: (.*) only/.exec(v.explanation.summary)?.[1] ?? null];
    });
    expect(rows).toEqual([
      ['required', false, true, false, 'mutual authentication (required)'],
      ['disabled', false, true, false, null],
      ['required', true, true, false, 'GET / with mutual authentication (required) or POST /p with mutual authentication (required)'],
    ]);
  });

  it('names the L7 constraint on an allowed verdict, and toFQDNs / toServices as caveats', () => {
    const l7 = inB(`${SERVER}  ingress:\n  - toPorts:\n    - ports: [{port: "8080", protocol: TCP}]\n      rules: {http: [{method: GET, path: "/api/.*"}]}\n`);
    const { verdict } = clientToServer([l7]);
    expect(verdict(8080).allowed).toBe(true);
    expect(verdict(8080).explanation.summary).toContain('allowed: GET /api/.* only');
    const fqdn = cnp('  endpointSelector: {}\n  egress:\n  - toFQDNs: [{matchPattern: "*.example.com"}]\n  - toServices: [{k8sService: {serviceName: s, namespace: b}}]\n');
    const checked = clientToServer([fqdn]).verdict(8080);
    expect(checked.allowed).toBe(false);
    expect(checked.caveats).toMatchObject([{ code: 'UNMODELLED_PEER', kind: 'CiliumNetworkPolicy', name: 'p' }]);
    expect(checked.caveats[0]!.message).toContain('spec.egress[0].toFQDNs[0]');
    expect(checked.caveats[0]!.message).toContain('spec.egress[1].toServices[0]');
  });
});

describe('CNI profiles', () => {
  const knp =
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: k\n  namespace: b\nspec:\n  podSelector: {}\n  ingress:\n  - from:\n    - namespaceSelector: {}\n      podSelector: {matchExpressions: [{key: io.cilium.k8s.policy.cluster, operator: Exists}]}\n';
  it("under cilium, NetworkPolicies see Cilium's identity labels; under np-guard they do not", () => {
    expect(clientToServer([knp], 'cilium')).toMatchObject({ conn: 'All Connections' });
    expect(clientToServer([knp])).toMatchObject({ conn: 'No Connections' });
    expect(clientToServer([knp]).verdict(80).cniProfile).toBe('np-guard');
    expect(clientToServer([knp], 'cilium').verdict(80).cniProfile).toBe('cilium');
  });

  it('the profile defaults to cilium when the input holds Cilium policies', () => {
    expect(clientToServer([knp, cnp('  endpointSelector: {}\n  egress:\n  - toEntities: [all]\n')]).verdict(80)).toMatchObject({ allowed: true, cniProfile: 'cilium' });
  });

  it('a plugin ignores the kinds it does not enforce, and flannel enforces none: every verdict says so', () => {
    const deny = inB(`${SERVER}  ingressDeny:\n  - fromEntities: [all]\n`);
    const underCalico = clientToServer([deny], 'calico').verdict(80);
    expect(underCalico).toMatchObject({ allowed: true, cniProfile: 'calico', caveats: [{ code: 'NOT_ENFORCED', name: 'p' }] });
    const underFlannel = clientToServer([knp], 'flannel').verdict(80);
    expect(underFlannel).toMatchObject({ allowed: true, cniProfile: 'flannel' });
    expect(underFlannel.caveats.map((c) => c.code)).toEqual(['CNI_NOT_ENFORCING', 'NOT_ENFORCED']);
    expect(underFlannel.explanation.summary).toContain('the CNI profile flannel enforces no policy');
    // Without policies the verdict still names the plugin's blindness.
    expect(clientToServer([], 'kubenet').verdict(80).caveats.map((c) => c.code)).toEqual(['CNI_NOT_ENFORCING']);
  });

  it('ipBlocks match pod IPs under calico and not under np-guard', () => {
    const ipBlock = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: k\n  namespace: b\nspec:\n  podSelector: {}\n  ingress:\n  - from:\n    - ipBlock: {cidr: 10.0.1.0/24}\n';
    expect(clientToServer([ipBlock], 'calico')).toMatchObject({ conn: 'All Connections' });
    expect(clientToServer([ipBlock])).toMatchObject({ conn: 'No Connections' });
  });
});
