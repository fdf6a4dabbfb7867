// fast-check generators of small random clusters under a CNI's own policy kinds (issue 12): Calico
// (projectcalico.org/v3 NetworkPolicy, GlobalNetworkPolicy, Tier, NetworkSet, GlobalNetworkSet) and Cilium
// (cilium.io/v2 CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy), each mixed with Kubernetes NetworkPolicies as
// that CNI enforces them. Only objects the API servers accept are produced (Calico: ports need TCP/UDP/SCTP, ICMP
// fields need ICMP; Cilium: ports as strings). Small alphabets make selectors, nets and port names collide.
import fc from 'fast-check';
import {
  cidrArb,
  exceptArb,
  labelsArb,
  NAMESPACES,
  namespaceObjectArb,
  NS_LABELS,
  POD_LABELS,
  policyArb,
  PORT_NAMES,
  portNumber,
  selectorArb,
  serialise,
  workloadArb,
  type GeneratedCluster,
  type Layout,
  type Obj,
} from './cluster-arbitrary.js';
import { familyBits, formatCidr, type Cidr, type IpFamily } from './naive-ip.js';

export type Dialect = 'calico' | 'cilium';

export interface DialectCluster extends GeneratedCluster {
  readonly dialect: Dialect;
}

const SERVICE_ACCOUNTS = ['default', 'sa1'];

// ---------------------------------------------------------------------------------------------------------------
// Calico

/** A Calico selector expression from a small grammar; printed with parentheses around every binary operation. */
function calicoExprArb(alphabet: Record<string, string[]>, depth: number): fc.Arbitrary<string> {
  const keys = Object.keys(alphabet);
  const quote = (v: string) => `'${v}'`;
  const leaf = fc.constantFrom(...keys).chain((key) =>
    fc.oneof(
      fc.constant(`has(${key})`),
      fc.constant(`!has(${key})`),
      fc.constantFrom(...alphabet[key]).map((v) => `${key} == ${quote(v)}`),
      fc.constantFrom(...alphabet[key]).map((v) => `${key} != ${quote(v)}`),
      fc.uniqueArray(fc.constantFrom(...alphabet[key]), { minLength: 1, maxLength: 2 }).map((vs) => `${key} in {${vs.map(quote).join(', ')}}`),
      fc.uniqueArray(fc.constantFrom(...alphabet[key]), { minLength: 1, maxLength: 2 }).map((vs) => `${key} not in {${vs.map(quote).join(', ')}}`),
    ),
  );
  if (depth <= 0) return leaf;
  const sub = calicoExprArb(alphabet, depth - 1);
  return fc.oneof(
    { weight: 4, arbitrary: leaf },
    fc.tuple(sub, fc.constantFrom('&&', '||'), sub).map(([a, op, b]) => `(${a} ${op} ${b})`),
    sub.map((a) => `!(${a})`),
  );
}

/** An endpoint selector: `all()` or an expression over pod labels (and, sometimes, Calico's namespace label). */
function calicoSelectorArb(namespaces: string[]): fc.Arbitrary<string> {
  const alphabet = { ...POD_LABELS, 'projectcalico.org/namespace': namespaces };
  return fc.oneof({ weight: 1, arbitrary: fc.constant('all()') }, { weight: 5, arbitrary: calicoExprArb(alphabet, 2) });
}

/** A namespace selector over namespace labels, `projectcalico.org/name` included. */
const calicoNamespaceSelectorArb: fc.Arbitrary<string> = fc.oneof(
  fc.constant('all()'),
  calicoExprArb({ team: NS_LABELS.team, env: NS_LABELS.env, 'projectcalico.org/name': [...NAMESPACES, 'delta'] }, 1),
);

const ipv4OrV6Cidr = fc.constantFrom<IpFamily>(4, 4, 4, 6).chain((family) => cidrArb(family));
const netsArb = fc.array(ipv4OrV6Cidr, { minLength: 1, maxLength: 2 }).map((cidrs) => cidrs.map(formatCidr));

