// Caveats: what a verdict cannot be certain of. A snapshot may hold policy kinds no dialect models yet; every
// verdict, connectivity row and report whose ends such a policy could select names it, so that "allowed" or
// "denied" is never claimed as certain when an unmodelled policy could change it.
import type { PolicyModel, Snapshot, UnmodelledPolicy } from '../model/types.js';
import { cniProfile } from '../cni-profiles/profiles.js';

export interface Caveat {
  /** UNMODELLED_POLICY: a policy of a dialect not modelled; UNMODELLED_PEER: a modelled policy's rule has a peer
   *  the snapshot cannot decide (AdminNetworkPolicy `nodes`, ClusterNetworkPolicy `domainNames`, Cilium `toFQDNs`);
   *  NOT_ENFORCED: a policy the CNI profile's plugin ignores; CNI_NOT_ENFORCING: the profile's plugin enforces no
   *  policy at all (flannel, kubenet): every verdict is "allowed" and says why; SOURCE_PORT_RULE: a Calico Deny or
   *  Pass limited to client source ports, which decides only connections from those ports (the verdict is the
   *  one for other source ports). */
  readonly code: 'UNMODELLED_POLICY' | 'UNMODELLED_PEER' | 'NOT_ENFORCED' | 'CNI_NOT_ENFORCING' | 'SOURCE_PORT_RULE';
  readonly dialect: string;
  readonly apiVersion: string;
  readonly kind: string;
  /** '' for a cluster-scoped policy. */
  readonly namespace: string;
  readonly name: string;
  readonly message: string;
}

function caveatOf(p: UnmodelledPolicy, snapshot: Snapshot): Caveat {
  const id = p.namespace ? `${p.namespace}/${p.name}` : p.name;
  if (p.reason === 'not-enforced') {
    return {
      code: 'NOT_ENFORCED',
      dialect: p.dialect,
      apiVersion: p.apiVersion,
      kind: p.kind,
      namespace: p.namespace,
      name: p.name,
      message: `${p.kind} ${id} (${p.apiVersion}) is not enforced under the CNI profile ${snapshot.options.cni}: the verdict ignores it`,
    };
  }
  return {
    code: 'UNMODELLED_POLICY',
    dialect: p.dialect,
    apiVersion: p.apiVersion,
    kind: p.kind,
    namespace: p.namespace,
    name: p.name,
    message:
      p.kind === 'HostEndpoint'
        ? `HostEndpoint ${id} (${p.apiVersion}): modelled: traffic its node forwards (applyOnForward, preDNAT, doNotTrack Deny: from outside to pods with any host endpoint as the entry, between pods and from pods out through their nodes' host endpoints) and traffic to or from a host's own address (doNotTrack, preDNAT, normal policies, default deny, Felix's default failsafe ports); not modelled: traffic between a pod and its own host, host-network pods, traffic from a host's address to pods, FelixConfiguration failsafe ports, profiles other than projectcalico-default-allow, and the interface a named host endpoint's traffic takes (assumed, named per verdict)`
        : p.kind.startsWith('Staged')
          ? `${p.kind} ${id} (${p.apiVersion}) is staged, not enforced: the verdict ignores it (what enforcing it would change: netpol diff --staged, GraphQL Snapshot.stagedWhatIf)`
          : `${p.kind} ${id} (${p.apiVersion}) is not modelled yet and may select this connection's pods: the verdict ignores it`,
  };
}

/** Unmodelled policies that could select a pod of one of these namespaces (a namespaced policy: pods of its
 *  namespace; a cluster-scoped one: any pod), sorted. Selectors are not read: a dialect that is not modelled
 *  is not trusted to be parsed either, so "could select" is decided by scope alone. */
export function caveatsForNamespaces(snapshot: Snapshot, namespaces: readonly string[]): Caveat[] {
  if (namespaces.length === 0) return [];
  const wanted = new Set(namespaces);
  const unmodelled = snapshot.unmodelled.filter((p) => p.namespace === '' || wanted.has(p.namespace)).map((p) => caveatOf(p, snapshot));
  return [...profileCaveats(snapshot), ...unmodelled, ...peerCaveats(snapshot, wanted)];
}

/** The caveats of the named host endpoints (a verdict between a host's address and an outside one has no pod whose
 *  namespace would bring them), sorted as the snapshot keeps them. */
export function caveatsForHostEndpoints(snapshot: Snapshot, names: ReadonlySet<string>): Caveat[] {
  if (names.size === 0) return [];
  return snapshot.unmodelled.filter((p) => p.kind === 'HostEndpoint' && names.has(p.name)).map((p) => caveatOf(p, snapshot));
}

/** A profile whose plugin enforces nothing: every verdict says so, whether or not the input has policies. */
function profileCaveats(snapshot: Snapshot): Caveat[] {
  const cni = cniProfile(snapshot.options.cni);
  if (cni.enforces === 'all' || cni.enforces.length > 0) return [];
  return [
    {
      code: 'CNI_NOT_ENFORCING',
      dialect: '',
      apiVersion: '',
      kind: 'CNI',
      namespace: '',
      name: cni.name,
      message: `the CNI profile ${cni.name} enforces no network policy: every connection is allowed, whatever the policies say`,
    },
  ];
}

