// AdminNetworkPolicy / BaselineAdminNetworkPolicy (v1alpha1) and ClusterNetworkPolicy (v1alpha2), checked as the
// API server does (the CRDs' OpenAPI schemas and CEL rules): priority 0–1000, the actions each kind allows,
// exactly one field per subject, peer and port entry. A field the schema does not know in a peer or a port
// entry fails closed: it is an error, never silently ignored (a rule that reads wider or narrower than written
// would give wrong verdicts).
import type { FieldPath } from '../../manifest/path.js';
import type { PlainObject } from '../../manifest/plain-data.js';
import type { Checker } from '../../manifest/validate/checker.js';
import { parseCidr } from '../../manifest/validate/cidr.js';
import { ianaServiceName, portNumber } from '../../manifest/validate/names.js';
import { checkLabelSelector } from '../../manifest/validate/selector.js';

const MAX_PRIORITY = 1000;
const MAX_RULES = 100;
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

interface KindRules {
  readonly actions: readonly string[];
  readonly priority: boolean;
  readonly ingressPeers: readonly string[];
  readonly egressPeers: readonly string[];
  readonly ports: 'ports' | 'protocols';
}

const RULES: Readonly<Record<string, KindRules>> = {
  AdminNetworkPolicy: {
    actions: ['Allow', 'Deny', 'Pass'],
    priority: true,
    ingressPeers: ['namespaces', 'pods'],
    egressPeers: ['namespaces', 'pods', 'nodes', 'networks'],
    ports: 'ports',
  },
  BaselineAdminNetworkPolicy: {
    actions: ['Allow', 'Deny'],
    priority: false,
    ingressPeers: ['namespaces', 'pods'],
    egressPeers: ['namespaces', 'pods', 'nodes', 'networks'],
    ports: 'ports',
  },
  ClusterNetworkPolicy: {
    actions: ['Accept', 'Deny', 'Pass'],
    priority: true,
    ingressPeers: ['namespaces', 'pods'],
    egressPeers: ['namespaces', 'pods', 'nodes', 'networks', 'domainNames'],
    ports: 'protocols',
  },
};

/** Validates the spec of one of the dialect's kinds (metadata is checked by the parser). */
export function checkClusterPolicy(c: Checker, kind: string, object: PlainObject): void {
  const rules = RULES[kind];
  if (!rules) return;
  if (kind === 'BaselineAdminNetworkPolicy' && typeof object['metadata'] === 'object' && object['metadata'] !== null) {
    const name = (object['metadata'] as PlainObject)['name'];
    if (typeof name === 'string' && name !== 'default') {
      c.error('INVALID_VALUE', ['metadata', 'name'], `only one baseline admin network policy, named "default", is allowed (got "${name}")`);
    }
  }
  const spec = c.object(object['spec'], ['spec']);
  if (!spec) {
    c.missing(['spec']);
    return;
  }
  if (rules.priority) {
    if (spec['priority'] === undefined || spec['priority'] === null) c.missing(['spec', 'priority']);
    else {
      const priority = c.integer(spec['priority'], ['spec', 'priority']);
      if (priority !== undefined && (priority < 0 || priority > MAX_PRIORITY)) {
        c.error('INVALID_VALUE', ['spec', 'priority'], `${priority} must be between 0 and ${MAX_PRIORITY}`);
      }
    }
  }
  if (kind === 'ClusterNetworkPolicy') {
    const tier = c.string(spec['tier'], ['spec', 'tier']);
    if (spec['tier'] === undefined || spec['tier'] === null) c.missing(['spec', 'tier']);
    else if (tier !== undefined && tier !== 'Admin' && tier !== 'Baseline') {
      c.error('INVALID_VALUE', ['spec', 'tier'], `unsupported value "${tier}": supported values: "Admin", "Baseline"`);
    }
  }
  checkSubject(c, spec['subject'], ['spec', 'subject']);
  checkRules(c, rules, spec['ingress'], 'ingress', 'from', rules.ingressPeers);
  checkRules(c, rules, spec['egress'], 'egress', 'to', rules.egressPeers);
}