/** A rule's `source` or `destination`: every field optional. `far` sides may use global() network sets. */
function calicoEntityArb(namespaces: string[], withPorts: boolean): fc.Arbitrary<Obj> {
  const portValue = fc.oneof(
    { weight: 3, arbitrary: portNumber },
    fc.tuple(portNumber, fc.integer({ min: 0, max: 40 })).map(([p, span]) => `${Math.min(p, 65535 - span)}:${Math.min(p, 65535 - span) + span}`),
    fc.constantFrom(...PORT_NAMES),
  );
  return fc
    .record(
      {
        selector: calicoSelectorArb(namespaces),
        notSelector: calicoExprArb(POD_LABELS, 1),
        namespaceSelector: fc.oneof({ weight: 4, arbitrary: calicoNamespaceSelectorArb }, fc.constant('global()')),
        nets: netsArb,
        notNets: netsArb,
        ports: fc.array(portValue, { minLength: 1, maxLength: 3 }),
        notPorts: fc.array(fc.oneof(portNumber, portValue.filter((p) => typeof p !== 'string' || p.includes(':'))), { minLength: 1, maxLength: 2 }),
      },
      { requiredKeys: [] },
    )
    .map((entity) => {
      const out: Obj = { ...entity };
      if (!withPorts) {
        delete out.ports;
        delete out.notPorts;
      }
      return out;
    });
}

const CALICO_ACTIONS = ['Allow', 'Allow', 'Deny', 'Pass', 'Log'];

function calicoRuleArb(namespaces: string[], direction: 'ingress' | 'egress'): fc.Arbitrary<Obj> {
  return fc
    .record({
      action: fc.constantFrom(...CALICO_ACTIONS),
      protocol: fc.option(fc.constantFrom<string | number>('TCP', 'UDP', 'SCTP', 'ICMP', 6, 17), { nil: undefined }),
      notProtocol: fc.option(fc.constantFrom('TCP', 'UDP', 'ICMP'), { nil: undefined, freq: 6 }),
      icmp: fc.option(fc.record({ type: fc.constantFrom(0, 8), code: fc.option(fc.constantFrom(0, 1), { nil: undefined }) }, { requiredKeys: ['type'] }), { nil: undefined }),
      notICMP: fc.option(fc.record({ type: fc.constantFrom(8, 3) }), { nil: undefined, freq: 4 }),
      farSide: fc.option(calicoEntityArb(namespaces, false), { nil: undefined, freq: 4 }),
      nearSide: fc.option(calicoEntityArb(namespaces, false), { nil: undefined, freq: 5 }),
      ports: fc.option(calicoEntityArb(namespaces, true).map((e) => ({ ports: e.ports, notPorts: e.notPorts })), { nil: undefined }),
    })
    .map(({ action, protocol, notProtocol, icmp, notICMP, farSide, nearSide, ports }) => {
      const rule: Obj = { action };
      if (protocol !== undefined) rule.protocol = protocol;
      if (notProtocol !== undefined && notProtocol !== protocol) rule.notProtocol = notProtocol;
      if (protocol === 'ICMP') {
        if (icmp) rule.icmp = icmp;
        if (notICMP) rule.notICMP = notICMP;
      }
      // Ports belong to the destination and need a port protocol.
      const portProtocol = protocol !== undefined && protocol !== 'ICMP';
      const destPorts: Obj = {};
      if (portProtocol && ports) {
        if (ports.ports !== undefined) destPorts.ports = ports.ports;
        if (ports.notPorts !== undefined) destPorts.notPorts = ports.notPorts;
      }
      const source = direction === 'ingress' ? farSide : nearSide;
      const destination = { ...(direction === 'ingress' ? nearSide : farSide), ...destPorts };
      if (source && Object.keys(source).length > 0) rule.source = source;
      if (Object.keys(destination).length > 0) rule.destination = destination;
      return rule;
    });
}

const calicoRulesArb = (namespaces: string[], direction: 'ingress' | 'egress') =>
  fc.option(fc.array(calicoRuleArb(namespaces, direction), { minLength: 1, maxLength: 3 }), { nil: undefined });

interface TierSpec {
  readonly name: string;
  readonly order: number;
  readonly defaultAction?: 'Deny' | 'Pass';
}

