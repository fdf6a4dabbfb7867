// Builds the analysable Snapshot from parsed objects.
import type { Issue, ParsedObject } from '../manifest/types.js';
import { newCompileCache } from '../dialects/compile-cache.js';
import { apiGroupOf, DIALECTS, registeredKind, type RegisteredKind } from '../dialects/registry.js';
import type { CompileContext, ServiceModel } from '../dialects/types.js';
import { isProtocol } from '../algebra/connection-set.js';
import { parseIp } from '../algebra/ip-set.js';
import type { Labels } from '../algebra/selector.js';
import { checkLabelGaps, hostNetworkWarnings } from './checks.js';
import { DEFAULT_NAMESPACE, NAMESPACE_NAME_LABEL } from './namespaces.js';
import { asArray, asString, dig, nullPrototypeRecord, stringRecord } from './raw.js';
import type { EngineOptions, HostEndpointModel, NamespaceModel, NodeModel, PolicyModel, ResolvedEngineOptions, Snapshot, UnmodelledPolicy } from './types.js';
import { buildWorkloads, compareStrings } from './workloads.js';
import { cniProfile, enforcesDialect, undeclaredProfileNote, type CniProfileName } from '../cni-profiles/profiles.js';
import { labelDeriver } from '../cni-profiles/derived-labels.js';

export { NAMESPACE_NAME_LABEL } from './namespaces.js';

/** `detected`: the profile the input implies when none is given (Cilium policies: `cilium`). */
export function resolveOptions(options: EngineOptions = {}, detected: CniProfileName = 'np-guard'): ResolvedEngineOptions {
  const cni = cniProfile(options.cni ?? detected);
  return { ipBlockMatchesPods: options.ipBlockMatchesPods ?? cni.ipBlockMatchesPods, hostNetwork: options.hostNetwork ?? cni.hostNetwork, cni: cni.name };
}


