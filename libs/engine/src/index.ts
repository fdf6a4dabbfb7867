// Public API of the engine. Keep it small: callers use these functions and plain-data types only.
export * from './manifest/types.js';
export { parseManifests } from './manifest/parse-manifests.js';
export {
  findJsonListSplit,
  readJsonListSlice,
  mergeJsonListSlices,
  JSON_LIST_SPLIT_MIN_LENGTH,
  type JsonListSlice,
  type JsonListSliceOutcome,
} from './manifest/json-list-slices.js';
export { MAX_OBJECTS, MAX_REPORTED_ISSUES, limitIssues } from './manifest/limits.js';
export { documentOrdinal } from './manifest/path.js';
export { decodeManifestBytes, invalidEncodingIssue } from './manifest/encoding.js';
export { registerKindSchema, kindSchema } from './manifest/schema/registry.js';
export { closed, listOf, leaves, ANY, type FieldSchema } from './manifest/schema/field-schema.js';
export { WORKLOAD_KINDS } from './manifest/kinds.js';
export { projectObject } from './manifest/projection.js';
export { canonicalJson } from './manifest/canonical-json.js';
export { canonicalSnapshotText, canonicalProjected, canonicalProjectedParts, type CanonicalSnapshot, type CanonicalSnapshotParts } from './manifest/snapshot-text.js';
// Analysis layer: model, algebra, factorised analysis, explanations and np-guard formats.
export * from './model/types.js';
export { buildSnapshot, resolveOptions, NAMESPACE_NAME_LABEL } from './model/snapshot.js';
export { loadSnapshot } from './model/load.js';
export { WORKLOAD_LEVEL_ISSUES, forPodLevel } from './model/checks.js';
export { workloadPods, podCount, displayName, LISTED_REPLICAS, specReplicas, podTemplateLabels } from './model/workloads.js';
export { selectsPod, selectsInSubjectNamespace, inSubjectNamespaces, type SubjectPod } from './model/policy-subjects.js';
export { PortSet, MIN_PORT, MAX_PORT, type PortRange } from './algebra/port-set.js';
export { ConnectionSet, PROTOCOLS, ICMP_FAMILIES, ICMP_ECHO_REQUEST, isProtocol, isIcmpFamily, icmpText, type Protocol, type IcmpFamily, type AnyProtocol } from './algebra/connection-set.js';
export { IpSet, parseIp, parseCidr, ipBlockSet, cutAtoms, formatIp, formatIpRange, type IpFamily, type IpInterval } from './algebra/ip-set.js';
export { Selector, type Labels, type Requirement, type SelectorOperator, type LabelSelectorSpec } from './algebra/selector.js';
export { RulePorts, namedPortMap, type ContainerPort, type NamedPortRef } from './algebra/rule-ports.js';
export * from './analysis/types.js';
export { analyze } from './analysis/analyze.js';
export { serializeAnalysis, loadAnalysis, ANALYSIS_FORMAT_VERSION, type SerializedAnalysis } from './analysis/serialize.js';
export { reanalyze, policyIdentity, type Reanalysis } from './analysis/incremental.js';
export { patchSnapshotPolicies, type PolicyPatch, type PatchedSnapshot } from './model/patch-policies.js';
export {
  connectivity,
  iterateConnectivity,
  iterateConnectivityRuns,
  ConnectivityListing,
  clusterPeers,
  atomPeers,
  pairConnections,
  ensureAnalysis,
  type Peer,
  type ConnectivityRow,
  type ConnectivityRun,
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
  evaluateIcmp,
  decisionText,
  resolvePeer,
  verdictFromTrace,
  rulePortRanges,
  EvaluateError,
  type PeerSpec,
  type Verdict,
  type SideExplanation,
  type SideDecision,
  type AllowedBy,
  type Denial,
  type DenialReason,
  type PortRangeOut,
  type ResolvedPeer,
  type EvaluateErrorCode,
} from './analysis/evaluate.js';
export { connString, showsIcmp, parseConnString, connRanges, ALL_CONNECTIONS, NO_CONNECTIONS, type ConnRangeOut } from './output/conn-string.js';
export {
  formatConnlist,
  connlistChunks,
  isIpv6Row,
  goString,
  CONNLIST_FORMATS,
  type ConnlistFormat,
  type ConnlistStats,
} from './output/connlist.js';
// Dialects (policy kinds by API group + kind), the decision function, and caveats for unmodelled policies.
export { DIALECTS, registeredKind, registeredKinds, isPolicyObject, apiGroupOf, type RegisteredKind } from './dialects/registry.js';
export type { Dialect, DialectKind } from './dialects/types.js';
export { isStagedPolicy } from './dialects/registry.js';
export { decide, type Decision, type TierInput, type RuleHit, type RuleEffect } from './decision/decide.js';
export { caveatsForNamespaces, snapshotCaveats, type Caveat } from './caveats/caveats.js';
// Diff layer: connectivity diff, causation, object diffs, what-if, np-guard diff formats.
export * from './diff/index.js';
// Explain layer: per-pair port classes with the policy rules that decided them (list --explain, eval --explain).
export * from './explain/index.js';
// Exposure layer: what each workload could reach beyond the input's workloads (list --exposure).
export * from './exposure/index.js';
// Counts of a connectivity listing without its rows (list --summary).
export * from './summary/index.js';
export { ManifestStream, type ManifestStreamOptions, type ManifestStreamResult } from './manifest/manifest-stream.js';
export { JsonListSplitter, type SplitItem, type HeaderField } from './manifest/json-list-splitter.js';
// Query layer: plain functions over an analysis, shared by the API, the CLI and the dashboard's data.
export { whoCanReach, reachableFrom, targetPort } from './query/reach.js';
export {
  workloadPeer,
  topLevelPeer,
  ipRangePeer,
  workloadKey,
  ipRangeKey,
  portRanges,
  reachablePeer,
  compareText,
  type NetworkPeer,
  type PeerType,
  type PortRange as PeerPortRange,
  type ReachablePeer,
} from './query/peers.js';
export {
  exposureSummary,
  topLevelIdentity,
  identityKey,
  type ExposureSummary,
  type ExposedWorkload,
  type UnprotectedWorkload,
  type WorkloadIdentity,
} from './query/exposure-summary.js';
export { hasPublicAddress, publicRanges, rangeText } from './query/internet-ranges.js';
export { isolationSummary, isClassIsolated, type IsolationSummary } from './query/isolation.js';
// Peer strings (`ns/name[Kind]`, IPs) shared by the CLI and the API, and "did you mean" suggestions.
export * from './peer/index.js';
// The audit log's hash chain (written by the API, checked by `netpol audit verify`).
export { AUDIT_GENESIS_HASH, auditChainHash, firstAuditBreak, type AuditBreak, type AuditRecord, type Sha256Hex } from './audit/audit-chain.js';
export { ProjectedUploadStream, type ProjectedUpload } from './manifest/projected-upload-stream.js';
// Compliance layer: lint, segmentation intents, framework reports, probe plans.
export * from './lint/index.js';
export * from './intents/index.js';
export * from './probe-plan/index.js';
export * from './compliance/index.js';
export { ENGINE_VERSION } from './version.js';
export { SNAPSHOT_CONTENT_FILE, snapshotContentObjects, parseSnapshotContent } from './manifest/snapshot-content.js';
export { CNI_PROFILE_NAMES, cniProfile, isCniProfileName, enforcesDialect, undeclaredProfileNote, type CniProfile, type CniProfileName } from './cni-profiles/profiles.js';
