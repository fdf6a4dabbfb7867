// Compiles Calico's NetworkPolicy and GlobalNetworkPolicy (projectcalico.org/v3, and the crd.projectcalico.org/v1
// CRDs) into the neutral tiered model:
// - tiers from the snapshot's Tier objects (`order`, `defaultAction` Deny → end-of-tier deny for the endpoints a
//   tier's policies select, Pass → fall through); the `default` tier sits where Kubernetes NetworkPolicies do
//   (Calico enforces them in the default tier at order 1000), so both share one layer;
// - policy `order` (lower first, unset last) as the priority, rules first-match in order: Allow, Deny, Pass, Log;
// - `types` defaulting: Ingress unless there are only egress rules, Egress when there are egress rules;
// - each rule's peer is one matcher: the far end's side (`source` for ingress, `destination` for egress) with
//   selector / notSelector / namespaceSelector / nets / notNets (network sets selected like endpoints), and the
//   near side narrowing the subject; ports / notPorts, protocol / notProtocol, icmp / notICMP as a connection set;
// - service accounts: a rule side's `serviceAccounts` {names, selector} and the policy's `serviceAccountSelector`
//   match a pod's service account by name and by its ServiceAccount's labels (plus `projectcalico.org/name`, as
//   Calico labels them); a pod whose account is not recorded matches neither (model/service-accounts.ts);
// - client source ports (`source.ports` / `source.notPorts`): the questions we answer fix the destination port, not
//   the client's ephemeral one, so an Allow limited to source ports allows "source ports … only" (named in the
//   verdict like L7 constraints) and a Deny / Pass limited to them decides nothing here, with a caveat naming it.
import { ConnectionSet, icmpPoints, type AnyProtocol, type IcmpFamily, type Protocol } from '../../algebra/connection-set.js';
import { IpSet, ipBlockSet, parseIp, type ParsedAddress } from '../../algebra/ip-set.js';
import { PortSet } from '../../algebra/port-set.js';
import { RulePorts, type NamedPortRef } from '../../algebra/rule-ports.js';
import { Selector, type Labels } from '../../algebra/selector.js';
import type { ParsedObject } from '../../manifest/types.js';
import { DEFAULT_NAMESPACE, NAMESPACE_NAME_LABEL as K8S_NAMESPACE_NAME_LABEL } from '../../model/namespaces.js';
import { asArray, asNumber, asObject, asString, dig, labelRecord } from '../../model/raw.js';
import type { Direction, DirectionModel, MatcherPeerModel, PeerView, PolicyModel, PortModel, RuleAction, RuleModel, TierModel, UnmodelledPeer } from '../../model/types.js';
import type { CompileContext, ServiceModel } from '../types.js';
import { calicoLabelSelector } from './label-selector.js';
import { CalicoSelector, isSelectorError } from './selector/selector.js';

/** Calico's label for an endpoint's namespace, and for a namespace's name. */
export const NAMESPACE_LABEL = 'projectcalico.org/namespace';
export const NAMESPACE_NAME_LABEL = 'projectcalico.org/name';
const ORCHESTRATOR_LABEL = 'projectcalico.org/orchestrator';
/** Calico's label for a pod's service account (set when the name is shorter than 63 characters). */
const SERVICE_ACCOUNT_LABEL = 'projectcalico.org/serviceaccount';
/** Labels a workload endpoint inherits from its profiles: its namespace's labels (and name) under `pcns.`, its
 *  service account's under `pcsa.` (Calico's kns.<namespace> and ksa.<namespace>.<account> profiles). */
const NAMESPACE_PROFILE_PREFIX = 'pcns.';
const SERVICE_ACCOUNT_PROFILE_PREFIX = 'pcsa.';

/** Whether a selector reads labels an endpoint has only through its namespace or service account. */
function readsProfileLabels(selector: CalicoSelector): boolean {
  return selector.keys().some((k) => k === SERVICE_ACCOUNT_LABEL || k.startsWith(NAMESPACE_PROFILE_PREFIX) || k.startsWith(SERVICE_ACCOUNT_PROFILE_PREFIX));
}

/** Whether a selector reads the labels an endpoint has through its service account. */
function readsAccountLabels(selector: CalicoSelector | null): boolean {
  return selector !== null && selector.keys().some((k) => k === SERVICE_ACCOUNT_LABEL || k.startsWith(SERVICE_ACCOUNT_PROFILE_PREFIX));
}

/** Calico's tier orders of its fixed points: the admin tier (AdminNetworkPolicy), `default`, the baseline tier. */
const ADMIN_ORDER = 1_000;
const DEFAULT_ORDER = 1_000_000;
const BASELINE_ORDER = 10_000_000;
/** A policy without `order` comes after every ordered policy of its tier. */
const UNSET_POLICY_ORDER = 1e15;
/** Kubernetes NetworkPolicies sit at order 1000 in the default tier; their neutral priority is 0. */
const KUBERNETES_POLICY_ORDER = 1_000;

