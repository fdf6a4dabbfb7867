// Equality of the model parts a pair's connectivity depends on, so that two snapshots can be compared without
// re-evaluating anything: equal parts mean equal behaviour. Structural comparisons with early exits, no
// string building: they run over every workload and policy of both snapshots.
import type { RulePorts } from '../algebra/rule-ports.js';
import { identityGroup } from '../dialects/registry.js';
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

/** A policy's identity across snapshots: API group, kind and full name (an AdminNetworkPolicy and the
 *  BaselineAdminNetworkPolicy may both be named `default`; a Calico and a Kubernetes NetworkPolicy may share
 *  namespace and name). */
export function policyKey(p: PolicyModel): string {
  return `${policyGroup(p)}\u0000${p.kind}\u0000${p.fullName}`;
}

/** The API group that identifies a policy: Calico's CRD group (`crd.projectcalico.org`, what Calico stores without
 *  its API server) names the same objects as `projectcalico.org`. */
function policyGroup(p: PolicyModel): string {
  const group = identityGroup(p.apiVersion, p.kind);
  return group === 'crd.projectcalico.org' ? 'projectcalico.org' : group;
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

/** Keys (`policyKey`) of the policies that differ between two snapshots (present on one side only, or changed).
 *  Both policy lists are sorted by full name: they are merged in step, so no key is built for an unchanged policy. */
export function changedPolicies(a: Snapshot, b: Snapshot): Set<string> {
  const out = new Set<string>();
  const x = a.policies;
  const y = b.policies;
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    const name = x[i].fullName;
    const other = y[j].fullName;
    if (name < other) out.add(policyKey(x[i++]));
    else if (other < name) out.add(policyKey(y[j++]));
    else if (x[i].kind === y[j].kind && policyGroup(x[i]) === policyGroup(y[j]) && x[i + 1]?.fullName !== name && y[j + 1]?.fullName !== name) {
      if (!samePolicy(x[i], y[j])) out.add(policyKey(x[i]));
      i++;
      j++;
    } else {
      // Several policies of one full name (kinds differ): matched by key within the name.
      let i2 = i;
      let j2 = j;
      while (i2 < x.length && x[i2].fullName === name) i2++;
      while (j2 < y.length && y[j2].fullName === name) j2++;
      changedByKey(x.slice(i, i2), y.slice(j, j2), out);
      i = i2;
      j = j2;
    }
  }
  for (; i < x.length; i++) out.add(policyKey(x[i]));
  for (; j < y.length; j++) out.add(policyKey(y[j]));
  return out;
}

function changedByKey(x: readonly PolicyModel[], y: readonly PolicyModel[], out: Set<string>): void {
  const byKey = new Map(y.map((p) => [policyKey(p), p]));
  for (const p of x) {
    const q = byKey.get(policyKey(p));
    if (!q || !samePolicy(p, q)) out.add(policyKey(p));
    byKey.delete(policyKey(p));
  }
  for (const key of byKey.keys()) out.add(key);
}
