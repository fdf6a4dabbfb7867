// Public surface of the explain module (re-exported by the engine's index).
export type {
  DirectionSegment,
  DirectionVerdict,
  ExplainClass,
  ExplainedPair,
  NetworkPolicyVerdict,
  PolicyKind,
  RuleReason,
} from './types.js';
export { sidePartition, SYSTEM_DEFAULT_PARTITION } from './side.js';
export { iterateExplainedPairs, pairClasses, PairExplainer, type ExplainPairsOptions } from './pairs.js';
export { classLines, pairBlockLines, portsText, ruleLines, ruleText, type ClassTextOptions, type RuleNaming } from './text.js';
export { explainChunks, formatExplain, type ExplainReportStats } from './report.js';
export {
  connectionExplanationLines,
  explainConnection,
  explainTracedPort,
  type ConnectionExplanation,
} from './connection.js';
export {
  evaluateIcmpWithSteps,
  evaluateWithSteps,
  sideDecisionSteps,
  type DecisionAction,
  type DecisionStep,
  type SteppedSideExplanation,
  type SteppedVerdict,
} from './steps.js';
export {
  DEFAULT_MAX_RULE_CONNECTION_PAIRS,
  findPolicy,
  policyRuleConnections,
  type PolicyRef,
  type RuleConnection,
  type RuleConnectionsResult,
} from './rule-connections.js';
