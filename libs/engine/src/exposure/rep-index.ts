// Which representative peers a rule peer selects. np-guard matches selectors against a representative
// peer's selectors, not labels: an empty rule selector matches anything, otherwise the requirements must be
// the same; a rule without namespaceSelector matches peers created in its policy's namespace. The index finds
// the candidates by namespace part so that a workload's rules are not tried against every peer.
import type { PodPeerModel, PolicyModel } from '../model/types.js';
import type { RepresentativePeer } from './representatives.js';

export class RepresentativeIndex {
  private readonly byPodNamespace = new Map<string, RepresentativePeer[]>();
  private readonly byNamespaceKey = new Map<string, RepresentativePeer[]>();

  constructor(readonly all: readonly RepresentativePeer[]) {
    for (const rep of all) {
      if (rep.podNamespace !== '') push(this.byPodNamespace, rep.podNamespace, rep);
      push(this.byNamespaceKey, rep.namespaceSelector.key, rep);
    }
  }

  /** Per rule peer (peers belong to one policy), its answer: workloads sharing a policy ask again. */
  private readonly selected = new Map<PodPeerModel, { readonly policy: PolicyModel; readonly reps: readonly RepresentativePeer[] }>();

  /** The representative peers the rule peer (of `policy`) selects. */
  selectedBy(policy: PolicyModel, peer: PodPeerModel): readonly RepresentativePeer[] {
    const known = this.selected.get(peer);
    if (known?.policy === policy) return known.reps;
    const reps = this.select(policy, peer);
    this.selected.set(peer, { policy, reps });
    return reps;
  }

  private select(policy: PolicyModel, peer: PodPeerModel): RepresentativePeer[] {
    const candidates =
      peer.namespaceSelector === null
        ? (this.byPodNamespace.get(policy.namespace) ?? [])
        : peer.namespaceSelector.isEverything
          ? this.all
          : (this.byNamespaceKey.get(peer.namespaceSelector.key) ?? []);
    const pod = peer.podSelector;
    if (pod === null || pod.isEverything) return [...candidates];
    return candidates.filter((rep) => rep.podSelector !== null && rep.podSelector.key === pod.key);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
