// Scans the policies' rules the way np-guard does for exposure analysis:
// - a rule with no peers, or with a peer selecting all namespaces (namespaceSelector {} and no or an empty
//   podSelector), adds its ports to the policy's exposure to the entire cluster;
// - every other pod/namespace peer yields a representative peer, one per distinct pair of selectors
//   (equivalent requirements share one; the first rule read gives the printed text);
// - a representative peer with plain matchLabels on both sides is dropped when a real pod matches it.
// A dialect rule (Calico) whose far end has a label-selector form (`MatcherPeerModel.farSelectors`) yields one
// the same way, as the pod peer those selectors write.
import type { Selector } from '../algebra/selector.js';
import type { Direction, MatcherPeerModel, NamespaceModel, PodPeerModel, PolicyModel, RuleModel, Snapshot } from '../model/types.js';
import { workloadPods } from '../model/workloads.js';
import { ExposureConn, KEEP_NAMES } from './exposure-conn.js';
import {
  compileSelector,
  namespaceNameSelector,
  namespacePartName,
  podPartName,
  selectorOut,
} from './selector-text.js';
import type { LabelSelectorOut, RepresentativePeerOut } from './types.js';

export interface RepresentativePeer {
  readonly out: RepresentativePeerOut;
  /** Compiled for matching rule selectors against it (never null: a rule without one means its policy's namespace). */
  readonly namespaceSelector: Selector;
  readonly podSelector: Selector | null;
  /** The policy's namespace when the first rule had no namespaceSelector, else '' (np-guard's pod namespace). */
  readonly podNamespace: string;
}

/** Per policy: what its rules allow from/to every namespace (named ports kept as names). */
export interface PolicyClusterWide {
  readonly ingress: ExposureConn;
  readonly egress: ExposureConn;
}

export interface RuleScan {
  /** Indexed by policy id. */
  readonly clusterWide: readonly PolicyClusterWide[];
  /** In the order np-guard creates them (policy read order, ingress rules before egress rules). */
  readonly representatives: readonly RepresentativePeer[];
}

/** The policies in the order they were read (np-guard creates representative peers in that order). */
function readOrder(snapshot: Snapshot): PolicyModel[] {
  return [...snapshot.policies].sort((a, b) => a.readIndex - b.readIndex || a.id - b.id);
}

/** A pod peer's selectors as its policy writes them (matchLabels vs matchExpressions, value order), which
 *  np-guard's representative-peer names print; the compiled selectors have lost that. */
function writtenSelectors(policy: PolicyModel, peer: PodPeerModel): { namespace: LabelSelectorOut | null; pod: LabelSelectorOut | null } {
  const written = valueAt(policy.object, peer.path) as { namespaceSelector?: unknown; podSelector?: unknown } | undefined;
  // AdminNetworkPolicy-style `namespaces` peers are the namespace selector itself (every pod of those namespaces).
  if (peer.path.endsWith('.namespaces')) return { namespace: selectorOut(written), pod: null };
  // Their `pods` peers without a namespaceSelector reach every namespace (they have no namespace of their own).
  if (policy.namespace === '') return { namespace: selectorOut(written?.namespaceSelector ?? {}), pod: selectorOut(written?.podSelector) };
  return { namespace: selectorOut(written?.namespaceSelector), pod: selectorOut(written?.podSelector) };
}

export function scanRules(snapshot: Snapshot): RuleScan {
  const clusterWide: PolicyClusterWide[] = snapshot.policies.map(() => ({ ingress: ExposureConn.NONE, egress: ExposureConn.NONE }));
  const byKey = new Map<string, RepresentativePeer>();
  const namespaceSelectors = new Map<string, Selector>();
  const namespaceSelector = (ns: string) => {
    let found = namespaceSelectors.get(ns);
    if (!found) namespaceSelectors.set(ns, (found = compileSelector(namespaceNameSelector(ns))));
    return found;
  };
  for (const policy of readOrder(snapshot)) {
    for (const direction of DIRECTIONS) {
      if (!policy[direction].affects) continue;
      for (const rule of policy[direction].rules) {
        const peers = selectorPeers(rule);
        if (peers === 'entire-cluster') continue;
        for (const peer of peers) {
          const nsSelector = peer.namespaceSelector ?? namespaceSelector(policy.namespace);
          // Equivalent requirements (a single-value `In` equals a matchLabels entry) give the same key.
          const key = `${nsSelector.key}/${peer.podSelector?.key ?? '{}'}`;
          if (!byKey.has(key)) byKey.set(key, representative(policy, peer, nsSelector, writtenOf(policy, peer)));
        }
      }
    }
    clusterWide[policy.id] = policyClusterWide(policy);
  }
  return { clusterWide, representatives: [...byKey.values()] };
}

