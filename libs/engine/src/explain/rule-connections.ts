// The connections each rule of one policy allows: for every workload the policy selects and every other peer
// (workloads and IP ranges), the ports whose explanation names the rule as allowing on its side. The work is
// selected workloads × peers pairs: counted and refused above `maxPairs` before any pair is explained.
import { ConnectionSet } from '../algebra/connection-set.js';
import type { IpFamily } from '../algebra/ip-set.js';
import { atomPeers, clusterPeers, type Peer } from '../analysis/connectivity.js';
import type { Analysis } from '../analysis/types.js';
import { workloadPods } from '../model/workloads.js';
import type { Direction, PolicyModel } from '../model/types.js';
import { showsIcmp } from '../output/conn-string.js';
import { rangeText } from '../query/internet-ranges.js';
import { PairExplainer } from './pairs.js';
import { portsText } from './text.js';
import type { ExplainClass } from './types.js';

export const DEFAULT_MAX_RULE_CONNECTION_PAIRS = 500_000;

export interface RuleConnection {
  /** The rule's field path, e.g. `spec.ingress[0]`. */
  readonly rule: string;
  readonly direction: Direction;
  /** The workload the policy selects (`namespace/name[Kind]`). */
  readonly subject: string;
  /** The other end: a workload, or an IP range (CIDR notation where it is one block, adjacent ranges merged). */
  readonly peer: string;
  /** Ports the rule allows that the other side allows too: the connection exists (np-guard conn text, '' if none). */
  readonly ports: string;
  /** Ports the rule allows that the other side denies ('' if none). */
  readonly deniedByOtherSide: string;
}

export type RuleConnectionsResult =
  | { readonly ok: true; readonly connections: readonly RuleConnection[] }
  | { readonly ok: false; readonly code: 'NOT_FOUND' | 'TOO_MANY_PAIRS'; readonly message: string };

interface Acc {
  rule: string;
  direction: Direction;
  subject: string;
  peer: Peer;
  effective: ConnectionSet;
  denied: ConnectionSet;
}

/**
 * Where rules overlap, a port is credited to the first rule of the policy that lists it (the explanation's
 * attribution), so the rules' port sets never double-count.
 */
export function policyRuleConnections(
  analysis: Analysis,
  policy: { readonly namespace: string; readonly name: string },
  options: { readonly maxPairs?: number; readonly ipFamilies?: readonly IpFamily[] } = {},
): RuleConnectionsResult {
  const model = analysis.snapshot.policies.find((p) => p.namespace === policy.namespace && p.name === policy.name);
  if (!model) return { ok: false, code: 'NOT_FOUND', message: `no analysed policy ${policy.namespace}/${policy.name}` };
  const families = options.ipFamilies ?? [4, 6];
  const workloads = clusterPeers(analysis, 'workload');
  const selected = workloads.filter((peer) => peer.type === 'workload' && selects(analysis, model, peer));
  const sources = [...workloads, ...atomPeers(analysis.srcAtoms).filter((p) => p.type === 'ip' && families.includes(p.family))];
  const destinations = [...workloads, ...atomPeers(analysis.dstAtoms).filter((p) => p.type === 'ip' && families.includes(p.family))];
  const pairs = selected.length * ((model.ingress.rules.length > 0 ? sources.length : 0) + (model.egress.rules.length > 0 ? destinations.length : 0));
  const maxPairs = options.maxPairs ?? DEFAULT_MAX_RULE_CONNECTION_PAIRS;
  if (pairs > maxPairs) {
    return { ok: false, code: 'TOO_MANY_PAIRS', message: `${pairs} pairs to explain for ${model.fullName}, more than the limit ${maxPairs}` };
  }
  const explainer = new PairExplainer(analysis);
  const found = new Map<string, Acc>();
  const add = (direction: Direction, subject: Peer, peer: Peer, classes: readonly ExplainClass[]) => {
    for (const cls of classes) {
      const side = direction === 'ingress' ? cls.ingress : cls.egress;
      if (!side.allowed) continue;
      for (const reason of side.reasons) {
        if (reason.verdict !== 'allows' || reason.policy !== model.fullName || reason.path === undefined) continue;
        const key = `${reason.path}\u0000${subject.name}\u0000${peer.name}`;
        let acc = found.get(key);
        if (!acc) {
          acc = { rule: reason.path, direction, subject: subject.name, peer, effective: ConnectionSet.NONE, denied: ConnectionSet.NONE };
          found.set(key, acc);
        }
        if (cls.allowed) acc.effective = acc.effective.union(cls.ports);
        else acc.denied = acc.denied.union(cls.ports);
      }
    }
  };
  for (const subject of selected) {
    if (model.ingress.rules.length > 0) {
      for (const src of sources) if (src !== subject) add('ingress', subject, src, explainer.explain(src, subject).classes);
    }
    if (model.egress.rules.length > 0) {
      for (const dst of destinations) if (dst !== subject) add('egress', subject, dst, explainer.explain(subject, dst).classes);
    }
  }
  return { ok: true, connections: mergeRanges([...found.values()], showsIcmp(analysis.snapshot)) };
}

function selects(analysis: Analysis, model: PolicyModel, peer: Extract<Peer, { type: 'workload' }>): boolean {
  const workload = peer.workload;
  if (model.subjectNamespaces === null) {
    if (workload.namespace !== model.namespace) return false;
  } else if (!model.subjectNamespaces.matches(analysis.snapshot.namespaces.get(workload.namespace)?.labels ?? {})) {
    return false;
  }
  return workloadPods(workload).some((pod) => model.podSelector.matches(pod.labels));
}

/** One row per rule, subject and peer; adjacent IP ranges with the same ports merged. Sorted by rule, subject, peer.
 *  `icmp`: the snapshot `showsIcmp`, so the port texts name ICMP. */
function mergeRanges(accs: Acc[], icmp: boolean): RuleConnection[] {
  const rows: Array<RuleConnection & { first?: bigint; last?: bigint; family?: IpFamily }> = [];
  const ordered = accs.sort((a, b) => cmp(a.rule, b.rule) || cmp(a.subject, b.subject) || peerOrder(a.peer, b.peer));
  for (const acc of ordered) {
    const ports = portsText(acc.effective, icmp);
    const deniedByOtherSide = portsText(acc.denied, icmp);
    const previous = rows.at(-1);
    if (acc.peer.type === 'ip') {
      const { family, first, last } = acc.peer;
      if (
        previous?.family === family &&
        previous.rule === acc.rule &&
        previous.subject === acc.subject &&
        previous.ports === ports &&
        previous.deniedByOtherSide === deniedByOtherSide &&
        previous.last! + 1n === first
      ) {
        previous.last = last;
        continue;
      }
      rows.push({ rule: acc.rule, direction: acc.direction, subject: acc.subject, peer: '', ports, deniedByOtherSide, family, first, last });
    } else {
      rows.push({ rule: acc.rule, direction: acc.direction, subject: acc.subject, peer: acc.peer.name, ports, deniedByOtherSide });
    }
  }
  return rows.map(({ first, last, family, ...row }) => (family === undefined ? row : { ...row, peer: rangeText(family, first!, last!) }));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// Workloads by name first, then IP ranges by family and address (so adjacent ranges follow each other).
function peerOrder(a: Peer, b: Peer): number {
  if (a.type === 'ip' && b.type === 'ip') return a.family - b.family || (a.first < b.first ? -1 : a.first > b.first ? 1 : 0);
  if (a.type === 'ip') return 1;
  if (b.type === 'ip') return -1;
  return cmp(a.name, b.name);
}
