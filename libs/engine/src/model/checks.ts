// Model-level checks that need policies and workloads together:
// - pods of one owner that an enforced selector tells apart (INCONSISTENT_LABELS), or that resolve a named port
//   some rule uses differently (INCONSISTENT_NAMED_PORTS): one workload cannot stand for them, so workload-level
//   answers refuse (as np-guard) while per-pod analysis goes on (`WORKLOAD_LEVEL_ISSUES`);
// - a warning for every hostNetwork pod a policy selects (CNIs differ on how they treat them).
import type { Selector } from '../algebra/selector.js';
import type { Issue, IssueCode } from '../manifest/types.js';
import { inSubjectNamespaces, selectsInSubjectNamespace } from './policy-subjects.js';
import type { Direction, NamespaceModel, PodModel, PolicyModel, RuleModel, Workload } from './types.js';

/** Issues that only stop workload-level answers: a per-pod analysis represents each pod and never refuses. */
export const WORKLOAD_LEVEL_ISSUES: ReadonlySet<IssueCode> = new Set(['INCONSISTENT_LABELS', 'INCONSISTENT_NAMED_PORTS']);

const DIRECTIONS: readonly Direction[] = ['ingress', 'egress'];

/** A pod selector that is enforced: the policy's subject selector, or a peer of a rule in a direction the policy
 *  enforces; with the namespaces it applies to. */
interface EnforcedSelector {
  readonly policy: PolicyModel;
  readonly selector: Selector;
  /** null = the policy's own namespace. */
  readonly namespaceSelector: Selector | null;
  /** Position in the list of every enforced selector (the order a search must keep). */
  readonly order: number;
}

/**
 * Decided semantically: a selector splits an owner only if, in a direction the policy enforces and in a
 * namespace it applies to, it matches some of the owner's pods and not others. A selector matching every replica
 * alike (`app In (x, y)` over replicas labelled x and y; a label they share) or one in a direction the policy
 * does not enforce splits nothing.
 */
export function checkLabelGaps(
  workloads: readonly Workload[],
  policies: readonly PolicyModel[],
  namespaces: ReadonlyMap<string, NamespaceModel>,
): Map<number, Issue> {
  const split = new Map<number, Issue>();
  if (policies.length === 0) return split;
  // Owners whose pods' labels differ, with the keys they differ on (most snapshots have none; StatefulSet pods
  // differ on their pod-name label). Only enforced selectors reading one of these keys can split an owner, so only
  // those are indexed (built on the first such owner).
  const differing: (Set<string> | undefined)[] = new Array(workloads.length);
  const allDiffering = new Set<string>();
  for (let wi = 0; wi < workloads.length; wi++) {
    const pods = workloads[wi].pods;
    if (pods.length < 2) continue;
    const first = pods[0];
    if (!pods.some((p) => p.labels !== first.labels && !sameLabels(p.labels, first.labels))) continue;
    const keys = differingKeys(pods);
    differing[wi] = keys;
    for (const k of keys) allDiffering.add(k);
  }
  let enforced: EnforcedIndex | undefined;
  let usedNames: Map<string, PolicyModel> | undefined;
  const issues = { push: (issue: Issue) => split.set(w.id, issue) };
  let w: Workload;
  for (let wi = 0; wi < workloads.length; wi++) {
    w = workloads[wi];
    if (w.pods.length < 2) continue;
    const first = w.pods[0];
    const keys = differing[wi];
    if (keys) {
      const nsLabels = namespaces.get(w.namespace)?.labels ?? {};
      const splitBy = firstInScope((enforced ??= indexEnforced(enforcedSelectors(policies, allDiffering))), w.namespace, keys, (e) => {
        const inScope = e.namespaceSelector ? e.namespaceSelector.matches(nsLabels) : e.policy.namespace === w.namespace;
        if (!inScope) return false;
        const matchesFirst = e.selector.matches(first.labels);
        return w.pods.some((p) => e.selector.matches(p.labels) !== matchesFirst);
      });
      if (splitBy) {
        const other = w.pods.find((p) => splitBy.selector.matches(p.labels) !== splitBy.selector.matches(first.labels))!;
        issues.push({
          code: 'INCONSISTENT_LABELS',
          severity: 'error',
          message:
            `Pods of one owner ${w.namespace}/${w.name} have different labels, which this analysis cannot represent as one workload: ` +
            `Pod "${other.namespace}/${other.name}" ${splitBy.selector.matches(other.labels) ? 'matches' : 'does not match'} and Pod ` +
            `"${first.namespace}/${first.name}" ${splitBy.selector.matches(first.labels) ? 'matches' : 'does not match'} ` +
            `selector \`${splitBy.selector.toString()}\` of NetworkPolicy "${splitBy.policy.fullName}" (analyse per pod with --pods, or name a pod)`,
          ...location(other, 'metadata.labels'),
        });
        continue;
      }
    }
    // Named ports resolve on each destination pod: pods of one owner that resolve a used name differently cannot
    // share one answer (it would depend on which pod came first in the input).
    const names = (usedNames ??= namedPortsInUse(policies));
    if (names.size === 0 || w.pods.every((p) => p.ports === first.ports)) continue;
    for (const [name, policy] of names) {
      const resolution = (p: PodModel) => {
        const port = p.ports.find((x) => x.name === name);
        return port ? `${port.protocol}/${port.port}` : 'none';
      };
      const expected = resolution(first);
      const other = w.pods.find((p) => resolution(p) !== expected);
      if (!other) continue;
      issues.push({
        code: 'INCONSISTENT_NAMED_PORTS',
        severity: 'error',
        message:
          `Pods of one owner ${w.namespace}/${w.name} resolve the named port "${name}" (used by NetworkPolicy "${policy.fullName}") ` +
          `differently: Pod "${first.namespace}/${first.name}" ${expected} and Pod "${other.namespace}/${other.name}" ${resolution(other)}; ` +
          `one workload cannot stand for both (analyse per pod with --pods, or name a pod)`,
        ...location(other, 'spec.containers'),
      });
      break;
    }
  }
  return split;
}