export function buildSnapshot(
  objects: readonly ParsedObject[],
  options: EngineOptions = {},
): { snapshot: Snapshot; issues: Issue[] } {
  const issues: Issue[] = [];
  // One pass sorts the objects out (a 50k-pod snapshot holds ~90k): registered kinds (policies, auxiliary objects),
  // namespaces, nodes and service accounts; the steps below read these lists instead of scanning every object again.
  const registeredAt: (RegisteredKind | undefined)[] = new Array(objects.length);
  const declared = new Map<string, NamespaceModel>();
  const nodeObjects: ParsedObject[] = [];
  const serviceAccounts: ParsedObject[] = [];
  const services: ParsedObject[] = [];
  // The profile an input implies: Cilium's policy kinds exist only where Cilium enforces them.
  let detected: CniProfileName = 'np-guard';
  for (let i = 0; i < objects.length; i++) {
    const o = objects[i];
    const kind = o.object.kind;
    const registered = registeredKind(o.object.apiVersion, kind);
    registeredAt[i] = registered;
    if (registered?.role === 'policy' && registered.dialect.id === 'cilium') detected = 'cilium';
    if (kind === 'Namespace') {
      const name = o.object.metadata.name;
      const labels = stringRecord(o.object.metadata.labels);
      labels[NAMESPACE_NAME_LABEL] ??= name;
      declared.set(name, { name, labels, declared: true });
    } else if (kind === 'Node') nodeObjects.push(o);
    else if (kind === 'ServiceAccount') serviceAccounts.push(o);
    else if (kind === 'Service') services.push(o);
  }
  const resolved = resolveOptions(options, detected);
  const profile = cniProfile(resolved.cni);

  const nodes = buildNodes(nodeObjects);

  // Policies are recognised by API group + kind through the dialect registry: a Calico NetworkPolicy is never
  // read as a Kubernetes one. Dialects not modelled yet keep their objects as caveats.
  const policies: PolicyModel[] = [];
  const unmodelled: UnmodelledPolicy[] = [];
  const policyObjects: { o: ParsedObject; readIndex: number; fullName: string; registered: RegisteredKind }[] = [];
  const auxiliary: ParsedObject[] = [];
  for (let readIndex = 0; readIndex < objects.length; readIndex++) {
    const registered = registeredAt[readIndex];
    if (!registered) continue;
    const o = objects[readIndex];
    if (registered.role === 'auxiliary') auxiliary.push(o);
    if (registered.role !== 'policy' && !registered.unmodelledEffect) continue;
    const namespace = registered.namespaced ? o.object.metadata.namespace || DEFAULT_NAMESPACE : '';
    const enforced = enforcesDialect(profile, registered.dialect.id);
    if (!registered.modelled || !enforced) {
      unmodelled.push({
        ...(registered.modelled ? { reason: 'not-enforced' as const } : {}),
        dialect: registered.dialect.id,
        apiVersion: o.object.apiVersion,
        kind: o.object.kind,
        namespace,
        name: o.object.metadata.name,
        source: o.source,
      });
      continue;
    }
    const fullName = namespace ? `${namespace}/${o.object.metadata.name}` : o.object.metadata.name;
    policyObjects.push({ o, readIndex, fullName, registered });
  }
  // By full name, then API group and kind (compared only on equal names): objects of one group, kind and name
  // end up next to each other, so a duplicate is one equal to its predecessor.
  const groupKind = (r: RegisteredKind) => `${r.group}\u0000${r.kind}`;
  const sameKind = (a: RegisteredKind, b: RegisteredKind) => a.group === b.group && a.kind === b.kind;
  policyObjects.sort((a, b) => compareStrings(a.fullName, b.fullName) || (sameKind(a.registered, b.registered) ? 0 : compareStrings(groupKind(a.registered), groupKind(b.registered))));
  unmodelled.sort((a, b) => compareStrings(`${a.namespace}/${a.name}/${a.kind}/${a.apiVersion}`, `${b.namespace}/${b.name}/${b.kind}/${b.apiVersion}`));
  const cache = newCompileCache();
  const auxiliaryObject = auxiliaryIndex(auxiliary);
  const serviceAccountLabels = serviceAccountIndex(serviceAccounts);
  const service = serviceIndex(services);
  const namespaceLabels = (name: string) => declared.get(name)?.labels ?? { [NAMESPACE_NAME_LABEL]: name };
  for (let i = 0; i < policyObjects.length; i++) {
    const { o, readIndex, fullName, registered } = policyObjects[i];
    const previous = i > 0 ? policyObjects[i - 1] : undefined;
    if (previous && previous.fullName === fullName && sameKind(previous.registered, registered)) {
      issues.push({
        code: 'DUPLICATE_OBJECT',
        severity: 'error',
        message: `${o.object.kind} ${fullName} is defined more than once`,
        file: o.source.file,
        document: o.source.document,
        path: o.source.pathPrefix ? `${o.source.pathPrefix}.metadata.name` : 'metadata.name',
        ...(o.source.line !== undefined ? { line: o.source.line } : {}),
      });
      continue;
    }
    const compile = registered.dialect.compile!;
    policies.push(compile(o, policies.length, { cache, readIndex, nodes, auxiliary, auxiliaryObject, serviceAccountLabels, service, namespaceLabels }));
  }

  const workloads = buildWorkloads(objects, nodes, labelDeriver(profile, namespaceLabels));
  const names = new Set(declared.keys());
  for (let i = 0; i < workloads.length; i++) names.add(workloads[i].namespace);
  for (let i = 0; i < policies.length; i++) if (policies[i].namespace) names.add(policies[i].namespace);
  for (let i = 0; i < unmodelled.length; i++) if (unmodelled[i].namespace) names.add(unmodelled[i].namespace);
  const namespaces = new Map<string, NamespaceModel>();
  for (const name of [...names].sort(compareStrings)) {
    const labels = nullPrototypeRecord();
    labels[NAMESPACE_NAME_LABEL] = name;
    namespaces.set(name, declared.get(name) ?? { name, labels, declared: false });
  }

  for (const dialect of DIALECTS) {
    if (!dialect.checkPolicies) continue;
    const own = policies.filter((p) => p.dialect === dialect.id);
    if (own.length > 1) issues.push(...dialect.checkPolicies(own));
  }
  const splitWorkloads = checkLabelGaps(workloads, policies, namespaces);
  issues.push(...splitWorkloads.values());
  issues.push(...hostNetworkWarnings(workloads, policies, namespaces));
  const hostEndpoints = auxiliary
    .filter((o) => o.object.kind === 'HostEndpoint')
    .map((o) => hostEndpointModel(o.object))
    .sort((a, b) => compareStrings(a.name, b.name));
  const snapshot: Snapshot = {
    options: resolved,
    namespaces,
    workloads,
    policies,
    splitWorkloads,
    nodes,
    unmodelled,
    ...(hostEndpoints.length > 0 ? { hostEndpoints } : {}),
  };
  const cniProfileNote = undeclaredProfileNote(options.cni !== undefined, resolved.cni, new Set(policies.map((p) => p.dialect)));
  return { snapshot: cniProfileNote === undefined ? snapshot : { ...snapshot, cniProfileNote }, issues };
}

