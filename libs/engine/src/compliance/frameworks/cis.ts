// CIS Kubernetes Benchmark v1.9.0, section 5.3 (Network Policies and CNI).
import type { FrameworkDefinition } from '../types.js';

export const CIS_KUBERNETES: FrameworkDefinition = {
  id: 'cis',
  version: 'Kubernetes Benchmark v1.9.0',
  title: 'CIS Kubernetes Benchmark',
  controls: [
    {
      id: '5.3.1',
      reference: 'CIS Kubernetes Benchmark v1.9.0 5.3.1',
      title: 'Ensure that the CNI in use supports Network Policies',
      requirement: 'There are a variety of CNI plugins; not all of them enforce NetworkPolicy.',
      evidenceNeeded: 'The network plugin DaemonSets found in kube-system.',
      decision: 'fail when only flannel/kubenet is found; pass when a policy-enforcing CNI is found; manual when the snapshot holds no CNI DaemonSet.',
      checks: ['cni-enforces'],
      scope: 'cluster',
    },
    {
      id: '5.3.2',
      reference: 'CIS Kubernetes Benchmark v1.9.0 5.3.2',
      title: 'Ensure that all Namespaces have Network Policies defined',
      requirement: 'Use network policies to isolate traffic in your cluster network.',
      evidenceNeeded: 'For each namespace with workloads, the NetworkPolicies that select its pods.',
      decision: 'fail when a namespace with workloads has no NetworkPolicy.',
      checks: ['namespaces-have-policies'],
      scope: 'cluster',
    },
  ],
};
