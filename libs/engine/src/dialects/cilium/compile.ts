// Compiles CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy (cilium.io/v2) into the neutral rule model.
// Cilium's policies and the Kubernetes NetworkPolicies it enforces form one layer (the namespaced tier): allows
// are a union, a deny rule of any policy wins over every allow, and a policy with rules in a direction (`ingress`
// or `ingressDeny`, ...) isolates the endpoints it selects in that direction unless `enableDefaultDeny` says no.
// Selectors match Cilium's identity labels (cni-profiles/derived-labels.ts); a namespaced policy's selectors
// are confined to its namespace unless they name `io.kubernetes.pod.namespace` or a namespace label.
import { ConnectionSet, isProtocol, PROTOCOLS, type Protocol } from '../../algebra/connection-set.js';
import { RulePorts } from '../../algebra/rule-ports.js';
import { IpSet, ipBlockSet, parseCidr, parseIp } from '../../algebra/ip-set.js';
import { Selector, type LabelSelectorSpec } from '../../algebra/selector.js';
import type { ParsedObject } from '../../manifest/types.js';
import { asArray, asNumber, asObject, asString, dig, type RawObject } from '../../model/raw.js';
import { DEFAULT_NAMESPACE } from '../../model/namespaces.js';
import type { Direction, DirectionModel, NodeModel, PeerModel, PolicyModel, PortModel, RuleModel, UnmodelledPeer } from '../../model/types.js';
import type { CompileCache } from '../compile-cache.js';
import { NAMESPACED_TIER } from '../namespaced-tier.js';
import type { CompileContext } from '../types.js';
import { rulePorts } from '../rule-ports.js';

const NAMESPACE_KEY = 'io.kubernetes.pod.namespace';
const NAMESPACE_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels.';
/** Label sources a selector key may name that every pod label has (`k8s:app` and `any:app` are `app`). */
const POD_LABEL_SOURCES = ['k8s:', 'any:'];
/** A selector no pod matches (a node-selecting policy selects no pod). */
const NO_POD = Selector.compile({ matchExpressions: [{ key: 'io.kubernetes.pod.namespace', operator: 'In', values: [] }] });
const WORLD: readonly string[] = ['0.0.0.0/0', '::/0'];

/** Entities a snapshot of pods decides: every pod, every pod and every address, addresses outside the cluster. */
const ENTITY_PEERS: Readonly<Record<string, { pods: boolean; world: readonly string[] }>> = {
  all: { pods: true, world: WORLD },
  cluster: { pods: true, world: [] },
  world: { pods: false, world: WORLD },
  'world-ipv4': { pods: false, world: ['0.0.0.0/0'] },
  'world-ipv6': { pods: false, world: ['::/0'] },
  // An entity that "can be selected but never exist" (Cilium's EntityNone): matches nothing, certainly.
  none: { pods: false, world: [] },
};

