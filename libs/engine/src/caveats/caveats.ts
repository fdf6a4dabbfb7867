// Caveats: what a verdict cannot be certain of. A snapshot may hold policy kinds no dialect models yet; every
// verdict, connectivity row and report whose ends such a policy could select names it, so that "allowed" or
// "denied" is never claimed as certain when an unmodelled policy could change it.
import type { PolicyModel, Snapshot, UnmodelledPolicy } from '../model/types.js';
import { cniProfile } from '../cni-profiles/profiles.js';

export interface Caveat {
  /** UNMODELLED_POLICY: a policy of a dialect not modelled; UNMODELLED_PEER: a modelled policy's rule has a peer
   *  the snapshot cannot decide (AdminNetworkPolicy `nodes`, ClusterNetworkPolicy `domainNames`, Cilium `toFQDNs`);
   *  NOT_ENFORCED: a policy the CNI profile's plugin ignores; CNI_NOT_ENFORCING: the profile's plugin enforces no
   *  policy at all (flannel, kubenet): every verdict is "allowed" and says why. */
  readonly code: 'UNMODELLED_POLICY' | 'UNMODELLED_PEER' | 'NOT_ENFORCED' | 'CNI_NOT_ENFORCING';
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
        ? `HostEndpoint ${id} (${p.apiVersion}): only traffic from outside the cluster forwarded to pods is modelled (applyOnForward, preDNAT, any host endpoint as the entry); host-bound traffic, doNotTrack and pod egress through hosts are not`
        : p.kind.startsWith('Staged')
          ? `${p.kind} ${id} (${p.apiVersion}) is staged, not enforced: the verdict ignores it (enforcing it could change the verdict)`
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
  for (const policy of snapshot.policies) {
    if (!inScope(snapshot, policy, namespaces)) continue;
    const peers = [...policy.ingress.rules, ...policy.egress.rules].flatMap((rule) => rule.unmodelledPeers ?? []);
    if (peers.length === 0) continue;
    const kinds = [...new Set(peers.map((p) => PEER_KIND_TEXT[p.kind]))].join(' and ');
    out.push({
      code: 'UNMODELLED_PEER',
      dialect: policy.dialect,
      apiVersion: policy.apiVersion,
      kind: policy.kind,
      namespace: policy.namespace,
      name: policy.name,
      message: `${policy.kind} ${policy.fullName} has ${kinds} peers (${peers.map((p) => p.path).join(', ')}), not modelled for pod-to-pod verdicts: the verdict ignores them`,
    });
  }
  return out;
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
