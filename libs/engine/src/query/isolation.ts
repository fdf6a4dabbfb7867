// Isolation, decided in one place: a pod is isolated in a direction when a policy of an isolating tier
// (NetworkPolicy; later Calico tiers) applies to it there. Policies of other tiers (AdminNetworkPolicy) apply
// without isolating.
import type { Analysis } from '../analysis/types.js';
import type { Direction } from '../model/types.js';
import { podCount } from '../model/workloads.js';

export interface IsolationSummary {
  /** Pods analysis counts (Pod objects, or a controller's declared replicas). */
  readonly pods: number;
  /** Pods an isolating policy selects for ingress / egress. */
  readonly ingressIsolated: number;
  readonly egressIsolated: number;
}

/** Whether the pods of one identity class are isolated in a direction. */
export function isClassIsolated(analysis: Analysis, classId: number, direction: Direction): boolean {
  const cls = analysis.classes[classId];
  const policies = direction === 'ingress' ? cls.ingressPolicies : cls.egressPolicies;
  for (const id of policies) if (analysis.snapshot.policies[id].tier.endOfTier === 'deny-selected') return true;
  return false;
}

/** Pods isolated per direction, weighted by the pods each workload stands for (replicas counted, never listed). */
export function isolationSummary(analysis: Analysis): IsolationSummary {
  let pods = 0;
  let ingressIsolated = 0;
  let egressIsolated = 0;
  const count = (classId: number, times: number) => {
    pods += times;
    if (isClassIsolated(analysis, classId, 'ingress')) ingressIsolated += times;
    if (isClassIsolated(analysis, classId, 'egress')) egressIsolated += times;
  };
  for (const workload of analysis.snapshot.workloads) {
    const podClasses = analysis.podClasses[workload.id];
    if (workload.pods.length > 0 && podClasses && podClasses.length === workload.pods.length) {
      for (const classId of podClasses) count(classId, 1);
    } else count(analysis.workloadClass[workload.id], podCount(workload));
  }
  return { pods, ingressIsolated, egressIsolated };
}