/** A Calico tier order on the neutral scale (admin 100, NetworkPolicy 200, baseline 300): Calico's fixed points map
 *  onto the neutral ones, orders in between in proportion; a tier without order comes last. Other tiers never
 *  land exactly on a fixed point (they are separate layers): just after it, or just before `default` when their
 *  name sorts before it. */
export function neutralTierOrder(order: number | undefined, name: string): number {
  if (name === 'default') return 200;
  if (order === undefined) return 400;
  const scaled =
    order <= ADMIN_ORDER
      ? (100 * order) / ADMIN_ORDER
      : order <= DEFAULT_ORDER
        ? 100 + (100 * (order - ADMIN_ORDER)) / (DEFAULT_ORDER - ADMIN_ORDER)
        : order <= BASELINE_ORDER
          ? 200 + (100 * (order - DEFAULT_ORDER)) / (BASELINE_ORDER - DEFAULT_ORDER)
          : 300 + Math.min(99, order / BASELINE_ORDER);
  // A tier of the default tier's order sorts by name against `default` (felix TierLess): before it when its name
  // is; far enough below 200 that separateEqualOrders' steps (< 1e-7) keep it there.
  if (scaled === 200 && name < 'default') return 200 - 1e-6;
  return scaled === 100 || scaled === 200 || scaled === 300 ? scaled + 1e-9 : scaled;
}

interface NetworkSetModel {
  readonly namespace: string | null;
  readonly labels: Labels;
  readonly nets: readonly IpSet[];
}

interface CalicoContext {
  readonly tiers: ReadonlyMap<string, TierModel>;
  readonly networkSets: readonly NetworkSetModel[];
  /** A service account's labels as Calico's selectors see them (the ServiceAccount's, plus its name). */
  readonly serviceAccountLabels: (namespace: string, name: string) => Labels;
  /** A Service of the snapshot (rule sides' `services`). */
  readonly service: (namespace: string, name: string) => ServiceModel | undefined;
}

const contexts = new WeakMap<readonly ParsedObject[], CalicoContext>();

function calicoContext(compile: CompileContext): CalicoContext {
  const { auxiliary } = compile;
  let context = contexts.get(auxiliary);
  if (context) return context;
  const tiers = new Map<string, TierModel>();
  const networkSets: NetworkSetModel[] = [];
  for (const { object } of auxiliary) {
    if (!object.apiVersion.startsWith('projectcalico.org/') && !object.apiVersion.startsWith('crd.projectcalico.org/')) continue;
    if (object.kind === 'Tier') {
      const name = object.metadata.name;
      const order = asNumber(dig(object.spec, 'order'));
      const endOfTier = asString(dig(object.spec, 'defaultAction')) === 'Pass' ? 'continue' : 'deny-selected';
      tiers.set(name, { name, order: neutralTierOrder(order, name), endOfTier });
    } else if (object.kind === 'NetworkSet' || object.kind === 'GlobalNetworkSet') {
      const namespace = object.kind === 'NetworkSet' ? object.metadata.namespace || DEFAULT_NAMESPACE : null;
      const labels: Record<string, string> = { ...labelRecord(object.metadata.labels) };
      if (namespace !== null) labels[NAMESPACE_LABEL] = namespace;
      networkSets.push({ namespace, labels, nets: netSets(asArray(dig(object.spec, 'nets'))) });
    }
  }
  separateEqualOrders(tiers);
  const labelsOf = compile.serviceAccountLabels;
  // A ServiceAccount the input lacks still has its name (Calico's `projectcalico.org/name`).
  const serviceAccountLabels = (namespace: string, name: string): Labels => ({ ...(labelsOf?.(namespace, name) ?? {}), [NAMESPACE_NAME_LABEL]: name });
  const service = compile.service ?? (() => undefined);
  context = { tiers, networkSets, serviceAccountLabels, service };
  contexts.set(auxiliary, context);
  return context;
}

/** Calico orders tiers of equal `order` (or none) by name: each is a layer of its own (a Pass or an end-of-tier deny
 *  of one must not mix with the other's rules), so names after the first of an order move up by a step far smaller
 *  than any gap between distinct orders on the neutral scale. */
function separateEqualOrders(tiers: Map<string, TierModel>): void {
  const byOrder = new Map<number, string[]>();
  for (const [name, t] of tiers) {
    if (name === 'default') continue;
    const names = byOrder.get(t.order);
    if (names) names.push(name);
    else byOrder.set(t.order, [name]);
  }
  for (const names of byOrder.values()) {
    if (names.length < 2) continue;
    names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    names.forEach((name, i) => {
      const t = tiers.get(name)!;
      tiers.set(name, { ...t, order: t.order + (i * 1e-7) / names.length });
    });
  }
}

const DEFAULT_TIER: TierModel = { name: 'default', order: 200, endOfTier: 'deny-selected' };

