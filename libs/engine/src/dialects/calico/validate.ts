// Calico's NetworkPolicy / GlobalNetworkPolicy checked as Calico's API server (and calicoctl) does: known fields
// only (an unknown field is UNKNOWN_FIELD, never silently ignored: a misspelt `notNets` would widen a rule),
// selectors parsed with located errors, actions, protocols, ports, ICMP, nets.
import type { FieldPath } from '../../manifest/path.js';
import type { PlainObject } from '../../manifest/plain-data.js';
import { checkFields, closed, leaves, listOf, type FieldSchema } from '../../manifest/schema/field-schema.js';
import type { Checker } from '../../manifest/validate/checker.js';
import { parseCidr } from '../../manifest/validate/cidr.js';
import { parseIp } from '../../algebra/ip-set.js';
import { CalicoSelector, isSelectorError } from './selector/selector.js';

const ICMP: FieldSchema = closed(leaves('type', 'code'));
const ENTITY: FieldSchema = closed({
  ...leaves('selector', 'notSelector', 'namespaceSelector', 'nets', 'notNets', 'ports', 'notPorts'),
  serviceAccounts: closed(leaves('names', 'selector')),
  services: closed(leaves('name', 'namespace')),
});
const RULE: FieldSchema = closed({
  ...leaves('action', 'protocol', 'notProtocol', 'ipVersion', 'metadata'),
  icmp: ICMP,
  notICMP: ICMP,
  source: ENTITY,
  destination: ENTITY,
  http: closed(leaves('methods', 'paths')),
});
const SPEC: FieldSchema = closed({
  ...leaves('tier', 'order', 'selector', 'namespaceSelector', 'serviceAccountSelector', 'types', 'doNotTrack', 'preDNAT', 'applyOnForward', 'performanceHints'),
  ingress: listOf(RULE),
  egress: listOf(RULE),
});

const ACTIONS = ['Allow', 'Deny', 'Log', 'Pass'];
const PROTOCOL_NAMES = ['TCP', 'UDP', 'ICMP', 'ICMPv6', 'SCTP', 'UDPLite'];

/** Validates a Calico policy's spec (metadata is checked by the parser). */
export function checkCalicoObject(c: Checker, kind: string, object: PlainObject): void {
  if (kind !== 'NetworkPolicy' && kind !== 'GlobalNetworkPolicy') return;
  const spec = c.object(object['spec'], ['spec']);
  if (!spec) return;
  checkFields(c, spec, SPEC, ['spec']);
  for (const key of ['selector', 'namespaceSelector', 'serviceAccountSelector'] as const) checkSelector(c, spec[key], ['spec', key]);
  if (kind === 'NetworkPolicy' && spec['namespaceSelector'] !== undefined) c.error('INVALID_VALUE', ['spec', 'namespaceSelector'], 'a namespaced NetworkPolicy has no namespaceSelector (a GlobalNetworkPolicy does)');
  if (spec['order'] !== undefined && (typeof spec['order'] !== 'number' || !Number.isFinite(spec['order']))) c.error('INVALID_VALUE', ['spec', 'order'], 'order must be a number');
  const types = c.array(spec['types'], ['spec', 'types']);
  types?.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') c.error('INVALID_VALUE', ['spec', 'types', i], `unsupported value ${JSON.stringify(t)}: supported values: "Ingress", "Egress"`);
  });
  for (const direction of ['ingress', 'egress'] as const) {
    c.array(spec[direction], ['spec', direction])?.forEach((rule, i) => checkRule(c, rule, ['spec', direction, i]));
  }
}