export function compileCiliumPolicy(parsed: ParsedObject, id: number, context: CompileContext): PolicyModel {
  const { object } = parsed;
  const clusterwide = object.kind === 'CiliumClusterwideNetworkPolicy';
  const namespace = clusterwide ? '' : object.metadata.namespace || DEFAULT_NAMESPACE;
  const scope: Scope = { namespace, clusterwide, cache: context.cache, auxiliaryObject: context.auxiliaryObject, nodes: nodeAddresses(context.nodes) };
  // `spec` and the entries of `specs` are rules of one policy; those sharing the first rule's subject compile
  // into this model, the others are named as caveats (one model has one subject).
  const specs: { spec: RawObject; path: string }[] = [];
  const spec = asObject(object.spec);
  if (spec) specs.push({ spec, path: 'spec' });
  (asArray(object.specs) ?? []).forEach((s, i) => {
    const o = asObject(s);
    if (o) specs.push({ spec: o, path: `specs[${i}]` });
  });
  const subjectKey = (s: RawObject) => JSON.stringify([s.endpointSelector ?? null, s.nodeSelector ?? null]);
  const first = specs[0];
  const own = first ? specs.filter((s) => subjectKey(s.spec) === subjectKey(first.spec)) : [];
  const others = specs.filter((s) => !own.includes(s));
  const ingress: RuleModel[] = [];
  const egress: RuleModel[] = [];
  let ingressIsolates = false;
  let egressIsolates = false;
  let ingressListed = false;
  let egressListed = false;
  for (const { spec: s, path } of own) {
    const before = { ingress: ingress.length, egress: egress.length };
    compileRules(s.ingressDeny, `${path}.ingressDeny`, 'ingress', 'deny', scope, ingress);
    compileRules(s.ingress, `${path}.ingress`, 'ingress', 'allow', scope, ingress);
    compileRules(s.egressDeny, `${path}.egressDeny`, 'egress', 'deny', scope, egress);
    compileRules(s.egress, `${path}.egress`, 'egress', 'allow', scope, egress);
    const hasIngress = listed(s.ingress) || listed(s.ingressDeny);
    const hasEgress = listed(s.egress) || listed(s.egressDeny);
    ingressListed ||= hasIngress || ingress.length > before.ingress;
    egressListed ||= hasEgress || egress.length > before.egress;
    // A rule with a section in a direction puts the endpoint in default deny there, unless it opts out.
    ingressIsolates ||= hasIngress && dig(s, 'enableDefaultDeny', 'ingress') !== false;
    egressIsolates ||= hasEgress && dig(s, 'enableDefaultDeny', 'egress') !== false;
  }
  const subjectUnmodelled: UnmodelledPeer[] = [];
  let podSelector = NO_POD;
  if (first) {
    const endpointSelector = asObject(first.spec.endpointSelector);
    if (endpointSelector) {
      const compiled = endpointSelectorOf(endpointSelector, scope);
      if (compiled.kind === 'pods') podSelector = compiled.selector;
      else subjectUnmodelled.push({ kind: compiled.kind === 'world' ? 'entities' : compiled.kind, path: `${first.path}.endpointSelector` });
    } else if (asObject(first.spec.nodeSelector)) {
      // Host policies select nodes (host endpoints), not pods: no pod-to-pod verdict changes, but a host-network
      // pod's traffic may.
      subjectUnmodelled.push({ kind: 'nodes', path: `${first.path}.nodeSelector` });
    }
  }
  for (const o of others) subjectUnmodelled.push({ kind: 'other', path: `${o.path}.endpointSelector` });
  if (subjectUnmodelled.length > 0) {
    // Carried on a rule-less marker in the rule lists would change explanations; the policy's first rule (or a
    // synthetic deny of nothing) holds them so that caveats name the policy.
    const holder: RuleModel = {
      direction: 'ingress',
      action: 'deny',
      precedence: 0,
      index: ingress.length,
      path: subjectUnmodelled[0].path,
      peers: [],
      ports: [],
      allowed: rulePorts([]),
      unmodelledPeers: subjectUnmodelled,
    };
    ingress.push(holder);
  }
  return {
    id,
    dialect: 'cilium',
    apiVersion: object.apiVersion,
    kind: object.kind,
    tier: NAMESPACED_TIER,
    priority: 0,
    namespace,
    subjectNamespaces: clusterwide ? Selector.EVERYTHING : null,
    name: object.metadata.name,
    fullName: namespace ? `${namespace}/${object.metadata.name}` : object.metadata.name,
    podSelector,
    ingress: direction(ingressListed || ingress.length > 0, ingressIsolates, ingress),
    egress: direction(egressListed || egress.length > 0, egressIsolates, egress),
    object,
    readIndex: context.readIndex,
    source: parsed.source,
  };
}

function direction(applies: boolean, isolates: boolean, rules: readonly RuleModel[]): DirectionModel {
  return isolates || !applies ? { affects: applies, rules } : { affects: true, isolates: false, rules };
}

function listed(value: unknown): boolean {
  return (asArray(value)?.length ?? 0) > 0;
}

interface Scope {
  readonly namespace: string;
  readonly clusterwide: boolean;
  readonly cache: CompileCache;
  readonly auxiliaryObject: CompileContext['auxiliaryObject'];
  /** The snapshot's node addresses (host-network pods share them): Cilium gives them the `host` / `remote-node`
   *  identities, so `world` and CIDR peers never match them (CIDR selectors select nodes only under
   *  `policy-cidr-match-mode: nodes`, not the default). */
  readonly nodes: NodeAddresses;
}