/** A tier the input does not declare: after every declared one, tiers without order included (felix TierLess sorts
 *  invalid tiers last), each a layer of its own, by name — the name's first 7 characters read as a fraction in
 *  [0, 1) that keeps their order (7 bits each, within a double's precision). */
function undeclaredTierOrder(name: string): number {
  let fraction = 0;
  for (let i = 0, scale = 1 / 128; i < Math.min(7, name.length); i++, scale /= 128) fraction += Math.min(name.charCodeAt(i), 127) * scale;
  return 450 + fraction;
}

export function compileCalicoPolicy(parsed: ParsedObject, id: number, context: CompileContext): PolicyModel {
  const { object } = parsed;
  const calico = calicoContext(context);
  const global = object.kind === 'GlobalNetworkPolicy';
  const namespace = global ? '' : object.metadata.namespace || DEFAULT_NAMESPACE;
  const spec = asObject(object.spec) ?? {};
  const tierName = asString(spec.tier) ?? 'default';
  const tier = calico.tiers.get(tierName) ?? (tierName === 'default' ? DEFAULT_TIER : { name: tierName, order: undeclaredTierOrder(tierName), endOfTier: 'deny-selected' as const });
  const order = asNumber(spec.order);
  const ingressRaw = asArray(spec.ingress) ?? [];
  const egressRaw = asArray(spec.egress) ?? [];
  const types = asArray(spec.types)?.map(asString);
  // Calico: without `types`, Ingress unless there are only egress rules; Egress when there are egress rules.
  const affectsIngress = types ? types.includes('Ingress') : ingressRaw.length > 0 || egressRaw.length === 0;
  const affectsEgress = types ? types.includes('Egress') : egressRaw.length > 0;
  const namespaceSelector = global ? compileNamespaceSelector(asString(spec.namespaceSelector)) : null;
  const name = object.metadata.name;
  const serviceAccountSelector = asString(spec.serviceAccountSelector);
  const byAccount = serviceAccountSelector === undefined || serviceAccountSelector.trim() === '' ? undefined : compileServiceAccountSelector(serviceAccountSelector, calico);
  // A `selector` reading what a pod inherits (its account, its namespace's or account's labels, or — in a global
  // policy — its namespace) is decided per pod with those labels; its pod-label view alone selects every pod.
  const subject = parseSelector(asString(spec.selector));
  const inherits = subject !== null && (readsProfileLabels(subject) || (global && subject.keys().includes(NAMESPACE_LABEL)));
  const selector = inherits ? Selector.custom(`calico-endpoint:${subject.canonical}`, subject.keys(), () => true) : compileSubjectSelector(asString(spec.selector), namespace);
  const namespaceLabels = context.namespaceLabels ?? ((n: string): Labels => ({ [K8S_NAMESPACE_NAME_LABEL]: n }));
  const byInheritedLabels = inherits
    ? (podNamespace: string, serviceAccount: string | null, labels: Labels) =>
        subject.matches(profiledEndpointLabels({ type: 'pod', namespace: podNamespace, labels, ips: [], serviceAccount }, namespaceLabels, calico))
    : undefined;
  const subjectServiceAccounts =
    byAccount && byInheritedLabels
      ? (n: string, a: string | null, l: Labels) => byAccount(n, a) && byInheritedLabels(n, a, l)
      : (byInheritedLabels ?? byAccount);
  return {
    id,
    dialect: 'calico',
    apiVersion: object.apiVersion,
    kind: object.kind,
    tier,
    priority: (order ?? UNSET_POLICY_ORDER) - KUBERNETES_POLICY_ORDER,
    subjectNamespaces: namespaceSelector,
    namespace,
    name,
    fullName: namespace ? `${namespace}/${name}` : name,
    podSelector: selector,
    ...(subjectServiceAccounts ? { subjectServiceAccounts } : {}),
    ...(byInheritedLabels && !byAccount && !readsAccountLabels(subject) ? { subjectIgnoresServiceAccount: true } : {}),
    // Pre-DNAT and untracked policies apply to host endpoints only, whatever pods their selector matches.
    ...(global && (spec.preDNAT === true || spec.doNotTrack === true) ? { hostEndpointsOnly: true } : {}),
    ingress: { affects: affectsIngress, rules: compileRules(ingressRaw, 'ingress', namespace, calico) } satisfies DirectionModel,
    egress: { affects: affectsEgress, rules: compileRules(egressRaw, 'egress', namespace, calico) } satisfies DirectionModel,
    object,
    readIndex: context.readIndex,
    source: parsed.source,
  };
}

/** A parsed selector, or null for text that does not parse (validation reports it; it then selects nothing). */
function parseSelector(text: string | undefined): CalicoSelector | null {
  const parsed = CalicoSelector.parse(text ?? '');
  return isSelectorError(parsed) ? null : parsed;
}

/** The policy's `selector` over a pod's labels plus Calico's own endpoint labels (its namespace, orchestrator);
 *  a GlobalNetworkPolicy does not know the pod's namespace here, so only a namespaced policy adds it. */
