// Shape checks for the pod-carrying kinds, Service and Namespace: the fields analysis reads must have
// the types Kubernetes gives them (labels are string maps, container ports are integers 1-65535, ...).
import type { FieldPath } from '../path.js';
import { isPlainObject, type PlainObject } from '../plain-data.js';
import type { Checker } from './checker.js';
import { isIpGrammarError, parseIpAddress } from '../../algebra/ip-grammar.js';
import { ianaServiceName, isPortNumber, portNumber, PROTOCOLS } from './names.js';
import { checkLabelSelector } from './selector.js';

function checkProtocol(c: Checker, value: unknown, path: FieldPath): void {
  const protocol = c.string(value, path);
  if (protocol !== undefined && !PROTOCOLS.includes(protocol)) {
    c.error('INVALID_VALUE', path, `unsupported value "${protocol}": supported values: "TCP", "UDP", "SCTP"`);
  }
}

function checkPortName(c: Checker, value: unknown, path: FieldPath): void {
  const name = c.string(value, path);
  if (name === undefined) return;
  c.problems(path, ianaServiceName(name), `invalid port name "${name}"`);
}

function checkContainers(c: Checker, value: unknown, path: FieldPath): void {
  c.array(value, path)?.forEach((entry, i) => {
    if (c.yaml11Free && isCleanContainer(entry)) return; // nothing to report: no path built
    const containerPath = [...path, i];
    const container = c.object(entry, containerPath);
    if (!container) return;
    c.string(container['name'], [...containerPath, 'name']);
    c.array(container['ports'], [...containerPath, 'ports'])?.forEach((portEntry, j) => {
      const portPath = [...containerPath, 'ports', j];
      const port = c.object(portEntry, portPath);
      if (!port) return;
      const containerPort = c.integer(port['containerPort'], [...portPath, 'containerPort']);
      if (port['containerPort'] === undefined || port['containerPort'] === null) {
        // The API server requires it; np-guard reads such files (its corpus has a `containerport` typo), so warn.
        c.report('MISSING_FIELD', 'warning', [...portPath, 'containerPort'], 'containerPort is required: this port entry names no port');
      }
      if (containerPort !== undefined) {
        c.problems([...portPath, 'containerPort'], portNumber(containerPort), `containerPort ${containerPort}`);
      }
      const hostPort = c.integer(port['hostPort'], [...portPath, 'hostPort']);
      if (hostPort !== undefined && hostPort !== 0) c.problems([...portPath, 'hostPort'], portNumber(hostPort), `hostPort ${hostPort}`);
      checkPortName(c, port['name'], [...portPath, 'name']);
      checkProtocol(c, port['protocol'], [...portPath, 'protocol']);
    });
  });
}

/** True when checkContainers reports nothing for this entry (asked only when no YAML 1.1 look-alike can be in play). */
function isCleanContainer(entry: unknown): boolean {
  if (!isPlainObject(entry)) return false;
  const name = entry['name'];
  if (name !== undefined && name !== null && typeof name !== 'string') return false;
  const ports = entry['ports'];
  if (ports === undefined || ports === null) return true;
  if (!Array.isArray(ports)) return false;
  for (let j = 0; j < ports.length; j++) if (!isCleanContainerPort(ports[j])) return false;
  return true;
}

function isCleanContainerPort(port: unknown): boolean {
  if (!isPlainObject(port) || !isPortNumber(port['containerPort'])) return false;
  const hostPort = port['hostPort'];
  if (hostPort !== undefined && hostPort !== null && hostPort !== 0 && !isPortNumber(hostPort)) return false;
  const name = port['name'];
  if (name !== undefined && name !== null && (typeof name !== 'string' || ianaServiceName(name).length > 0)) return false;
  const protocol = port['protocol'];
  return protocol === undefined || protocol === null || (typeof protocol === 'string' && PROTOCOLS.includes(protocol));
}

function checkPodSpec(c: Checker, value: unknown, path: FieldPath): void {
  const spec = c.object(value, path);
  if (!spec) return;
  checkContainers(c, spec['containers'], [...path, 'containers']);
  checkContainers(c, spec['initContainers'], [...path, 'initContainers']);
  c.boolean(spec['hostNetwork'], [...path, 'hostNetwork']);
  c.string(spec['nodeName'], [...path, 'nodeName']);
}

function checkPodTemplate(c: Checker, value: unknown, path: FieldPath): void {
  const template = c.object(value, path);
  if (!template) return;
  const metadata = c.object(template['metadata'], [...path, 'metadata']);
  if (metadata) c.labels(metadata['labels'], [...path, 'metadata', 'labels']);
  checkPodSpec(c, template['spec'], [...path, 'spec']);
}