/** For a per-pod analysis: workload-level issues become warnings (each pod is represented on its own). */
export function forPodLevel<T extends Issue>(issues: readonly T[]): T[] {
  return issues.map((i) => (WORKLOAD_LEVEL_ISSUES.has(i.code) && i.severity === 'error' ? { ...i, severity: 'warning' } : i));
}

function location(pod: PodModel, path: string): Pick<Issue, 'file' | 'line' | 'document' | 'path'> {
  return {
    ...(pod.source ? { file: pod.source.file, line: pod.source.line } : {}),
    document: pod.source?.document ?? 0,
    path: joinPath(pod.source?.pathPrefix, path),
  };
}

/** Enforced selectors by a label key they read, split by where they apply: those of one namespace's policies (no
 *  namespace selector), and the others. A selector reading none of the keys on which an owner's pods differ
 *  matches all of them alike, so only these lists are searched (50k pods: ~0.5 s less than testing every one). */
interface EnforcedIndex {
  readonly ownByNamespace: ReadonlyMap<string, ReadonlyMap<string, readonly EnforcedSelector[]>>;
  readonly crossByKey: ReadonlyMap<string, readonly EnforcedSelector[]>;
}

function indexEnforced(list: readonly EnforcedSelector[]): EnforcedIndex {
  const ownByNamespace = new Map<string, Map<string, EnforcedSelector[]>>();
  const crossByKey = new Map<string, EnforcedSelector[]>();
  const append = (map: Map<string, EnforcedSelector[]>, key: string, e: EnforcedSelector) => {
    const same = map.get(key);
    if (!same) map.set(key, [e]);
    else if (same[same.length - 1] !== e) same.push(e);
  };
  for (const e of list) {
    let byKey = crossByKey;
    if (!e.namespaceSelector) {
      byKey = ownByNamespace.get(e.policy.namespace) ?? new Map<string, EnforcedSelector[]>();
      ownByNamespace.set(e.policy.namespace, byKey);
    }
    // Each requirement's key, without building the selector's key list (a key read twice is appended once).
    const requirements = e.selector.requirements;
    for (let r = 0; r < requirements.length; r++) append(byKey, requirements[r].key, e);
  }
  return { ownByNamespace, crossByKey };
}

