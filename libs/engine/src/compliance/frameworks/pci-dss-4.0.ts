// PCI DSS v4.0.1 (June 2024): the network security controls requirements this product can evidence.
import type { FrameworkDefinition } from '../types.js';

export const PCI_DSS_4_0: FrameworkDefinition = {
  id: 'pci-dss-4.0',
  version: '4.0.1',
  title: 'PCI DSS v4.0.1',
  controls: [
    {
      id: '1.2.1',
      reference: 'PCI DSS v4.0.1 Req. 1.2.1',
      title: 'Configuration standards for NSC rulesets',
      requirement: 'Configuration standards for network security control rulesets are defined, implemented and maintained.',
      evidenceNeeded: 'Lint of every NetworkPolicy against the computed reachability; no error-level finding.',
      decision: 'fail when a lint rule of severity error fires (e.g. DNS unreachable, rules ignored, CNI not enforcing).',
      checks: ['lint-errors'],
      scope: 'cluster',
    },
    {
      id: '1.3.1',
      reference: 'PCI DSS v4.0.1 Req. 1.3.1',
      title: 'Inbound traffic to the CDE is restricted',
      requirement: 'Inbound traffic to the CDE is restricted to only traffic that is necessary, and all other traffic is specifically denied.',
      evidenceNeeded: 'Every allowed connection into the CDE from outside it, with the policy rules that allow it; the CDE workloads isolated for ingress.',
      decision:
        'with intents: fail on any inbound connection no allowed flow or live exception covers; without: fail when a CDE workload is not isolated for ingress.',
      checks: ['zone-inbound'],
      scope: 'cde',
    },
    {
      id: '1.3.2',
      reference: 'PCI DSS v4.0.1 Req. 1.3.2',
      title: 'Outbound traffic from the CDE is restricted',
      requirement: 'Outbound traffic from the CDE is restricted to only traffic that is necessary, and all other traffic is specifically denied.',
      evidenceNeeded: 'Every allowed connection out of the CDE, with the policy rules that allow it; the CDE workloads isolated for egress.',
      decision:
        'with intents: fail on any outbound connection no allowed flow or live exception covers; without: fail when a CDE workload is not isolated for egress.',
      checks: ['zone-outbound'],
      scope: 'cde',
    },
    {
      id: '1.4.1',
      reference: 'PCI DSS v4.0.1 Req. 1.4.1',
      title: 'NSCs between trusted and untrusted networks',
      requirement: 'NSCs are implemented between trusted and untrusted networks.',
      evidenceNeeded: 'The connections between CDE workloads and addresses outside the cluster, both directions; the CDE sides that are not isolated.',
      decision: 'fail when a CDE workload exchanges traffic with external addresses that no intent allows (or, without intents, while not isolated).',
      checks: ['internet-boundary'],
      scope: 'cde',
    },
    {
      id: '1.4.2',
      reference: 'PCI DSS v4.0.1 Req. 1.4.2',
      title: 'Inbound traffic from untrusted networks is restricted',
      requirement: 'Inbound traffic from untrusted networks to trusted networks is restricted to authorised, established or necessary communications.',
      evidenceNeeded: 'Every connection an external address may open to a CDE workload.',
      decision: 'fail when some external address can reach a CDE workload and no intent allows it.',
      checks: ['internet-inbound'],
      scope: 'cde',
    },
    {
      id: '11.4.5',
      reference: 'PCI DSS v4.0.1 Req. 11.4.5',
      title: 'Segmentation controls are tested',
      requirement: 'If segmentation is used to isolate the CDE, penetration tests are performed on segmentation controls to confirm they are operational and effective.',
      evidenceNeeded: 'The probe plan: positive probes covering every allowing rule, negative probes covering every isolation boundary of the CDE; its run output.',
      decision: 'manual: run the generated probe plan against the cluster and attach its output (exit 0 = no mismatch).',
      checks: ['probe-plan'],
      scope: 'cde',
    },
  ],
};
