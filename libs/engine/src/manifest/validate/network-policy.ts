// networking.k8s.io/v1 NetworkPolicy, checked as the API server does
// (k8s.io/kubernetes pkg/apis/networking/validation ValidateNetworkPolicySpec).
import type { FieldPath } from '../path.js';
import { isPlainObject, type PlainObject } from '../plain-data.js';
import type { Checker } from './checker.js';
import { isStrictSubset, parseCidr, type ParsedCidr } from './cidr.js';
import { ianaServiceName, isPortNumber, portNumber, PROTOCOLS } from './names.js';
import { checkLabelSelector } from './selector.js';

const POLICY_TYPES = ['Ingress', 'Egress'];

export function checkNetworkPolicySpec(c: Checker, object: PlainObject): void {
  const spec = c.object(object['spec'], ['spec']);
  if (!spec) return; // an absent spec is the zero value: selects every pod, denies ingress
  checkLabelSelector(c, spec['podSelector'], ['spec', 'podSelector']);
  checkRules(c, spec['ingress'], 'ingress', 'from');
  checkRules(c, spec['egress'], 'egress', 'to');
  checkPolicyTypes(c, spec['policyTypes']);
}

function checkRules(c: Checker, value: unknown, direction: 'ingress' | 'egress', peersField: 'from' | 'to'): void {
  const rules = c.array(value, ['spec', direction]);
  rules?.forEach((entry, i) => {
    const path = ['spec', direction, i];
    const rule = c.object(entry, path);
    if (!rule) return;
    c.array(rule['ports'], [...path, 'ports'])?.forEach((port, j) => {
      if (!(c.yaml11Free && isCleanPort(port))) checkPort(c, port, [...path, 'ports', j]);
    });
    c.array(rule[peersField], [...path, peersField])?.forEach((peer, j) => checkPeer(c, peer, [...path, peersField, j]));
  });
}

function checkPort(c: Checker, value: unknown, path: FieldPath): void {
  const entry = c.object(value, path);
  if (!entry) return;
  const protocol = c.string(entry['protocol'], [...path, 'protocol']);
  if (protocol !== undefined && !PROTOCOLS.includes(protocol)) {
    c.error('INVALID_VALUE', [...path, 'protocol'], `unsupported value "${protocol}": supported values: "TCP", "UDP", "SCTP"`);
  }
  const port = c.intOrString(entry['port'], [...path, 'port']);
  const endPort = c.integer(entry['endPort'], [...path, 'endPort']);
  const hasEndPort = entry['endPort'] !== undefined && entry['endPort'] !== null;
  const hasPort = entry['port'] !== undefined && entry['port'] !== null;
  if (hasEndPort) {
    if (!hasPort) c.error('INVALID_VALUE', [...path, 'endPort'], 'may not be specified when `port` is not specified');
    else if (typeof port === 'string') c.error('INVALID_VALUE', [...path, 'endPort'], 'may not be specified when `port` is non-numeric');
    else if (typeof port === 'number' && endPort !== undefined && endPort < port) {
      c.error('INVALID_VALUE', [...path, 'endPort'], `${endPort} must be greater than or equal to \`port\` (${port})`);
    }
  }
  if (typeof port === 'number') {
    c.problems([...path, 'port'], portNumber(port), `port ${port}`);
    if (endPort !== undefined) {
      c.problems([...path, 'endPort'], portNumber(endPort), `endPort ${endPort}`);
    }
  } else if (typeof port === 'string') {
    c.problems([...path, 'port'], ianaServiceName(port), `invalid port name "${port}"`);
  }
}

/** True when checkPort reports nothing for this entry (asked only when no YAML 1.1 look-alike can be in play). */
function isCleanPort(entry: unknown): boolean {
  if (!isPlainObject(entry)) return false;
  const protocol = entry['protocol'];
  if (protocol !== undefined && protocol !== null && (typeof protocol !== 'string' || !PROTOCOLS.includes(protocol))) return false;
  const port = entry['port'];
  const endPort = entry['endPort'];
  if (endPort !== undefined && endPort !== null) return isPortNumber(port) && isPortNumber(endPort) && endPort >= port;
  if (port === undefined || port === null) return true;
  if (typeof port === 'number') return isPortNumber(port);
  return typeof port === 'string' && ianaServiceName(port).length === 0;
}

function checkPeer(c: Checker, value: unknown, path: FieldPath): void {
  const peer = c.object(value, path);
  if (!peer) return;
  const present = (field: string): boolean => peer[field] !== undefined && peer[field] !== null;
  const kinds = ['podSelector', 'namespaceSelector', 'ipBlock'].filter(present);
  if (kinds.length === 0) {
    c.error('MISSING_FIELD', path, 'must specify a peer: podSelector, namespaceSelector or ipBlock');
  } else if (present('ipBlock') && kinds.length > 1) {
    c.error('INVALID_VALUE', path, 'may not specify both ipBlock and another peer');
  }
  checkLabelSelector(c, peer['podSelector'], [...path, 'podSelector']);
  checkLabelSelector(c, peer['namespaceSelector'], [...path, 'namespaceSelector']);
  checkIpBlock(c, peer['ipBlock'], [...path, 'ipBlock']);
}

function checkIpBlock(c: Checker, value: unknown, path: FieldPath): void {
  const block = c.object(value, path);
  if (!block) return;
  const cidrText = c.string(block['cidr'], [...path, 'cidr']);
  let cidr: ParsedCidr | undefined;
  if (block['cidr'] === undefined || block['cidr'] === null || cidrText === '') c.missing([...path, 'cidr']);
  else if (cidrText !== undefined) {
    const parsed = parseCidr(cidrText);
    if ('error' in parsed) c.error('INVALID_VALUE', [...path, 'cidr'], `invalid CIDR "${cidrText}": ${parsed.error}`);
    else cidr = parsed;
  }
  c.array(block['except'], [...path, 'except'])?.forEach((entry, i) => {
    const exceptPath = [...path, 'except', i];
    const text = c.string(entry, exceptPath);
    if (text === undefined) return;
    const except = parseCidr(text);
    if ('error' in except) c.error('INVALID_VALUE', exceptPath, `invalid CIDR "${text}": ${except.error}`);
    else if (cidr && !isStrictSubset(except, cidr)) {
      c.error('INVALID_VALUE', exceptPath, `"${text}" must be a strict subset of \`cidr\` (${cidrText})`);
    }
  });
}

function checkPolicyTypes(c: Checker, value: unknown): void {
  const types = c.array(value, ['spec', 'policyTypes']);
  if (!types) return;
  // As the API server does: more than two is one error and nothing else is checked; a repeated
  // type is accepted (it means the same as one).
  if (types.length > 2) {
    c.error('INVALID_VALUE', ['spec', 'policyTypes'], 'may not specify more than two policyTypes');
    return;
  }
  types.forEach((entry, i) => {
    const path = ['spec', 'policyTypes', i];
    const type = c.string(entry, path);
    if (type === undefined) return;
    if (!POLICY_TYPES.includes(type)) c.error('INVALID_VALUE', path, `unsupported value "${type}": supported values: "Ingress", "Egress"`);
  });
}