interface NodeAddresses {
  /** `|nodes:<addresses>` for cache keys, '' without nodes. */
  readonly key: string;
  readonly sets: readonly IpSet[];
}

function nodeAddresses(nodes: ReadonlyMap<string, NodeModel>): NodeAddresses {
  const byFamily: Record<4 | 6, { first: bigint; last: bigint }[]> = { 4: [], 6: [] };
  const texts: string[] = [];
  for (const node of nodes.values()) {
    for (const text of node.ips) {
      const ip = parseIp(text);
      if (!ip) continue;
      byFamily[ip.family].push({ first: ip.value, last: ip.value });
      texts.push(text);
    }
  }
  const sets = ([4, 6] as const).filter((f) => byFamily[f].length > 0).map((f) => IpSet.of(f, byFamily[f]));
  return { key: texts.length > 0 ? `|nodes:${texts.sort().join(',')}` : '', sets };
}

function compileRules(value: unknown, path: string, dir: Direction, action: 'allow' | 'deny', scope: Scope, out: RuleModel[]): void {
  (asArray(value) ?? []).forEach((raw, index) => {
    const rulePath = `${path}[${index}]`;
    const rule = asObject(raw) ?? {};
    const unmodelled: UnmodelledPeer[] = [];
    const l3 = compileL3(rule, rulePath, dir, scope, unmodelled);
    const portRules = asArray(rule.toPorts) ?? [];
    const icmps = asArray(rule.icmps) ?? [];
    // The precedence puts a policy's deny rules before its allow rules; the tier's `denyWins` does it across policies.
    const base = { direction: dir, action, precedence: action === 'deny' ? 0 : 1, index: out.length, path: rulePath, peers: l3 };
    const extra = unmodelled.length > 0 ? { unmodelledPeers: unmodelled } : {};
    const icmpSet = icmpConnections(icmps);
    // An allow rule requiring mutual authentication allows only once the peers' identities are authenticated: the
    // L4 verdict stands, explanations name the requirement as they name L7 rules.
    const auth = action === 'allow' ? authenticationConstraint(rule.authentication) : undefined;
    // Both hold: each L7 alternative of the rule with the authentication.
    const limits = (l7: readonly string[]) => (!auth ? l7 : l7.length === 0 ? [auth] : l7.map((c) => `${c} with ${auth}`));
    const withLimits = auth ? { l7: limits([]) } : {};
    const withIcmp = (ports: readonly PortModel[]) => {
      const allowed = rulePorts(ports);
      return icmpSet.isEmpty ? allowed : RulePorts.of(allowed.numeric.union(icmpSet), allowed.named);
    };
    if (portRules.length === 0) {
      // No L4 part: every port and protocol, unless the rule names ICMP types (then those only).
      if (icmps.length > 0) out.push({ ...base, ports: [], allowed: withIcmp([]), ...withLimits, ...extra });
      else out.push({ ...base, ports: null, allowed: rulePorts(null), ...withLimits, ...extra });
      return;
    }
    // One model rule per L4 entry that carries L7 rules (the constraint belongs to its ports); the others merge.
    const plain: PortModel[] = [];
    const withL7: { ports: PortModel[]; l7: string[] }[] = [];
    for (const entry of portRules) {
      const ports = compilePorts(entry);
      const l7 = l7Constraints(dig(entry, 'rules'));
      if (l7.length > 0) withL7.push({ ports, l7 });
      else plain.push(...ports);
    }
    if (plain.length > 0 || withL7.length === 0) out.push({ ...base, index: out.length, ports: plain, allowed: withIcmp(plain), ...withLimits, ...extra });
    for (const { ports, l7 } of withL7) out.push({ ...base, index: out.length, ports, allowed: rulePorts(ports), l7: limits(l7), ...extra });
  });
}

