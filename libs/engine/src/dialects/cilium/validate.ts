// CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy checked as the API server does with Cilium's CRD schemas:
// the field schema (UNKNOWN_FIELD with "did you mean"), then the values: a subject (endpointSelector, or
// nodeSelector on the clusterwide kind), CIDRs, entities, port numbers and ranges, protocols, ICMP fields, and no
// L7 rules on deny rules. A field no schema knows fails closed: a rule read wider or narrower than written would
// give wrong verdicts.
import { closed, leaves, listOf, ANY, type FieldSchema } from '../../manifest/schema/field-schema.js';
import type { FieldPath } from '../../manifest/path.js';
import type { PlainObject } from '../../manifest/plain-data.js';
import type { Checker } from '../../manifest/validate/checker.js';
import { parseCidr } from '../../manifest/validate/cidr.js';
import { ianaServiceName } from '../../manifest/validate/names.js';

export const ENTITIES = ['all', 'world', 'world-ipv4', 'world-ipv6', 'cluster', 'host', 'remote-node', 'kube-apiserver', 'health', 'init', 'ingress', 'unmanaged', 'none'];
const PROTOCOLS = ['TCP', 'UDP', 'SCTP', 'ANY'];
const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

const SELECTOR = closed({ matchLabels: ANY, matchExpressions: listOf(closed(leaves('key', 'operator', 'values'))) });
const PORTS = listOf(closed(leaves('port', 'endPort', 'protocol')));
const ICMPS = listOf(closed({ fields: listOf(closed(leaves('type', 'family'))) }));
const CIDR_SET = listOf(closed(leaves('cidr', 'except', 'cidrGroupRef', 'cidrGroupSelector')));
const L7_RULES = closed({
  http: listOf(closed(leaves('method', 'path', 'host', 'headers', 'headerMatches'))),
  dns: listOf(closed(leaves('matchName', 'matchPattern'))),
  kafka: ANY,
  l7proto: ANY,
  l7: ANY,
});
const PORT_RULE = closed({ ports: PORTS, rules: L7_RULES, ...leaves('listener', 'originatingTLS', 'terminatingTLS', 'serverNames') });
const PORT_DENY_RULE = closed({ ports: PORTS });

function ruleSchema(direction: 'ingress' | 'egress', deny: boolean): FieldSchema {
  const from = direction === 'ingress' ? 'from' : 'to';
  const fields: Record<string, FieldSchema> = {
    [`${from}Endpoints`]: listOf(SELECTOR),
    [`${from}Requires`]: listOf(SELECTOR),
    [`${from}Nodes`]: listOf(SELECTOR),
    [`${from}CIDR`]: ANY,
    [`${from}CIDRSet`]: CIDR_SET,
    [`${from}Entities`]: ANY,
    [`${from}Groups`]: ANY,
    toPorts: listOf(deny ? PORT_DENY_RULE : PORT_RULE),
    icmps: ICMPS,
  };
  if (!deny) fields.authentication = ANY;
  if (direction === 'egress') {
    fields.toServices = ANY;
    if (!deny) fields.toFQDNs = ANY;
  }
  return closed(fields);
}

const RULE = closed({
  endpointSelector: SELECTOR,
  nodeSelector: SELECTOR,
  ingress: listOf(ruleSchema('ingress', false)),
  ingressDeny: listOf(ruleSchema('ingress', true)),
  egress: listOf(ruleSchema('egress', false)),
  egressDeny: listOf(ruleSchema('egress', true)),
  enableDefaultDeny: closed(leaves('ingress', 'egress')),
  ...leaves('labels', 'description', 'log'),
});

export const CILIUM_POLICY_SCHEMA: FieldSchema = closed({ ...leaves('apiVersion', 'kind', 'metadata', 'status'), spec: RULE, specs: listOf(RULE) });

/** Validates a Cilium policy's values (field names are checked by CILIUM_POLICY_SCHEMA). */
export function checkCiliumPolicy(c: Checker, kind: string, object: PlainObject): void {
  const clusterwide = kind === 'CiliumClusterwideNetworkPolicy';
  const spec = c.object(object['spec'], ['spec']);
  const specs = c.array(object['specs'], ['specs']);
  if (!spec && (!specs || specs.length === 0)) {
    c.missing(['spec'], 'spec or specs');
    return;
  }
  if (spec) checkRule(c, spec, ['spec'], clusterwide);
  specs?.forEach((s, i) => {
    const rule = c.object(s, ['specs', i]);
    if (rule) checkRule(c, rule, ['specs', i], clusterwide);
  });
}

