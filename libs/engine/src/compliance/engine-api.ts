// The only door from lint/, intents/, compliance/ and probe-plan/ into the analysis, model and explain layers:
// the same functions and types the engine's index exports (its public API), so a refactoring of those layers
// touches this file only.
export { analyze } from '../analysis/analyze.js';
export { atomPeers, clusterPeers, iterateConnectivity, type Peer } from '../analysis/connectivity.js';
export { forEachBit, ReachCandidates } from '../analysis/candidates.js';
export type { Analysis } from '../analysis/types.js';
export { PairExplainer } from '../explain/pairs.js';
export type { ExplainClass, RuleReason } from '../explain/types.js';
export type { IpBlockPeerModel, PodPeerModel, PolicyModel, RuleModel, Snapshot, Workload } from '../model/types.js';