/** 0-2 tiers besides `default` (order 1,000,000): before it or after it, ending in Deny (default) or Pass. */
const tiersArb: fc.Arbitrary<TierSpec[]> = fc
  .subarray(['security', 'platform'])
  .chain((names) =>
    fc.tuple(
      fc.constant(names),
      fc.uniqueArray(fc.constantFrom(50, 100, 500_000, 2_000_000), { minLength: names.length, maxLength: names.length }),
      fc.array(fc.constantFrom<'Deny' | 'Pass' | undefined>(undefined, 'Deny', 'Pass'), { minLength: names.length, maxLength: names.length }),
    ),
  )
  .map(([names, orders, actions]) => names.map((name, i) => ({ name, order: orders[i], ...(actions[i] ? { defaultAction: actions[i] } : {}) })));

/** Orders never 1000 (where Kubernetes NetworkPolicies sit) so that no tie needs Calico's name order to break it. */
const CALICO_ORDERS = [1, 10, 100, 500, 999, 1001, 2000];

function calicoPolicyArb(namespaces: string[]): fc.Arbitrary<Obj> {
  return fc
    .record({
      global: fc.boolean(),
      namespace: fc.constantFrom(...namespaces),
      tierIndex: fc.nat(2),
      order: fc.option(fc.constantFrom(...CALICO_ORDERS), { nil: undefined, freq: 5 }),
      selector: fc.option(calicoSelectorArb(namespaces), { nil: undefined, freq: 5 }),
      namespaceSelector: fc.option(calicoNamespaceSelectorArb, { nil: undefined, freq: 3 }),
      types: fc.constantFrom(undefined, ['Ingress'], ['Egress'], ['Ingress', 'Egress']),
      ingress: calicoRulesArb(namespaces, 'ingress'),
      egress: calicoRulesArb(namespaces, 'egress'),
    })
    .map(({ global, namespace, tierIndex, order, selector, namespaceSelector, types, ingress, egress }) => {
      const spec: Obj = { tierIndex };
      if (order !== undefined) spec.order = order;
      if (selector !== undefined) spec.selector = selector;
      if (global && namespaceSelector !== undefined) spec.namespaceSelector = namespaceSelector;
      if (types !== undefined) spec.types = types;
      if (ingress !== undefined) spec.ingress = ingress;
      if (egress !== undefined) spec.egress = egress;
      return global
        ? { apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkPolicy', metadata: { name: '' }, spec }
        : { apiVersion: 'projectcalico.org/v3', kind: 'NetworkPolicy', metadata: { name: '', namespace }, spec };
    });
}

function networkSetArb(namespaces: string[]): fc.Arbitrary<Obj> {
  return fc
    .record({ global: fc.boolean(), namespace: fc.constantFrom(...namespaces), labels: labelsArb(POD_LABELS), nets: netsArb })
    .map(({ global, namespace, labels, nets }) =>
      global
        ? { apiVersion: 'projectcalico.org/v3', kind: 'GlobalNetworkSet', metadata: { name: '', labels }, spec: { nets } }
        : { apiVersion: 'projectcalico.org/v3', kind: 'NetworkSet', metadata: { name: '', namespace, labels }, spec: { nets } },
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Cilium

/** Label keys a Cilium selector may name: pod labels and the identity labels Cilium derives for every pod. */
function ciliumAlphabet(namespaces: string[]): Record<string, string[]> {
  return {
    ...POD_LABELS,
    'io.kubernetes.pod.namespace': namespaces,
    'io.cilium.k8s.policy.serviceaccount': SERVICE_ACCOUNTS,
    'io.cilium.k8s.namespace.labels.team': NS_LABELS.team,
  };
}

/** A label selector over identity labels, keys sometimes written with their `k8s:` / `any:` source. */
function ciliumSelectorArb(namespaces: string[]): fc.Arbitrary<Obj> {
  return fc.tuple(selectorArb(ciliumAlphabet(namespaces)), fc.constantFrom('', '', 'k8s:', 'any:')).map(([sel, prefix]) => {
    const out: Obj = {};
    if (sel.matchLabels) out.matchLabels = Object.fromEntries(Object.entries(sel.matchLabels as Obj).map(([k, v]) => [prefix + k, v]));
    if (sel.matchExpressions) out.matchExpressions = (sel.matchExpressions as Obj[]).map((e) => ({ ...e, key: prefix + String(e.key) }));
    return out;
  });
}

function cidrSetArb(): fc.Arbitrary<Obj> {
  return fc
    .constantFrom<IpFamily>(4, 4, 6)
    .chain((family) => cidrArb(family))
    .chain((cidr: Cidr) =>
      (cidr.prefix === familyBits(cidr.family) ? fc.constant([]) : fc.uniqueArray(exceptArb(cidr), { maxLength: 2, selector: formatCidr })).map((excepts) => {
        const set: Obj = { cidr: formatCidr(cidr) };
        if (excepts.length > 0) set.except = excepts.map(formatCidr);
        return set;
      }),
    );
}

const ciliumPortArb: fc.Arbitrary<Obj> = fc
  .tuple(
    fc.option(fc.constantFrom('TCP', 'UDP', 'SCTP', 'ANY'), { nil: undefined }),
    fc.oneof(
      { weight: 3, arbitrary: portNumber.map((p): Obj => ({ port: String(p) })) },
      fc.tuple(portNumber, fc.integer({ min: 1, max: 40 })).map(([p, span]): Obj => ({ port: String(Math.min(p, 65535 - span)), endPort: Math.min(p, 65535 - span) + span })),
      fc.constantFrom(...PORT_NAMES).map((name): Obj => ({ port: name })),
      fc.constant<Obj>({ port: '0' }),
    ),
  )
  .map(([protocol, entry]) => (protocol === undefined ? entry : { ...entry, protocol }));

function ciliumRuleArb(namespaces: string[], direction: 'ingress' | 'egress'): fc.Arbitrary<Obj> {
  const p = direction === 'ingress' ? 'from' : 'to';
  return fc
    .record(
      {
        endpoints: fc.array(ciliumSelectorArb(namespaces), { minLength: 1, maxLength: 2 }),
        entities: fc.uniqueArray(fc.constantFrom('world', 'cluster', 'all'), { minLength: 1, maxLength: 2 }),
        cidr: fc.array(ipv4OrV6Cidr.map(formatCidr), { minLength: 1, maxLength: 2 }),
        cidrSet: fc.array(cidrSetArb(), { minLength: 1, maxLength: 2 }),
        toPorts: fc.array(fc.record({ ports: fc.array(ciliumPortArb, { minLength: 1, maxLength: 2 }) }), { minLength: 1, maxLength: 2 }),
      },
      { requiredKeys: [] },
    )
    .map((r) => {
      const rule: Obj = {};
      if (r.endpoints) rule[`${p}Endpoints`] = r.endpoints;
      if (r.entities) rule[`${p}Entities`] = r.entities;
      if (r.cidr) rule[`${p}CIDR`] = r.cidr;
      if (r.cidrSet) rule[`${p}CIDRSet`] = r.cidrSet;
      if (r.toPorts) rule.toPorts = r.toPorts;
      return rule;
    });
}

const ciliumRulesArb = (namespaces: string[], direction: 'ingress' | 'egress') =>
  fc.option(fc.array(ciliumRuleArb(namespaces, direction), { minLength: 1, maxLength: 2 }), { nil: undefined, freq: 2 });

function ciliumPolicyArb(namespaces: string[]): fc.Arbitrary<Obj> {
  return fc
    .record({
      clusterwide: fc.boolean(),
      namespace: fc.constantFrom(...namespaces),
      endpointSelector: ciliumSelectorArb(namespaces),
      ingress: ciliumRulesArb(namespaces, 'ingress'),
      ingressDeny: ciliumRulesArb(namespaces, 'ingress'),
      egress: ciliumRulesArb(namespaces, 'egress'),
      egressDeny: ciliumRulesArb(namespaces, 'egress'),
      enableDefaultDeny: fc.option(
        fc.record({ ingress: fc.boolean(), egress: fc.boolean() }, { requiredKeys: [] }),
        { nil: undefined, freq: 3 },
      ),
    })
    .map(({ clusterwide, namespace, endpointSelector, ingress, ingressDeny, egress, egressDeny, enableDefaultDeny }) => {
      const spec: Obj = { endpointSelector };
      if (ingress) spec.ingress = ingress;
      if (ingressDeny) spec.ingressDeny = ingressDeny;
      if (egress) spec.egress = egress;
      if (egressDeny) spec.egressDeny = egressDeny;
      if (enableDefaultDeny) spec.enableDefaultDeny = enableDefaultDeny;
      return clusterwide
        ? { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name: '' }, spec }
        : { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: '', namespace }, spec };
    });
}

// ---------------------------------------------------------------------------------------------------------------

/** Copies, not mutations: fast-check may map the same generated value again while shrinking. */
const named = (o: Obj, name: string): Obj => ({ ...o, metadata: { ...(o.metadata as Obj), name } });

function dialectClusterArb(dialect: Dialect): fc.Arbitrary<DialectCluster> {
  return fc
    .integer({ min: 1, max: 3 })
    .chain((n) => {
      const namespaces = NAMESPACES.slice(0, n);
      return fc.record({
        namespaceObjects: fc.tuple(...namespaces.map(namespaceObjectArb)),
        workloads: fc.array(workloadArb(namespaces), { minLength: 1, maxLength: 4 }),
        serviceAccounts: fc.array(fc.option(fc.constantFrom(...SERVICE_ACCOUNTS), { nil: undefined }), { minLength: 4, maxLength: 4 }),
        policies: fc.array(policyArb(namespaces), { maxLength: 2 }),
        tiers: dialect === 'calico' ? tiersArb : fc.constant<TierSpec[]>([]),
        dialectPolicies: fc.array(dialect === 'calico' ? calicoPolicyArb(namespaces) : ciliumPolicyArb(namespaces), { minLength: 1, maxLength: 4 }),
        networkSets: dialect === 'calico' ? fc.array(networkSetArb(namespaces), { maxLength: 2 }) : fc.constant<Obj[]>([]),
        layout: fc.constantFrom<Layout>('yaml-multi', 'json-list', 'files'),
      });
    })
    .map(({ namespaceObjects, workloads, serviceAccounts, policies, tiers, dialectPolicies, networkSets, layout }) => {
      const withServiceAccount = (o: Obj, account: string | undefined): Obj => {
        if (dialect !== 'cilium') return o;
        // A Pod read from a cluster always carries its account (the API server fills `default`); one without it
        // is a snapshot stored before accounts were kept, which the engine treats as unknown (model/service-accounts.ts).
        if (o.kind === 'Pod') return { ...o, spec: { ...(o.spec as Obj), serviceAccountName: account ?? 'default' } };
        if (account === undefined) return o;
        const spec = o.spec as Obj;
        const template = spec.template as Obj;
        return { ...o, spec: { ...spec, template: { ...template, spec: { ...(template.spec as Obj), serviceAccountName: account } } } };
      };
      const tierNames = ['default', ...tiers.map((t) => t.name)];
      const dialectObjects = dialectPolicies.map((p, i) => {
        if (dialect !== 'calico') return named(p, `dp-${i}`);
        // A policy in a tier other than `default` is named `<tier>.<name>` (Calico's rule).
        const { tierIndex, ...spec } = p.spec as Obj;
        const tier = tierNames[Number(tierIndex) % tierNames.length];
        return { ...named(p, tier === 'default' ? `dp-${i}` : `${tier}.dp-${i}`), spec: tier === 'default' ? spec : { ...spec, tier } };
      });
      const objects = [
        ...namespaceObjects.filter((o): o is Obj => o !== undefined),
        ...workloads.flatMap((build, i) => build(`w${i}`).map((o) => withServiceAccount(o, serviceAccounts[i]))),
        ...tiers.map((t) => ({ apiVersion: 'projectcalico.org/v3', kind: 'Tier', metadata: { name: t.name }, spec: { order: t.order, ...(t.defaultAction ? { defaultAction: t.defaultAction } : {}) } })),
        ...networkSets.map((s, i) => named(s, `set-${i}`)),
        ...policies.map((p, i) => named(p, `np-${i}`)),
        ...dialectObjects,
      ];
      return { dialect, documents: serialise(objects, layout), objects };
    });
}

export const calicoClusterArb = dialectClusterArb('calico');
export const ciliumClusterArb = dialectClusterArb('cilium');