/** The rule's L3 peers: null (every peer) when it names none but has an L4 part; [] when the rule is empty. */
function compileL3(rule: RawObject, path: string, dir: Direction, scope: Scope, unmodelled: UnmodelledPeer[]): PeerModel[] | null {
  const from = dir === 'ingress' ? 'from' : 'to';
  const peers: PeerModel[] = [];
  let named = false;
  (asArray(rule[`${from}Endpoints`]) ?? []).forEach((raw, i) => {
    named = true;
    const p = `${path}.${from}Endpoints[${i}]`;
    const compiled = endpointSelectorOf(asObject(raw) ?? {}, scope);
    if (compiled.kind === 'pods') peers.push({ kind: 'pods', namespaceSelector: compiled.namespaces, podSelector: compiled.selector, path: p });
    else if (compiled.kind === 'world') for (const cidr of WORLD) peers.push(ipPeer(cidr, [], p, scope));
    else unmodelled.push({ kind: compiled.kind, path: p });
  });
  const entities = (asArray(rule[`${from}Entities`]) ?? []).map((e) => asString(e) ?? '');
  // `host` (the subject's own node) and `remote-node` (every other node) together are every node of the snapshot.
  const everyNode = entities.includes('host') && entities.includes('remote-node') && scope.nodes.sets.length > 0;
  entities.forEach((name, i) => {
    named = true;
    const p = `${path}.${from}Entities[${i}]`;
    if (everyNode && (name === 'host' || name === 'remote-node')) {
      if (name === 'host') peers.push(...nodePeers(p, scope));
      return;
    }
    const entity = ENTITY_PEERS[name];
    if (!entity) {
      unmodelled.push({ kind: 'entities', path: p });
      return;
    }
    if (entity.pods) peers.push({ kind: 'pods', namespaceSelector: Selector.EVERYTHING, podSelector: null, path: p });
    // `all` is every identity, node addresses included; `world` is what lies outside the cluster, so not the nodes.
    for (const cidr of entity.world) peers.push(ipPeer(cidr, [], p, scope, !entity.pods));
    // `cluster` also covers the nodes (`host`, `remote-node`) and the API server: the snapshot's node addresses when
    // it has Nodes (their host-network pods are pods here already); without them, a caveat.
    if (name === 'cluster') {
      if (scope.nodes.sets.length > 0) peers.push(...nodePeers(p, scope));
      else unmodelled.push({ kind: 'entities', path: p });
    }
  });
  (asArray(rule[`${from}CIDR`]) ?? []).forEach((raw, i) => {
    named = true;
    peers.push(ipPeer(asString(raw) ?? '', [], `${path}.${from}CIDR[${i}]`, scope));
  });
  (asArray(rule[`${from}CIDRSet`]) ?? []).forEach((raw, i) => {
    named = true;
    const p = `${path}.${from}CIDRSet[${i}]`;
    const except = (asArray(dig(raw, 'except')) ?? []).map((e) => asString(e) ?? '');
    const cidr = asString(dig(raw, 'cidr'));
    const group = asString(dig(raw, 'cidrGroupRef'));
    if (cidr !== undefined) peers.push(ipPeer(cidr, except, p, scope));
    else if (group !== undefined) {
      const found = scope.auxiliaryObject?.('cilium.io', 'CiliumCIDRGroup', '', group);
      if (!found) unmodelled.push({ kind: 'other', path: `${p}.cidrGroupRef` });
      (asArray(dig(found?.object.spec, 'externalCIDRs')) ?? []).forEach((c) => peers.push(ipPeer(asString(c) ?? '', except, `${p}.cidrGroupRef`, scope)));
    } else unmodelled.push({ kind: 'other', path: p });
  });
  const undecidable: [string, UnmodelledPeer['kind']][] = [
    [`${from}Requires`, 'other'],
    [`${from}Groups`, 'other'],
    [`${from}Nodes`, 'nodes'],
    ['toServices', 'services'],
    ['toFQDNs', 'domainNames'],
  ];
  for (const [field, kind] of undecidable) {
    if (dir === 'ingress' && (field === 'toServices' || field === 'toFQDNs')) continue;
    const list = asArray(rule[field]) ?? [];
    // Requirements narrow the other peers instead of naming peers of their own.
    if (list.length > 0 && !field.endsWith('Requires')) named = true;
    list.forEach((_, i) => unmodelled.push({ kind, path: `${path}.${field}[${i}]` }));
  }
  if (named) return peers;
  // No L3 part: an L4 part alone applies to every peer; a rule with neither matches nothing.
  const hasL4 = (asArray(rule.toPorts)?.length ?? 0) > 0 || (asArray(rule.icmps)?.length ?? 0) > 0;
  return hasL4 ? null : [];
}

