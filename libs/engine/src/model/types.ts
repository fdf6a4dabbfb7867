// The analysable model of one cluster snapshot: namespaces, workloads (with their pods) and compiled
// NetworkPolicies. Plain data plus compiled selectors / port sets; built once by `buildSnapshot`.
import type { Issue, KubeObject, SourceLocation } from '../manifest/types.js';
import type { Protocol } from '../algebra/connection-set.js';
import type { IpSet } from '../algebra/ip-set.js';
import type { ContainerPort, RulePorts } from '../algebra/rule-ports.js';
import type { LabelSelectorSpec, Labels, Selector } from '../algebra/selector.js';
import type { CniProfileName } from '../cni-profiles/profiles.js';

/** Where Kubernetes leaves behaviour to the CNI, an explicit choice. Defaults are np-guard's. */
export interface EngineOptions {
  /** Whether an ipBlock can match pods (by their IPs). Default false: ipBlocks match external IPs only. */
  readonly ipBlockMatchesPods?: boolean;
  /** How pods with `hostNetwork: true` are treated. Default 'as-pod': analysed like any other pod. */
  readonly hostNetwork?: 'as-pod';
  /** The CNI whose semantics apply (cni-profiles/): unset = `cilium` when the input holds Cilium policies, else
   *  `np-guard`. Its ipBlock choice applies unless `ipBlockMatchesPods` is given. */
  readonly cni?: CniProfileName;
}

export interface ResolvedEngineOptions {
  readonly ipBlockMatchesPods: boolean;
  readonly hostNetwork: 'as-pod';
  /** The profile that produced every verdict of the snapshot (cni-profiles/profiles.ts). */
  readonly cni: CniProfileName;
}

export interface NamespaceModel {
  readonly name: string;
  /** Declared labels plus `kubernetes.io/metadata.name` when missing. */
  readonly labels: Labels;
  /** False for namespaces that are only referenced (by a workload or a policy). */
  readonly declared: boolean;
}

/** A `v1 Node`: what node peers select (labels) and match (its InternalIP / ExternalIP addresses, which its
 *  host-network pods share). */
export interface NodeModel {
  readonly name: string;
  readonly labels: Labels;
  /** `status.addresses` of type InternalIP and ExternalIP, in their order. */
  readonly ips: readonly string[];
  readonly source?: SourceLocation;
}

/** A Calico HostEndpoint as the analysis reads it. */
export interface HostEndpointModel {
  readonly name: string;
  readonly labels: Labels;
  /** `spec.node`; absent: not given. */
  readonly node?: string;
  /** `spec.interfaceName`: `*` (every interface of the host, a wildcard host endpoint), an interface name, or ''
   *  (the interface holding one of `expectedIPs`). */
  readonly interfaceName: string;
  /** `spec.expectedIPs`. */
  readonly expectedIPs: readonly string[];
  /** `spec.profiles` holds `projectcalico-default-allow`: traffic to / from the host that no policy selects is
   *  allowed instead of denied. */
  readonly defaultAllow: boolean;
}

export interface PodModel {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly ports: readonly ContainerPort[];
  readonly hostNetwork: boolean;
  /** `spec.serviceAccountName` (`default` when a manifest or template leaves it out); null: not recorded (a Pod
   *  stored before snapshots kept it, model/service-accounts.ts). */
  readonly serviceAccount: string | null;
  /** `status.podIPs` (or `status.podIP`; a host-network pod: its node's address when its status has none).
   *  Matched by ipBlocks with the `ipBlockMatchesPods` option, and by peers that match pod IPs (AdminNetworkPolicy
   *  `networks` and `nodes`). */
  readonly ips: readonly string[];
  /** True for a replica that a controller stands for (no Pod object in the input). */
  readonly synthetic: boolean;
  /** `spec.nodeName`: the node the pod runs on (Calico host endpoints police what its node forwards); absent:
   *  not scheduled / not recorded. */
  readonly node?: string;
  readonly source?: SourceLocation;
}

export interface OwnerRef {
  readonly kind: string;
  readonly name: string;
}

