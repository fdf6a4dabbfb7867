// fast-check generator of small random clusters, emitted as manifest text so the engine and the naive evaluator
// both read them through the same parser. Only VALID objects (as the API server would accept them) are produced;
// the small label and port alphabets make selectors and named ports collide often.
import fc from 'fast-check';
import { stringify } from 'yaml';
import type { SourceDocument } from '../../src/manifest/types.js';
import { familyBits, formatCidr, type Cidr, type IpFamily } from './naive-ip.js';

export type Obj = Record<string, unknown>;
type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface GeneratedCluster {
  readonly documents: SourceDocument[];
  /** The objects as generated (before serialisation), for probe selection and failure reports. */
  readonly objects: Obj[];
}

export const NAMESPACES = ['alpha', 'beta', 'gamma'];
export const POD_LABELS: Record<string, string[]> = { app: ['a', 'b', 'c'], tier: ['a', 'b'], role: ['a', 'c'] };
// 'delta' never exists; 'zone' is never set: both exercise selectors that match nothing or DoesNotExist.
export const NS_LABELS: Record<string, string[]> = {
  team: ['red', 'blue'],
  env: ['prod', 'dev'],
  'kubernetes.io/metadata.name': [...NAMESPACES, 'delta'],
  zone: ['z1'],
};
export const PORT_NAMES = ['http', 'metrics', 'dns', 'db'];
export const UNRESOLVABLE_PORT_NAMES = ['nope'];
export const PORT_NUMBERS = [53, 80, 443, 5432, 8080, 9090];
const PROTOCOLS: Protocol[] = ['TCP', 'UDP', 'SCTP'];

export const portNumber = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...PORT_NUMBERS) }, fc.constantFrom(1, 65535), fc.integer({ min: 1, max: 65535 }));

/** Labels drawn from a small alphabet: each key present or not. */
export function labelsArb(alphabet: Record<string, string[]>, keys = Object.keys(alphabet)): fc.Arbitrary<Record<string, string>> {
  return fc
    .tuple(...keys.map((k) => fc.option(fc.constantFrom(...alphabet[k]), { nil: undefined })))
    .map((values) => Object.fromEntries(keys.flatMap((k, i) => (values[i] === undefined ? [] : [[k, values[i] as string]]))));
}

function requirementArb(alphabet: Record<string, string[]>): fc.Arbitrary<Obj> {
  const keys = Object.keys(alphabet);
  return fc.constantFrom(...keys).chain((key) =>
    fc.oneof(
      fc.record({
        key: fc.constant(key),
        operator: fc.constantFrom('In', 'NotIn'),
        values: fc.uniqueArray(fc.constantFrom(...alphabet[key]), { minLength: 1, maxLength: 2 }),
      }),
      fc.record({ key: fc.constant(key), operator: fc.constantFrom('Exists', 'DoesNotExist') }),
    ),
  );
}

/** `{}`, matchLabels, matchExpressions or both; empty lists appear too (they still select everything). */
export function selectorArb(alphabet: Record<string, string[]>): fc.Arbitrary<Obj> {
  const matchLabels = labelsArb(alphabet).filter((l) => Object.keys(l).length <= 2);
  const expressions = fc.array(requirementArb(alphabet), { maxLength: 2 });
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant({}) },
    { weight: 3, arbitrary: matchLabels.map((m) => ({ matchLabels: m })) },
    { weight: 3, arbitrary: expressions.map((e) => ({ matchExpressions: e })) },
    fc.record({ matchLabels, matchExpressions: expressions }),
  );
}

export function cidrArb(family: IpFamily): fc.Arbitrary<Cidr> {
  const bits = familyBits(family);
  // Anchor addresses near a few bases so CIDRs of different rules overlap and nest.
  const anchors = family === 4 ? [0n, 0x0a000000n, 0x0a010000n, 0xc0a80000n] : [0n, 0x20010db8n << 96n, 0xfd00n << 112n];
  return fc
    .tuple(fc.constantFrom(...anchors), fc.bigInt({ min: 0n, max: (1n << 24n) - 1n }), fc.integer({ min: 0, max: bits }))
    .map(([anchor, offset, prefix]) => {
      const value = (anchor + (offset << BigInt(family === 4 ? 0 : 64))) & ((1n << BigInt(bits)) - 1n);
      const hostBits = BigInt(bits - prefix);
      return { family, base: (value >> hostBits) << hostBits, prefix };
    });
}

