// Parsing and validating a SegmentationIntents file into located issues (file, document, field path, line).
import { isProtocol } from '../algebra/connection-set.js';
import { parseCidr } from '../algebra/ip-set.js';
import type { LabelSelectorSpec } from '../algebra/selector.js';
import type { FieldPath } from '../manifest/path.js';
import type { Issue, SourceDocument } from '../manifest/types.js';
import { ConfigChecker, readConfigDocument } from './config-document.js';
import { EXTERNAL_ZONE, INTENTS_KIND, UNZONED, type ExceptionSpec, type FlowEnd, type FlowPort, type FlowSpec, type SegmentationIntents, type ZoneSpec } from './types.js';

const ZONE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function parseIntents(source: SourceDocument): { intents?: SegmentationIntents; issues: Issue[] } {
  const { value, checker } = readConfigDocument(source, INTENTS_KIND);
  if (!value) return { issues: checker.issues };
  checker.unknownKeys(value, [], ['apiVersion', 'kind', 'metadata', 'zones', 'allowedFlows', 'exceptions', 'intraZone']);
  const metadata = value.metadata === undefined ? {} : (checker.object(value.metadata, ['metadata']) ?? {});
  const name = checker.string(metadata.name, ['metadata', 'name'], false) ?? 'intents';
  const zones: ZoneSpec[] = [];
  checker.array(value.zones, ['zones'], true).forEach((item, i) => {
    const zone = parseZone(checker, item, ['zones', i]);
    if (!zone) return;
    if (zones.some((z) => z.name === zone.name)) checker.error(['zones', i, 'name'], 'INVALID_VALUE', `zone ${zone.name} is declared twice`);
    else zones.push(zone);
  });
  const known = new Set([...zones.map((z) => z.name), EXTERNAL_ZONE, UNZONED]);
  const allowedFlows: FlowSpec[] = [];
  checker.array(value.allowedFlows, ['allowedFlows']).forEach((item, i) => {
    const flow = parseFlow(checker, item, ['allowedFlows', i], known, ['from', 'to', 'ports', 'description']);
    if (flow) allowedFlows.push(flow);
  });
  const exceptions: ExceptionSpec[] = [];
  checker.array(value.exceptions, ['exceptions']).forEach((item, i) => {
    const path = ['exceptions', i];
    const flow = parseFlow(checker, item, path, known, ['from', 'to', 'ports', 'description', 'owner', 'justification', 'expires']);
    const entry = item as Record<string, unknown>;
    if (!flow) return;
    const owner = checker.string(entry.owner, [...path, 'owner']);
    const justification = checker.string(entry.justification, [...path, 'justification']);
    const expires = entry.expires === undefined ? (checker.error([...path, 'expires'], 'MISSING_FIELD', `${path.join('.')}.expires is required: every exception expires`), undefined) : checker.time(entry.expires, [...path, 'expires']);
    if (owner && justification && expires) exceptions.push({ ...flow, owner, justification, expires });
  });
  let intraZone: 'allow' | 'deny' = 'allow';
  if (value.intraZone !== undefined) {
    if (value.intraZone === 'allow' || value.intraZone === 'deny') intraZone = value.intraZone;
    else checker.error(['intraZone'], 'INVALID_VALUE', 'intraZone must be allow or deny');
  }
  if (checker.issues.some((i) => i.severity === 'error')) return { issues: checker.issues };
  return { intents: { name, zones, allowedFlows, exceptions, intraZone, source: source.path }, issues: checker.issues };
}

function parseSelector(checker: ConfigChecker, value: unknown, path: FieldPath): LabelSelectorSpec | undefined {
  if (value === undefined) return undefined;
  const sel = checker.object(value, path);
  if (!sel) return undefined;
  checker.unknownKeys(sel, path, ['matchLabels', 'matchExpressions']);
  if (sel.matchLabels !== undefined) {
    const labels = checker.object(sel.matchLabels, [...path, 'matchLabels']);
    for (const [k, v] of Object.entries(labels ?? {})) if (typeof v !== 'string') checker.error([...path, 'matchLabels', k], 'WRONG_TYPE', `label ${k} must be a string (quote it)`);
  }
  (checker.array(sel.matchExpressions, [...path, 'matchExpressions']) as Record<string, unknown>[]).forEach((e, i) => {
    const p = [...path, 'matchExpressions', i];
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(String(e?.operator))) checker.error([...p, 'operator'], 'INVALID_VALUE', 'operator must be In, NotIn, Exists or DoesNotExist');
    checker.string(e?.key, [...p, 'key']);
  });
  return sel as LabelSelectorSpec;
}