const DIRECTIONS = ['ingress', 'egress'] as const satisfies readonly Direction[];

/** What one policy's rules allow from / to every namespace: the union of its rules that reach the entire cluster. */
export function policyClusterWide(policy: PolicyModel): PolicyClusterWide {
  const wide = { ingress: ExposureConn.NONE, egress: ExposureConn.NONE };
  for (const direction of DIRECTIONS) {
    if (!policy[direction].affects) continue;
    for (const rule of policy[direction].rules) {
      if (reachesEntireCluster(rule)) wide[direction] = wide[direction].union(ExposureConn.fromRulePorts(rule.ports, KEEP_NAMES));
    }
  }
  return wide;
}

/** The pod/namespace peers of one rule (a dialect matcher's far end as its pod peer, when it has one), or
 *  'entire-cluster' when the rule reaches every namespace (no peers, or a peer with namespaceSelector {} and no or
 *  an empty podSelector; np-guard then ignores its other peers). */
function selectorPeers(rule: RuleModel): PodPeerModel[] | 'entire-cluster' {
  if (reachesEntireCluster(rule)) return 'entire-cluster';
  const out: PodPeerModel[] = [];
  for (const candidate of rule.peers ?? []) {
    // A matcher whose far end matches every pod reaches the entire cluster through the tiered path already.
    const peer = candidate.kind === 'matcher' ? (candidate.farMatchesEveryPod ? undefined : farPodPeer(candidate)) : candidate;
    if (peer?.kind === 'pods') out.push(peer);
  }
  return out;
}

function reachesEntireCluster(rule: RuleModel): boolean {
  if (rule.peers === null) return true;
  for (const peer of rule.peers) {
    if (peer.kind === 'pods' && peer.namespaceSelector?.isEverything && (peer.podSelector === null || peer.podSelector.isEverything)) return true;
  }
  return false;
}

const farPodPeers = new WeakMap<MatcherPeerModel, PodPeerModel | undefined>();
const farWritten = new WeakMap<PodPeerModel, { namespace: LabelSelectorOut | null; pod: LabelSelectorOut | null }>();

/** A dialect matcher's far end as the pod peer its label selectors write, or undefined when it has no such form. */
export function farPodPeer(peer: MatcherPeerModel): PodPeerModel | undefined {
  if (farPodPeers.has(peer)) return farPodPeers.get(peer);
  let pods: PodPeerModel | undefined;
  if (peer.farSelectors) {
    const { namespaceSelector, podSelector } = peer.farSelectors;
    const written = { namespace: selectorOut(namespaceSelector), pod: selectorOut(podSelector) };
    pods = {
      kind: 'pods',
      path: peer.path,
      namespaceSelector: written.namespace === null ? null : compileSelector(written.namespace),
      podSelector: written.pod === null ? null : compileSelector(written.pod),
    };
    farWritten.set(pods, written);
  }
  farPodPeers.set(peer, pods);
  return pods;
}

function writtenOf(policy: PolicyModel, peer: PodPeerModel): { namespace: LabelSelectorOut | null; pod: LabelSelectorOut | null } {
  return farWritten.get(peer) ?? writtenSelectors(policy, peer);
}

function representative(policy: PolicyModel, peer: PodPeerModel, namespaceSelector: Selector, written: { namespace: LabelSelectorOut | null; pod: LabelSelectorOut | null }): RepresentativePeer {
  const namespaceSpec = written.namespace ?? namespaceNameSelector(policy.namespace);
  const ns = namespacePartName(namespaceSpec);
  return {
    out: {
      type: 'representative',
      name: `${ns.text}/${podPartName(written.pod)}`,
      namespaceSelector: namespaceSpec,
      podSelector: written.pod,
      ...(ns.namespace !== undefined ? { namespace: ns.namespace } : {}),
    },
    namespaceSelector,
    podSelector: peer.podSelector,
    podNamespace: peer.namespaceSelector === null ? policy.namespace : '',
  };
}

/**
 * np-guard drops a representative peer that a real pod matches, but only when both of its selectors are
 * non-empty plain matchLabels (no expressions); the pod's connection then shows in the connlist instead.
 * Returns the peers that remain.
 */