type CompiledEndpointSelector =
  | { kind: 'pods'; namespaces: Selector | null; selector: Selector }
  | { kind: 'world' }
  | { kind: 'entities' | 'other' };

/** An endpoint selector over Cilium's identity labels: `k8s:` / `any:` prefixes dropped, `reserved:` labels
 *  naming entities; confined to the policy's namespace unless it names `io.kubernetes.pod.namespace`. */
function endpointSelectorOf(raw: RawObject, scope: Scope): CompiledEndpointSelector {
  const keyOf = (key: string): string => {
    for (const prefix of POD_LABEL_SOURCES) if (key.startsWith(prefix)) return key.slice(prefix.length);
    return key;
  };
  const matchLabels: Record<string, unknown> = {};
  const matchExpressions: { key: string; operator: unknown; values?: unknown }[] = [];
  const sources = new Set<string>();
  for (const [key, value] of Object.entries(asObject(raw.matchLabels) ?? {})) {
    sources.add(sourceOf(key));
    matchLabels[keyOf(key)] = value;
  }
  for (const expr of asArray(raw.matchExpressions) ?? []) {
    const key = asString(dig(expr, 'key')) ?? '';
    sources.add(sourceOf(key));
    matchExpressions.push({ key: keyOf(key), operator: dig(expr, 'operator'), values: dig(expr, 'values') });
  }
  if (sources.has('reserved')) {
    const keys = Object.keys(asObject(raw.matchLabels) ?? {});
    return keys.length === 1 && keys[0] === 'reserved:world' ? { kind: 'world' } : { kind: 'entities' };
  }
  if ([...sources].some((s) => s !== '' && s !== 'k8s' && s !== 'any')) return { kind: 'other' };
  const spec: LabelSelectorSpec = { matchLabels, matchExpressions };
  const key = `cilium\u0000${JSON.stringify(spec)}`;
  let selector = scope.cache.selectors.get(key);
  if (!selector) scope.cache.selectors.set(key, (selector = Selector.compile(spec)));
  // Cilium scopes the selector to the policy's namespace unless it names the namespace or one of its labels.
  const namesNamespace = selector.keys().some((k) => k === NAMESPACE_KEY || k.startsWith(NAMESPACE_LABELS_PREFIX));
  return { kind: 'pods', namespaces: scope.clusterwide || namesNamespace ? Selector.EVERYTHING : null, selector };
}

function sourceOf(key: string): string {
  const colon = key.indexOf(':');
  return colon < 0 ? '' : key.slice(0, colon);
}

/** A CIDR peer: its addresses outside `except`, and outside the snapshot's nodes unless `withoutNodes` is false. */
function ipPeer(cidr: string, except: readonly string[], path: string, scope: Scope, withoutNodes = true): PeerModel {
  const cache = scope.cache;
  const key = `${cidr}|${except.join(',')}${withoutNodes ? scope.nodes.key : ''}`;
  let set = cache.ipBlocks.get(key);
  if (!set) {
    // A malformed CIDR (the validator reports it) matches nothing.
    set = ipBlockSet(cidr, except.filter((e) => parseCidr(e)?.family === parseCidr(cidr)?.family)) ?? IpSet.empty(parseCidr(cidr)?.family ?? 4);
    if (withoutNodes) for (const nodes of scope.nodes.sets) set = set.subtract(nodes);
    cache.ipBlocks.set(key, set);
  }
  return { kind: 'ipBlock', key, cidr, except, set, path };
}

/** The snapshot's node addresses as peers (one block per family; `cidr` names what they stand for). */
function nodePeers(path: string, scope: Scope): PeerModel[] {
  return scope.nodes.sets.map((set) => {
    const key = `cilium-nodes${scope.nodes.key}|${set.family}`;
    const cached = scope.cache.ipBlocks.get(key) ?? set;
    scope.cache.ipBlocks.set(key, cached);
    // Host-network pods share their node's address and identity: they match too.
    return { kind: 'ipBlock', key, cidr: 'nodes', except: [], set: cached, matchesPods: true, path };
  });
}