/** An `except` strictly inside `cidr`: longer prefix, same network bits. */
export function exceptArb(cidr: Cidr): fc.Arbitrary<Cidr> {
  const bits = familyBits(cidr.family);
  return fc.tuple(fc.integer({ min: cidr.prefix + 1, max: bits }), fc.bigInt({ min: 0n, max: (1n << BigInt(bits - cidr.prefix)) - 1n })).map(([prefix, offset]) => {
    const hostBits = BigInt(bits - prefix);
    const value = cidr.base + offset;
    return { family: cidr.family, base: (value >> hostBits) << hostBits, prefix };
  });
}

const ipBlockArb: fc.Arbitrary<Obj> = fc
  .constantFrom<IpFamily>(4, 4, 6)
  .chain((family) => cidrArb(family))
  .chain((cidr) =>
    (cidr.prefix === familyBits(cidr.family) ? fc.constant([]) : fc.uniqueArray(exceptArb(cidr), { maxLength: 2, selector: formatCidr })).map((excepts) => {
      const block: Obj = { cidr: formatCidr(cidr) };
      if (excepts.length > 0) block.except = excepts.map(formatCidr);
      return block;
    }),
  );

const peerArb: fc.Arbitrary<Obj> = fc.oneof(
  selectorArb(POD_LABELS).map((podSelector) => ({ podSelector })),
  selectorArb(NS_LABELS).map((namespaceSelector) => ({ namespaceSelector })),
  fc.record({ namespaceSelector: selectorArb(NS_LABELS), podSelector: selectorArb(POD_LABELS) }),
  ipBlockArb.map((ipBlock) => ({ ipBlock })),
);

const portEntryArb: fc.Arbitrary<Obj> = fc
  .tuple(
    fc.option(fc.constantFrom(...PROTOCOLS), { nil: undefined }),
    fc.oneof(
      fc.constant<Obj>({}), // protocol only: every port of it
      portNumber.map((port): Obj => ({ port })),
      fc.constantFrom(...PORT_NAMES, ...UNRESOLVABLE_PORT_NAMES).map((port): Obj => ({ port })),
      fc.tuple(portNumber, fc.integer({ min: 0, max: 40 })).map(([port, span]): Obj => ({ port: Math.min(port, 65535 - span), endPort: Math.min(port, 65535 - span) + span })),
    ),
  )
  .map(([protocol, entry]) => (protocol === undefined ? entry : { protocol, ...entry }));

function ruleArb(peerKey: 'from' | 'to'): fc.Arbitrary<Obj> {
  return fc
    .tuple(
      fc.oneof(fc.constant(undefined), fc.constant([]), fc.array(peerArb, { minLength: 1, maxLength: 2 })),
      fc.oneof(fc.constant(undefined), fc.constant([]), fc.array(portEntryArb, { minLength: 1, maxLength: 3 })),
    )
    .map(([peers, ports]) => {
      const rule: Obj = {};
      if (peers !== undefined) rule[peerKey] = peers;
      if (ports !== undefined) rule.ports = ports;
      return rule;
    });
}

const rulesArb = (peerKey: 'from' | 'to') =>
  fc.oneof(fc.constant(undefined), fc.constant([]), fc.array(ruleArb(peerKey), { minLength: 1, maxLength: 3 }));

const policyTypesArb = fc.constantFrom(undefined, [], ['Ingress'], ['Egress'], ['Ingress', 'Egress'], ['Egress', 'Ingress']);

export function policyArb(namespaces: string[]): fc.Arbitrary<Obj> {
  return fc
    .record({
      namespace: fc.constantFrom(...namespaces),
      podSelector: selectorArb(POD_LABELS),
      policyTypes: policyTypesArb,
      ingress: rulesArb('from'),
      egress: rulesArb('to'),
    })
    .map(({ namespace, podSelector, policyTypes, ingress, egress }) => {
      const spec: Obj = { podSelector };
      if (policyTypes !== undefined) spec.policyTypes = policyTypes;
      if (ingress !== undefined) spec.ingress = ingress;
      if (egress !== undefined) spec.egress = egress;
      return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: '', namespace }, spec };
    });
}

