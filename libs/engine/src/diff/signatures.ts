// Equality of the model parts a pair's connectivity depends on, so that two snapshots can be compared without
// re-evaluating anything: equal parts mean equal behaviour. Structural comparisons with early exits, no
// string building: they run over every workload and policy of both snapshots.
import type { RulePorts } from '../algebra/rule-ports.js';
import type { DirectionModel, NamespaceModel, PeerModel, PolicyModel, Snapshot, Workload } from '../model/types.js';

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  let count = 0;
  for (const k in a) {
    if (a[k] !== b[k]) return false;
    count++;
  }
  for (const _ in b) count--;
  return count === 0;
}

function sameArray<T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return false;
  return true;
}

function samePeer(x: PeerModel, y: PeerModel): boolean {
  if (x.kind === 'matcher' || y.kind === 'matcher') return x.kind === 'matcher' && y.kind === 'matcher' && x.key === y.key;
  if (x.kind === 'ipBlock' || y.kind === 'ipBlock') {
    return x.kind === 'ipBlock' && y.kind === 'ipBlock' && x.cidr === y.cidr && sameArray(x.except, y.except, (p, q) => p === q);
  }
  return x.namespaceSelector?.key === y.namespaceSelector?.key && x.podSelector?.key === y.podSelector?.key;
}

function samePorts(x: RulePorts, y: RulePorts): boolean {
  return x === y || (x.numeric.equals(y.numeric) && sameArray(x.named, y.named, (p, q) => p.name === q.name && p.protocol === q.protocol));
}

function sameDirection(x: DirectionModel, y: DirectionModel): boolean {
  return (
    x.affects === y.affects &&
    sameArray(
      x.rules,
      y.rules,
      (r, s) =>
        r.action === s.action &&
        r.precedence === s.precedence &&
        (r.peers === null ? s.peers === null : s.peers !== null && sameArray(r.peers, s.peers, samePeer)) &&
        samePorts(r.allowed, s.allowed),
    )
  );
}

/** Whether two policies behave alike (a reordering of rules counts as a change: safe, it only widens the work). */
export function samePolicy(p: PolicyModel, q: PolicyModel): boolean {
  return (
    p.tier === q.tier &&
    p.priority === q.priority &&
    p.subjectNamespaces?.key === q.subjectNamespaces?.key &&
    p.podSelector.key === q.podSelector.key &&
    sameDirection(p.ingress, q.ingress) &&
    sameDirection(p.egress, q.egress)
  );
}

/** A policy's identity across snapshots: kind and full name (an AdminNetworkPolicy and the
 *  BaselineAdminNetworkPolicy may both be named `default`). */
export function policyKey(p: PolicyModel): string {
  return `${p.kind}\u0000${p.fullName}`;
}

export function sameWorkload(w: Workload, v: Workload): boolean {
  return (
    w.namespace === v.namespace &&
    w.hostNetwork === v.hostNetwork &&
    sameLabels(w.labels, v.labels) &&
    sameArray(w.ports, v.ports, (p, q) => p.port === q.port && p.protocol === q.protocol && p.name === q.name) &&
    sameArray(w.pods, v.pods, (p, q) => sameArray(p.ips, q.ips, (x, y) => x === y))
  );
}

export function sameNamespace(n: NamespaceModel | undefined, m: NamespaceModel | undefined): boolean {
  return n === undefined || m === undefined ? n === m : sameLabels(n.labels, m.labels);
}

/** Keys (`policyKey`) of the policies that differ between two snapshots (present on one side only, or changed). */
export function changedPolicies(a: Snapshot, b: Snapshot): Set<string> {
  const byName = new Map(b.policies.map((p) => [policyKey(p), p]));
  const out = new Set<string>();
  for (const p of a.policies) {
    const q = byName.get(policyKey(p));
    if (!q || !samePolicy(p, q)) out.add(policyKey(p));
    byName.delete(policyKey(p));
  }
  for (const name of byName.keys()) out.add(name);
  return out;
}