/** Exactly one of `fields` set; every other key is an error. Returns the field that is set. */
function exactlyOne(c: Checker, value: PlainObject, path: FieldPath, fields: readonly string[], what: string): string | undefined {
  const present = Object.keys(value).filter((k) => value[k] !== undefined && value[k] !== null);
  for (const key of present) {
    if (!fields.includes(key)) c.error('INVALID_VALUE', [...path, key], `unknown ${what} field "${key}": supported fields: ${fields.map((f) => `"${f}"`).join(', ')}`);
  }
  const known = present.filter((k) => fields.includes(k));
  if (known.length === 0) c.error('MISSING_FIELD', path, `must specify exactly one of ${fields.map((f) => `"${f}"`).join(', ')}`);
  else if (known.length > 1) c.error('INVALID_VALUE', path, `must specify exactly one of ${fields.map((f) => `"${f}"`).join(', ')} (got ${known.join(', ')})`);
  return known.length === 1 ? known[0] : undefined;
}

function checkSubject(c: Checker, value: unknown, path: FieldPath): void {
  if (value === undefined || value === null) {
    c.missing(path);
    return;
  }
  const subject = c.object(value, path);
  if (!subject) return;
  const field = exactlyOne(c, subject, path, ['namespaces', 'pods'], 'subject');
  if (field === 'namespaces') checkLabelSelector(c, subject['namespaces'], [...path, 'namespaces']);
  else if (field === 'pods') checkPodsSelector(c, subject['pods'], [...path, 'pods']);
}

function checkPodsSelector(c: Checker, value: unknown, path: FieldPath): void {
  const pods = c.object(value, path);
  if (!pods) return;
  onlyFields(c, pods, path, ['namespaceSelector', 'podSelector'], 'pods');
  // An absent selector reads as `{}` (every namespace / every pod), as np-guard reads it.
  for (const key of ['namespaceSelector', 'podSelector']) checkLabelSelector(c, pods[key], [...path, key]);
}

function checkRules(c: Checker, rules: KindRules, value: unknown, direction: 'ingress' | 'egress', peersField: 'from' | 'to', peerFields: readonly string[]): void {
  const list = c.array(value, ['spec', direction]);
  if (!list) return;
  if (list.length > MAX_RULES) c.error('INVALID_VALUE', ['spec', direction], `may not have more than ${MAX_RULES} rules`);
  list.forEach((entry, i) => {
    const path = ['spec', direction, i];
    const rule = c.object(entry, path);
    if (!rule) return;
    const action = c.string(rule['action'], [...path, 'action']);
    if (rule['action'] === undefined || rule['action'] === null) c.missing([...path, 'action']);
    else if (action !== undefined && !rules.actions.includes(action)) {
      c.error('INVALID_VALUE', [...path, 'action'], `unsupported value "${action}": supported values: ${rules.actions.map((a) => `"${a}"`).join(', ')}`);
    }
    const name = c.string(rule['name'], [...path, 'name']);
    if (name !== undefined && name.length > 100) c.error('INVALID_VALUE', [...path, 'name'], 'must be no more than 100 characters');
    const peers = c.array(rule[peersField], [...path, peersField]);
    if (!peers || peers.length === 0) c.error('MISSING_FIELD', [...path, peersField], `at least one peer is required`);
    peers?.forEach((peer, j) => checkPeer(c, peer, [...path, peersField, j], peerFields, action));
    if (rules.ports === 'ports') c.array(rule['ports'], [...path, 'ports'])?.forEach((p, j) => checkPortV1(c, p, [...path, 'ports', j]));
    else c.array(rule['protocols'], [...path, 'protocols'])?.forEach((p, j) => checkProtocolV2(c, p, [...path, 'protocols', j]));
    const other = rules.ports === 'ports' ? 'protocols' : 'ports';
    if (rule[other] !== undefined && rule[other] !== null) c.error('INVALID_VALUE', [...path, other], `unknown rule field "${other}": use "${rules.ports}"`);
  });
}

function checkPeer(c: Checker, value: unknown, path: FieldPath, fields: readonly string[], action: string | undefined): void {
  const peer = c.object(value, path);
  if (!peer) return;
  const field = exactlyOne(c, peer, path, fields, 'peer');
  if (field === 'namespaces' || field === 'nodes') checkLabelSelector(c, peer[field], [...path, field]);
  else if (field === 'pods') checkPodsSelector(c, peer['pods'], [...path, 'pods']);
  else if (field === 'networks') {
    const networks = c.array(peer['networks'], [...path, 'networks']);
    if (networks && (networks.length === 0 || networks.length > 25)) c.error('INVALID_VALUE', [...path, 'networks'], 'must list 1 to 25 CIDRs');
    networks?.forEach((n, k) => {
      const text = c.string(n, [...path, 'networks', k]);
      if (text === undefined) return;
      const parsed = parseCidr(text);
      if ('error' in parsed) c.error('INVALID_VALUE', [...path, 'networks', k], `invalid CIDR "${text}": ${parsed.error}`);
    });
  } else if (field === 'domainNames') {
    if (action !== undefined && action !== 'Accept') c.error('INVALID_VALUE', [...path, 'domainNames'], 'domainNames peers may only be used with action "Accept"');
    c.array(peer['domainNames'], [...path, 'domainNames'])?.forEach((n, k) => c.string(n, [...path, 'domainNames', k]));
  }
}

