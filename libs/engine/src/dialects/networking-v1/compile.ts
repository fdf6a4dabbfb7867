// Compiles a networking.k8s.io/v1 NetworkPolicy into the neutral rule model: allow-only rules in the
// namespaced tier (isolation by selection, union of allows), with Kubernetes' policyTypes defaulting.
import { isProtocol, type Protocol } from '../../algebra/connection-set.js';
import { IpSet, ipBlockSet, parseCidr } from '../../algebra/ip-set.js';
import { RulePorts } from '../../algebra/rule-ports.js';
import { Selector } from '../../algebra/selector.js';
import type { ParsedObject } from '../../manifest/types.js';
import { asArray, asNumber, asObject, asString, dig } from '../../model/raw.js';
import { DEFAULT_NAMESPACE } from '../../model/namespaces.js';
import { rulePorts } from '../rule-ports.js';
import { cachedSelector, newCompileCache, type CompileCache } from '../compile-cache.js';
import type { Direction, DirectionModel, PeerModel, PolicyModel, PortModel, RuleModel } from '../../model/types.js';

import { NAMESPACED_TIER } from '../namespaced-tier.js';

export { NAMESPACED_TIER };

/** The namespace-independent part of a compiled policy (shared, immutable). */
interface CompiledSpec {
  readonly podSelector: Selector;
  readonly ingress: DirectionModel;
  readonly egress: DirectionModel;
}


export function compilePolicy(
  parsed: ParsedObject,
  id: number,
  cache: CompileCache = newCompileCache(),
  readIndex = id,
): PolicyModel {
  const { object } = parsed;
  const namespace = object.metadata.namespace || DEFAULT_NAMESPACE;
  const spec = asObject(object.spec) ?? {};
  // Specs by their JSON text, in this dialect's own map: a prefixed key would be a rope V8 flattens (copies)
  // before hashing, for each of 18k policies.
  let specs = cache.specs.get(SPECS) as Map<string, CompiledSpec> | undefined;
  if (!specs) cache.specs.set(SPECS, (specs = new Map()));
  const specKey = JSON.stringify(spec);
  let compiled = specs.get(specKey);
  if (!compiled) {
    compiled = compileSpec(spec, cache);
    specs.set(specKey, compiled);
  }
  return {
    id,
    dialect: 'networking-v1',
    apiVersion: object.apiVersion,
    kind: object.kind,
    tier: NAMESPACED_TIER,
    priority: 0,
    subjectNamespaces: null,
    namespace,
    name: object.metadata.name,
    fullName: `${namespace}/${object.metadata.name}`,
    podSelector: compiled.podSelector,
    ingress: compiled.ingress,
    egress: compiled.egress,
    object,
    readIndex,
    source: parsed.source,
  };
}

const SPECS = 'networking-v1';

function compileSpec(spec: Readonly<Record<string, unknown>>, cache: CompileCache): CompiledSpec {
  const ingressRules = compileRules(spec.ingress, 'ingress', cache);
  const egressRules = compileRules(spec.egress, 'egress', cache);
  const types = asArray(spec.policyTypes)?.map(asString) ?? [];
  // Kubernetes: with no policyTypes, Ingress always applies and Egress only when there is an egress rule.
  const affectsIngress = types.length > 0 ? types.includes('Ingress') : true;
  const affectsEgress = types.length > 0 ? types.includes('Egress') : egressRules.length > 0;
  return {
    podSelector: cachedSelector(spec.podSelector, cache),
    ingress: { affects: affectsIngress, rules: ingressRules } satisfies DirectionModel,
    egress: { affects: affectsEgress, rules: egressRules } satisfies DirectionModel,
  };
}


function compileRules(value: unknown, direction: Direction, cache: CompileCache): RuleModel[] {
  const peersKey = direction === 'ingress' ? 'from' : 'to';
  return (asArray(value) ?? []).map((raw, index) => {
    const path = `spec.${direction}[${index}]`;
    const rawPeers = asArray(dig(raw, peersKey)) ?? [];
    const rawPorts = asArray(dig(raw, 'ports')) ?? [];
    const peers = rawPeers.length === 0 ? null : rawPeers.map((p, i) => compilePeer(p, `${path}.${peersKey}[${i}]`, cache));
    const ports = rawPorts.length === 0 ? null : rawPorts.map(compilePort);
    return { direction, action: 'allow', precedence: 0, index, path, peers, ports, allowed: cachedRulePorts(ports, cache) };
  });
}

function compilePeer(raw: unknown, path: string, cache: CompileCache): PeerModel {
  const ipBlock = asObject(dig(raw, 'ipBlock'));
  if (ipBlock) {
    const cidr = asString(ipBlock.cidr) ?? '';
    const except = (asArray(ipBlock.except) ?? []).map((e) => asString(e) ?? '');
    const key = `${cidr}|${except.join(',')}`;
    let set = cache.ipBlocks.get(key);
    if (!set) {
      // A malformed CIDR (the parser reports it) matches nothing.
      set = ipBlockSet(cidr, except) ?? IpSet.empty(parseCidr(cidr)?.family ?? 4);
      cache.ipBlocks.set(key, set);
    }
    return { kind: 'ipBlock', key, cidr, except, set, path: `${path}.ipBlock` };
  }
  const ns = dig(raw, 'namespaceSelector');
  const pod = dig(raw, 'podSelector');
  return {
    kind: 'pods',
    namespaceSelector: asObject(ns) ? cachedSelector(ns, cache) : null,
    podSelector: asObject(pod) ? cachedSelector(pod, cache) : null,
    path,
  };
}

function compilePort(raw: unknown): PortModel {
  const protocolText = asString(dig(raw, 'protocol'));
  const protocol: Protocol = isProtocol(protocolText) ? protocolText : 'TCP';
  const port = dig(raw, 'port');
  const endPort = asNumber(dig(raw, 'endPort'));
  if (typeof port === 'number') return endPort !== undefined ? { protocol, port, endPort } : { protocol, port };
  if (typeof port === 'string') return { protocol, port };
  return { protocol };
}

function cachedRulePorts(ports: readonly PortModel[] | null, cache: CompileCache): RulePorts {
  if (ports === null) return RulePorts.ALL;
  const key = JSON.stringify(ports);
  let allowed = cache.ports.get(key);
  if (!allowed) {
    allowed = rulePorts(ports);
    cache.ports.set(key, allowed);
  }
  return allowed;
}