/** A `toPorts` entry's ports: protocol ANY (or none) is every protocol; port "0" or none is every port. */
function compilePorts(entry: unknown): PortModel[] {
  const list = asArray(dig(entry, 'ports')) ?? [];
  if (list.length === 0) return PROTOCOLS.map((protocol) => ({ protocol }));
  const out: PortModel[] = [];
  for (const raw of list) {
    const protocolText = (asString(dig(raw, 'protocol')) ?? 'ANY').toUpperCase();
    const protocols: readonly Protocol[] = isProtocol(protocolText) ? [protocolText] : protocolText === 'ANY' ? PROTOCOLS : [];
    const portValue = dig(raw, 'port');
    const portText = typeof portValue === 'number' ? String(portValue) : (asString(portValue) ?? '0');
    const endPort = asNumber(dig(raw, 'endPort'));
    for (const protocol of protocols) {
      if (/^\d+$/.test(portText)) {
        const port = Number(portText);
        if (port === 0) out.push({ protocol });
        else out.push(endPort !== undefined && endPort > port ? { protocol, port, endPort } : { protocol, port });
      } else out.push({ protocol, port: portText });
    }
  }
  return out;
}

/** ICMP type names Cilium accepts besides numbers, per family. */
const ICMP_TYPE_NAMES: Readonly<Record<string, readonly [number, number]>> = {
  EchoReply: [0, 129],
  DestinationUnreachable: [3, 1],
  Redirect: [5, 137],
  EchoRequest: [8, 128],
  TimeExceeded: [11, 3],
  ParameterProblem: [12, 4],
};

/** `icmps[].fields[]`: a family (IPv4 default) and a type (every code of it). */
function icmpConnections(icmps: readonly unknown[]): ConnectionSet {
  let set = ConnectionSet.NONE;
  for (const entry of icmps) {
    for (const field of asArray(dig(entry, 'fields')) ?? []) {
      const v6 = asString(dig(field, 'family')) === 'IPv6';
      const raw = dig(field, 'type');
      const named = typeof raw === 'string' && !/^\d+$/.test(raw) ? ICMP_TYPE_NAMES[raw] : undefined;
      const type = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : named ? named[v6 ? 1 : 0] : undefined;
      if (type === undefined || type < 0 || type > 255) continue;
      set = set.union(ConnectionSet.icmp(v6 ? 'ICMPv6' : 'ICMP', type));
    }
  }
  return set;
}

/** `authentication.mode` of an allow rule as a constraint (`mutual authentication (required)`); none when absent or
 *  `disabled` (Cilium's default: no authentication). */
function authenticationConstraint(value: unknown): string | undefined {
  const mode = asString(dig(value, 'mode'));
  return mode === undefined || mode === '' || mode === 'disabled' ? undefined : `mutual authentication (${mode})`;
}

/** Layer-7 rules as constraints explanations print: `GET /api/.*`, `GET / (X-Token: …)`, `DNS *.example.com`. */
function l7Constraints(rules: unknown): string[] {
  const o = asObject(rules);
  if (!o) return [];
  const out: string[] = [];
  for (const http of asArray(o.http) ?? []) {
    const method = asString(dig(http, 'method')) || 'any method';
    const path = asString(dig(http, 'path')) || '/.*';
    const host = asString(dig(http, 'host'));
    const headers = (asArray(dig(http, 'headers')) ?? []).map((h) => asString(h) ?? '').filter((h) => h !== '');
    out.push(`${method} ${path}${host ? ` host ${host}` : ''}${headers.length > 0 ? ` with headers ${headers.join(', ')}` : ''}`);
  }
  for (const dns of asArray(o.dns) ?? []) out.push(`DNS ${asString(dig(dns, 'matchName')) ?? asString(dig(dns, 'matchPattern')) ?? '*'}`);
  if ((asArray(o.kafka) ?? []).length > 0) out.push('Kafka rules');
  if (asString(o.l7proto)) out.push(`${asString(o.l7proto)} rules`);
  return out;
}
