// Public API of the engine. Keep it small: callers use these functions and plain-data types only.
export * from './manifest/types.js';
export { parseManifests } from './manifest/parse-manifests.js';
export { WORKLOAD_KINDS } from './manifest/kinds.js';
export { projectObject } from './manifest/projection.js';
export { canonicalJson } from './manifest/canonical-json.js';
export { canonicalSnapshotText } from './manifest/snapshot-text.js';
// Analysis layer: model, algebra, factorised analysis, explanations and np-guard formats.
export * from './model/types.js';
export { buildSnapshot, resolveOptions, NAMESPACE_NAME_LABEL } from './model/snapshot.js';
export { loadSnapshot } from './model/load.js';
export { workloadPods, displayName } from './model/workloads.js';
export { PortSet, MIN_PORT, MAX_PORT, type PortRange } from './algebra/port-set.js';
export { ConnectionSet, PROTOCOLS, isProtocol, type Protocol } from './algebra/connection-set.js';
export { IpSet, parseIp, parseCidr, ipBlockSet, cutAtoms, formatIp, formatIpRange, type IpFamily, type IpInterval } from './algebra/ip-set.js';
export { Selector, type Labels, type Requirement, type SelectorOperator, type LabelSelectorSpec } from './algebra/selector.js';
export { RulePorts, namedPortMap, type ContainerPort, type NamedPortRef } from './algebra/rule-ports.js';
export * from './analysis/types.js';
export { analyze } from './analysis/analyze.js';
export {
  connectivity,
  iterateConnectivity,
  clusterPeers,
  atomPeers,
  pairConnections,
  ensureAnalysis,
  type Peer,
  type ConnectivityRow,
  type ConnectivityOptions,
  type Granularity,
} from './analysis/connectivity.js';
export {
  tracePair,
  traceSide,
  workloadEndpoint,
  podEndpoint,
  ipEndpoint,
  type Endpoint,
  type PairTrace,
  type SideTrace,
  type PolicyTrace,
  type RuleTrace,
} from './analysis/trace.js';
export {
  evaluate,
  resolvePeer,
  verdictFromTrace,
  rulePortRanges,
  EvaluateError,
  type PeerSpec,
  type Verdict,
  type SideExplanation,
  type AllowedBy,
  type Denial,
  type DenialReason,
  type PortRangeOut,
  type ResolvedPeer,
  type EvaluateErrorCode,
} from './analysis/evaluate.js';
export { connString, parseConnString, connRanges, ALL_CONNECTIONS, NO_CONNECTIONS, type ConnRangeOut } from './output/conn-string.js';
export {
  formatConnlist,
  connlistChunks,
  isIpv6Row,
  goString,
  CONNLIST_FORMATS,
  type ConnlistFormat,
  type ConnlistStats,
} from './output/connlist.js';
// Diff layer: connectivity diff, causation, object diffs, what-if, np-guard diff formats.
export * from './diff/index.js';
// Explain layer: per-pair port classes with the policy rules that decided them (list --explain, eval --explain).
export * from './explain/index.js';
// Exposure layer: what each workload could reach beyond the input's workloads (list --exposure).
export * from './exposure/index.js';
export { ManifestStream, type ManifestStreamOptions, type ManifestStreamResult } from './manifest/manifest-stream.js';
export { JsonListSplitter, type SplitItem, type HeaderField } from './manifest/json-list-splitter.js';
// Compliance layer: lint, segmentation intents, framework reports, probe plans.
export * from './lint/index.js';
export * from './intents/index.js';
export * from './probe-plan/index.js';
export * from './compliance/index.js';