function checkPortNumber(c: Checker, value: unknown, path: FieldPath): number | undefined {
  if (value === undefined || value === null) {
    c.missing(path);
    return undefined;
  }
  const port = c.integer(value, path);
  if (port !== undefined) c.problems(path, portNumber(port), `port ${port}`);
  return port;
}

function checkProtocol(c: Checker, value: unknown, path: FieldPath): void {
  const protocol = c.string(value, path);
  if (protocol !== undefined && !PROTOCOLS.includes(protocol)) c.error('INVALID_VALUE', path, `unsupported value "${protocol}": supported values: "TCP", "UDP", "SCTP"`);
}

function checkRange(c: Checker, range: PlainObject, path: FieldPath): void {
  const start = checkPortNumber(c, range['start'], [...path, 'start']);
  const end = checkPortNumber(c, range['end'], [...path, 'end']);
  if (start !== undefined && end !== undefined && start >= end) c.error('INVALID_VALUE', [...path, 'end'], `${end} must be greater than start (${start})`);
}

function onlyFields(c: Checker, value: PlainObject, path: FieldPath, fields: readonly string[], what: string): void {
  for (const key of Object.keys(value)) {
    if (!fields.includes(key) && value[key] !== undefined) c.error('INVALID_VALUE', [...path, key], `unknown ${what} field "${key}"`);
  }
}

/** v1alpha1 `ports[]`: exactly one of portNumber {protocol, port}, portRange {protocol, start, end}, namedPort. */
function checkPortV1(c: Checker, value: unknown, path: FieldPath): void {
  const entry = c.object(value, path);
  if (!entry) return;
  const field = exactlyOne(c, entry, path, ['portNumber', 'portRange', 'namedPort'], 'port');
  if (field === 'namedPort') {
    const name = c.string(entry['namedPort'], [...path, 'namedPort']);
    if (name !== undefined) c.problems([...path, 'namedPort'], ianaServiceName(name), `invalid port name "${name}"`);
    return;
  }
  const inner = field ? c.object(entry[field], [...path, field]) : undefined;
  if (!inner || !field) return;
  const innerPath = [...path, field];
  checkProtocol(c, inner['protocol'], [...innerPath, 'protocol']);
  if (field === 'portNumber') {
    onlyFields(c, inner, innerPath, ['protocol', 'port'], 'portNumber');
    checkPortNumber(c, inner['port'], [...innerPath, 'port']);
  } else {
    onlyFields(c, inner, innerPath, ['protocol', 'start', 'end'], 'portRange');
    checkRange(c, inner, innerPath);
  }
}

/** v1alpha2 `protocols[]`: exactly one of tcp / udp / sctp ({destinationPort: {number} | {range}}) or
 *  destinationNamedPort. */
function checkProtocolV2(c: Checker, value: unknown, path: FieldPath): void {
  const entry = c.object(value, path);
  if (!entry) return;
  const field = exactlyOne(c, entry, path, ['tcp', 'udp', 'sctp', 'destinationNamedPort'], 'protocol');
  if (field === 'destinationNamedPort') {
    const name = c.string(entry[field], [...path, field]);
    if (name !== undefined) c.problems([...path, field], ianaServiceName(name), `invalid port name "${name}"`);
    return;
  }
  if (!field) return;
  const block = c.object(entry[field], [...path, field]);
  if (!block) return;
  onlyFields(c, block, [...path, field], ['destinationPort'], field);
  const port = c.object(block['destinationPort'], [...path, field, 'destinationPort']);
  if (!port) return;
  const portPath = [...path, field, 'destinationPort'];
  const which = exactlyOne(c, port, portPath, ['number', 'range'], 'destinationPort');
  if (which === 'number') checkPortNumber(c, port['number'], [...portPath, 'number']);
  else if (which === 'range') {
    const range = c.object(port['range'], [...portPath, 'range']);
    if (range) {
      onlyFields(c, range, [...portPath, 'range'], ['start', 'end'], 'range');
      checkRange(c, range, [...portPath, 'range']);
    }
  }
}
