// Public surface of the probe-plan module (re-exported by the engine's index).
export { probePlan, type Probe, type ProbeEnd, type ProbePlan, type ProbePlanOptions } from './plan.js';
export { formatProbePlan, PROBE_PLAN_FORMATS, type ProbePlanFormat } from './format.js';