export function withoutAbsorbed(representatives: readonly RepresentativePeer[], snapshot: Snapshot): RepresentativePeer[] {
  // Per namespace, the pods' label sets under each label key and value: a selector checks only the pods holding
  // its first label (at 50k pods, scanning every pod of a namespace per representative peer dominated). Only those
  // first labels' keys are looked up, so pods are indexed under them alone.
  const lookedUp = new Set<string>();
  for (const rep of representatives) {
    const first = absorbable(rep)?.podLabels[0];
    if (first) lookedUp.add(first[0]);
  }
  if (lookedUp.size === 0) return [...representatives];
  const podLabelsByNamespace = new Map<string, Map<string, Map<string, Readonly<Record<string, string>>[]>>>();
  const index = (namespace: string, labels: Readonly<Record<string, string>>) => {
    let byKey = podLabelsByNamespace.get(namespace);
    if (!byKey) podLabelsByNamespace.set(namespace, (byKey = new Map()));
    for (const key of lookedUp) {
      if (!Object.prototype.hasOwnProperty.call(labels, key)) continue;
      const value = labels[key];
      let byValue = byKey.get(key);
      if (!byValue) byKey.set(key, (byValue = new Map()));
      const list = byValue.get(value);
      if (list) list.push(labels);
      else byValue.set(value, [labels]);
    }
  };
  for (const w of snapshot.workloads) {
    if (w.pods.length > 0) for (const p of workloadPods(w)) index(w.namespace, p.labels);
    else index(w.namespace, w.labels);
  }
  // Namespaces likewise, under each of their labels.
  const namespacesByLabel = new Map<string, Map<string, NamespaceModel[]>>();
  for (const n of snapshot.namespaces.values()) {
    for (const [key, value] of Object.entries(n.labels)) {
      let byValue = namespacesByLabel.get(key);
      if (!byValue) namespacesByLabel.set(key, (byValue = new Map()));
      const list = byValue.get(value);
      if (list) list.push(n);
      else byValue.set(value, [n]);
    }
  }
  const decided = new Map<string, boolean>();
  const absorbed = (rep: RepresentativePeer) => {
    const selectors = absorbable(rep);
    if (!selectors) return false;
    const { ns, pod, nsLabels, podLabels } = selectors;
    // Policies written from one template repeat their selectors: each pair of selectors is decided once.
    const key = JSON.stringify([nsLabels, podLabels]);
    let answer = decided.get(key);
    if (answer === undefined) {
      const [podKey, podValue] = podLabels[0];
      const candidates = namespacesByLabel.get(nsLabels[0][0])?.get(nsLabels[0][1]) ?? [];
      answer = candidates.some(
        (n) =>
          hasLabels(n.labels, ns.matchLabels) &&
          (podLabelsByNamespace.get(n.name)?.get(podKey)?.get(podValue) ?? []).some((labels) => hasLabels(labels, pod.matchLabels)),
      );
      decided.set(key, answer);
    }
    return answer;
  };
  return representatives.filter((rep) => !absorbed(rep));
}

/** A peer np-guard may drop: both selectors non-empty plain matchLabels (their entries), else undefined. */
function absorbable(
  rep: RepresentativePeer,
): { ns: LabelSelectorOut; pod: LabelSelectorOut; nsLabels: [string, string][]; podLabels: [string, string][] } | undefined {
  const ns = rep.out.namespaceSelector;
  const pod = rep.out.podSelector;
  if (pod === null || pod.matchExpressions.length > 0 || ns.matchExpressions.length > 0) return undefined;
  const nsLabels = Object.entries(ns.matchLabels);
  const podLabels = Object.entries(pod.matchLabels);
  if (nsLabels.length === 0 || podLabels.length === 0) return undefined;
  return { ns, pod, nsLabels, podLabels };
}

function hasLabels(labels: Readonly<Record<string, string>>, wanted: Readonly<Record<string, string>>): boolean {
  // Called per candidate pod: no entry arrays.
  for (const k in wanted) {
    if (!Object.prototype.hasOwnProperty.call(wanted, k)) continue;
    if (!Object.prototype.hasOwnProperty.call(labels, k) || labels[k] !== wanted[k]) return false;
  }
  return true;
}

/** Reads `spec.ingress[2].from[0]`-style paths in a plain object. */
function valueAt(root: unknown, path: string): unknown {
  let current: unknown = root;
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = m[1] !== undefined ? (current as Record<string, unknown>)[m[1]] : (current as unknown[])[Number(m[2])];
  }
  return current;
}