/** The snapshot's `v1 Node` objects by name, sorted (a name defined twice: the first; the parser reports it). */
export function buildNodes(objects: readonly ParsedObject[]): ReadonlyMap<string, NodeModel> {
  const found: NodeModel[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < objects.length; i++) {
    const o = objects[i];
    if (o.object.kind !== 'Node' || apiGroupOf(o.object.apiVersion) !== '' || seen.has(o.object.metadata.name)) continue;
    seen.add(o.object.metadata.name);
    const ips: string[] = [];
    for (const address of asArray(dig(o.object.status, 'addresses')) ?? []) {
      const type = asString(dig(address, 'type'));
      const ip = asString(dig(address, 'address'));
      if ((type === 'InternalIP' || type === 'ExternalIP') && ip && parseIp(ip) && !ips.includes(ip)) ips.push(ip);
    }
    found.push({ name: o.object.metadata.name, labels: stringRecord(o.object.metadata.labels), ips, source: o.source });
  }
  found.sort((a, b) => compareStrings(a.name, b.name));
  return new Map(found.map((n) => [n.name, n]));
}

/** Auxiliary objects (sets, CIDR groups, tiers) by API group, kind, namespace and name, for policies to resolve. */
/** ServiceAccount labels by namespace and name (Calico's `serviceAccounts.selector` reads them). `objects`: those
 *  of kind ServiceAccount, in input order. */
function serviceAccountIndex(objects: readonly ParsedObject[]): NonNullable<CompileContext['serviceAccountLabels']> {
  const byKey = new Map<string, Labels>();
  for (const o of objects) {
    if (o.object.kind !== 'ServiceAccount' || o.object.apiVersion !== 'v1') continue;
    byKey.set(`${o.object.metadata.namespace || DEFAULT_NAMESPACE}\u0000${o.object.metadata.name}`, stringRecord(o.object.metadata.labels));
  }
  return (namespace, name) => byKey.get(`${namespace}\u0000${name}`);
}

/** `v1 Service` objects by namespace and name (Calico rules match a Service's endpoints): its pod selector (null:
 *  none, endpoints managed by hand) and its ports' protocol and target port (the port itself when unset). */
function serviceIndex(objects: readonly ParsedObject[]): NonNullable<CompileContext['service']> {
  const byKey = new Map<string, ServiceModel>();
  for (const o of objects) {
    if (o.object.kind !== 'Service' || o.object.apiVersion !== 'v1') continue;
    const key = `${o.object.metadata.namespace || DEFAULT_NAMESPACE}\u0000${o.object.metadata.name}`;
    if (byKey.has(key)) continue;
    const rawSelector = dig(o.object.spec, 'selector');
    const selector = rawSelector !== undefined && rawSelector !== null && Object.keys(stringRecord(rawSelector)).length > 0 ? stringRecord(rawSelector) : null;
    const ports: ServiceModel['ports'][number][] = [];
    for (const raw of asArray(dig(o.object.spec, 'ports')) ?? []) {
      const protocolText = asString(dig(raw, 'protocol')) ?? 'TCP';
      const protocol = isProtocol(protocolText) ? protocolText : 'TCP';
      const targetPort = dig(raw, 'targetPort') ?? dig(raw, 'port');
      if (typeof targetPort === 'number' || typeof targetPort === 'string') ports.push({ protocol, targetPort: typeof targetPort === 'string' && /^\d+$/.test(targetPort) ? Number(targetPort) : targetPort });
    }
    byKey.set(key, { selector, ports });
  }
  return (namespace, name) => byKey.get(`${namespace}\u0000${name}`);
}

/** `auxiliary`: the objects of auxiliary kinds, in input order. */
function auxiliaryIndex(auxiliary: readonly ParsedObject[]): CompileContext['auxiliaryObject'] {
  const byKey = new Map<string, ParsedObject>();
  for (const o of auxiliary) {
    const registered = registeredKind(o.object.apiVersion, o.object.kind);
    if (registered?.role !== 'auxiliary') continue;
    const namespace = registered.namespaced ? o.object.metadata.namespace || DEFAULT_NAMESPACE : '';
    byKey.set(`${registered.group}\u0000${registered.kind}\u0000${namespace}\u0000${o.object.metadata.name}`, o);
  }
  return (group, kind, namespace, name) => byKey.get(`${group}\u0000${kind}\u0000${namespace}\u0000${name}`);
}

/** A HostEndpoint object as the analysis reads it (spec fields of the wrong type read as absent). */
function hostEndpointModel(object: { metadata: { name: string; labels?: unknown }; spec?: unknown }): HostEndpointModel {
  const spec = (object.spec !== null && typeof object.spec === 'object' ? object.spec : {}) as Record<string, unknown>;
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return {
    name: object.metadata.name,
    labels: stringRecord(object.metadata.labels),
    ...(typeof spec.node === 'string' && spec.node !== '' ? { node: spec.node } : {}),
    interfaceName: typeof spec.interfaceName === 'string' ? spec.interfaceName : '',
    expectedIPs: strings(spec.expectedIPs),
    defaultAllow: strings(spec.profiles).includes('projectcalico-default-allow'),
  };
}
