// Which pods a policy selects as its subjects: one predicate for the per-pair trace (the policies applying to a
// pod), the rule-connection counts and the model checks, so that what they call "selected" is what a verdict
// applies the policy to — the pod selector, and beyond it a Calico `serviceAccountSelector`, a Calico preDNAT /
// doNotTrack policy selecting no pod, AdminNetworkPolicy-like kinds leaving host-network pods out.
import type { Labels } from '../algebra/selector.js';
import type { NamespaceModel, PolicyModel } from './types.js';

/** A pod as a subject: its namespace, labels, service account (null or absent: not recorded) and host networking. */
export interface SubjectPod {
  readonly namespace: string;
  readonly labels: Labels;
  readonly serviceAccount?: string | null;
  readonly hostNetwork?: boolean;
}

/** Whether the policy's subject covers the namespace: its own (a namespaced policy), or one its namespace
 *  selector matches (a cluster-scoped one). */
export function inSubjectNamespaces(policy: PolicyModel, namespace: string, namespaces: ReadonlyMap<string, NamespaceModel>): boolean {
  if (policy.subjectNamespaces === null) return namespace === policy.namespace;
  return policy.subjectNamespaces.matches(namespaces.get(namespace)?.labels ?? {});
}

/** Whether the policy selects the pod, the pod's namespace being one its subject covers (the caller's part, often
 *  done once per namespace: `inSubjectNamespaces`). */
export function selectsInSubjectNamespace(policy: PolicyModel, pod: SubjectPod): boolean {
  if (policy.hostEndpointsOnly || !policy.podSelector.matches(pod.labels)) return false;
  if (pod.hostNetwork && policy.subjectExcludesHostNetwork) return false;
  return !policy.subjectServiceAccounts || policy.subjectServiceAccounts(pod.namespace, pod.serviceAccount ?? null, pod.labels);
}

/** Whether the policy selects the pod (namespace included). */
export function selectsPod(policy: PolicyModel, pod: SubjectPod, namespaces: ReadonlyMap<string, NamespaceModel>): boolean {
  return inSubjectNamespaces(policy, pod.namespace, namespaces) && selectsInSubjectNamespace(policy, pod);
}
