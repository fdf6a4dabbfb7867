// Caveats: what a verdict cannot be certain of. A snapshot may hold policy kinds no dialect models yet; every
// verdict, connectivity row and report whose ends such a policy could select names it, so that "allowed" or
// "denied" is never claimed as certain when an unmodelled policy could change it.
import type { PolicyModel, Snapshot, UnmodelledPolicy } from '../model/types.js';

export interface Caveat {
  /** UNMODELLED_POLICY: a policy of a dialect not modelled; UNMODELLED_PEER: a modelled policy's rule has a peer
   *  the snapshot cannot decide (AdminNetworkPolicy `nodes`, ClusterNetworkPolicy `domainNames`). */
  readonly code: 'UNMODELLED_POLICY' | 'UNMODELLED_PEER';
  readonly dialect: string;
  readonly apiVersion: string;
  readonly kind: string;
  /** '' for a cluster-scoped policy. */
  readonly namespace: string;
  readonly name: string;
  readonly message: string;
}

function caveatOf(p: UnmodelledPolicy): Caveat {
  const id = p.namespace ? `${p.namespace}/${p.name}` : p.name;
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
  const unmodelled = snapshot.unmodelled.filter((p) => p.namespace === '' || wanted.has(p.namespace)).map(caveatOf);
  return [...unmodelled, ...peerCaveats(snapshot, wanted)];
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
    const names = { nodes: 'node', domainNames: 'domain-name', serviceAccounts: 'service-account', sourcePorts: 'source-port' } as const;
    const kinds = [...new Set(peers.map((p) => names[p.kind]))].join(' and ');
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

function inScope(snapshot: Snapshot, policy: PolicyModel, namespaces: ReadonlySet<string>): boolean {
  if (policy.subjectNamespaces === null) return namespaces.has(policy.namespace);
  for (const ns of namespaces) if (policy.subjectNamespaces.matches(snapshot.namespaces.get(ns)?.labels ?? {})) return true;
  return false;
}

/** Every unmodelled policy of the snapshot as a caveat (for whole-snapshot reports), sorted. Policies whose peers
 *  are dialect matchers (Calico) are decided per connection (`netpol eval`, GraphQL reachability) but not by the
 *  factorised analysis behind whole-snapshot listings yet: named too. */
export function snapshotCaveats(snapshot: Snapshot): Caveat[] {
  const listing: Caveat[] = snapshot.policies
    .filter((p) => [...p.ingress.rules, ...p.egress.rules].some((r) => r.peers?.some((peer) => peer.kind === 'matcher')))
    .map((p) => ({
      code: 'UNMODELLED_POLICY',
      dialect: p.dialect,
      apiVersion: p.apiVersion,
      kind: p.kind,
      namespace: p.namespace,
      name: p.name,
      message: `${p.kind} ${p.fullName} (${p.apiVersion}) is decided per connection (netpol eval) but not in whole-snapshot listings yet: the listing ignores its rules`,
    }));
  return [...snapshot.unmodelled.map(caveatOf), ...listing, ...peerCaveats(snapshot, new Set(snapshot.namespaces.keys()))];
}