/** Label keys whose presence or value is not the same on every pod. */
function differingKeys(pods: readonly PodModel[]): Set<string> {
  const first = pods[0]!.labels;
  const keys = new Set<string>();
  for (const p of pods) {
    if (p.labels === first) continue;
    for (const k of Object.keys(p.labels)) if (!Object.prototype.hasOwnProperty.call(first, k) || first[k] !== p.labels[k]) keys.add(k);
    for (const k of Object.keys(first)) if (!Object.prototype.hasOwnProperty.call(p.labels, k)) keys.add(k);
  }
  return keys;
}

/** The first selector (in the original order) that may apply in `namespace`, reads one of `keys` and passes `test`. */
function firstInScope(index: EnforcedIndex, namespace: string, keys: ReadonlySet<string>, test: (e: EnforcedSelector) => boolean): EnforcedSelector | undefined {
  const own = index.ownByNamespace.get(namespace);
  const candidates = new Set<EnforcedSelector>();
  for (const key of keys) {
    for (const e of own?.get(key) ?? []) candidates.add(e);
    for (const e of index.crossByKey.get(key) ?? []) candidates.add(e);
  }
  return [...candidates].sort((a, b) => a.order - b.order).find(test);
}

/** Enforced selectors, in policy order; only those reading one of `keys` (the others split no owner). */
function enforcedSelectors(policies: readonly PolicyModel[], keys: ReadonlySet<string>): EnforcedSelector[] {
  const out: EnforcedSelector[] = [];
  // Compiled selectors are shared by equal specs: each is tested once.
  const reads = new Map<Selector, boolean>();
  const readsAKey = (selector: Selector): boolean => {
    let found = reads.get(selector);
    if (found === undefined) {
      found = false;
      for (let r = 0; r < selector.requirements.length && !found; r++) found = keys.has(selector.requirements[r].key);
      reads.set(selector, found);
    }
    return found;
  };
  // Duplicates are only looked for among the current policy's few selectors (equal keys: equal selectors), which
  // compiled specs share, so the keys compare by identity first: no key text per selector of 18k policies.
  // A policy with many selectors (long Calico rule lists) switches to a set of key texts.
  let policyStart = 0;
  let seenKeys: Set<string> | undefined;
  const add = (policy: PolicyModel, selector: Selector | null, namespaceSelector: Selector | null) => {
    if (!selector || selector.isEverything || !readsAKey(selector)) return;
    if (out.length - policyStart < 16) {
      for (let i = policyStart; i < out.length; i++) {
        const e = out[i];
        if (e.selector.key === selector.key && (e.namespaceSelector?.key ?? '') === (namespaceSelector?.key ?? '')) return;
      }
    } else {
      if (!seenKeys) {
        seenKeys = new Set();
        for (let i = policyStart; i < out.length; i++) seenKeys.add(`${out[i].selector.key}\u0000${out[i].namespaceSelector?.key ?? ''}`);
      }
      const key = `${selector.key}\u0000${namespaceSelector?.key ?? ''}`;
      if (seenKeys.has(key)) return;
      seenKeys.add(key);
    }
    out.push({ policy, selector, namespaceSelector, order: out.length });
  };
  // Indexed loops: this runs once per snapshot over every policy, mostly before the optimiser kicks in.
  for (let p = 0; p < policies.length; p++) {
    const policy = policies[p];
    if (!policy.ingress.affects && !policy.egress.affects) continue;
    policyStart = out.length;
    seenKeys = undefined;
    // A Calico preDNAT / doNotTrack policy selects host endpoints only: its selector picks no pod as a subject.
    if (!policy.hostEndpointsOnly) add(policy, policy.podSelector, policy.subjectNamespaces);
    for (let d = 0; d < DIRECTIONS.length; d++) {
      if (!policy[DIRECTIONS[d]].affects) continue;
      const rules = policy[DIRECTIONS[d]].rules;
      for (let r = 0; r < rules.length; r++) {
        const peers = rules[r].peers;
        if (!peers) continue;
        for (let i = 0; i < peers.length; i++) {
          const peer = peers[i];
          if (peer.kind === 'pods') add(policy, peer.podSelector, peer.namespaceSelector);
        }
      }
    }
  }
  return out;
}