function checkRule(c: Checker, rule: PlainObject, path: FieldPath, clusterwide: boolean): void {
  const endpoint = rule['endpointSelector'] !== undefined && rule['endpointSelector'] !== null;
  const node = rule['nodeSelector'] !== undefined && rule['nodeSelector'] !== null;
  if (!endpoint && !node) c.error('MISSING_FIELD', path, 'one of endpointSelector or nodeSelector is required');
  if (endpoint && node) c.error('INVALID_VALUE', [...path, 'nodeSelector'], 'endpointSelector and nodeSelector cannot both be set');
  if (node && !clusterwide) c.error('INVALID_VALUE', [...path, 'nodeSelector'], 'nodeSelector is only allowed in a CiliumClusterwideNetworkPolicy');
  if (endpoint) checkSelector(c, rule['endpointSelector'], [...path, 'endpointSelector']);
  if (node) checkSelector(c, rule['nodeSelector'], [...path, 'nodeSelector']);
  const defaultDeny = c.object(rule['enableDefaultDeny'], [...path, 'enableDefaultDeny']);
  if (defaultDeny) for (const d of ['ingress', 'egress']) c.boolean(defaultDeny[d], [...path, 'enableDefaultDeny', d]);
  for (const section of ['ingress', 'ingressDeny', 'egress', 'egressDeny'] as const) {
    const direction = section.startsWith('ingress') ? 'ingress' : 'egress';
    c.array(rule[section], [...path, section])?.forEach((entry, i) => {
      const r = c.object(entry, [...path, section, i]);
      if (r) checkPolicyRule(c, r, [...path, section, i], direction);
    });
  }
}

function checkPolicyRule(c: Checker, rule: PlainObject, path: FieldPath, direction: 'ingress' | 'egress'): void {
  const from = direction === 'ingress' ? 'from' : 'to';
  for (const field of [`${from}Endpoints`, `${from}Requires`, `${from}Nodes`]) {
    c.array(rule[field], [...path, field])?.forEach((s, i) => checkSelector(c, s, [...path, field, i]));
  }
  c.array(rule[`${from}CIDR`], [...path, `${from}CIDR`])?.forEach((v, i) => checkCidr(c, v, [...path, `${from}CIDR`, i]));
  c.array(rule[`${from}CIDRSet`], [...path, `${from}CIDRSet`])?.forEach((v, i) => {
    const p = [...path, `${from}CIDRSet`, i];
    const set = c.object(v, p);
    if (!set) return;
    const given = ['cidr', 'cidrGroupRef', 'cidrGroupSelector'].filter((k) => set[k] !== undefined && set[k] !== null);
    if (given.length !== 1) c.error(given.length === 0 ? 'MISSING_FIELD' : 'INVALID_VALUE', p, 'exactly one of cidr, cidrGroupRef or cidrGroupSelector is required');
    if (set['cidr'] !== undefined) checkCidr(c, set['cidr'], [...p, 'cidr']);
    c.string(set['cidrGroupRef'], [...p, 'cidrGroupRef']);
    c.array(set['except'], [...p, 'except'])?.forEach((e, j) => checkCidr(c, e, [...p, 'except', j]));
  });
  c.array(rule[`${from}Entities`], [...path, `${from}Entities`])?.forEach((v, i) => {
    const entity = c.string(v, [...path, `${from}Entities`, i]);
    if (entity !== undefined && !ENTITIES.includes(entity)) {
      c.error('INVALID_VALUE', [...path, `${from}Entities`, i], `unsupported entity "${entity}": supported values: ${ENTITIES.map((e) => `"${e}"`).join(', ')}`);
    }
  });
  c.array(rule['toPorts'], [...path, 'toPorts'])?.forEach((entry, i) => {
    const portRule = c.object(entry, [...path, 'toPorts', i]);
    c.array(portRule?.['ports'], [...path, 'toPorts', i, 'ports'])?.forEach((p, j) => checkPort(c, p, [...path, 'toPorts', i, 'ports', j]));
  });
  c.array(rule['icmps'], [...path, 'icmps'])?.forEach((entry, i) => {
    const icmp = c.object(entry, [...path, 'icmps', i]);
    c.array(icmp?.['fields'], [...path, 'icmps', i, 'fields'])?.forEach((f, j) => {
      const p = [...path, 'icmps', i, 'fields', j];
      const field = c.object(f, p);
      if (!field) return;
      const family = field['family'] === undefined ? 'IPv4' : c.string(field['family'], [...p, 'family']);
      if (family !== undefined && family !== 'IPv4' && family !== 'IPv6') c.error('INVALID_VALUE', [...p, 'family'], `unsupported value "${family}": supported values: "IPv4", "IPv6"`);
      const type = field['type'];
      if (type === undefined || type === null) c.missing([...p, 'type']);
      else if (typeof type === 'number' ? !Number.isInteger(type) || type < 0 || type > 255 : typeof type !== 'string') {
        c.error('INVALID_VALUE', [...p, 'type'], 'must be an ICMP type 0-255 or its name');
      }
    });
  });
}