// AdminNetworkPolicy / BaselineAdminNetworkPolicy (v1alpha1) and ClusterNetworkPolicy (v1alpha2): subjects,
// actions, namespace / pod / network peers and every port form, as the API server accepts them.
const clusterSubjectArb: fc.Arbitrary<Obj> = fc.oneof(
  selectorArb(NS_LABELS).map((namespaces) => ({ namespaces })),
  fc.record({ namespaceSelector: selectorArb(NS_LABELS), podSelector: selectorArb(POD_LABELS) }).map((pods) => ({ pods })),
);

function clusterPeerArb(egress: boolean): fc.Arbitrary<Obj> {
  const peers: fc.Arbitrary<Obj>[] = [
    selectorArb(NS_LABELS).map((namespaces) => ({ namespaces })),
    fc.record({ namespaceSelector: selectorArb(NS_LABELS), podSelector: selectorArb(POD_LABELS) }).map((pods) => ({ pods })),
  ];
  if (egress) peers.push(fc.array(fc.oneof(cidrArb(4), cidrArb(6)), { minLength: 1, maxLength: 2 }).map((cidrs) => ({ networks: cidrs.map(formatCidr) })));
  return fc.oneof(...peers);
}

/** A v1alpha1 port entry; `toV2` gives the v1alpha2 `protocols` entry for the same ports. */
const clusterPortArb: fc.Arbitrary<Obj> = fc.oneof(
  fc.record({ protocol: fc.constantFrom(...PROTOCOLS), port: portNumber }).map((portNumber) => ({ portNumber })),
  fc
    .tuple(fc.constantFrom(...PROTOCOLS), portNumber, fc.integer({ min: 1, max: 40 }))
    .map(([protocol, port, span]) => ({ portRange: { protocol, start: Math.min(port, 65535 - span), end: Math.min(port, 65535 - span) + span } })),
  fc.constantFrom(...PORT_NAMES, ...UNRESOLVABLE_PORT_NAMES).map((namedPort) => ({ namedPort })),
);

function toV2Port(entry: Obj): Obj {
  if (entry.namedPort !== undefined) return { destinationNamedPort: entry.namedPort };
  const number = entry.portNumber as Obj | undefined;
  const range = entry.portRange as Obj | undefined;
  const protocol = String((number ?? range)!.protocol).toLowerCase();
  return { [protocol]: { destinationPort: number ? { number: number.port } : { range: { start: range!.start, end: range!.end } } } };
}

function clusterRulesArb(direction: 'ingress' | 'egress', actions: readonly string[]): fc.Arbitrary<Obj[]> {
  return fc.array(
    fc.record({
      action: fc.constantFrom(...actions),
      peers: fc.array(clusterPeerArb(direction === 'egress'), { minLength: 1, maxLength: 2 }),
      ports: fc.option(fc.array(clusterPortArb, { minLength: 1, maxLength: 2 }), { nil: undefined }),
    }),
    { maxLength: 3 },
  ).map((rules) =>
    rules.map((r, i) => ({ name: `${direction}-${i}`, action: r.action, [direction === 'ingress' ? 'from' : 'to']: r.peers, ...(r.ports ? { ports: r.ports } : {}) })),
  );
}

/** An AdminNetworkPolicy, the BaselineAdminNetworkPolicy `default`, or a ClusterNetworkPolicy of either tier
 *  (v1alpha1 rules translated: Allow → Accept, ports → protocols). Small priorities, so that ties happen. */
const clusterPolicyArb: fc.Arbitrary<Obj> = fc
  .record({
    kind: fc.constantFrom('AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterNetworkPolicy'),
    tier: fc.constantFrom('Admin', 'Baseline'),
    priority: fc.integer({ min: 0, max: 3 }),
    subject: clusterSubjectArb,
    ingress: clusterRulesArb('ingress', ['Allow', 'Deny', 'Pass']),
    egress: clusterRulesArb('egress', ['Allow', 'Deny', 'Pass']),
  })
  .map(({ kind, tier, priority, subject, ingress, egress }) => {
    const baseline = kind === 'BaselineAdminNetworkPolicy' || (kind === 'ClusterNetworkPolicy' && tier === 'Baseline');
    // Baselines have no Pass.
    const actions = (rules: Obj[]) => rules.map((r) => (baseline && r.action === 'Pass' ? { ...r, action: 'Deny' } : r));
    const v2 = (rules: Obj[]) =>
      rules.map(({ ports, ...r }) => ({ ...r, action: r.action === 'Allow' ? 'Accept' : r.action, ...(ports ? { protocols: (ports as Obj[]).map(toV2Port) } : {}) }));
    const spec: Obj = { subject };
    if (kind !== 'BaselineAdminNetworkPolicy') spec.priority = priority;
    if (kind === 'ClusterNetworkPolicy') spec.tier = tier;
    const ing = actions(ingress);
    const eg = actions(egress);
    if (ing.length > 0) spec.ingress = kind === 'ClusterNetworkPolicy' ? v2(ing) : ing;
    if (eg.length > 0) spec.egress = kind === 'ClusterNetworkPolicy' ? v2(eg) : eg;
    const apiVersion = kind === 'ClusterNetworkPolicy' ? 'policy.networking.k8s.io/v1alpha2' : 'policy.networking.k8s.io/v1alpha1';
    return { apiVersion, kind, metadata: { name: '' }, spec };
  });

