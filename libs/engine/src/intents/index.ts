// Public surface of the segmentation intents module (re-exported by the engine's index).
export * from './types.js';
export { parseIntents } from './parse.js';
export { checkIntents, flowsInScope, type IntentViolation, type IntentsCheckResult, type AppliedException, type ExpiredException, type InScopeFlow } from './check.js';
export { formatIntentsCheck } from './format.js';
export { allowedFlows, allowingRules, ruleLabels, rulesText, type Flow, type AllowingRule } from './flows.js';
export { ZoneMap, cdeIntents, parseCdeSelector, flowPorts, DEFAULT_CDE_SELECTOR } from './zones.js';
export { NETPOL_ATLAS_API_VERSION, parseExpiry } from './config-document.js';