export function checkPod(c: Checker, object: PlainObject): void {
  checkPodSpec(c, object['spec'], ['spec']);
  const status = c.object(object['status'], ['status']);
  if (!status) return;
  checkIp(c, status['podIP'], ['status', 'podIP']);
  checkIp(c, status['hostIP'], ['status', 'hostIP']);
  c.string(status['phase'], ['status', 'phase']);
  c.array(status['podIPs'], ['status', 'podIPs'])?.forEach((entry, i) => {
    const ip = c.object(entry, ['status', 'podIPs', i]);
    if (ip) checkIp(c, ip['ip'], ['status', 'podIPs', i, 'ip']);
  });
}

/** Node: the addresses its host-network pods and node peers are matched by. */
export function checkNode(c: Checker, object: PlainObject): void {
  const status = c.object(object['status'], ['status']);
  if (!status) return;
  c.array(status['addresses'], ['status', 'addresses'])?.forEach((entry, i) => {
    const address = c.object(entry, ['status', 'addresses', i]);
    if (!address) return;
    const type = c.string(address['type'], ['status', 'addresses', i, 'type']);
    if (type === 'InternalIP' || type === 'ExternalIP') checkIp(c, address['address'], ['status', 'addresses', i, 'address']);
    else c.string(address['address'], ['status', 'addresses', i, 'address']);
  });
}

/** An IP address in the engine's one grammar (Go's: no leading zeros, no zones). */
function checkIp(c: Checker, value: unknown, path: FieldPath): void {
  const text = c.string(value, path);
  if (text === undefined || text === '') return;
  const parsed = parseIpAddress(text);
  if (isIpGrammarError(parsed)) c.error('INVALID_VALUE', path, `invalid IP address "${text}": ${parsed.error}`);
}

/** Deployment, ReplicaSet, StatefulSet, DaemonSet, Job: `spec.selector` (LabelSelector) and `spec.template`. */
export function checkWorkload(c: Checker, object: PlainObject): void {
  const spec = c.object(object['spec'], ['spec']);
  if (!spec) return;
  checkReplicas(c, spec['replicas'], ['spec', 'replicas']);
  checkReplicas(c, spec['parallelism'], ['spec', 'parallelism']);
  checkLabelSelector(c, spec['selector'], ['spec', 'selector']);
  checkPodTemplate(c, spec['template'], ['spec', 'template']);
}

/** ReplicationController: its selector is a plain label map. */
export function checkReplicationController(c: Checker, object: PlainObject): void {
  const spec = c.object(object['spec'], ['spec']);
  if (!spec) return;
  checkReplicas(c, spec['replicas'], ['spec', 'replicas']);
  c.labels(spec['selector'], ['spec', 'selector']);
  checkPodTemplate(c, spec['template'], ['spec', 'template']);
}

export function checkCronJob(c: Checker, object: PlainObject): void {
  const spec = c.object(object['spec'], ['spec']);
  const jobTemplate = spec && c.object(spec['jobTemplate'], ['spec', 'jobTemplate']);
  const jobSpec = jobTemplate && c.object(jobTemplate['spec'], ['spec', 'jobTemplate', 'spec']);
  if (!jobSpec) return;
  checkReplicas(c, jobSpec['parallelism'], ['spec', 'jobTemplate', 'spec', 'parallelism']);
  checkLabelSelector(c, jobSpec['selector'], ['spec', 'jobTemplate', 'spec', 'selector']);
  checkPodTemplate(c, jobSpec['template'], ['spec', 'jobTemplate', 'spec', 'template']);
}

const INT32_MAX = 2 ** 31 - 1;

/** replicas and parallelism: int32 in Kubernetes' types, and ≥ 0. They drive work (pods analysis creates). */
function checkReplicas(c: Checker, value: unknown, path: FieldPath): void {
  const replicas = c.integer(value, path);
  if (replicas === undefined) return;
  if (replicas < 0) c.error('INVALID_VALUE', path, `${replicas} must be greater than or equal to 0`);
  else if (replicas > INT32_MAX) c.error('INVALID_VALUE', path, `${replicas} is out of range: must be at most ${INT32_MAX} (int32)`);
}

export function checkService(c: Checker, object: PlainObject): void {
  const spec = c.object(object['spec'], ['spec']);
  if (!spec) return;
  c.labels(spec['selector'], ['spec', 'selector']);
  c.string(spec['type'], ['spec', 'type']);
  c.array(spec['ports'], ['spec', 'ports'])?.forEach((entry, i) => {
    const path = ['spec', 'ports', i];
    const port = c.object(entry, path);
    if (!port) return;
    const number = c.integer(port['port'], [...path, 'port']);
    if (number !== undefined) c.problems([...path, 'port'], portNumber(number), `port ${number}`);
    c.intOrString(port['targetPort'], [...path, 'targetPort']);
    c.string(port['name'], [...path, 'name']);
    checkProtocol(c, port['protocol'], [...path, 'protocol']);
  });
}
