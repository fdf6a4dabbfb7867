// The engine version: part of every analysis cache key (memory and Postgres), so a fix to the engine's outputs
// can never be answered from results cached before it.
//
// APPEND-ONLY. Each entry pins the SHA-256 of the golden output: the `netpol list` txt and `netpol list --exposure`
// txt of a fixed set of np-guard cases, computed in-process (test/support/engine-golden.ts). test/engine-versions.spec.ts
// fails when the engine's current golden output differs from the LAST entry's digest (outputs changed: append a
// new version), and when an older entry differs from the hash chain in engine-versions.chain.txt (history edited).
//
// The number itself belongs to the engine (libs/engine/src/version.ts, ENGINE_VERSION): bump it there first.
// To bump: run the spec, append `{ version: <last + 1>, digest: <printed digest>, note }` here, then append the line
// the spec prints to engine-versions.chain.txt.
import { ENGINE_VERSION as ENGINE_OWN_VERSION } from '@netpol-atlas/engine';

export interface EngineVersionEntry {
  readonly version: number;
  /** Lowercase hex SHA-256 of the golden output this version produces. */
  readonly digest: string;
  /** What changed in the outputs (one line). */
  readonly note: string;
}

export const ENGINE_VERSIONS: readonly EngineVersionEntry[] = [
  {
    version: 1,
    digest: '7a9194a1834e4ffefc8b7f0382fcb3e9c0f6f354441f18bd10415fe74b272229',
    note: 'first cached analysis: np-guard connlist and exposure as of issue 4',
  },
  {
    version: 2,
    digest: '7a9194a1834e4ffefc8b7f0382fcb3e9c0f6f354441f18bd10415fe74b272229',
    note: "AdminNetworkPolicy / BaselineAdminNetworkPolicy / ClusterNetworkPolicy modelled (issue 11): their snapshots' verdicts change; NetworkPolicy-only outputs unchanged",
  },
  {
    version: 3,
    digest: '7a9194a1834e4ffefc8b7f0382fcb3e9c0f6f354441f18bd10415fe74b272229',
    note: 'v1 Nodes modelled (issue 11): AdminNetworkPolicy / ClusterNetworkPolicy `nodes` peers match node IPs and host-network pods, `networks` match pod IPs; NetworkPolicy-only outputs unchanged',
  },
  {
    version: 4,
    digest: '7a9194a1834e4ffefc8b7f0382fcb3e9c0f6f354441f18bd10415fe74b272229',
    note: "Cilium policies modelled and CNI profiles (issue 12): Cilium snapshots' verdicts change (cilium profile, identity labels); NetworkPolicy-only outputs unchanged",
  },
  {
    version: 5,
    digest: '7a9194a1834e4ffefc8b7f0382fcb3e9c0f6f354441f18bd10415fe74b272229',
    note: 'Calico rules in the factorised analysis (issue 12): list, connectivity, exposure, lint and reports on Calico snapshots decide Calico rules (before: ignored, with a caveat); NetworkPolicy-only outputs unchanged',
  },
  {
    version: 6,
    digest: '7a9194a1834e4ffefc8b7f0382fcb3e9c0f6f354441f18bd10415fe74b272229',
    note: "Calico service accounts, source ports and staged what-if (issue 12): Calico serviceAccounts / serviceAccountSelector match pods by their service account (kept by the projection), Cilium's service-account label is the real account (none when a stored snapshot lost it), a Calico Deny / Pass limited to source ports decides nothing (SOURCE_PORT_RULE caveat) and an Allow names its limit; NetworkPolicy-only outputs unchanged",
  },
  {
    version: 7,
    digest: '7a9194a1834e4ffefc8b7f0382fcb3e9c0f6f354441f18bd10415fe74b272229',
    note: "Dialect property-test fixes (issue 12): the calico profile derives Calico's workload endpoint labels (projectcalico.org/namespace, orchestrator); global() in a Calico namespaceSelector reaches no namespace; Calico rule selectors match pods through selected network sets; Cilium endpoint selectors naming a namespace label are not confined to the policy's namespace; NetworkPolicy-only outputs unchanged",
  },
  {
    version: 8,
    digest: '7a9194a1834e4ffefc8b7f0382fcb3e9c0f6f354441f18bd10415fe74b272229',
    note: "ICMP in connection texts (issue 12): on snapshots with Calico or Cilium policies the list, diff and exposure texts name ICMP whenever it is allowed (`ICMP,TCP 80`) and `All Connections` needs ICMP too; the diff reports ICMP-only changes there; exposure names Calico rules whose selectors make no representative peer; NetworkPolicy / AdminNetworkPolicy-only outputs unchanged",
  },
  {
    version: 9,
    digest: '7a9194a1834e4ffefc8b7f0382fcb3e9c0f6f354441f18bd10415fe74b272229',
    note: "ICMP in the remaining texts (issue 12): on snapshots with Calico or Cilium policies the exposure summary (API exposure, dashboard), intents violations and compliance evidence name ICMP whenever it is allowed (`ICMP,TCP 80`); list --explain and Policy.ruleConnections port lists name it (`ICMP:[type 8]`); eval explanations' rule lines carry the ICMP a rule allows; NetworkPolicy / AdminNetworkPolicy-only outputs unchanged",
  },
  {
    version: 10,
    digest: '7a9194a1834e4ffefc8b7f0382fcb3e9c0f6f354441f18bd10415fe74b272229',
    note: "Calico selectors as exposure representative peers (issue 12 leftover): a Calico rule whose far end is written as a label selector (`==`, `!=`, `in`, `not in`, `has`, `!has`, `&&`, with its namespaceSelector) makes a representative peer as the same NetworkPolicy selectors do, decided through the tiers, and is no longer an UNREPRESENTED_SELECTOR caveat; other Calico selectors keep the caveat; NetworkPolicy / AdminNetworkPolicy-only outputs and all verdicts unchanged",
  },
  {
    version: 11,
    digest: '7a9194a1834e4ffefc8b7f0382fcb3e9c0f6f354441f18bd10415fe74b272229',
    note: "Explanations and per-rule connections follow the decision (session 8): Calico and Cilium Deny/Pass rules in isolating tiers are explained as denying/passing (they read as allowing); Policy.ruleConnections rows carry each rule's action and credit an Allow rule only with what the final verdict allows; policies are found by kind and API group, not namespace and name alone; a policy's identity in a diff includes its API group; Calico Tier, NetworkSet and GlobalNetworkSet no longer warn NOT_MODELLED; NetworkPolicy-only outputs and all verdicts unchanged",
  },
  {
    version: 12,
    digest: '7a9194a1834e4ffefc8b7f0382fcb3e9c0f6f354441f18bd10415fe74b272229',
    note: "Dialect review (session 9): Calico rule-side `services` match the Service's endpoints and target ports; tiers of equal order (and undeclared tiers, after every declared one) are separate layers ordered by name, `default` included; rule and policy selectors see inherited labels (projectcalico.org/serviceaccount, pcns.*, pcsa.*, projectcalico.org/namespace in global policies); preDNAT / doNotTrack policies police host endpoints only; a lone notSelector in a namespaced policy stays in its namespace; Cilium world / CIDR peers never match node addresses, cluster / all / host+remote-node do; decision steps carry apiVersion and explanations name Calico's NetworkPolicy NetworkPolicy.projectcalico.org; compliance md/html/pdf name where the CDE zones come from; DUPLICATE_OBJECT and CLI locations count documents from 1; a null list item is WRONG_TYPE; host-network pods are outside AdminNetworkPolicy / BaselineAdminNetworkPolicy / ClusterNetworkPolicy subjects and namespaces / pods peers (networks / nodes peers still reach them by node address); NetworkPolicy v1 verdicts unchanged",
  },
  {
    version: 13,
    digest: '7a9194a1834e4ffefc8b7f0382fcb3e9c0f6f354441f18bd10415fe74b272229',
    note: 'Session 10: one subject predicate (service-account selectors, preDNAT / doNotTrack policies, host-network pods outside AdminNetworkPolicy-like subjects) for the trace, rule-connection counts, the HOST_NETWORK warning (now naming cluster-scoped policies) and the policy / workload selections (the selector of a preDNAT / doNotTrack policy no longer splits the pods of an owner: no INCONSISTENT_LABELS refusal); exposure md / csv say "entire-cluster except host-network pods" for AdminNetworkPolicy-like `namespaces: {}` peers (np-guard txt / json unchanged); compliance records a CDE selector given with --cde, and the PDF Snapshot line names the capture time as md / html do; verdicts unchanged',
  },
  {
    version: 14,
    digest: '7a9194a1834e4ffefc8b7f0382fcb3e9c0f6f354441f18bd10415fe74b272229',
    note: "Calico host endpoints beyond outside-to-pod: pod traffic forwarded through hosts (applyOnForward egress of the source node's and ingress of the destination node's host endpoints) and traffic to / from a host's address (failsafe ports, doNotTrack with its reply leg, preDNAT, normal policies, default deny) decided; classes split by node and atoms cut at host addresses when a snapshot has host endpoints; Cilium explanations name mutual authentication; NetworkPolicy-only outputs unchanged",
  },
];

/**
 * The current engine version: the engine's own (libs/engine/src/version.ts, which `netpol report` names too), and
 * the table's last entry. A server whose table does not end at the engine's version refuses to start, since its
 * cache keys would not say which outputs they hold.
 */
export const ENGINE_VERSION: number = checkedEngineVersion(ENGINE_VERSIONS, ENGINE_OWN_VERSION);

export function checkedEngineVersion(table: readonly EngineVersionEntry[], engineVersion: number): number {
  const last = table[table.length - 1].version;
  if (last !== engineVersion) {
    throw new Error(
      `the engine is version ${engineVersion} but ENGINE_VERSIONS ends at ${last}: append the engine's version ` +
        `(with its golden digest, see test/engine-versions.spec.ts) to apps/api/src/analysis/engine-versions.ts`,
    );
  }
  return engineVersion;
}
