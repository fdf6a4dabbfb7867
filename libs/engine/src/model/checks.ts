// Model-level checks that need policies and workloads together:
// - np-guard's rule for pods of one owner with different labels: fine unless a selector that can apply to
//   them reads a label from the gap (In/NotIn/matchLabels: any difference; Exists/DoesNotExist: presence);
// - a warning for every hostNetwork pod a policy selects (CNIs differ on how they treat them).
import type { Requirement, Selector } from '../algebra/selector.js';
import type { Issue } from '../manifest/types.js';
import type { NamespaceModel, PodModel, PolicyModel, Workload } from './types.js';

interface GapKey {
  readonly key: string;
  /** Both pods have the key (with different values). */
  readonly bothPresent: boolean;
}

export function checkLabelGaps(
  workloads: readonly Workload[],
  policies: readonly PolicyModel[],
  namespaces: ReadonlyMap<string, NamespaceModel>,
): Issue[] {
  if (policies.length === 0) return [];
  let index: Map<string, ScopedSelector[]> | undefined; // built on the first gap: most snapshots have none
  const issues: Issue[] = [];
  for (let wi = 0; wi < workloads.length; wi++) {
    const w = workloads[wi];
    if (w.pods.length < 2) continue;
    const first = w.pods[0];
    for (let pi = 1; pi < w.pods.length; pi++) {
      const pod = w.pods[pi];
      const gap = labelGap(first, pod);
      if (gap.length === 0) continue;
      const hit = findSelectorUsingGap(w.namespace, gap, (index ??= selectorsByKey(policies)), namespaces);
      if (!hit) continue;
      const g = gap.find((k) => k.key === hit.requirement.key)!;
      const describe = (p: PodModel): string =>
        Object.prototype.hasOwnProperty.call(p.labels, g.key)
          ? `has label \`${g.key}=${p.labels[g.key]}\``
          : `does not have label \`${g.key}\``;
      issues.push({
        code: 'INCONSISTENT_LABELS',
        severity: 'error',
        message:
          `Pods of one owner ${w.namespace}/${w.name} have different labels, which this analysis cannot represent as one workload: ` +
          `Pod "${pod.namespace}/${pod.name}" ${describe(pod)} and Pod "${first.namespace}/${first.name}" ${describe(first)}, ` +
          `while NetworkPolicy "${hit.policy.fullName}" contains selector \`${hit.selector.toString()}\``,
        ...(pod.source ? { file: pod.source.file, line: pod.source.line } : {}),
        document: pod.source?.document ?? 0,
        path: joinPath(pod.source?.pathPrefix, 'metadata.labels'),
      });
      break;
    }
  }
  return issues;
}

/** A pod selector of a policy that can apply to pods of some namespaces. */
interface ScopedSelector {
  readonly policy: PolicyModel;
  readonly selector: Selector;
  readonly requirement: Requirement;
  /** null = the policy's own namespace. */
  readonly namespaceSelector: Selector | null;
}

/** Every pod-selector requirement by label key, so a gap costs a lookup per differing key. */
function selectorsByKey(policies: readonly PolicyModel[]): Map<string, ScopedSelector[]> {
  const index = new Map<string, ScopedSelector[]>();
  const add = (policy: PolicyModel, selector: Selector | null, namespaceSelector: Selector | null) => {
    if (!selector) return;
    for (let i = 0; i < selector.requirements.length; i++) {
      const requirement = selector.requirements[i];
      const list = index.get(requirement.key);
      const entry = { policy, selector, requirement, namespaceSelector };
      if (list) list.push(entry);
      else index.set(requirement.key, [entry]);
    }
  };
  for (let p = 0; p < policies.length; p++) {
    const policy = policies[p];
    add(policy, policy.podSelector, null);
    for (const rules of [policy.ingress.rules, policy.egress.rules]) {
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
  return index;
}

function labelGap(a: PodModel, b: PodModel): GapKey[] {
  if (a.labels === b.labels) return NO_GAP;
  let out: GapKey[] | undefined;
  const has = Object.prototype.hasOwnProperty;
  for (const key in a.labels) {
    if (!has.call(a.labels, key)) continue;
    const inB = has.call(b.labels, key);
    if (inB && a.labels[key] === b.labels[key]) continue;
    (out ??= []).push({ key, bothPresent: inB });
  }
  for (const key in b.labels) {
    if (has.call(b.labels, key) && !has.call(a.labels, key)) (out ??= []).push({ key, bothPresent: false });
  }
  return out ? out.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0)) : NO_GAP;
}

const NO_GAP: GapKey[] = [];

function findSelectorUsingGap(
  namespace: string,
  gap: readonly GapKey[],
  index: ReadonlyMap<string, readonly ScopedSelector[]>,
  namespaces: ReadonlyMap<string, NamespaceModel>,
): ScopedSelector | undefined {
  const nsLabels = namespaces.get(namespace)?.labels ?? {};
  for (const g of gap) {
    for (const candidate of index.get(g.key) ?? []) {
      if (!requirementReadsGap(candidate.requirement, gap)) continue;
      const inScope = candidate.namespaceSelector
        ? candidate.namespaceSelector.matches(nsLabels)
        : candidate.policy.namespace === namespace;
      if (inScope) return candidate;
    }
  }
  return undefined;
}

function requirementReadsGap(r: Requirement, gap: readonly GapKey[]): boolean {
  const g = gap.find((k) => k.key === r.key);
  if (!g) return false;
  // Exists / DoesNotExist only see presence, which is the same when both pods have the key.
  if (r.operator === 'Exists' || r.operator === 'DoesNotExist') return !g.bothPresent;
  return true;
}

export function hostNetworkWarnings(workloads: readonly Workload[], policies: readonly PolicyModel[]): Issue[] {
  const issues: Issue[] = [];
  let byNamespace: Map<string, PolicyModel[]> | undefined; // built on the first hostNetwork pod
  const policiesOf = (namespace: string): readonly PolicyModel[] => {
    if (!byNamespace) {
      byNamespace = new Map();
      for (let i = 0; i < policies.length; i++) {
        const p = policies[i];
        const list = byNamespace.get(p.namespace);
        if (list) list.push(p);
        else byNamespace.set(p.namespace, [p]);
      }
    }
    return byNamespace.get(namespace) ?? [];
  };
  for (let wi = 0; wi < workloads.length; wi++) {
    const w = workloads[wi];
    if (w.pods.length === 0 && !w.hostNetwork) continue;
    const pods: readonly Pick<PodModel, 'name' | 'labels' | 'hostNetwork' | 'source'>[] =
      w.pods.length > 0 ? w.pods : [{ name: w.name, labels: w.labels, hostNetwork: w.hostNetwork, source: w.source }];
    for (let pi = 0; pi < pods.length; pi++) {
      const pod = pods[pi];
      if (!pod.hostNetwork) continue;
      const selecting = policiesOf(w.namespace).filter(
        (p) => (p.ingress.affects || p.egress.affects) && p.podSelector.matches(pod.labels),
      );
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