/** 0-3 container ports with names unique in the pod (the API server rejects duplicates); numbers collide across pods. */
const containerPortsArb: fc.Arbitrary<Obj[]> = fc
  .uniqueArray(
    fc.record({
      name: fc.option(fc.constantFrom(...PORT_NAMES), { nil: undefined }),
      containerPort: fc.constantFrom(...PORT_NUMBERS, 9000, 10053),
      protocol: fc.option(fc.constantFrom(...PROTOCOLS), { nil: undefined }),
    }),
    { maxLength: 3, selector: (p) => p.name ?? `#${p.containerPort}/${p.protocol ?? 'TCP'}` },
  )
  .filter((ports) => new Set(ports.map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`)).size === ports.length)
  .map((ports) =>
    ports.map((p) => {
      const out: Obj = { containerPort: p.containerPort };
      if (p.name !== undefined) out.name = p.name;
      if (p.protocol !== undefined) out.protocol = p.protocol;
      return out;
    }),
  );

/** The ports spread over one or two containers. */
const podSpecArb: fc.Arbitrary<Obj> = fc.tuple(containerPortsArb, fc.boolean()).map(([ports, split]) => {
  const cut = split ? Math.ceil(ports.length / 2) : ports.length;
  const containers: Obj[] = [{ name: 'main', image: 'registry.example/app:1', ...(cut > 0 ? { ports: ports.slice(0, cut) } : {}) }];
  if (split) containers.push({ name: 'side', image: 'registry.example/side:1', ...(ports.length > cut ? { ports: ports.slice(cut) } : {}) });
  return { containers };
});

/** A workload as objects, built once its position-derived name is known. */
export type WorkloadBuilder = (name: string) => Obj[];

const ownerRef = (kind: string, name: string) => ({ apiVersion: 'apps/v1', kind, name, uid: `uid-${name}`, controller: true });

/**
 * A bare Pod; a Deployment standing for its replicas (no pods in the input); or a kubectl-dump style group: pods
 * owned by a ReplicaSet (itself sometimes owned by a present Deployment), where the pods are the peers. Owned pods
 * usually share the template labels; sometimes one differs (pods of one owner with different labels).
 */
export function workloadArb(namespaces: string[]): fc.Arbitrary<WorkloadBuilder> {
  return fc
    .record({
      kind: fc.constantFrom('Pod', 'Pod', 'Pod', 'Deployment', 'OwnedPods'),
      namespace: fc.constantFrom(...namespaces),
      labels: labelsArb(POD_LABELS),
      spec: podSpecArb,
      replicas: fc.integer({ min: 1, max: 3 }), // 1: a controller "to itself" has no second replica
      withDeployment: fc.boolean(),
      oddLabels: fc.option(labelsArb(POD_LABELS), { nil: undefined, freq: 3 }),
      // Pod IPs inside the generated CIDRs: an ipBlock must still never match a pod.
      podIp: fc.option(fc.constantFrom('10.0.0.5', '10.1.2.3', '192.168.0.1', '2001:db8::5'), { nil: undefined }),
      hostNetwork: fc.boolean(),
    })
    .map(({ kind, namespace, labels, spec, replicas, withDeployment, oddLabels, podIp, hostNetwork }): WorkloadBuilder => {
      if (kind === 'Pod') {
        // hostNetwork pods are analysed like any other under NetworkPolicy (the engine's default CNI choice);
        // cluster policies (AdminNetworkPolicy and its kin) neither select nor match them by namespaces / pods.
        const podSpec = hostNetwork && podIp === undefined ? { ...spec, hostNetwork: true } : spec;
        const status = podIp === undefined ? {} : { status: { phase: 'Running', podIP: podIp, podIPs: [{ ip: podIp }] } };
        return (name) => [{ apiVersion: 'v1', kind, metadata: { name, namespace, labels }, spec: podSpec, ...status }];
      }
      // A controller's selector must be non-empty and match its template.
      const templateLabels = Object.keys(labels).length > 0 ? labels : { app: 'a' };
      const controller = (controllerKind: string, name: string, extra: Obj = {}): Obj => ({
        apiVersion: 'apps/v1',
        kind: controllerKind,
        metadata: { name, namespace, ...extra },
        spec: { replicas, selector: { matchLabels: templateLabels }, template: { metadata: { labels: templateLabels }, spec } },
      });
      if (kind === 'Deployment') return (name) => [controller('Deployment', name)];
      return (name) => {
        const rsName = `${name}-rs`;
        const objects: Obj[] = withDeployment ? [controller('Deployment', name)] : [];
        objects.push(controller('ReplicaSet', rsName, withDeployment ? { ownerReferences: [ownerRef('Deployment', name)] } : {}));
        for (let i = 0; i < replicas; i++) {
          const podLabels = i === replicas - 1 && oddLabels ? { ...templateLabels, ...oddLabels } : templateLabels;
          objects.push({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `${rsName}-${i}`, namespace, labels: podLabels, ownerReferences: [ownerRef('ReplicaSet', rsName)] }, spec });
        }
        return objects;
      };
    });
}

export const namespaceObjectArb = (name: string): fc.Arbitrary<Obj | undefined> =>
  fc.option(
    labelsArb(NS_LABELS, ['team', 'env']).map((labels) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } })),
    { nil: undefined, freq: 4 }, // sometimes a namespace is only referenced, never declared
  );

export type Layout = 'yaml-multi' | 'json-list' | 'files';

export function serialise(objects: Obj[], layout: Layout): SourceDocument[] {
  switch (layout) {
    case 'yaml-multi':
      return [{ path: 'cluster.yaml', text: objects.map((o) => stringify(o)).join('---\n') }];
    case 'json-list':
      return [{ path: 'cluster.json', text: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2) }];
    case 'files':
      return objects.map((o, i) => {
        const meta = o.metadata as Obj;
        const base = `${String(i).padStart(2, '0')}-${o.kind}-${String(meta.name)}`.toLowerCase();
        return i % 2 === 0 ? { path: `${base}.yaml`, text: stringify(o) } : { path: `${base}.json`, text: JSON.stringify(o) };
      });
  }
}

export const clusterArb: fc.Arbitrary<GeneratedCluster> = fc
  .integer({ min: 1, max: 3 })
  .chain((n) => {
    const namespaces = NAMESPACES.slice(0, n);
    return fc.record({
      namespaceObjects: fc.tuple(...namespaces.map(namespaceObjectArb)),
      workloads: fc.array(workloadArb(namespaces), { minLength: 1, maxLength: 5 }),
      policies: fc.array(policyArb(namespaces), { maxLength: 4 }),
      clusterPolicies: fc.array(clusterPolicyArb, { maxLength: 3 }),
      layout: fc.constantFrom<Layout>('yaml-multi', 'json-list', 'files'),
    });
  })
  .map(({ namespaceObjects, workloads, policies, clusterPolicies, layout }) => {
    // Names are assigned by position so they are unique and stable under shrinking.
    // Copies, not mutations: fast-check may map the same generated value again while shrinking.
    const named = (o: Obj, name: string): Obj => ({ ...o, metadata: { ...(o.metadata as Obj), name } });
    const objects = [
      ...namespaceObjects.filter((o): o is Obj => o !== undefined),
      ...workloads.flatMap((build, i) => build(`w${i}`)),
      ...policies.map((p, i) => named(p, `np-${i}`)),
      // The BaselineAdminNetworkPolicy is the singleton `default`: later ones are left out.
      ...clusterPolicies
        .filter((p, i) => p.kind !== 'BaselineAdminNetworkPolicy' || clusterPolicies.findIndex((q) => q.kind === p.kind) === i)
        .map((p, i) => named(p, p.kind === 'BaselineAdminNetworkPolicy' ? 'default' : `cnp-${i}`)),
    ];
    return { documents: serialise(objects, layout), objects };
  });
