// A snapshot with some policies replaced, added or removed, built from an existing snapshot without reading
// its other objects again: the workloads, nodes and namespace labels are shared; only the changed policies are
// compiled, and the checks that depend on the policies run again. Equal to `buildSnapshot` of the edited object
// list (same policies, ids, namespaces, issues of the changed policies), for the policy kinds it accepts;
// anything else returns undefined and the caller builds from the objects.
import { newCompileCache } from '../dialects/compile-cache.js';
import { DIALECTS, registeredKind } from '../dialects/registry.js';
import { enforcesDialect, cniProfile, undeclaredProfileNote } from '../cni-profiles/profiles.js';
import type { Issue, ParsedObject } from '../manifest/types.js';
import { policyIdentity } from '../analysis/incremental.js';
import { checkLabelGaps, hostNetworkWarnings } from './checks.js';
import { NAMESPACE_NAME_LABEL } from './namespaces.js';
import type { NamespaceModel, PolicyModel, Snapshot, Workload } from './types.js';
import { compareStrings } from './workloads.js';

/** Dialects whose policies compile from their own object alone (no auxiliary objects) and do not change the
 *  detected CNI profile (a Cilium policy does). */
const SELF_CONTAINED_DIALECTS = new Set(['networking-v1', 'admin-network-policy']);

export interface PolicyPatch {
  /** Identities (`policyIdentity`) of policies to remove (a replaced policy is removed and added). */
  readonly remove: readonly string[];
  /** Policy objects to add, in input order after every existing object. */
  readonly add: readonly ParsedObject[];
  /** Read index of the first added object (the edited object list's length before them). */
  readonly firstReadIndex: number;
  /** Every issue buildSnapshot reports (else only those of the dialects' cross-policy checks). */
  readonly allIssues?: boolean;
}

export interface PatchedSnapshot {
  readonly snapshot: Snapshot;
  /** Issues as `buildSnapshot` reports them with `allIssues`; else only the dialects' cross-policy checks (e.g.
   *  equal ANP priorities) of the changed policies' dialects (label-gap and hostNetwork issues are located at pods). */
  readonly issues: Issue[];
  /** Identities of every removed or added policy (for `reanalyze`). */
  readonly changed: string[];
}