function compileSubjectSelector(text: string | undefined, namespace: string): Selector {
  const parsed = parseSelector(text);
  if (!parsed) return Selector.custom(`calico:invalid:${text ?? ''}`, [], () => false);
  if (parsed.isAll) return Selector.custom('calico:all()', [], () => true);
  return Selector.custom(`calico:${parsed.canonical}`, parsed.keys(), (labels) => parsed.matches(endpointLabels(labels, namespace || undefined)));
}

/** A GlobalNetworkPolicy's `namespaceSelector` over namespace labels (plus `projectcalico.org/name`). */
function compileNamespaceSelector(text: string | undefined): Selector {
  if (text === undefined || text.trim() === '') return Selector.EVERYTHING;
  const parsed = parseSelector(text);
  if (!parsed) return Selector.custom(`calico-ns:invalid:${text}`, [], () => false);
  return Selector.custom(`calico-ns:${parsed.canonical}`, parsed.keys(), (labels) => parsed.matchesNamespace(namespaceLabelsOf(labels)));
}

// Label objects are immutable and long-lived (a namespace's, a pod's): their Calico views are built once per object,
// not once per match (the factorised analysis matches each rule against every identity class).
const namespaceViews = new WeakMap<Labels, Labels>();
const endpointViews = new WeakMap<Labels, Map<string, Labels>>();

/** The policy's `serviceAccountSelector` over the labels of the subject's service account (unknown: no match). */
function compileServiceAccountSelector(text: string, calico: CalicoContext): (namespace: string, serviceAccount: string | null) => boolean {
  const parsed = parseSelector(text);
  return (namespace, serviceAccount) => parsed !== null && serviceAccount !== null && parsed.matches(calico.serviceAccountLabels(namespace, serviceAccount));
}

function namespaceLabelsOf(labels: Labels): Labels {
  const name = labels['kubernetes.io/metadata.name'];
  if (name === undefined || NAMESPACE_NAME_LABEL in labels) return labels;
  let view = namespaceViews.get(labels);
  if (!view) namespaceViews.set(labels, (view = { ...labels, [NAMESPACE_NAME_LABEL]: name }));
  return view;
}

/** A pod's labels as Calico's selectors see them with its profiles' labels: its own, its namespace and
 *  orchestrator, its service account (`projectcalico.org/serviceaccount`), `pcns.<key>` of its namespace's labels
 *  (and `pcns.projectcalico.org/name`), `pcsa.<key>` of its service account's (and `pcsa.projectcalico.org/name`).
 *  A pod whose account is not recorded has no account labels. */
function profiledEndpointLabels(end: Extract<PeerView, { type: 'pod' }>, namespaceLabels: (namespace: string) => Labels, calico: CalicoContext): Labels {
  const out: Record<string, string> = { ...endpointLabels(end.labels, end.namespace) };
  for (const [key, value] of Object.entries(namespaceLabelsOf(namespaceLabels(end.namespace)))) out[`${NAMESPACE_PROFILE_PREFIX}${key}`] = value;
  out[`${NAMESPACE_PROFILE_PREFIX}${NAMESPACE_NAME_LABEL}`] = end.namespace;
  const account = end.serviceAccount ?? null;
  if (account !== null) {
    if (account.length < 63) out[SERVICE_ACCOUNT_LABEL] = account;
    for (const [key, value] of Object.entries(calico.serviceAccountLabels(end.namespace, account))) out[`${SERVICE_ACCOUNT_PROFILE_PREFIX}${key}`] = value;
  }
  return out;
}

function endpointLabels(labels: Labels, namespace: string | undefined): Labels {
  if (namespace === undefined) return labels;
  let byNamespace = endpointViews.get(labels);
  if (!byNamespace) endpointViews.set(labels, (byNamespace = new Map()));
  let view = byNamespace.get(namespace);
  if (!view) byNamespace.set(namespace, (view = { ...labels, [NAMESPACE_LABEL]: namespace, [ORCHESTRATOR_LABEL]: 'k8s' }));
  return view;
}

const ACTIONS: Readonly<Record<string, RuleAction>> = { Allow: 'allow', Deny: 'deny', Pass: 'pass', Log: 'log' };

