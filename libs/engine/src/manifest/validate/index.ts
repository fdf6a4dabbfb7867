// Per-kind validation of the modelled kinds.
import type { PlainObject } from '../plain-data.js';
import { checkFields } from '../schema/field-schema.js';
import { kindSchema } from '../schema/registry.js';
import type { Checker } from './checker.js';
import { checkMetadata, type NameRule } from './metadata.js';
import { registeredKind } from '../../dialects/registry.js';
import { checkNetworkPolicySpec } from './network-policy.js';
import { checkCronJob, checkNode, checkPod, checkReplicationController, checkService, checkWorkload } from './workloads.js';

interface KindRules {
  readonly name: NameRule;
  readonly spec?: (c: Checker, object: PlainObject) => void;
}

const RULES: Readonly<Record<string, KindRules>> = {
  Namespace: { name: 'dns1123-label' },
  Node: { name: 'dns1123-subdomain', spec: checkNode },
  Pod: { name: 'dns1123-subdomain', spec: checkPod },
  Service: { name: 'dns1035-label', spec: checkService },
  ReplicationController: { name: 'dns1123-subdomain', spec: checkReplicationController },
  Deployment: { name: 'dns1123-subdomain', spec: checkWorkload },
  ReplicaSet: { name: 'dns1123-subdomain', spec: checkWorkload },
  StatefulSet: { name: 'dns1123-subdomain', spec: checkWorkload },
  DaemonSet: { name: 'dns1123-subdomain', spec: checkWorkload },
  Job: { name: 'dns1123-subdomain', spec: checkWorkload },
  CronJob: { name: 'dns1123-subdomain', spec: checkCronJob },
  NetworkPolicy: { name: 'dns1123-subdomain', spec: checkNetworkPolicySpec },
};

/** Validates a modelled kind (any other kind: metadata only, lenient names). */
export function validateObject(c: Checker, kind: string, object: PlainObject, modelled: boolean): void {
  // Policy kinds of other dialects are validated by their dialect folder (registered by API group + kind). Auxiliary
  // kinds a dialect reads (Calico Tier, CiliumCIDRGroup) are modelled but not policies: checked like stored objects.
  const registered = modelled ? registeredKind(String(object['apiVersion']), kind) : undefined;
  const checked = modelled && registered?.role !== 'auxiliary';
  const dialect = registered?.dialect;
  const dialectRules = dialect?.validate;
  const rules = checked ? (dialectRules ? { name: 'dns1123-subdomain' as const, spec: (c: Checker, o: PlainObject) => dialectRules(c, kind, o) } : RULES[kind]) : undefined;
  checkMetadata(c, object, rules?.name ?? 'any');
  rules?.spec?.(c, object);
  const schema = checked ? (kindSchema(String(object['apiVersion']), kind) ?? dialect?.schemas?.[kind]) : undefined;
  if (schema) checkFields(c, object, schema, []);
}
