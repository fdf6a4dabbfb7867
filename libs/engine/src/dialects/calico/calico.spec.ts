// The Calico dialect: validation (located issues with codes) and the tiered semantics through the per-pair trace
// (eval): tier order and defaultAction, policy order (unset last), first match with Allow / Deny / Pass / Log,
// end-of-tier deny for selected endpoints, Kubernetes NetworkPolicies in the default tier at order 1000, ICMP,
// staged policies and host endpoints as caveats.
import { describe, expect, it } from 'vitest';
import { evaluate, evaluateIcmp } from '../../analysis/evaluate.js';
import { parseManifests } from '../../manifest/parse-manifests.js';
import { buildSnapshot } from '../../model/snapshot.js';
import { neutralTierOrder } from './compile.js';

const parse = (text: string) => parseManifests([{ path: 'in.yaml', text }]);
const errors = (text: string) => parse(text).issues.filter((i) => i.severity === 'error').map((i) => ({ code: i.code, path: i.path }));

const PODS = [
  ['a', 'client', '10.0.0.1', 'client'],
  ['b', 'server', '10.0.0.2', 'server'],
]
  .map(([ns, name, ip, app]) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${ns}, labels: {app: ${app}}}\nspec: {containers: [{name: c, ports: [{name: web, containerPort: 8080}]}]}\nstatus: {podIP: ${ip}}\n`)
  .join('---\n');
const NAMESPACES = ['a', 'b'].map((ns) => `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}, labels: {team: ${ns}}}\n`).join('---\n');

const gnp = (name: string, spec: string) => `apiVersion: projectcalico.org/v3\nkind: GlobalNetworkPolicy\nmetadata: {name: ${name}}\nspec:\n${spec}`;
const tier = (name: string, order: number, defaultAction?: string) =>
  `apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: ${name}}\nspec: {order: ${order}${defaultAction ? `, defaultAction: ${defaultAction}` : ''}}\n`;
const knp = (name: string, spec: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: b}\nspec:\n${spec}`;
const INGRESS_SERVER = `  selector: app == 'server'\n  types: [Ingress]\n`;

function verdicts(...docs: string[]) {
  const parsed = parse([NAMESPACES, PODS, ...docs].join('---\n'));
  expect(parsed.issues.filter((i) => i.severity === 'error')).toEqual([]);
  const { snapshot } = buildSnapshot(parsed.objects);
  const tcp = (port: number) => (evaluate(snapshot, { namespace: 'a', pod: 'client' }, { namespace: 'b', pod: 'server' }, port, 'TCP').allowed ? 'allowed' : 'denied');
  const ping = evaluateIcmp(snapshot, { namespace: 'a', pod: 'client' }, { namespace: 'b', pod: 'server' });
  return { tcp8080: tcp(8080), tcp9090: tcp(9090), ping: ping.allowed ? 'allowed' : 'denied', caveats: ping.caveats.map((c) => c.code) };
}

describe('Calico validation', () => {
  it('accepts a valid GlobalNetworkPolicy', () => {
    const text = gnp('p', `${INGRESS_SERVER}  order: 10\n  ingress:\n  - action: Allow\n    protocol: TCP\n    source: {selector: "app == 'client'", namespaceSelector: all(), nets: [10.0.0.0/8], notNets: [10.9.0.0/16]}\n    destination: {ports: [8080, "9000:9100", web], notPorts: [9050]}\n  - action: Deny\n    protocol: ICMP\n    icmp: {type: 8, code: 0}\n`);
    expect(parse(text).issues).toEqual([]);
  });
  it('refuses unknown fields, bad selectors (located), actions, protocols and ports without a port protocol', () => {
    expect(errors(gnp('p', `${INGRESS_SERVER}  ingress:\n  - action: Allow\n    source: {notNet: [10.0.0.0/8]}\n`))).toEqual([{ code: 'UNKNOWN_FIELD', path: 'spec.ingress[0].source.notNet' }]);
    const bad = parse(gnp('p', `  selector: app == 'server' &&\n`)).issues.filter((i) => i.severity === 'error');
    expect(bad.map((i) => [i.code, i.path])).toEqual([['INVALID_VALUE', 'spec.selector']]);
    expect(bad[0].message).toContain('column 19');
    expect(errors(gnp('p', `${INGRESS_SERVER}  ingress:\n  - action: Accept\n`))).toEqual([{ code: 'INVALID_VALUE', path: 'spec.ingress[0].action' }]);
    expect(errors(gnp('p', `${INGRESS_SERVER}  ingress:\n  - action: Allow\n    protocol: BOGUS\n`))).toEqual([{ code: 'INVALID_VALUE', path: 'spec.ingress[0].protocol' }]);
    expect(errors(gnp('p', `${INGRESS_SERVER}  ingress:\n  - action: Allow\n    destination: {ports: [80]}\n`))).toEqual([{ code: 'INVALID_VALUE', path: 'spec.ingress[0].destination.ports' }]);
  });
});