export function patchSnapshotPolicies(base: Snapshot, patch: PolicyPatch): PatchedSnapshot | undefined {
  const profile = cniProfile(base.options.cni);
  const removed = new Set(patch.remove);
  const cache = newCompileCache();
  const added: PolicyModel[] = [];
  const addedIds = new Set<string>();
  for (let i = 0; i < patch.add.length; i++) {
    const o = patch.add[i];
    const registered = registeredKind(o.object.apiVersion, o.object.kind);
    if (registered?.role !== 'policy' || !registered.modelled || !SELF_CONTAINED_DIALECTS.has(registered.dialect.id)) return undefined;
    if (!enforcesDialect(profile, registered.dialect.id)) return undefined;
    const policy = registered.dialect.compile!(o, -1, { cache, readIndex: patch.firstReadIndex + i, nodes: base.nodes, auxiliary: [] });
    const id = policyIdentity(policy);
    if (addedIds.has(id)) return undefined; // a duplicate: buildSnapshot reports it
    addedIds.add(id);
    added.push(policy);
  }
  const changed = [...addedIds];
  // The touched policies are found by binary search on their full names (the policies are sorted by full name),
  // and identities built only for them: no walk over every policy.
  const touchedNames = new Set([...removed, ...addedIds].map((id) => id.slice(id.lastIndexOf('\u0000') + 1)));
  const dropped: number[] = [];
  const removedOnly = new Map<number, string>();
  for (const name of touchedNames) {
    for (let i = firstNamed(base.policies, name); i < base.policies.length && base.policies[i].fullName === name; i++) {
      const p = base.policies[i];
      const id = policyIdentity(p);
      if (!removed.has(id) && !addedIds.has(id)) continue;
      if (!SELF_CONTAINED_DIALECTS.has(p.dialect)) return undefined;
      if (!addedIds.has(id)) removedOnly.set(i, id);
      dropped.push(i);
    }
  }
  dropped.sort((a, b) => a - b);
  for (const i of dropped) if (removedOnly.has(i)) changed.push(removedOnly.get(i)!);
  const kept: PolicyModel[] = dropped.length === 0 ? [...base.policies] : [];
  for (let k = 0, from = 0; k < dropped.length; k++) {
    for (let i = from; i < dropped[k]; i++) kept.push(base.policies[i]);
    from = dropped[k] + 1;
    if (k === dropped.length - 1) for (let i = from; i < base.policies.length; i++) kept.push(base.policies[i]);
  }
  // The kept policies are still sorted: the added ones are merged in by full name (ties: group, kind) as
  // buildSnapshot sorts them, then every policy is numbered.
  const groupKind = (p: PolicyModel) => `${registeredKind(p.apiVersion, p.kind)!.group}\u0000${p.kind}`;
  const before = (a: PolicyModel, b: PolicyModel) => (compareStrings(a.fullName, b.fullName) || compareStrings(groupKind(a), groupKind(b))) < 0;
  const fresh = [...added].sort((a, b) => (before(a, b) ? -1 : 1));
  // Binary search of each added policy's place among the kept ones (a scan would compare every name).
  const merged: PolicyModel[] = [];
  let from = 0;
  for (const p of fresh) {
    let lo = from;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(kept[mid], p)) lo = mid + 1;
      else hi = mid;
    }
    for (let i = from; i < lo; i++) merged.push(kept[i]);
    merged.push(p);
    from = lo;
  }
  for (let i = from; i < kept.length; i++) merged.push(kept[i]);
  const addedSet = new Set(added);
  const addedFinal: PolicyModel[] = [];
  const policies = merged.map((p, id) => {
    const out = p.id === id ? p : { ...p, id };
    if (addedSet.has(p)) addedFinal.push(out);
    return out;
  });

  const namespaces = patchNamespaces(base, policies, addedFinal);
  const patched: Snapshot = { ...base, policies, namespaces, splitWorkloads: patchSplitWorkloads(base, policies, addedFinal, namespaces) };
  // The note lists the dialects present, which a patch may change (never from none to some: it adds no Calico policy).
  const cniProfileNote = base.cniProfileNote === undefined ? undefined : undeclaredProfileNote(false, base.options.cni, new Set(policies.map((p) => p.dialect)));
  const snapshot: Snapshot = cniProfileNote === undefined ? patched : { ...patched, cniProfileNote };
  // As buildSnapshot orders them: the dialects' cross-policy checks, label gaps, hostNetwork warnings. Without
  // `allIssues` only the first (the only ones that can be located in a changed policy; the others are at pods).
  const issues: Issue[] = [];
  const dialects = new Set(patch.allIssues ? policies.map((p) => p.dialect) : addedFinal.map((p) => p.dialect));
  for (const dialect of DIALECTS) {
    if (!dialect.checkPolicies || !dialects.has(dialect.id)) continue;
    const own = policies.filter((p) => p.dialect === dialect.id);
    if (own.length > 1) issues.push(...dialect.checkPolicies(own));
  }
  if (patch.allIssues) issues.push(...snapshot.splitWorkloads.values(), ...hostNetworkWarnings(base.workloads, policies, namespaces));
  return { snapshot, issues, changed };
}

/** The workloads of one namespace: a contiguous run, as workloads are sorted by display name (`namespace/…`)
 *  and no namespace name contains a slash. */
function workloadsOf(workloads: readonly Workload[], namespace: string): readonly Workload[] {
  const prefix = `${namespace}/`;
  let lo = 0;
  let hi = workloads.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareStrings(workloads[mid].displayName, prefix) < 0) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < workloads.length && workloads[end].namespace === namespace) end++;
  return workloads.slice(lo, end);
}