export interface Workload {
  /** Index in `Snapshot.workloads`. */
  readonly id: number;
  readonly namespace: string;
  /** np-guard naming: a Pod's direct controller owner (empty kind shown as Pod), or the controller itself. */
  readonly name: string;
  readonly kind: string;
  /** `namespace/name[Kind]`, np-guard's peer name. */
  readonly displayName: string;
  /** The top-level controller, following controller ownerReferences through objects present in the input. */
  readonly topLevel: OwnerRef;
  /** Labels and container ports of the representative pod (the first Pod object, or the pod template). */
  readonly labels: Labels;
  readonly ports: readonly ContainerPort[];
  readonly hostNetwork: boolean;
  /** The representative pod's service account (null: not recorded). */
  readonly serviceAccount: string | null;
  /** Pod objects of the input that make up this workload; empty when a controller stands for its pods. */
  readonly pods: readonly PodModel[];
  /** Replicas: number of Pod objects, or the controller's declared count (DaemonSet: 1). */
  readonly replicas: number;
  readonly source?: SourceLocation;
}

export type Direction = 'ingress' | 'egress';

export interface PodPeerModel {
  readonly kind: 'pods';
  /** null = the policy's own namespace. */
  readonly namespaceSelector: Selector | null;
  /** null = every pod of the selected namespaces. */
  readonly podSelector: Selector | null;
  /** The peer never matches a host-network pod, whatever its labels (AdminNetworkPolicy, BaselineAdminNetworkPolicy
   *  and ClusterNetworkPolicy `namespaces` / `pods` peers); absent = it does, like any pod. */
  readonly excludesHostNetwork?: boolean;
  readonly path: string;
}

export interface IpBlockPeerModel {
  readonly kind: 'ipBlock';
  /** Whether the block matches pods by their IPs whatever `ipBlockMatchesPods` says (AdminNetworkPolicy
   *  `networks`, and `nodes` compiled to their nodes' addresses, which host-network pods share). */
  readonly matchesPods?: boolean;
  /** `cidr` and `except` as written: equal keys mean equal blocks. */
  readonly key: string;
  readonly cidr: string;
  readonly except: readonly string[];
  readonly set: IpSet;
  readonly path: string;
}

/** What a dialect's own peer matcher sees of an end: a pod (namespace, labels, IPs) or an address range. */
export type PeerView =
  | {
      readonly type: 'pod';
      readonly namespace: string;
      readonly labels: Labels;
      readonly ips: readonly string[];
      /** Its service account (null or absent: not recorded). */
      readonly serviceAccount?: string | null;
    }
  | { readonly type: 'ip'; readonly family: 4 | 6; readonly first: bigint; readonly last: bigint };

/** A peer the dialect matches itself (Calico's selector expressions, nets, network sets): it may constrain
 *  the subject too (a Calico ingress rule's `destination` narrows the selected endpoints). */
export interface MatcherPeerModel {
  readonly kind: 'matcher';
  /** Canonical text of what the peer matches (equal keys mean equal peers). */
  readonly key: string;
  readonly path: string;
  /** Whether the rule matches `other` (the far end) for this `subject` (the pod the policy selected). */
  readonly matches: (other: PeerView, subject: PeerView, namespaceLabels: (namespace: string) => Labels) => boolean;
  /** Address sets the matcher tests (the analysis cuts IP atoms at their bounds). */
  readonly ipSets: readonly IpSet[];
  /** `matches` as its two halves, `far(other) && near(subject)`: the factorised analysis evaluates each once per
   *  identity class or IP atom instead of once per pair. */
  readonly far: (other: PeerView, namespaceLabels: (namespace: string) => Labels) => boolean;
  readonly near: (subject: PeerView, namespaceLabels: (namespace: string) => Labels) => boolean;
  /** Pod label keys the matcher reads (identity classes tell pods apart by them). */
  readonly labelKeys: readonly string[];
  /** Whether the far end matches every pod of every namespace, whatever its labels and IPs (exposure: the entire
   *  cluster, existing pods or not). */
  readonly farMatchesEveryPod: boolean;
  /** The far end's pods as plain label selectors, when the dialect's selectors have that form (exposure makes a
   *  representative peer of them): `namespaceSelector` null = the policy's own namespace; `podSelector` null =
   *  every pod of the selected namespaces. Absent when the far end is more than that (addresses, negations, …). */
  readonly farSelectors?: { readonly namespaceSelector: LabelSelectorSpec | null; readonly podSelector: LabelSelectorSpec | null };
}

export type PeerModel = PodPeerModel | IpBlockPeerModel | MatcherPeerModel;