/** `source ports 1000-2000, 8080` / `source ports other than 53`: a rule side's client port limit, as verdicts name it. */
function sourcePortsText(source: Readonly<Record<string, unknown>>): string | undefined {
  const list = (values: unknown) => {
    const { numeric, names } = portEntries(asArray(values));
    return [...numeric.ranges().map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`)), ...names].join(', ');
  };
  const parts: string[] = [];
  if (source.ports !== undefined) parts.push(`source ports ${list(source.ports)}`);
  if (source.notPorts !== undefined) parts.push(`source ports other than ${list(source.notPorts)}`);
  return parts.length > 0 ? parts.join(' and ') : undefined;
}

function compileRules(raws: readonly unknown[], direction: Direction, policyNamespace: string, calico: CalicoContext): RuleModel[] {
  return raws.map((raw, index) => {
    const path = `spec.${direction}[${index}]`;
    const far = asObject(dig(raw, direction === 'ingress' ? 'source' : 'destination')) ?? {};
    const near = asObject(dig(raw, direction === 'ingress' ? 'destination' : 'source')) ?? {};
    const farMatch = entityMatcher(far, policyNamespace, calico);
    const nearMatch = entityMatcher(near, policyNamespace, calico);
    const action = ACTIONS[asString(dig(raw, 'action')) ?? ''] ?? 'deny';
    const destination = asObject(dig(raw, 'destination')) ?? {};
    const unmodelled: UnmodelledPeer[] = [];
    const { allowed: destinationAllowed, ports } = withServicePorts(rulePortsOf(raw, destination), destination, policyNamespace, calico);
    for (const side of ['source', 'destination'] as const) {
      const match = serviceMatch(asObject(dig(raw, side, 'services')), policyNamespace, calico);
      // A Service the snapshot lacks, or one without a selector (endpoints managed by hand): its endpoints are unknown.
      if (match && (match.service === undefined || match.service.selector === null)) unmodelled.push({ kind: 'services', path: `${path}.${side}.services` });
    }
    // Service accounts are modelled; recorded so that verdicts on pods whose account is unknown say so (and so that
    // the analysis tells pods apart by their account): `serviceAccounts`, or selectors reading the account's labels.
    for (const side of ['source', 'destination'] as const) {
      if (dig(raw, side, 'serviceAccounts') !== undefined) unmodelled.push({ kind: 'serviceAccounts', path: `${path}.${side}.serviceAccounts` });
      for (const field of ['selector', 'notSelector'] as const) {
        const parsed = parseSelector(asString(dig(raw, side, field)));
        if (parsed && parsed.keys().some((k) => k === SERVICE_ACCOUNT_LABEL || k.startsWith(SERVICE_ACCOUNT_PROFILE_PREFIX))) unmodelled.push({ kind: 'serviceAccounts', path: `${path}.${side}.${field}` });
      }
    }
    const sourcePorts = sourcePortsText(asObject(dig(raw, 'source')) ?? {});
    // A Deny or Pass limited to client source ports decides no connection we are asked about for certain.
    const partial = sourcePorts !== undefined && (action === 'deny' || action === 'pass');
    if (partial) unmodelled.push({ kind: 'sourcePorts', path: `${path}.source.${asObject(dig(raw, 'source'))?.ports !== undefined ? 'ports' : 'notPorts'}` });
    const allowed = partial ? RulePorts.of(ConnectionSet.NONE, []) : destinationAllowed;
    const rule: RuleModel = {
      direction,
      action,
      precedence: index,
      index,
      path,
      peers: [
        {
          kind: 'matcher',
          key: `${farMatch.key}#${nearMatch.key}`,
          path,
          ipSets: [...farMatch.ipSets, ...nearMatch.ipSets],
          matches: (other, subject, namespaceLabels) => farMatch.matches(other, namespaceLabels) && nearMatch.matches(subject, namespaceLabels),
          far: farMatch.matches,
          near: nearMatch.matches,
          farMatchesEveryPod: farMatch.everyPod,
          ...(farMatch.labelSelectors ? { farSelectors: farMatch.labelSelectors } : {}),
          labelKeys: [...new Set([...farMatch.labelKeys, ...nearMatch.labelKeys])].sort(),
        },
      ],
      ports,
      allowed,
      ...(unmodelled.length > 0 ? { unmodelledPeers: unmodelled } : {}),
      ...(sourcePorts !== undefined ? { sourcePorts } : {}),
    };
    return rule;
  });
}

interface EntityMatcher {
  readonly key: string;
  readonly ipSets: readonly IpSet[];
  /** Endpoint label keys the selectors read. */
  readonly labelKeys: readonly string[];
  /** Whether it matches every pod of every namespace, whatever its labels and IPs. */
  readonly everyPod: boolean;
  /** Its pods as plain label selectors, when its fields are selectors that have that form (`MatcherPeerModel.farSelectors`). */
  readonly labelSelectors?: NonNullable<MatcherPeerModel['farSelectors']>;
  readonly matches: (end: PeerView, namespaceLabels: (namespace: string) => Labels) => boolean;
}