function parseZone(checker: ConfigChecker, item: unknown, path: FieldPath): ZoneSpec | undefined {
  const zone = checker.object(item, path);
  if (!zone) return undefined;
  checker.unknownKeys(zone, path, ['name', 'description', 'namespaceSelector', 'namespaces', 'podSelector', 'ipBlocks']);
  const name = checker.string(zone.name, [...path, 'name']);
  if (name && (!ZONE_NAME.test(name) || name === EXTERNAL_ZONE || name === UNZONED)) {
    checker.error([...path, 'name'], 'INVALID_VALUE', `zone name ${name} must be a DNS label and not ${EXTERNAL_ZONE} or ${UNZONED}`);
  }
  const namespaceSelector = parseSelector(checker, zone.namespaceSelector, [...path, 'namespaceSelector']);
  const podSelector = parseSelector(checker, zone.podSelector, [...path, 'podSelector']);
  const namespaces = checker.array(zone.namespaces, [...path, 'namespaces']).map((n, i) => checker.string(n, [...path, 'namespaces', i]) ?? '');
  const ipBlocks = checker.array(zone.ipBlocks, [...path, 'ipBlocks']).map((c, i) => {
    const text = checker.string(c, [...path, 'ipBlocks', i]) ?? '';
    if (text && !parseCidr(text)) checker.error([...path, 'ipBlocks', i], 'INVALID_VALUE', `${text} is not a CIDR`);
    return text;
  });
  const selects = namespaceSelector || podSelector || namespaces.length > 0;
  if (!selects && ipBlocks.length === 0) checker.error(path, 'MISSING_FIELD', 'a zone needs namespaceSelector, namespaces, podSelector or ipBlocks');
  if (selects && ipBlocks.length > 0) checker.error([...path, 'ipBlocks'], 'INVALID_VALUE', 'a zone holds either workloads (selectors) or IP ranges, not both');
  if (!name) return undefined;
  return {
    name,
    ...(typeof zone.description === 'string' ? { description: zone.description } : {}),
    ...(namespaceSelector ? { namespaceSelector } : {}),
    ...(namespaces.length ? { namespaces } : {}),
    ...(podSelector ? { podSelector } : {}),
    ...(ipBlocks.length ? { ipBlocks } : {}),
  };
}

function parseEnd(checker: ConfigChecker, value: unknown, path: FieldPath, known: ReadonlySet<string>): FlowEnd | undefined {
  let end: FlowEnd | undefined;
  if (typeof value === 'string') end = { zone: value };
  else if (value === undefined) checker.error(path, 'MISSING_FIELD', `${path.join('.')} is required (a zone name or { zone, workloads })`);
  else {
    const obj = checker.object(value, path);
    if (!obj) return undefined;
    checker.unknownKeys(obj, path, ['zone', 'workloads']);
    const zone = checker.string(obj.zone, [...path, 'zone']);
    const workloads = checker.array(obj.workloads, [...path, 'workloads']).map((w, i) => {
      const text = checker.string(w, [...path, 'workloads', i]) ?? '';
      if (text && !/^[^/]+\/[^/]+$/.test(text)) checker.error([...path, 'workloads', i], 'INVALID_VALUE', `${text} must be namespace/name`);
      return text;
    });
    if (zone) end = { zone, ...(workloads.length ? { workloads } : {}) };
  }
  if (end && !known.has(end.zone)) checker.error(typeof value === 'string' ? path : [...path, 'zone'], 'INVALID_VALUE', `unknown zone ${end.zone} (declared: ${[...known].join(', ')})`);
  return end;
}

function parsePorts(checker: ConfigChecker, value: unknown, path: FieldPath): FlowPort[] | undefined {
  if (value === undefined) return undefined;
  return checker.array(value, path).flatMap((item, i) => {
    const p = [...path, i];
    const port = checker.object(item, p);
    if (!port) return [];
    checker.unknownKeys(port, p, ['protocol', 'port', 'endPort']);
    const protocol = port.protocol ?? 'TCP';
    if (!isProtocol(protocol)) {
      checker.error([...p, 'protocol'], 'INVALID_VALUE', 'protocol must be TCP, UDP or SCTP');
      return [];
    }
    const valid = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535;
    if (port.port !== undefined && !valid(port.port)) checker.error([...p, 'port'], 'INVALID_VALUE', 'port must be a number in 1-65535');
    if (port.endPort !== undefined && (!valid(port.endPort) || port.port === undefined || (port.endPort as number) < (port.port as number))) {
      checker.error([...p, 'endPort'], 'INVALID_VALUE', 'endPort needs port and must be ≥ port, ≤ 65535');
    }
    return [{ protocol, ...(port.port !== undefined ? { port: port.port as number } : {}), ...(port.endPort !== undefined ? { endPort: port.endPort as number } : {}) }];
  });
}

function parseFlow(checker: ConfigChecker, item: unknown, path: FieldPath, known: ReadonlySet<string>, allowed: readonly string[]): FlowSpec | undefined {
  const flow = checker.object(item, path);
  if (!flow) return undefined;
  checker.unknownKeys(flow, path, allowed);
  const from = parseEnd(checker, flow.from, [...path, 'from'], known);
  const to = parseEnd(checker, flow.to, [...path, 'to'], known);
  const ports = parsePorts(checker, flow.ports, [...path, 'ports']);
  if (!from || !to) return undefined;
  return {
    from,
    to,
    ...(ports ? { ports } : {}),
    ...(typeof flow.description === 'string' ? { description: flow.description } : {}),
    path: `${path[0]}[${path[1]}]`,
  };
}