function checkSelector(c: Checker, value: unknown, path: FieldPath): void {
  const selector = c.object(value, path);
  if (!selector) return;
  const labels = c.object(selector['matchLabels'], [...path, 'matchLabels']);
  if (labels) for (const [k, v] of Object.entries(labels)) if (typeof v !== 'string') c.error('WRONG_TYPE', [...path, 'matchLabels', k], 'expected a string');
  c.array(selector['matchExpressions'], [...path, 'matchExpressions'])?.forEach((e, i) => {
    const p = [...path, 'matchExpressions', i];
    const expr = c.object(e, p);
    if (!expr) return;
    if (c.string(expr['key'], [...p, 'key']) === undefined) c.missing([...p, 'key']);
    const operator = c.string(expr['operator'], [...p, 'operator']);
    if (operator === undefined) c.missing([...p, 'operator']);
    else if (!OPERATORS.includes(operator)) c.error('INVALID_VALUE', [...p, 'operator'], `unsupported value "${operator}": supported values: ${OPERATORS.map((o) => `"${o}"`).join(', ')}`);
    const values = c.array(expr['values'], [...p, 'values']);
    if ((operator === 'In' || operator === 'NotIn') && (!values || values.length === 0)) c.error('MISSING_FIELD', [...p, 'values'], `must be specified when \`operator\` is 'In' or 'NotIn'`);
    if ((operator === 'Exists' || operator === 'DoesNotExist') && values && values.length > 0) c.error('INVALID_VALUE', [...p, 'values'], `may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`);
  });
}

function checkCidr(c: Checker, value: unknown, path: FieldPath): void {
  const text = c.string(value, path);
  if (text === undefined) return;
  // Cilium also accepts a bare address (a /32 or /128).
  const parsed = parseCidr(text.includes('/') ? text : `${text}/${text.includes(':') ? 128 : 32}`);
  if ('error' in parsed) c.error('INVALID_VALUE', path, `invalid CIDR "${text}": ${parsed.error}`);
}

function checkPort(c: Checker, value: unknown, path: FieldPath): void {
  const port = c.object(value, path);
  if (!port) return;
  const raw = port['port'];
  let number: number | undefined;
  if (typeof raw === 'number' || (typeof raw === 'string' && /^\d+$/.test(raw))) {
    number = Number(raw);
    if (!Number.isInteger(number) || number < 0 || number > 65535) c.error('INVALID_VALUE', [...path, 'port'], `port ${String(raw)} must be between 0 and 65535`);
  } else if (typeof raw === 'string') c.problems([...path, 'port'], ianaServiceName(raw), `port name "${raw}"`);
  else if (raw !== undefined && raw !== null) c.error('WRONG_TYPE', [...path, 'port'], 'expected a port number or name (string)');
  const endPort = c.integer(port['endPort'], [...path, 'endPort']);
  if (endPort !== undefined) {
    if (endPort < 0 || endPort > 65535) c.error('INVALID_VALUE', [...path, 'endPort'], `${endPort} must be between 0 and 65535`);
    else if (number !== undefined && number > 0 && endPort < number) c.error('INVALID_VALUE', [...path, 'endPort'], `${endPort} must not be less than port (${number})`);
  }
  const protocol = c.string(port['protocol'], [...path, 'protocol']);
  if (protocol !== undefined && !PROTOCOLS.includes(protocol)) c.error('INVALID_VALUE', [...path, 'protocol'], `unsupported value "${protocol}": supported values: ${PROTOCOLS.map((p) => `"${p}"`).join(', ')}`);
}
