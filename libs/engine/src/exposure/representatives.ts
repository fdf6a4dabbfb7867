// Scans the policies' rules the way np-guard does for exposure analysis:
// - a rule with no peers, or with a peer selecting all namespaces (namespaceSelector {} and no or an empty
//   podSelector), adds its ports to the policy's exposure to the entire cluster;
// - every other pod/namespace peer yields a representative peer, one per distinct pair of selectors
//   (equivalent requirements share one; the first rule read gives the printed text);
// - a representative peer with plain matchLabels on both sides is dropped when a real pod matches it.
import type { Selector } from '../algebra/selector.js';
import type { ParsedObject } from '../manifest/types.js';
import type { Direction, NamespaceModel, PodPeerModel, PolicyModel, RuleModel, Snapshot } from '../model/types.js';
import { workloadPods } from '../model/workloads.js';
import { ExposureConn, KEEP_NAMES } from './exposure-conn.js';
import {
  compileSelector,
  isEmptySelector,
  namespaceNameSelector,
  namespacePartName,
  podPartName,
  selectorOut,
  selectorOutFromCompiled,
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

/** Where the policies' selectors come from: the parsed objects (as written) or the compiled model. */
export interface PolicySource {
  readonly readOrder: readonly PolicyModel[];
  selectorsOf(policy: PolicyModel, peer: PodPeerModel): { namespace: LabelSelectorOut | null; pod: LabelSelectorOut | null };
}

export function policySource(snapshot: Snapshot, objects?: readonly ParsedObject[]): PolicySource {
  const raw = new Map<string, { index: number; object: ParsedObject['object'] }>();
  objects?.forEach((o, index) => {
    if (o.object.kind !== 'NetworkPolicy') return;
    const fullName = `${o.object.metadata.namespace || 'default'}/${o.object.metadata.name}`;
    if (!raw.has(fullName)) raw.set(fullName, { index, object: o.object });
  });
  const readOrder = [...snapshot.policies].sort((a, b) => {
    const ia = raw.get(a.fullName)?.index ?? Number.MAX_SAFE_INTEGER;
    const ib = raw.get(b.fullName)?.index ?? Number.MAX_SAFE_INTEGER;
    return ia - ib || compareSources(a, b);
  });
  return {
    readOrder,
    selectorsOf(policy, peer) {
      const object = raw.get(policy.fullName)?.object;
      if (object) {
        const rawPeer = valueAt(object, peer.path) as { namespaceSelector?: unknown; podSelector?: unknown } | undefined;
        return { namespace: selectorOut(rawPeer?.namespaceSelector), pod: selectorOut(rawPeer?.podSelector) };
      }
      return {
        namespace: peer.namespaceSelector && selectorOutFromCompiled(peer.namespaceSelector),
        pod: peer.podSelector && selectorOutFromCompiled(peer.podSelector),
      };
    },
  };
}

export function scanRules(snapshot: Snapshot, source: PolicySource): RuleScan {
  const clusterWide: PolicyClusterWide[] = snapshot.policies.map(() => ({ ingress: ExposureConn.NONE, egress: ExposureConn.NONE }));
  const byKey = new Map<string, RepresentativePeer>();
  for (const policy of source.readOrder) {
    const wide = { ingress: ExposureConn.NONE, egress: ExposureConn.NONE };
    for (const direction of ['ingress', 'egress'] as const satisfies readonly Direction[]) {
      if (!policy[direction].affects) continue;
      for (const rule of policy[direction].rules) {
        const peers = rulePeerSelectors(policy, rule, source);
        if (peers === 'entire-cluster') {
          wide[direction] = wide[direction].union(ExposureConn.fromRulePorts(rule.ports, KEEP_NAMES));
          continue;
        }
        for (const rep of peers) if (!byKey.has(repKey(rep))) byKey.set(repKey(rep), rep);
      }
    }
    clusterWide[policy.id] = wide;
  }
  return { clusterWide, representatives: [...byKey.values()] };
}

/** The representative peers of one rule, or 'entire-cluster' when the rule reaches every namespace (np-guard
 *  then ignores the rule's other peers). */
function rulePeerSelectors(policy: PolicyModel, rule: RuleModel, source: PolicySource): RepresentativePeer[] | 'entire-cluster' {
  if (rule.peers === null) return 'entire-cluster';
  const out: RepresentativePeer[] = [];
  for (const peer of rule.peers) {
    if (peer.kind !== 'pods') continue;
    const written = source.selectorsOf(policy, peer);
    if (written.namespace !== null && isEmptySelector(written.namespace) && isEmptySelector(written.pod)) return 'entire-cluster';
    const namespaceSpec = written.namespace ?? namespaceNameSelector(policy.namespace);
    const ns = namespacePartName(namespaceSpec);
    out.push({
      out: {
        type: 'representative',
        name: `${ns.text}/${podPartName(written.pod)}`,
        namespaceSelector: namespaceSpec,
        podSelector: written.pod,
        ...(ns.namespace !== undefined ? { namespace: ns.namespace } : {}),
      },
      namespaceSelector: compileSelector(namespaceSpec),
      podSelector: written.pod && compileSelector(written.pod),
      podNamespace: written.namespace === null ? policy.namespace : '',
    });
  }
  return out;
}

/** Equivalent requirements (a single-value `In` equals a matchLabels entry) give the same key. */
function repKey(rep: RepresentativePeer): string {
  return `${rep.namespaceSelector.key}/${rep.podSelector?.key ?? '{}'}`;
}

/**
 * np-guard drops a representative peer that a real pod matches, but only when both of its selectors are
 * non-empty plain matchLabels (no expressions); the pod's connection then shows in the connlist instead.
 */
export function absorbedByRealPods(rep: RepresentativePeer, snapshot: Snapshot): boolean {
  const ns = rep.out.namespaceSelector;
  const pod = rep.out.podSelector;
  if (pod === null || pod.matchExpressions.length > 0 || ns.matchExpressions.length > 0) return false;
  if (Object.keys(ns.matchLabels).length === 0 || Object.keys(pod.matchLabels).length === 0) return false;
  for (const w of snapshot.workloads) {
    const namespace: NamespaceModel | undefined = snapshot.namespaces.get(w.namespace);
    if (!hasLabels(namespace?.labels ?? {}, ns.matchLabels)) continue;
    const podLabels = w.pods.length > 0 ? workloadPods(w).map((p) => p.labels) : [w.labels];
    if (podLabels.some((labels) => hasLabels(labels, pod.matchLabels))) return true;
  }
  return false;
}

function hasLabels(labels: Readonly<Record<string, string>>, wanted: Readonly<Record<string, string>>): boolean {
  return Object.entries(wanted).every(([k, v]) => Object.prototype.hasOwnProperty.call(labels, k) && labels[k] === v);
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

/** Without the parsed objects: the order the CLI reads files in (path segments, then document, then item). */
function compareSources(a: PolicyModel, b: PolicyModel): number {
  const sa = a.source;
  const sb = b.source;
  if (!sa || !sb) return a.fullName < b.fullName ? -1 : a.fullName > b.fullName ? 1 : 0;
  const pa = sa.file.split('/');
  const pb = sb.file.split('/');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    if (pa[i] !== pb[i]) return pa[i] < pb[i] ? -1 : 1;
  }
  return pa.length - pb.length || sa.document - sb.document || itemIndex(sa.pathPrefix) - itemIndex(sb.pathPrefix);
}

function itemIndex(pathPrefix: string): number {
  const m = /\[(\d+)\]/.exec(pathPrefix);
  return m ? Number(m[1]) : -1;
}