export interface PortModel {
  readonly protocol: Protocol;
  /** Missing = every port of the protocol. */
  readonly port?: number | string;
  readonly endPort?: number;
}

/** What a matching rule does with the ports it matches (the neutral model every dialect compiles to):
 *  allow and deny decide them, pass hands them to the next tier, log records and lets them go on. */
export type RuleAction = 'allow' | 'deny' | 'pass' | 'log';

/**
 * A layer of precedence. Tiers are consulted in `order`; within a tier the matching rules in precedence
 * order decide the ports they match first. `deny-selected`: what a tier leaves undecided for a subject that
 * one of its policies selects is denied (NetworkPolicy isolation, Calico's end-of-tier deny); `continue`:
 * it falls through to the next tier (AdminNetworkPolicy, BaselineAdminNetworkPolicy).
 */
export interface TierModel {
  readonly name: string;
  readonly order: number;
  readonly endOfTier: 'deny-selected' | 'continue';
  /** Deny rules of any policy of the tier decide before its allow rules (Cilium's deny policies share the
   *  namespaced layer with NetworkPolicy: a deny wins over every allow, whatever the policy order). */
  readonly denyWins?: boolean;
}

export interface RuleModel {
  readonly direction: Direction;
  /** NetworkPolicy rules only allow. */
  readonly action: RuleAction;
  /** Precedence among the rules of one policy's tier (lower first; ties by policy priority, name, index). */
  readonly precedence: number;
  /** 0-based index in the policy's list for this direction. */
  readonly index: number;
  /** 0-based field path, e.g. `spec.ingress[2]`. */
  readonly path: string;
  /** null = the rule has no `from`/`to` (or an empty list): every peer, pods and IPs. */
  readonly peers: readonly PeerModel[] | null;
  /** null = the rule has no `ports` (or an empty list): every port of every protocol. */
  readonly ports: readonly PortModel[] | null;
  /** `ports` compiled; named ports still unresolved. */
  readonly allowed: RulePorts;
  /** The rule's `name` (AdminNetworkPolicy and ClusterNetworkPolicy rules are named; explanations print it). */
  readonly name?: string;
  /** Peers the snapshot cannot decide (AdminNetworkPolicy `nodes`, ClusterNetworkPolicy `domainNames`): they
   *  match nothing here, and verdicts the rule could change carry a caveat. */
  readonly unmodelledPeers?: readonly UnmodelledPeer[];
  /** Layer-7 constraints on what the rule allows (Cilium `rules.http`, `rules.dns`, ...): the L4 verdict stands,
   *  and explanations name the constraint ("GET /api/.*"). Opaque to the analysis. */
  readonly l7?: readonly string[];
  /** Client source ports the rule is limited to (Calico `source.ports` / `source.notPorts`), as text ("source ports
   *  1000-2000"). An allow rule allows only from those ports: its allowed verdicts name the limit like L7
   *  constraints. A deny or pass rule decides nothing here (a client's port is ephemeral: most connections fall
   *  through it) and verdicts it could change carry a caveat naming it. */
  readonly sourcePorts?: string;
}

/** A peer the snapshot cannot decide: it matches nothing here, and verdicts it could change carry a caveat. */
export interface UnmodelledPeer {
  /** `nodes` (node / host peers), `domainNames` (DNS names: ClusterNetworkPolicy, Cilium toFQDNs), `services`
   *  (Cilium toServices), `entities` (Cilium entities no snapshot holds: host, remote-node, kube-apiserver, ...),
   *  `other` (cloud groups, requirements, label sources the snapshot has no value for); `serviceAccounts` (Calico):
   *  modelled, but undecidable for pods whose service account is not recorded (caveat only when the snapshot has
   *  such pods); `sourcePorts` (Calico Deny / Pass by client source ports): the rule decides only connections from
   *  those source ports, which no question fixes (see RuleModel.sourcePorts). */
  readonly kind: 'nodes' | 'domainNames' | 'services' | 'entities' | 'other' | 'serviceAccounts' | 'sourcePorts';
  readonly path: string;
}

export interface DirectionModel {
  /** Whether the policy isolates the selected pods in this direction (policyTypes, with defaulting). */
  readonly affects: boolean;
  /** False: the policy applies (its rules are consulted) without isolating (Cilium `enableDefaultDeny: false`). */
  readonly isolates?: boolean;
  readonly rules: readonly RuleModel[];
}