/** Named ports some enforced rule uses, with the first policy using each. */
function namedPortsInUse(policies: readonly PolicyModel[]): Map<string, PolicyModel> {
  const out = new Map<string, PolicyModel>();
  // A rule list read before (equal specs share their compiled lists) names no port not already found.
  const seenRules = new Set<readonly RuleModel[]>();
  for (let p = 0; p < policies.length; p++) {
    const policy = policies[p];
    for (let d = 0; d < DIRECTIONS.length; d++) {
      if (!policy[DIRECTIONS[d]].affects) continue;
      const rules = policy[DIRECTIONS[d]].rules;
      if (seenRules.has(rules)) continue;
      seenRules.add(rules);
      for (let r = 0; r < rules.length; r++) {
        const named = rules[r].allowed.named;
        for (let i = 0; i < named.length; i++) if (!out.has(named[i].name)) out.set(named[i].name, policy);
      }
    }
  }
  return out;
}

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ak = Object.keys(a);
  if (ak.length !== Object.keys(b).length) return false;
  for (const k of ak) if (!Object.prototype.hasOwnProperty.call(b, k) || a[k] !== b[k]) return false;
  return true;
}

/** A warning for every host-network pod some policy selects, naming the policies (in snapshot order) that select it
 *  as a verdict applies them (`selectsInSubjectNamespace`: cluster-scoped kinds included, a Calico
 *  `serviceAccountSelector`, preDNAT / doNotTrack policies and AdminNetworkPolicy-like kinds' host-network exclusion). */
export function hostNetworkWarnings(
  workloads: readonly Workload[],
  policies: readonly PolicyModel[],
  namespaces: ReadonlyMap<string, NamespaceModel>,
): Issue[] {
  const issues: Issue[] = [];
  // Built on the first hostNetwork pod: each namespace's own policies, and the cluster-scoped ones (most snapshots
  // have few), by their index in `policies` so a namespace's candidates keep the snapshot order.
  let byNamespace: Map<string, number[]> | undefined;
  let clusterScoped: number[] | undefined;
  const candidates = new Map<string, readonly PolicyModel[]>();
  const policiesOf = (namespace: string): readonly PolicyModel[] => {
    let found = candidates.get(namespace);
    if (found) return found;
    if (!byNamespace || !clusterScoped) {
      byNamespace = new Map();
      clusterScoped = [];
      for (let i = 0; i < policies.length; i++) {
        const p = policies[i];
        if (!p.ingress.affects && !p.egress.affects) continue;
        if (p.subjectNamespaces !== null) {
          clusterScoped.push(i);
          continue;
        }
        const list = byNamespace.get(p.namespace);
        if (list) list.push(i);
        else byNamespace.set(p.namespace, [i]);
      }
    }
    const own = byNamespace.get(namespace) ?? [];
    const covering = clusterScoped.filter((i) => inSubjectNamespaces(policies[i], namespace, namespaces));
    found = (covering.length === 0 ? own : [...own, ...covering].sort((a, b) => a - b)).map((i) => policies[i]);
    candidates.set(namespace, found);
    return found;
  };
  for (let wi = 0; wi < workloads.length; wi++) {
    const w = workloads[wi];
    if (w.pods.length === 0 && !w.hostNetwork) continue;
    const pods: readonly Pick<PodModel, 'name' | 'namespace' | 'labels' | 'serviceAccount' | 'hostNetwork' | 'source'>[] =
      w.pods.length > 0
        ? w.pods
        : [{ name: w.name, namespace: w.namespace, labels: w.labels, serviceAccount: w.serviceAccount, hostNetwork: w.hostNetwork, source: w.source }];
    for (let pi = 0; pi < pods.length; pi++) {
      const pod = pods[pi];
      if (!pod.hostNetwork) continue;
      const selecting = policiesOf(w.namespace).filter((p) => selectsInSubjectNamespace(p, pod));
      if (selecting.length === 0) continue;
      issues.push({
        code: 'HOST_NETWORK',
        severity: 'warning',
        message:
          `${w.displayName}${w.pods.length > 0 ? ` (pod ${pod.name})` : ''} uses hostNetwork and is selected by ` +
          `${selecting.map((p) => p.fullName).join(', ')}; CNIs differ on host-network pods, it is analysed like any other pod`,
        ...(pod.source ? { file: pod.source.file, line: pod.source.line } : {}),
        document: pod.source?.document ?? 0,
        path: joinPath(pod.source?.pathPrefix, 'spec.hostNetwork'),
      });
    }
  }
  return issues;
}

function joinPath(prefix: string | undefined, path: string): string {
  return prefix ? `${prefix}.${path}` : path;
}
