import { describe, expect, it } from 'vitest';
import { fieldPathOf, objectPath, rulePathOf } from './findings-view.js';

const finding = (rule: string, severity: string, kind: string, namespace: string, name: string, path = '') => ({ rule, severity, kind, namespace, name, path });

describe('findings view', () => {
  const findings = [
    finding('dns-unreachable', 'error', 'Deployment', 'production', 'frontend'),
    finding('dead-allow-rule', 'warning', 'NetworkPolicy', 'production', 'backend-egress', 'spec.egress[2].to[0]'),
    finding('cni-not-enforcing', 'warning', 'Namespace', '', 'kube-system'),
  ];

  it('links a policy finding to its rule path, a workload to its page, a namespace to the explorer', () => {
    expect(rulePathOf('spec.egress[2].to[0]')).toBe('spec.egress[2]');
    expect(rulePathOf('spec.podSelector')).toBe('');
    // The stored content's item index the API puts first is not part of the object's field path.
    expect(fieldPathOf('[9].spec.egress[2]')).toBe('spec.egress[2]');
    expect(fieldPathOf('[7]')).toBe('');
    expect(rulePathOf('[11].spec.ingress[1]')).toBe('spec.ingress[1]');
    expect(objectPath('s1', findings[1])).toBe('/snapshots/s1/policies/production/backend-egress?rule=spec.egress%5B2%5D');
    expect(objectPath('s1', findings[0])).toBe('/snapshots/s1/workloads/production/Deployment/frontend');
    expect(objectPath('s1', findings[2])).toBe('/snapshots/s1?namespace=kube-system');
    expect(objectPath('s1', finding('x', 'info', 'Service', 'a', 'b'))).toBeUndefined();
  });
});