export interface PolicyModel {
  /** Index in `Snapshot.policies`. */
  readonly id: number;
  /** The dialect that compiled it (`networking-v1`, ...), and the object's apiVersion and kind. */
  readonly dialect: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly tier: TierModel;
  /** Lower first within the tier (NetworkPolicy: 0; AdminNetworkPolicy: its `priority`). */
  readonly priority: number;
  /** The policy's namespace ('' for a cluster-scoped policy). */
  readonly namespace: string;
  /** Namespaces whose pods the policy can select: null = its own namespace only. */
  readonly subjectNamespaces: Selector | null;
  readonly name: string;
  /** `namespace/name`. */
  readonly fullName: string;
  readonly podSelector: Selector;
  /** Host-network pods are never the policy's subjects, whatever their labels (AdminNetworkPolicy,
   *  BaselineAdminNetworkPolicy, ClusterNetworkPolicy); absent = they are, like any pod. */
  readonly subjectExcludesHostNetwork?: boolean;
  /** A further condition on the pods the policy selects, by their namespace, service account and labels (Calico
   *  `serviceAccountSelector`, and a `selector` reading labels a pod inherits from its namespace or account): absent =
   *  any. A pod whose account is not recorded (null) is selected by no condition on its account. */
  readonly subjectServiceAccounts?: (namespace: string, serviceAccount: string | null, labels: Labels) => boolean;
  /** `subjectServiceAccounts` reads no service account (a Calico `selector` over namespace-inherited labels only): pods
   *  need not be told apart by their account for it, and an unrecorded account leaves it certain. */
  readonly subjectIgnoresServiceAccount?: boolean;
  /** The policy polices host endpoints only, never a pod it selects (Calico `preDNAT` / `doNotTrack` policies:
   *  Felix renders them in the host endpoints' raw and pre-DNAT chains, not in a workload's). */
  readonly hostEndpointsOnly?: boolean;
  readonly ingress: DirectionModel;
  readonly egress: DirectionModel;
  /** The NetworkPolicy as parsed (selectors as written, for reports that print them). */
  readonly object: KubeObject;
  /** Position among the parsed objects the snapshot was built from: the order the policies were read in
   *  (np-guard's exposure report depends on it; `Snapshot.policies` is sorted by name). */
  readonly readIndex: number;
  readonly source?: SourceLocation;
}

export interface Snapshot {
  readonly options: ResolvedEngineOptions;
  /** Sorted by name. */
  readonly namespaces: ReadonlyMap<string, NamespaceModel>;
  /** Sorted by display name. */
  readonly workloads: readonly Workload[];
  /** Sorted by full name. */
  readonly policies: readonly PolicyModel[];
  /** Workloads (by id) whose pods one answer cannot stand for (INCONSISTENT_LABELS / _NAMED_PORTS): workload-level
   *  answers about them refuse, per-pod ones go on. */
  readonly splitWorkloads: ReadonlyMap<number, Issue>;
  /** `v1 Node` objects by name (sorted); empty when the snapshot has none (node peers are then caveats). */
  readonly nodes: ReadonlyMap<string, NodeModel>;
  /** Policy objects of dialects not modelled yet: kept, and named as caveats on the verdicts they could change. */
  readonly unmodelled: readonly UnmodelledPolicy[];
  /** Calico HostEndpoints: their policies police what their node forwards (applyOnForward, preDNAT) and what is
   *  sent to or from the host itself (analysis/host-endpoints.ts); absent or empty when the snapshot has none. */
  readonly hostEndpoints?: readonly HostEndpointModel[];
  /** Set when no CNI was declared and the default profile's name alone would mislead (cni-profiles/
   *  undeclaredProfileNote): every verdict carries it next to its profile. */
  readonly cniProfileNote?: string;
}

export interface UnmodelledPolicy {
  /** `not-modelled` (default): no dialect compiles it yet; `not-enforced`: the CNI profile's plugin ignores it. */
  readonly reason?: 'not-modelled' | 'not-enforced';
  readonly dialect: string;
  readonly apiVersion: string;
  readonly kind: string;
  /** '' for a cluster-scoped kind (it may select pods of any namespace). */
  readonly namespace: string;
  readonly name: string;
  readonly source?: SourceLocation;
}
