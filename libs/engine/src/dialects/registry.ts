// The one list of policy dialects. Every "which kinds are policies" question in the engine, the API and the
// CLI reads it (kinds.ts, projection, the model, diff, the API's policy listing).
import { networkingV1 } from './networking-v1/index.js';
import { adminNetworkPolicy } from './admin-network-policy/index.js';
import { calico } from './calico/index.js';
import { calicoStaged } from './pending.js';
import { cilium } from './cilium/index.js';
import type { Dialect, DialectKind } from './types.js';

export const DIALECTS: readonly Dialect[] = [networkingV1, adminNetworkPolicy, calico, calicoStaged, cilium];

export interface RegisteredKind extends DialectKind {
  readonly dialect: Dialect;
  /** Whether the analysis reads it: a policy its dialect compiles, or an auxiliary object the compiler reads (Calico
   *  Tier order, NetworkSet nets). False: stored, and verdicts it could change carry caveats (HostEndpoint). */
  readonly modelled: boolean;
}

const byGroupKind = new Map<string, RegisteredKind>();
for (const dialect of DIALECTS) {
  for (const kind of dialect.kinds) {
    const key = `${kind.group}\u0000${kind.kind}`;
    if (byGroupKind.has(key)) throw new Error(`${kind.group}/${kind.kind} is registered by two dialects`);
    const modelled = dialect.compile !== undefined && (kind.role === 'policy' || !kind.unmodelledEffect);
    byGroupKind.set(key, { ...kind, dialect, modelled });
  }
}

export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** apiVersion → kind → registered kind (null: none). Asked several times per object of a 50k-pod snapshot: a
 *  two-level lookup of the strings as read, instead of building a group/kind key each time. */
const byVersionKind = new Map<string, Map<string, RegisteredKind | null>>();
const MAX_CACHED = 256;

/** The registered kind of an object, by API group + kind (never by kind alone). */
export function registeredKind(apiVersion: string, kind: string): RegisteredKind | undefined {
  const byKind = byVersionKind.get(apiVersion);
  const cached = byKind?.get(kind);
  if (cached !== undefined) return cached ?? undefined;
  const found = byGroupKind.get(`${apiGroupOf(apiVersion)}\u0000${kind}`) ?? null;
  // Bounded: a long-running server reads arbitrary inputs, whose made-up kinds must not grow it for ever.
  if (byKind) {
    if (byKind.size < MAX_CACHED) byKind.set(kind, found);
  } else if (byVersionKind.size < MAX_CACHED) byVersionKind.set(apiVersion, new Map([[kind, found]]));
  return found ?? undefined;
}

/** How a staged (never enforced) object would be promoted to the live policy it previews; undefined: not staged. */
export function stagedPromoter(apiVersion: string, kind: string): Dialect['promote'] {
  return registeredKind(apiVersion, kind)?.dialect.promote;
}

/** Whether the object is a staged (never enforced) policy, e.g. Calico's StagedNetworkPolicy. */
export function isStagedPolicy(object: { readonly apiVersion: string; readonly kind: string }): boolean {
  return stagedPromoter(object.apiVersion, object.kind) !== undefined;
}

/** Whether the object is a policy of some dialect (modelled or not). */
export function isPolicyObject(apiVersion: string, kind: string): boolean {
  return registeredKind(apiVersion, kind)?.role === 'policy';
}

/** Every registered kind, for listings (API filters, documentation). */
export function registeredKinds(): readonly RegisteredKind[] {
  return [...byGroupKind.values()];
}

/** Core kinds by their home API group (extensions/v1beta1 workloads are the same resources as apps/v1). */
const CORE_GROUPS: Readonly<Record<string, string>> = {
  Namespace: '', Pod: '', Service: '', ReplicationController: '', Node: '', ServiceAccount: '',
  Deployment: 'apps', ReplicaSet: 'apps', StatefulSet: 'apps', DaemonSet: 'apps',
  Job: 'batch', CronJob: 'batch',
};

/** The API group that identifies an object of this apiVersion and kind (aliases folded: `extensions` → `apps`). */
export function identityGroup(apiVersion: string, kind: string): string {
  const group = apiGroupOf(apiVersion);
  return group === 'extensions' && CORE_GROUPS[kind] === 'apps' ? 'apps' : group;
}

/** The group a bare kind means when none is given (a user's `{kind: NetworkPolicy}`): the core group for core
 *  kinds, else the first dialect registering the kind (Kubernetes' own NetworkPolicy before Calico's). */
export function defaultGroupOf(kind: string): string {
  if (kind in CORE_GROUPS) return CORE_GROUPS[kind];
  for (const dialect of DIALECTS) for (const k of dialect.kinds) if (k.kind === kind) return k.group;
  return '';
}

/** A policy's kind as explanations name it: the bare kind where it says which API group it is, `Kind.group` where
 *  another group owns the bare name (a Calico `NetworkPolicy.projectcalico.org` beside Kubernetes' `NetworkPolicy`,
 *  whose texts stay np-guard's). */
export function qualifiedKind(apiVersion: string, kind: string): string {
  // Calico's CRD group (what Calico stores without its API server) names the same objects as projectcalico.org.
  const identity = identityGroup(apiVersion, kind);
  const group = identity === 'crd.projectcalico.org' ? 'projectcalico.org' : identity;
  return group === defaultGroupOf(kind) ? kind : `${kind}.${group}`;
}
