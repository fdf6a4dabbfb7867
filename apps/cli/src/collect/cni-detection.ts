// Which CNI enforces policy on the cluster, from signals only a live read has: the CNI's agent DaemonSet (its
// well-known name in its well-known namespace), else the policy API groups the cluster serves. Recorded in the
// collected List's annotations and sent by `collect --push` as `?cni=`; the server takes it for the cluster's CNI
// only where no user chose one. Manifests alone never carry this signal: an ordinary upload never switches a profile.
import type { CniProfileName } from '@netpol-atlas/engine';

export interface CniDetection {
  readonly cni: CniProfileName;
  /** What was seen, e.g. `DaemonSet kube-system/cilium`. */
  readonly evidence: string;
}

/** Namespaces the CNIs install their agents in (upstream manifests, operators, and common distributions). */
export const CNI_NAMESPACES: readonly string[] = ['calico-system', 'kube-flannel', 'kube-system', 'ovn-kubernetes'];

/**
 * Agent DaemonSet names, in precedence order: a policy-enforcing CNI wins over flannel, which often runs beside one
 * for the pod network (Canal: Calico policy on flannel; Cilium chaining).
 */
const AGENTS: readonly { readonly cni: CniProfileName; readonly name: RegExp }[] = [
  { cni: 'cilium', name: /^cilium$/ },
  { cni: 'calico', name: /^(calico-node|canal)$/ },
  { cni: 'antrea', name: /^antrea-agent$/ },
  { cni: 'ovn-kubernetes', name: /^ovnkube-node$/ },
  { cni: 'flannel', name: /^(kube-flannel|kube-flannel-ds)$/ },
];

/** Policy API groups that exist only where that CNI is installed (CRDs may outlive an uninstall: a weaker signal). */
const GROUPS: readonly { readonly cni: CniProfileName; readonly group: string }[] = [
  { cni: 'cilium', group: 'cilium.io' },
  { cni: 'calico', group: 'projectcalico.org' },
  { cni: 'calico', group: 'crd.projectcalico.org' },
];

export interface DaemonSetRef {
  readonly namespace: string;
  readonly name: string;
}

export function detectCni(daemonSets: readonly DaemonSetRef[], servedGroups: ReadonlySet<string>): CniDetection | undefined {
  const candidates = daemonSets
    .filter((d) => CNI_NAMESPACES.includes(d.namespace))
    .sort((a, b) => (a.namespace + '/' + a.name < b.namespace + '/' + b.name ? -1 : 1));
  for (const agent of AGENTS) {
    const found = candidates.find((d) => agent.name.test(d.name));
    if (found) return { cni: agent.cni, evidence: `DaemonSet ${found.namespace}/${found.name}` };
  }
  for (const { cni, group } of GROUPS) {
    if (servedGroups.has(group)) return { cni, evidence: `API group ${group} served (no agent DaemonSet readable)` };
  }
  return undefined;
}