/** One side of a Calico rule (`source` or `destination`): every field it has must hold. */
function entityMatcher(entity: Readonly<Record<string, unknown>>, policyNamespace: string, calico: CalicoContext): EntityMatcher {
  const selectorText = asString(entity.selector);
  const notSelectorText = asString(entity.notSelector);
  const namespaceSelectorText = asString(entity.namespaceSelector);
  const selector = selectorText === undefined ? undefined : parseSelector(selectorText);
  const notSelector = notSelectorText === undefined ? undefined : parseSelector(notSelectorText);
  const namespaceSelector = namespaceSelectorText === undefined ? undefined : parseSelector(namespaceSelectorText);
  const nets = entity.nets === undefined ? undefined : netSets(asArray(entity.nets));
  const notNets = entity.notNets === undefined ? undefined : netSets(asArray(entity.notNets));
  const serviceAccounts = serviceAccountMatcher(asObject(entity.serviceAccounts), calico);
  const services = serviceMatch(asObject(entity.services), policyNamespace, calico);
  const key = JSON.stringify([selector?.canonical ?? selectorText ?? null, notSelector?.canonical ?? null, namespaceSelector?.canonical ?? null, entity.nets ?? null, entity.notNets ?? null, policyNamespace, serviceAccounts?.key ?? null, services?.key ?? null]);
  // Which namespaces' endpoints and network sets the selectors reach: a namespaceSelector's namespaces
  // (`global()`: the non-namespaced network sets); else a namespaced policy's own namespace, a global policy's all.
  const inScope = (namespace: string | null, namespaceLabels: (namespace: string) => Labels): boolean => {
    if (namespaceSelector !== undefined) {
      if (namespaceSelector === null) return false;
      if (namespace === null) return namespaceSelector.mentionsGlobal;
      return namespaceSelector.matchesNamespace(namespaceLabelsOf(namespaceLabels(namespace)));
    }
    if (policyNamespace === '') return true;
    return namespace === policyNamespace;
  };
  // Calico matches a selector through IP sets holding the selected endpoints' addresses and the selected network
  // sets' nets: a pod whose address lies in a selected network set matches too.
  const selects = (sel: CalicoSelector | null, end: PeerView, namespaceLabels: (namespace: string) => Labels): boolean => {
    if (sel === null) return false;
    if (end.type === 'pod' && inScope(end.namespace, namespaceLabels)) {
      const labels = readsProfileLabels(sel) ? profiledEndpointLabels(end, namespaceLabels, calico) : endpointLabels(end.labels, end.namespace);
      if (sel.matches(labels)) return true;
    }
    return calico.networkSets.some((set) => inScope(set.namespace, namespaceLabels) && sel.matches(set.labels) && netsContain(set.nets, end));
  };
  // Calico scopes a side with service accounts like one with a selector (the policy's namespace, or its namespaceSelector);
  // in a namespaced policy a side with only a notSelector is scoped too: its selector becomes the policy's namespace
  // (libcalico-go's rule conversion namespaces the selector when a Selector, NotSelector or NamespaceSelector is set).
  const needsSelector = selector !== undefined || namespaceSelector !== undefined || serviceAccounts !== undefined || (notSelector !== undefined && policyNamespace !== '');
  const everyNamespace = namespaceSelector === undefined ? policyNamespace === '' : namespaceSelector !== null && namespaceSelector.isAll;
  const everyPod =
    (!needsSelector || ((selector === undefined || (selector !== null && selector.isAll)) && everyNamespace)) &&
    notSelector === undefined &&
    serviceAccounts === undefined &&
    services === undefined &&
    nets === undefined &&
    notNets === undefined;
  const labelSelectors = plainLabelSelectors(selector, namespaceSelector, policyNamespace);
  return {
    key,
    ...(labelSelectors && notSelector === undefined && serviceAccounts === undefined && services === undefined && nets === undefined && notNets === undefined ? { labelSelectors } : {}),
    ipSets: [...(nets ?? []), ...(notNets ?? []), ...calico.networkSets.flatMap((s) => s.nets)],
    labelKeys: [...(selector?.keys() ?? []), ...(notSelector?.keys() ?? []), ...Object.keys(services?.service?.selector ?? {})],
    everyPod,
    matches: (end, namespaceLabels) => {
      if (needsSelector && !selects(selector === undefined ? CalicoSelector.ALL : selector, end, namespaceLabels)) return false;
      if (notSelector !== undefined && (notSelector === null || selects(notSelector, end, namespaceLabels))) return false;
      if (serviceAccounts !== undefined && (end.type !== 'pod' || !serviceAccounts.matches(end.namespace, end.serviceAccount ?? null))) return false;
      if (services !== undefined && !services.matches(end)) return false;
      if (nets !== undefined && !netsContain(nets, end)) return false;
      if (notNets !== undefined && netsContain(notNets, end)) return false;
      return true;
    },
  };
}

/** A side's `selector` / `namespaceSelector` as label selectors (null namespace part: the policy's namespace; a
 *  GlobalNetworkPolicy without one reaches every namespace), or undefined when either has no such form. */
function plainLabelSelectors(
  selector: CalicoSelector | null | undefined,
  namespaceSelector: CalicoSelector | null | undefined,
  policyNamespace: string,
): NonNullable<MatcherPeerModel['farSelectors']> | undefined {
  if (selector === null || namespaceSelector === null) return undefined;
  const pod = selector === undefined ? null : calicoLabelSelector(selector);
  // Over namespace labels, Calico's `projectcalico.org/name` is the namespace name.
  const namespace = namespaceSelector === undefined ? (policyNamespace === '' ? {} : null) : calicoLabelSelector(namespaceSelector, (key) => (key === NAMESPACE_NAME_LABEL ? K8S_NAMESPACE_NAME_LABEL : key));
  if ((selector !== undefined && pod === null) || (namespaceSelector !== undefined && namespace === null)) return undefined;
  return { namespaceSelector: namespace, podSelector: pod };
}