/** Modelled policies whose subject can be a pod of these namespaces and whose rules name node or domain-name
 *  peers: those peers match nothing in the analysis (a host-network pod sits on a node's IP, a domain name
 *  resolves at run time), so the verdict may differ where they would match. One caveat per policy, in policy order. */
function peerCaveats(snapshot: Snapshot, namespaces: ReadonlySet<string>): Caveat[] {
  const out: Caveat[] = [];
  for (const policy of candidatePolicies(snapshot)) {
    if (!inScope(snapshot, policy, namespaces)) continue;
    const rules = [...policy.ingress.rules, ...policy.egress.rules];
    const limited = rules.filter((rule) => rule.unmodelledPeers?.some((p) => p.kind === 'sourcePorts'));
    if (limited.length > 0) {
      out.push({
        code: 'SOURCE_PORT_RULE',
        dialect: policy.dialect,
        apiVersion: policy.apiVersion,
        kind: policy.kind,
        namespace: policy.namespace,
        name: policy.name,
        message: `${policy.kind} ${policy.fullName}: ${limited.map((r) => `${r.path} (${ACTION_TEXT[r.action]}) decides only connections from ${r.sourcePorts}`).join('; ')}; a client's source port is ephemeral, so the verdict is the one for other source ports`,
      });
    }
    // Service accounts are modelled: uncertain only where a pod's account was not recorded.
    const unknownAccounts = hasUnrecordedServiceAccounts(snapshot);
    const peers = rules.flatMap((rule) => rule.unmodelledPeers ?? []).filter((p) => p.kind !== 'sourcePorts' && (p.kind !== 'serviceAccounts' || unknownAccounts));
    if (policy.subjectServiceAccounts && !policy.subjectIgnoresServiceAccount && unknownAccounts) peers.unshift({ kind: 'serviceAccounts', path: 'spec.serviceAccountSelector' });
    if (peers.length === 0) continue;
    const kinds = [...new Set(peers.map((p) => PEER_KIND_TEXT[p.kind]))].join(' and ');
    out.push({
      code: 'UNMODELLED_PEER',
      dialect: policy.dialect,
      apiVersion: policy.apiVersion,
      kind: policy.kind,
      namespace: policy.namespace,
      name: policy.name,
      message: peers.every((p) => p.kind === 'serviceAccounts')
        ? `${policy.kind} ${policy.fullName} selects by service account (${peers.map((p) => p.path).join(', ')}) and the snapshot has pods whose service account was not recorded (stored before snapshots kept it): they match no service account here`
        : `${policy.kind} ${policy.fullName} has ${kinds} peers (${peers.map((p) => p.path).join(', ')}), not modelled for pod-to-pod verdicts: the verdict ignores them`,
    });
  }
  return out;
}

const candidates = new WeakMap<Snapshot, readonly PolicyModel[]>();

/** The policies that can give a peer caveat at all (an unmodelled peer, or a service-account subject while some
 *  account is unrecorded), once per snapshot: most policies have none, and every verdict asks (eval's p99). */
function candidatePolicies(snapshot: Snapshot): readonly PolicyModel[] {
  let found = candidates.get(snapshot);
  if (found === undefined) {
    const unknownAccounts = hasUnrecordedServiceAccounts(snapshot);
    found = snapshot.policies.filter(
      (policy) =>
        policy.ingress.rules.some((rule) => (rule.unmodelledPeers?.length ?? 0) > 0) ||
        policy.egress.rules.some((rule) => (rule.unmodelledPeers?.length ?? 0) > 0) ||
        (policy.subjectServiceAccounts && !policy.subjectIgnoresServiceAccount && unknownAccounts),
    );
    candidates.set(snapshot, found);
  }
  return found;
}

const ACTION_TEXT: Readonly<Record<string, string>> = { allow: 'Allow', deny: 'Deny', pass: 'Pass', log: 'Log' };

const unrecorded = new WeakMap<Snapshot, boolean>();

/** Whether some pod of the snapshot has no service account recorded (a Pod stored before snapshots kept it). */
function hasUnrecordedServiceAccounts(snapshot: Snapshot): boolean {
  let known = unrecorded.get(snapshot);
  if (known === undefined) unrecorded.set(snapshot, (known = snapshot.workloads.some((w) => w.serviceAccount === null || w.pods.some((p) => p.serviceAccount === null))));
  return known;
}

const PEER_KIND_TEXT: Readonly<Record<string, string>> = {
  nodes: 'node',
  domainNames: 'domain-name',
  services: 'service',
  entities: 'entity',
  other: 'unresolvable',
  serviceAccounts: 'service-account',
  sourcePorts: 'source-port',
};

function inScope(snapshot: Snapshot, policy: PolicyModel, namespaces: ReadonlySet<string>): boolean {
  if (policy.subjectNamespaces === null) return namespaces.has(policy.namespace);
  for (const ns of namespaces) if (policy.subjectNamespaces.matches(snapshot.namespaces.get(ns)?.labels ?? {})) return true;
  return false;
}

/** Every unmodelled policy of the snapshot as a caveat (for whole-snapshot reports), sorted. */
export function snapshotCaveats(snapshot: Snapshot): Caveat[] {
  return [...profileCaveats(snapshot), ...snapshot.unmodelled.map((p) => caveatOf(p, snapshot)), ...peerCaveats(snapshot, new Set(snapshot.namespaces.keys()))];
}