describe('Calico decision truth table (client a → server b)', () => {
  it.each([
    ['no policy: default allow', [], ['allowed', 'allowed', 'allowed']],
    ['selected, no rule: end-of-tier deny', [gnp('p', INGRESS_SERVER)], ['denied', 'denied', 'denied']],
    ['Allow TCP 8080 only', [gnp('p', `${INGRESS_SERVER}  ingress:\n  - action: Allow\n    protocol: TCP\n    destination: {ports: [8080]}\n`)], ['allowed', 'denied', 'denied']],
    ['named port resolves on the destination', [gnp('p', `${INGRESS_SERVER}  ingress:\n  - action: Allow\n    protocol: TCP\n    destination: {ports: [web]}\n`)], ['allowed', 'denied', 'denied']],
    ['first match: Deny before Allow', [gnp('p', `${INGRESS_SERVER}  ingress:\n  - action: Deny\n    protocol: TCP\n    destination: {ports: [8080]}\n  - action: Allow\n`)], ['denied', 'allowed', 'allowed']],
    ['Log records and goes on', [gnp('p', `${INGRESS_SERVER}  ingress:\n  - action: Log\n  - action: Allow\n    protocol: TCP\n`)], ['allowed', 'allowed', 'denied']],
    ['policy order: lower first (deny 100 before allow 200)', [gnp('allow', `${INGRESS_SERVER}  order: 200\n  ingress:\n  - action: Allow\n`), gnp('deny', `${INGRESS_SERVER}  order: 100\n  ingress:\n  - action: Deny\n    protocol: TCP\n`)], ['denied', 'denied', 'allowed']],
    ['unset order comes last', [gnp('a-deny', `${INGRESS_SERVER}  ingress:\n  - action: Deny\n`), gnp('z-allow', `${INGRESS_SERVER}  order: 5000\n  ingress:\n  - action: Allow\n`)], ['allowed', 'allowed', 'allowed']],
    ['Pass skips the rest of the tier; later tier decides', [tier('security', 100), gnp('sec', `  tier: security\n${INGRESS_SERVER}  ingress:\n  - action: Pass\n    protocol: TCP\n`), gnp('dflt', `${INGRESS_SERVER}  ingress:\n  - action: Allow\n    protocol: TCP\n    destination: {ports: [8080]}\n`)], ['allowed', 'denied', 'denied']],
    ['a Deny tier before default overrides its Allow', [tier('security', 100), gnp('sec', `  tier: security\n${INGRESS_SERVER}  ingress:\n  - action: Deny\n    protocol: TCP\n    destination: {ports: [8080]}\n  - action: Pass\n`), gnp('dflt', `${INGRESS_SERVER}  ingress:\n  - action: Allow\n`)], ['denied', 'allowed', 'allowed']],
    ['tier defaultAction Pass: no end-of-tier deny', [tier('audit', 50, 'Pass'), gnp('aud', `  tier: audit\n${INGRESS_SERVER}`)], ['allowed', 'allowed', 'allowed']],
    ['tier defaultAction Deny (default): end-of-tier deny', [tier('audit', 50), gnp('aud', `  tier: audit\n${INGRESS_SERVER}`)], ['denied', 'denied', 'denied']],
    ['NetworkPolicy at order 1000: a Calico Deny at 500 wins', [knp('np', '  podSelector: {}\n  ingress: [{}]\n'), gnp('deny', `${INGRESS_SERVER}  order: 500\n  ingress:\n  - action: Deny\n    protocol: TCP\n    destination: {ports: [8080]}\n`)], ['denied', 'allowed', 'allowed']],
    ['NetworkPolicy at order 1000: it allows before a Calico Deny at 2000', [knp('np', '  podSelector: {}\n  ingress: [{ports: [{port: 8080}]}]\n'), gnp('deny', `${INGRESS_SERVER}  order: 2000\n  ingress:\n  - action: Deny\n`)], ['allowed', 'denied', 'denied']],
    ['ICMP type 8 denied, other ICMP allowed', [gnp('p', `${INGRESS_SERVER}  ingress:\n  - action: Deny\n    protocol: ICMP\n    icmp: {type: 8}\n  - action: Allow\n`)], ['allowed', 'allowed', 'denied']],
    ['notICMP: every ICMP but echo request', [gnp('p', `${INGRESS_SERVER}  ingress:\n  - action: Allow\n    protocol: ICMP\n    notICMP: {type: 8}\n`)], ['denied', 'denied', 'denied']],
    ['notProtocol TCP allows UDP and ICMP only', [gnp('p', `${INGRESS_SERVER}  ingress:\n  - action: Allow\n    notProtocol: TCP\n`)], ['denied', 'denied', 'allowed']],
    ['source namespaceSelector and selector', [gnp('p', `${INGRESS_SERVER}  ingress:\n  - action: Allow\n    source: {namespaceSelector: team == 'a', selector: app == 'client'}\n`)], ['allowed', 'allowed', 'allowed']],
    // Property-test counterexamples (issue 12): `global()` in a namespaceSelector names non-namespaced resources only.
    ['source namespaceSelector global() reaches no pod', [gnp('p', `${INGRESS_SERVER}  ingress:\n  - action: Allow\n    source: {namespaceSelector: global()}\n`)], ['denied', 'denied', 'denied']],
    ['policy namespaceSelector global() selects no pod', [gnp('p', `${INGRESS_SERVER}  namespaceSelector: global()\n`)], ['allowed', 'allowed', 'allowed']],
    // A selector matches through IP sets: a pod whose address is in a selected network set matches (issue 12).
    ['source selector matches a pod through a global network set holding its IP', [`apiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\nmetadata: {name: lb, labels: {role: lb}}\nspec: {nets: [10.0.0.0/24]}\n`, gnp('p', `${INGRESS_SERVER}  ingress:\n  - action: Allow\n    source: {selector: role == 'lb'}\n`)], ['allowed', 'allowed', 'allowed']],
    ['a network set not holding the pod IP does not match it', [`apiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\nmetadata: {name: lb, labels: {role: lb}}\nspec: {nets: [10.9.0.0/16]}\n`, gnp('p', `${INGRESS_SERVER}  ingress:\n  - action: Allow\n    source: {selector: role == 'lb'}\n`)], ['denied', 'denied', 'denied']],
    ['source notSelector excludes the client', [gnp('p', `${INGRESS_SERVER}  ingress:\n  - action: Allow\n    source: {notSelector: app == 'client'}\n`)], ['denied', 'denied', 'denied']],
    ['source nets match pod IPs; notNets carve out', [gnp('p', `${INGRESS_SERVER}  ingress:\n  - action: Allow\n    source: {nets: [10.0.0.0/24], notNets: [10.0.0.1/32]}\n`)], ['denied', 'denied', 'denied']],
    ['destination selector narrows the subject of an ingress rule', [gnp('p', `  selector: all()\n  types: [Ingress]\n  ingress:\n  - action: Allow\n    destination: {selector: app == 'other'}\n`)], ['denied', 'denied', 'denied']],
    ['egress-only policy (types defaulted) on the client', [gnp('p', `  selector: app == 'client'\n  egress:\n  - action: Allow\n    protocol: TCP\n    destination: {selector: app == 'server', ports: [9090]}\n`)], ['denied', 'allowed', 'denied']],
  ] as const)('%s', (_name, docs, [tcp8080, tcp9090, ping]) => {
    const got = verdicts(...docs);
    expect([got.tcp8080, got.tcp9090, got.ping]).toEqual([tcp8080, tcp9090, ping]);
  });

  // Property-test counterexample (issue 12): a GlobalNetworkPolicy selector over Calico's automatic workload endpoint
  // label `projectcalico.org/namespace` — every pod carries it under the calico profile, so `!has(...)` selects none.
  it.each([
    ["!has(projectcalico.org/namespace)", 'allowed'],
    ["projectcalico.org/namespace == 'b' && app == 'server'", 'denied'],
    ["projectcalico.org/orchestrator == 'k8s' && projectcalico.org/namespace != 'b'", 'allowed'],
  ])('calico profile: a GlobalNetworkPolicy selector %s sees the endpoint labels (%s)', (selector, expected) => {
    const parsed = parse([NAMESPACES, PODS, gnp('p', `  selector: "${selector}"\n  types: [Ingress]\n`)].join('---\n'));
    const { snapshot } = buildSnapshot(parsed.objects, { cni: 'calico' });
    const verdict = evaluate(snapshot, { namespace: 'a', pod: 'client' }, { namespace: 'b', pod: 'server' }, 8080, 'TCP');
    expect(verdict.allowed ? 'allowed' : 'denied').toBe(expected);
  });

  // The compiler reads Tier (order, defaultAction) and NetworkSet / GlobalNetworkSet (nets): they are modelled, so no
  // "kept but not analysed yet" warning; a HostEndpoint's host protection is not, so its warning and caveat stay.
  it('Tier and network sets are modelled (no NOT_MODELLED warning, no caveat); HostEndpoint keeps both', () => {
    const netSet = `apiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\nmetadata: {name: lb, labels: {role: lb}}\nspec: {nets: [10.0.0.0/24]}\n`;
    const nsNetSet = `apiVersion: crd.projectcalico.org/v1\nkind: NetworkSet\nmetadata: {name: lb, namespace: a}\nspec: {nets: [10.0.0.0/24]}\n`;
    const hep = `apiVersion: projectcalico.org/v3\nkind: HostEndpoint\nmetadata: {name: h}\nspec: {node: n1, interfaceName: eth0}\n`;
    const codes = (doc: string) => parse(doc).issues.map((i) => i.code);
    expect(codes(tier('security', 100))).toEqual([]);
    expect(codes(tier('security', 100).replace('projectcalico.org/v3', 'crd.projectcalico.org/v1'))).toEqual([]);
    expect(codes(netSet)).toEqual([]);
    expect(codes(nsNetSet)).toEqual([]);
    expect(codes(hep)).toEqual(['NOT_MODELLED']);
    // The tier's order decides (a Deny tier before default overrides its Allow), and no caveat names the tier.
    const got = verdicts(tier('security', 100), gnp('sec', `  tier: security\n${INGRESS_SERVER}  ingress:\n  - action: Deny\n    protocol: TCP\n    destination: {ports: [8080]}\n  - action: Pass\n`), gnp('dflt', `${INGRESS_SERVER}  ingress:\n  - action: Allow\n`));
    expect(got).toEqual({ tcp8080: 'denied', tcp9090: 'allowed', ping: 'allowed', caveats: [] });
    expect(verdicts(hep).caveats).toEqual(['UNMODELLED_POLICY']);
  });

  it('staged policies are not enforced and say so; host endpoints are named as caveats', () => {
    const staged = `apiVersion: projectcalico.org/v3\nkind: StagedGlobalNetworkPolicy\nmetadata: {name: s}\nspec:\n${INGRESS_SERVER}`;
    const hep = `apiVersion: projectcalico.org/v3\nkind: HostEndpoint\nmetadata: {name: h}\nspec: {node: n1, interfaceName: eth0}\n`;
    expect(verdicts(staged)).toEqual({ tcp8080: 'allowed', tcp9090: 'allowed', ping: 'allowed', caveats: ['UNMODELLED_POLICY'] });
    expect(verdicts(hep).caveats).toEqual(['UNMODELLED_POLICY']);
  });

  it('explains the decision: tier, order, action and rule path, Pass rules, end-of-tier deny', () => {
    const parsed = parse(
      [
        NAMESPACES,
        PODS,
        tier('security', 100),
        gnp('sec', `  tier: security\n  order: 10\n${INGRESS_SERVER}  ingress:\n  - action: Pass\n    protocol: TCP\n    destination: {ports: [9090]}\n  - action: Deny\n    protocol: TCP\n    destination: {ports: [8080]}\n`),
        gnp('dflt', `${INGRESS_SERVER}  ingress:\n  - action: Allow\n    protocol: UDP\n`),
      ].join('---\n'),
    );
    const { snapshot } = buildSnapshot(parsed.objects);
    const ask = (port: number) => evaluate(snapshot, { namespace: 'a', pod: 'client' }, { namespace: 'b', pod: 'server' }, port, 'TCP');
    const denied = ask(8080);
    expect(denied.explanation.ingress.decision).toEqual({ by: 'rule', tier: 'security', action: 'deny', policy: 'sec', namespace: '', rule: 'spec.ingress[1]', order: 10 });
    expect(denied.explanation.summary).toContain('ingress: denied by sec spec.ingress[1] (Deny, tier security, order 10)');
    const passed = ask(9090);
    expect(passed.explanation.ingress.decision).toEqual({ by: 'end-of-tier', tier: 'default', action: 'deny', passedBy: ['sec spec.ingress[0]'] });
    expect(passed.explanation.summary).toContain('denied by the end of tier default');
    expect(passed.explanation.egress.decision).toBeUndefined();
  });

  it('polices traffic from outside forwarded to pods with host endpoints\' applyOnForward / preDNAT policies', () => {
    const hep = (name: string) => `apiVersion: projectcalico.org/v3\nkind: HostEndpoint\nmetadata: {name: ${name}, labels: {role: fw}}\nspec: {node: ${name}, interfaceName: "*"}\n`;
    const forward = gnp('fwd', `  selector: role == 'fw'\n  applyOnForward: true\n  types: [Ingress]\n  ingress:\n  - action: Deny\n    destination: {selector: app == 'server'}\n  - action: Allow\n`);
    const preDnat = gnp('pre', `  selector: role == 'fw'\n  preDNAT: true\n  applyOnForward: true\n  types: [Ingress]\n  ingress:\n  - action: Deny\n    source: {nets: [203.0.113.0/24]}\n`);
    const { snapshot } = buildSnapshot(parse([NAMESPACES, PODS, hep('n1'), hep('n2'), forward, preDnat].join('---\n')).objects);
    const from = (ip: string, pod: string, ns: string) => evaluate(snapshot, { ip }, { namespace: ns, pod }, 8080, 'TCP');
    expect(from('198.51.100.7', 'server', 'b').allowed).toBe(false);
    expect(from('198.51.100.7', 'client', 'a').allowed).toBe(true);
    expect(from('203.0.113.5', 'client', 'a').allowed).toBe(false);
    expect(from('203.0.113.5', 'client', 'a').explanation.summary).toContain('forwarded through host endpoints (n1, n2): denied');
    // Pod to pod traffic does not cross a host endpoint.
    expect(evaluate(snapshot, { namespace: 'a', pod: 'client' }, { namespace: 'b', pod: 'server' }, 8080, 'TCP').allowed).toBe(true);
    // Without forward policies, host endpoints leave forwarded traffic alone.
    const plain = buildSnapshot(parse([NAMESPACES, PODS, hep('n1')].join('---\n')).objects).snapshot;
    expect(evaluate(plain, { ip: '198.51.100.7' }, { namespace: 'b', pod: 'server' }, 8080, 'TCP').allowed).toBe(true);
  });

  it('places tiers on the neutral scale around the admin (100), default (200) and baseline (300) tiers', () => {
    expect(neutralTierOrder(1_000_000, 'default')).toBe(200);
    expect(neutralTierOrder(100, 'security')).toBeLessThan(100);
    expect(neutralTierOrder(5000, 'x')).toBeGreaterThan(100);
    expect(neutralTierOrder(5000, 'x')).toBeLessThan(200);
    expect(neutralTierOrder(1_000, 'x')).not.toBe(100);
    expect(neutralTierOrder(undefined, 'x')).toBeGreaterThan(300);
  });
});