/** The index of the first policy whose full name is not below `name` (policies are sorted by full name). */
function firstNamed(policies: readonly PolicyModel[], name: string): number {
  let lo = 0;
  let hi = policies.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareStrings(policies[mid].fullName, name) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * checkLabelGaps of the patched policies, without checking every owner against every policy again: an owner no
 * old policy split can only be split by an added policy (removals take selectors and port names away), so those
 * owners are checked against the added policies alone; owners split before are checked against all policies
 * (the policy that split them may be gone). Same issues, in workload order, as the full check.
 */
function patchSplitWorkloads(
  base: Snapshot,
  policies: readonly PolicyModel[],
  added: readonly PolicyModel[],
  namespaces: ReadonlyMap<string, NamespaceModel>,
): Map<number, Issue> {
  // A workload's id is its index (workloads are numbered in display-name order).
  const before = [...base.splitWorkloads.keys()].sort((a, b) => a - b).map((id) => base.workloads[id]);
  // Only owners in a namespace where an added policy's selectors apply can be split by it.
  const scope = splitScope(added);
  const others = scope === 'all' ? base.workloads.filter((w) => !base.splitWorkloads.has(w.id)) : [...scope].sort(compareStrings).flatMap((namespace) => workloadsOf(base.workloads, namespace).filter((w) => !base.splitWorkloads.has(w.id)));
  const found = new Map([...checkLabelGaps(before, policies, namespaces), ...checkLabelGaps(others, added, namespaces)]);
  if (found.size === 0) return found;
  return new Map([...found].sort((a, b) => a[0] - b[0]));
}

/** Namespaces whose owners the policies' selectors can split (checkLabelGaps' scope: subject and pod-peer selectors
 *  that are not "everything", in their policy's namespace unless a namespace selector widens them), or 'all'
 *  (a namespace selector, or a named port, which can split owners anywhere). */
function splitScope(policies: readonly PolicyModel[]): Set<string> | 'all' {
  const out = new Set<string>();
  for (const policy of policies) {
    if (!policy.ingress.affects && !policy.egress.affects) continue;
    if (!policy.podSelector.isEverything) {
      if (policy.subjectNamespaces) return 'all';
      out.add(policy.namespace);
    }
    for (const direction of ['ingress', 'egress'] as const) {
      if (!policy[direction].affects) continue;
      for (const rule of policy[direction].rules) {
        if (rule.allowed.named.length > 0) return 'all';
        for (const peer of rule.peers ?? []) {
          if (peer.kind !== 'pods' || !peer.podSelector || peer.podSelector.isEverything) continue;
          if (peer.namespaceSelector) return 'all';
          out.add(policy.namespace);
        }
      }
    }
  }
  return out;
}

/** The namespaces buildSnapshot would list: declared ones, and those of workloads, policies and unmodelled policies. */
function patchNamespaces(base: Snapshot, policies: readonly PolicyModel[], added: readonly PolicyModel[]): ReadonlyMap<string, NamespaceModel> {
  const missing = added.some((p) => p.namespace && !base.namespaces.has(p.namespace));
  const maybeStale = [...base.namespaces.values()].some((n) => !n.declared);
  if (!missing && !maybeStale) return base.namespaces;
  const names = new Set<string>();
  for (const n of base.namespaces.values()) if (n.declared) names.add(n.name);
  for (const w of base.workloads) names.add(w.namespace);
  for (const p of policies) if (p.namespace) names.add(p.namespace);
  for (const u of base.unmodelled) if (u.namespace) names.add(u.namespace);
  if (!missing && names.size === base.namespaces.size) return base.namespaces;
  const out = new Map<string, NamespaceModel>();
  for (const name of [...names].sort(compareStrings)) {
    const labels = Object.create(null) as Record<string, string>;
    labels[NAMESPACE_NAME_LABEL] = name;
    out.set(name, base.namespaces.get(name) ?? { name, labels, declared: false });
  }
  return out;
}
