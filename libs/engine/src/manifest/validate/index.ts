// Per-kind validation of the modelled kinds.
import type { PlainObject } from '../plain-data.js';
import type { Checker } from './checker.js';
import { checkMetadata, type NameRule } from './metadata.js';
import { checkClusterPolicy } from '../../dialects/admin-network-policy/validate.js';
import { checkNetworkPolicySpec } from './network-policy.js';
import { checkCronJob, checkPod, checkReplicationController, checkService, checkWorkload } from './workloads.js';

interface KindRules {
  readonly name: NameRule;
  readonly spec?: (c: Checker, object: PlainObject) => void;
}

const RULES: Readonly<Record<string, KindRules>> = {
  Namespace: { name: 'dns1123-label' },
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
  // policy.networking.k8s.io: the dialect folder owns the rules.
  AdminNetworkPolicy: { name: 'dns1123-subdomain', spec: (c, o) => checkClusterPolicy(c, 'AdminNetworkPolicy', o) },
  BaselineAdminNetworkPolicy: { name: 'dns1123-subdomain', spec: (c, o) => checkClusterPolicy(c, 'BaselineAdminNetworkPolicy', o) },
  ClusterNetworkPolicy: { name: 'dns1123-subdomain', spec: (c, o) => checkClusterPolicy(c, 'ClusterNetworkPolicy', o) },
};

/** Validates a modelled kind (any other kind: metadata only, lenient names). */
export function validateObject(c: Checker, kind: string, object: PlainObject, modelled: boolean): void {
  const rules = modelled ? RULES[kind] : undefined;
  checkMetadata(c, object, rules?.name ?? 'any');
  rules?.spec?.(c, object);
}
