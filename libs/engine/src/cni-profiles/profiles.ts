// CNI semantic profiles: what Kubernetes leaves to the network plugin, made explicit and named. A verdict is only
// as true as the profile it was computed under, so every verdict and report names its profile (`cniProfile`).
//   - which policy dialects the plugin enforces at all (flannel / kubenet: none);
//   - whether an ipBlock / CIDR peer matches pod IPs (np-guard and Cilium: no; Calico, OVN-Kubernetes, Antrea: yes);
//   - how hostNetwork pods are treated (the engine analyses them as pods; only 'as-pod' exists today);
//   - which derived labels pods carry (Cilium: its identity labels; Calico: its workload endpoint labels), seen by
//     every selector, NetworkPolicy too.

export type CniProfileName = 'np-guard' | 'calico' | 'cilium' | 'ovn-kubernetes' | 'antrea' | 'flannel' | 'kubenet';

export interface CniProfile {
  readonly name: CniProfileName;
  readonly title: string;
  /** Dialect ids (dialects/registry.ts) whose policies the plugin enforces; 'all' for every modelled dialect. */
  readonly enforces: 'all' | readonly string[];
  readonly ipBlockMatchesPods: boolean;
  readonly hostNetwork: 'as-pod';
  /** Labels the plugin derives for every pod and matches selectors against. */
  readonly derivedLabels: 'none' | 'cilium' | 'calico';
}

/** The cluster name Cilium puts in `io.cilium.k8s.policy.cluster` unless configured (`cluster-name`). */
export const CILIUM_DEFAULT_CLUSTER = 'default';

const PROFILES: Readonly<Record<CniProfileName, CniProfile>> = {
  'np-guard': {
    name: 'np-guard',
    title: "np-guard's reading (the analyzer default): every modelled dialect, ipBlocks match external IPs only",
    enforces: 'all',
    ipBlockMatchesPods: false,
    hostNetwork: 'as-pod',
    derivedLabels: 'none',
  },
  calico: {
    name: 'calico',
    title: 'Calico: NetworkPolicy and Calico policies; ipBlocks and nets match pod IPs',
    enforces: ['networking-v1', 'calico'],
    ipBlockMatchesPods: true,
    hostNetwork: 'as-pod',
    derivedLabels: 'calico',
  },
  cilium: {
    name: 'cilium',
    title: "Cilium: NetworkPolicy and Cilium policies over Cilium's identity labels; CIDR peers match no pod",
    enforces: ['networking-v1', 'cilium'],
    ipBlockMatchesPods: false,
    hostNetwork: 'as-pod',
    derivedLabels: 'cilium',
  },
  'ovn-kubernetes': {
    name: 'ovn-kubernetes',
    title: 'OVN-Kubernetes: NetworkPolicy and AdminNetworkPolicy; ipBlocks match pod IPs',
    enforces: ['networking-v1', 'admin-network-policy'],
    ipBlockMatchesPods: true,
    hostNetwork: 'as-pod',
    derivedLabels: 'none',
  },
  antrea: {
    name: 'antrea',
    title: 'Antrea: NetworkPolicy and AdminNetworkPolicy; ipBlocks match pod IPs',
    enforces: ['networking-v1', 'admin-network-policy'],
    ipBlockMatchesPods: true,
    hostNetwork: 'as-pod',
    derivedLabels: 'none',
  },
  flannel: {
    name: 'flannel',
    title: 'flannel: enforces no network policy at all',
    enforces: [],
    ipBlockMatchesPods: false,
    hostNetwork: 'as-pod',
    derivedLabels: 'none',
  },
  kubenet: {
    name: 'kubenet',
    title: 'kubenet: enforces no network policy at all',
    enforces: [],
    ipBlockMatchesPods: false,
    hostNetwork: 'as-pod',
    derivedLabels: 'none',
  },
};

export const CNI_PROFILE_NAMES: readonly CniProfileName[] = Object.keys(PROFILES).sort() as CniProfileName[];

export function isCniProfileName(name: unknown): name is CniProfileName {
  return typeof name === 'string' && Object.hasOwn(PROFILES, name);
}

export function cniProfile(name: CniProfileName): CniProfile {
  return PROFILES[name];
}

/** Whether the profile's plugin enforces policies of this dialect. */
export function enforcesDialect(profile: CniProfile, dialect: string): boolean {
  return profile.enforces === 'all' || profile.enforces.includes(dialect);
}

/** Dialects np-guard's own reading covers: the name `np-guard` says nothing misleading about their policies. */
const NP_GUARD_OWN_DIALECTS: ReadonlySet<string> = new Set(['networking-v1', 'admin-network-policy']);

/**
 * What an auditor must know when no CNI was declared and the default profile evaluated policies of a plugin's own
 * dialect (Calico): "np-guard" alone would read as "Kubernetes NetworkPolicy only", while those policies were
 * evaluated too, under np-guard's reading (ipBlocks and nets match external IPs only), not the plugin's. Undefined
 * when the profile was declared, implied by the content (Cilium policies: `cilium`), or the name misleads nobody.
 */
export function undeclaredProfileNote(declared: boolean, profile: CniProfileName, dialects: Iterable<string>): string | undefined {
  if (declared || profile !== 'np-guard') return undefined;
  const evaluated = [...new Set(dialects)].sort();
  const foreign = evaluated.filter((d) => !NP_GUARD_OWN_DIALECTS.has(d));
  if (foreign.length === 0) return undefined;
  const suggested = foreign.find(isCniProfileName);
  return (
    `no CNI was declared: np-guard's reading (the default) evaluated every modelled policy dialect present (${evaluated.join(', ')}), ` +
    `${foreign.join(', ')} included, with ipBlocks and nets matching external IPs only; not ${foreign.join(' or ')}'s own semantics` +
    (suggested ? ` (declare the cluster's CNI, e.g. ${suggested}, for them)` : '')
  );
}