function checkRule(c: Checker, value: unknown, path: FieldPath): void {
  const rule = c.object(value, path);
  if (!rule) return;
  if (rule['action'] === undefined) c.missing([...path, 'action']);
  else if (!ACTIONS.includes(String(rule['action']))) c.error('INVALID_VALUE', [...path, 'action'], `unsupported value ${JSON.stringify(rule['action'])}: supported values: "Allow", "Deny", "Log", "Pass"`);
  for (const key of ['protocol', 'notProtocol'] as const) {
    const p = rule[key];
    if (p === undefined) continue;
    const ok = typeof p === 'number' ? Number.isInteger(p) && p >= 1 && p <= 255 : typeof p === 'string' && (PROTOCOL_NAMES.includes(p) || (/^\d+$/.test(p) && Number(p) >= 1 && Number(p) <= 255));
    if (!ok) c.error('INVALID_VALUE', [...path, key], `unsupported protocol ${JSON.stringify(p)}: a name (${PROTOCOL_NAMES.join(', ')}) or a number 1-255`);
  }
  const protocol = String(rule['protocol'] ?? '');
  for (const key of ['icmp', 'notICMP'] as const) {
    const icmp = rule[key];
    if (icmp === undefined) continue;
    if (!['ICMP', 'ICMPv6', '1', '58'].includes(protocol)) c.error('INVALID_VALUE', [...path, key], `${key} needs protocol ICMP or ICMPv6`);
    const object = c.object(icmp, [...path, key]);
    for (const field of ['type', 'code'] as const) {
      const n = object?.[field];
      if (n !== undefined && (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 255)) c.error('INVALID_VALUE', [...path, key, field], `ICMP ${field} must be an integer 0-255`);
    }
    if (object && object['code'] !== undefined && object['type'] === undefined) c.error('INVALID_VALUE', [...path, key, 'code'], 'an ICMP code needs a type');
  }
  for (const side of ['source', 'destination'] as const) {
    const entity = c.object(rule[side], [...path, side]);
    if (!entity) continue;
    for (const key of ['selector', 'notSelector', 'namespaceSelector'] as const) checkSelector(c, entity[key], [...path, side, key]);
    for (const key of ['nets', 'notNets'] as const) {
      c.array(entity[key], [...path, side, key])?.forEach((net, i) => {
        if (typeof net !== 'string' || ('error' in parseCidr(net) && !parseIp(net))) c.error('INVALID_VALUE', [...path, side, key, i], `${JSON.stringify(net)} is not a CIDR or an IP address`);
      });
    }
    for (const key of ['ports', 'notPorts'] as const) {
      const ports = c.array(entity[key], [...path, side, key]);
      if (!ports) continue;
      if (!['TCP', 'UDP', 'SCTP', 'UDPLite', '6', '17', '132', '136'].includes(protocol)) c.error('INVALID_VALUE', [...path, side, key], `${key} need protocol TCP, UDP, SCTP or UDPLite`);
      ports.forEach((port, i) => checkPort(c, port, [...path, side, key, i]));
    }
  }
}

function checkPort(c: Checker, port: unknown, path: FieldPath): void {
  const inRange = (n: number) => Number.isInteger(n) && n >= 0 && n <= 65535;
  if (typeof port === 'number') {
    if (!inRange(port)) c.error('INVALID_VALUE', path, `port ${port} is not in 0-65535`);
    return;
  }
  if (typeof port !== 'string') {
    c.error('INVALID_VALUE', path, 'a port is a number, "from:to" or a port name');
    return;
  }
  const range = /^(\d+):(\d+)$/.exec(port);
  if (range && (!inRange(Number(range[1])) || !inRange(Number(range[2])) || Number(range[1]) > Number(range[2]))) c.error('INVALID_VALUE', path, `port range ${port} is not from:to within 0-65535`);
  else if (!range && !/^\d+$/.test(port) && !/^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/i.test(port)) c.error('INVALID_VALUE', path, `${JSON.stringify(port)} is not a port number, range or name`);
}

function checkSelector(c: Checker, value: unknown, path: FieldPath): void {
  if (value === undefined) return;
  if (typeof value !== 'string') {
    c.error('INVALID_VALUE', path, 'a selector is a string');
    return;
  }
  const parsed = CalicoSelector.parse(value);
  if (isSelectorError(parsed)) c.error('INVALID_VALUE', path, `invalid selector at column ${parsed.column}: ${parsed.message} (${parsed.code})`);
}


