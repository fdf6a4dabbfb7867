// Public surface of the diff module (re-exported by the engine's index).
export type {
  ConnRow,
  ConnectivityDiff,
  ConnectivityView,
  CauseRef,
  DiffCounts,
  DiffPeer,
  IpPeer,
  IpRecut,
  PairChange,
  PairChangeType,
  WorkloadPeer,
} from './types.js';
export type { IpRange } from './ip-range.js';
export { ipRangeName } from './ip-range.js';
export { peerName } from './peers.js';
export { diffConnectivity } from './pair-diff.js';
export { connectivityView } from './analysis-view.js';
export type { AnalysisDiffOptions } from './analysis-diff.js';
export type { ChangeKind, FieldChange, ObjectChange } from './object-diff.js';
export type { ObjectRef } from './relevant.js';
export type { CausationOptions } from './causation.js';
export { type DiffFormat, type DiffFormatOptions, DIFF_FORMATS, diffToJson, formatDiff, workloadsDiffInfo } from './format.js';
export { type ExplainedDiffInput, causeTexts, formatExplainedDiff, objectChangeLines } from './format-explained.js';
export {
  type DiffSideInput,
  type ExplainOptions,
  type ExplainedDiff,
  type ObjectRefInput,
  type WhatIfChanges,
  type WhatIfResult,
  diff,
  diffWithCauses,
  objectDiff,
  policyDiff,
  whatIf,
  analyzeEdited,
} from './api.js';
export { type CheckResult, type FailOn, FAIL_ON_VALUES, checkDiff, isForbidden } from './check.js';
export { type CheckReportInput, formatCheckMd, formatCheckTxt } from './format-check.js';
export { type StagedChange, type StagedWhatIfResult, stagedWhatIf } from './staged-what-if.js';