/** A rule side's `serviceAccounts`: `names` (any of them) and `selector` (over the account's labels), both when
 *  both are given; only pods have a service account, and one not recorded matches nothing. */
function serviceAccountMatcher(
  raw: Readonly<Record<string, unknown>> | undefined,
  calico: CalicoContext,
): { key: string; matches: (namespace: string, serviceAccount: string | null) => boolean } | undefined {
  if (raw === undefined) return undefined;
  const names = raw.names === undefined ? undefined : (asArray(raw.names) ?? []).map(asString).filter((n): n is string => n !== undefined);
  const selectorText = asString(raw.selector);
  const selector = selectorText === undefined ? undefined : parseSelector(selectorText);
  return {
    key: JSON.stringify([names ?? null, selector?.canonical ?? selectorText ?? null]),
    matches: (namespace, serviceAccount) => {
      if (serviceAccount === null) return false;
      if (names !== undefined && !names.includes(serviceAccount)) return false;
      if (selector !== undefined && (selector === null || !selector.matches(calico.serviceAccountLabels(namespace, serviceAccount)))) return false;
      return true;
    },
  };
}

/** A rule side's `services` {name, namespace (default: the policy's)}: Calico matches the Service's endpoints — the
 *  pods its selector picks in its namespace (addresses after DNAT, not its cluster IP) — and, on the destination
 *  side, only each endpoint's port (Calico API: EntityRule.services "only traffic that originates from or terminates
 *  at endpoints within the selected service(s) will be matched, and only to/from each endpoint's port"). */
function serviceMatch(
  raw: Readonly<Record<string, unknown>> | undefined,
  policyNamespace: string,
  calico: CalicoContext,
): { key: string; service: ServiceModel | undefined; matches: (end: PeerView) => boolean } | undefined {
  if (raw === undefined) return undefined;
  const namespace = asString(raw.namespace) || policyNamespace || DEFAULT_NAMESPACE;
  const name = asString(raw.name) ?? '';
  const service = calico.service(namespace, name);
  const selector = service?.selector ?? null;
  return {
    key: `${namespace}/${name}`,
    service,
    matches: (end) => end.type === 'pod' && end.namespace === namespace && selector !== null && Object.entries(selector).every(([k, v]) => end.labels[k] === v),
  };
}

/** A rule whose `destination.services` is set matches only the Service endpoints' ports (their target ports, named
 *  ones resolved on each endpoint), within what its protocol allows. */
function withServicePorts(
  compiled: { allowed: RulePorts; ports: PortModel[] | null },
  destination: Readonly<Record<string, unknown>>,
  policyNamespace: string,
  calico: CalicoContext,
): { allowed: RulePorts; ports: PortModel[] | null } {
  const match = serviceMatch(asObject(destination.services), policyNamespace, calico);
  if (match === undefined) return compiled;
  const servicePorts = match.service?.ports ?? [];
  let numeric = ConnectionSet.NONE;
  const named: NamedPortRef[] = [];
  const ports: PortModel[] = [];
  for (const { protocol, targetPort } of servicePorts) {
    ports.push({ protocol, port: targetPort });
    if (typeof targetPort === 'number') numeric = numeric.union(ConnectionSet.single(protocol, PortSet.range(targetPort)));
    // A named target port is kept where the rule's own ports take in every port of its protocol.
    else if (compiled.allowed.numeric.ports(protocol).isAll) named.push({ protocol, name: targetPort });
  }
  return { allowed: RulePorts.of(compiled.allowed.numeric.intersect(numeric), named), ports };
}

function netSets(values: readonly unknown[] | undefined): IpSet[] {
  const out: IpSet[] = [];
  for (const value of values ?? []) {
    const text = asString(value);
    // A bare address is a /32 (/128) network.
    const set = text === undefined ? undefined : (ipBlockSet(text) ?? (parseIp(text) ? ipBlockSet(`${text}/${text.includes(':') ? 128 : 32}`) : undefined));
    if (set) out.push(set);
  }
  return out;
}

/** Whether an end's address is in the nets: an address range wholly, or one of a pod's IPs. */
function netsContain(nets: readonly IpSet[], end: PeerView): boolean {
  if (end.type === 'ip') return nets.some((set) => set.containsInterval(end.family, end.first, end.last));
  return parsedIps(end.ips).some((ip) => nets.some((set) => set.containsAddress(ip.family, ip.value)));
}

/** A pod's IP list parsed once (the list object is the pod's own, long-lived). */
const parsedIpLists = new WeakMap<readonly string[], ParsedAddress[]>();
function parsedIps(ips: readonly string[]): ParsedAddress[] {
  let parsed = parsedIpLists.get(ips);
  if (!parsed) {
    parsed = [];
    for (const text of ips) {
      const ip = parseIp(text);
      if (ip) parsed.push(ip);
    }
    parsedIpLists.set(ips, parsed);
  }
  return parsed;
}

const PROTOCOL_NUMBERS: Readonly<Record<number, AnyProtocol>> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP', 58: 'ICMPv6', 132: 'SCTP' };
const PROTOCOL_NAMES: Readonly<Record<string, AnyProtocol>> = { TCP: 'TCP', UDP: 'UDP', SCTP: 'SCTP', ICMP: 'ICMP', ICMPV6: 'ICMPv6' };

/** A rule's protocol: a modelled one, `other` (UDPLite, GRE, a number nothing asks about), or undefined. */
function protocolOf(value: unknown): AnyProtocol | 'other' | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return PROTOCOL_NUMBERS[value] ?? 'other';
  const text = String(value);
  if (/^\d+$/.test(text)) return PROTOCOL_NUMBERS[Number(text)] ?? 'other';
  return PROTOCOL_NAMES[text.toUpperCase()] ?? 'other';
}

function protocolSet(protocol: AnyProtocol | 'other'): ConnectionSet {
  return protocol === 'other' ? ConnectionSet.NONE : ConnectionSet.single(protocol, PortSet.ALL);
}

interface PortEntry {
  readonly numeric: PortSet;
  readonly names: readonly string[];
}

/** Calico port entries: a number, `"from:to"`, or a named port. */
function portEntries(values: readonly unknown[] | undefined): PortEntry {
  let numeric = PortSet.EMPTY;
  const names: string[] = [];
  for (const value of values ?? []) {
    if (typeof value === 'number') numeric = numeric.union(PortSet.range(value));
    else if (typeof value === 'string') {
      const range = /^(\d+):(\d+)$/.exec(value);
      if (range) numeric = numeric.union(PortSet.range(Number(range[1]), Number(range[2])));
      else if (/^\d+$/.test(value)) numeric = numeric.union(PortSet.range(Number(value)));
      else names.push(value);
    }
  }
  return { numeric, names };
}

/** The connections a rule matches: protocol (or every one), destination ports and notPorts, ICMP type/code and
 *  notICMP, notProtocol. Named ports resolve on the destination; a named notPort is not subtracted (rare; the
 *  rule then reads wider). */
function rulePortsOf(raw: unknown, destination: Readonly<Record<string, unknown>>): { allowed: RulePorts; ports: PortModel[] | null } {
  const protocol = protocolOf(dig(raw, 'protocol'));
  const notProtocol = protocolOf(dig(raw, 'notProtocol'));
  let numeric = protocol === undefined ? ConnectionSet.ALL : protocolSet(protocol);
  const named: NamedPortRef[] = [];
  const ports: PortModel[] = [];
  const portProtocols: Protocol[] = protocol === 'TCP' || protocol === 'UDP' || protocol === 'SCTP' ? [protocol] : [];
  if (destination.ports !== undefined) {
    const { numeric: listed, names } = portEntries(asArray(destination.ports));
    numeric = ConnectionSet.NONE;
    for (const p of portProtocols) {
      numeric = numeric.union(ConnectionSet.single(p, listed));
      for (const name of names) {
        named.push({ protocol: p, name });
        ports.push({ protocol: p, port: name });
      }
      for (const r of listed.ranges()) ports.push(r.from === r.to ? { protocol: p, port: r.from } : { protocol: p, port: r.from, endPort: r.to });
    }
  } else for (const p of portProtocols) ports.push({ protocol: p });
  if (destination.notPorts !== undefined) {
    const { numeric: excluded } = portEntries(asArray(destination.notPorts));
    for (const p of portProtocols) numeric = numeric.subtract(ConnectionSet.single(p, excluded));
  }
  const icmpFamily: IcmpFamily | undefined = protocol === 'ICMP' || protocol === 'ICMPv6' ? protocol : undefined;
  const icmp = asObject(dig(raw, 'icmp'));
  if (icmpFamily && icmp && asNumber(icmp.type) !== undefined) numeric = numeric.intersect(ConnectionSet.single(icmpFamily, icmpPoints(asNumber(icmp.type), asNumber(icmp.code))));
  const notIcmp = asObject(dig(raw, 'notICMP'));
  if (icmpFamily && notIcmp && asNumber(notIcmp.type) !== undefined) numeric = numeric.subtract(ConnectionSet.single(icmpFamily, icmpPoints(asNumber(notIcmp.type), asNumber(notIcmp.code))));
  if (notProtocol !== undefined) numeric = numeric.subtract(protocolSet(notProtocol));
  const allowed = RulePorts.of(numeric, named);
  return { allowed, ports: protocol === undefined && destination.ports === undefined && destination.notPorts === undefined && notProtocol === undefined ? null : ports };
}
