// NIST SP 800-53 rev. 5: SC-7 boundary protection and its enhancement SC-7(5), deny by default.
import type { FrameworkDefinition } from '../types.js';

export const NIST_800_53: FrameworkDefinition = {
  id: 'nist-800-53',
  version: 'rev5',
  title: 'NIST SP 800-53 Rev. 5',
  controls: [
    {
      id: 'SC-7',
      reference: 'NIST SP 800-53 Rev. 5 SC-7',
      title: 'Boundary protection',
      requirement: 'Monitor and control communications at the external managed interfaces to the system and at key internal managed interfaces.',
      evidenceNeeded: 'Every connection between workloads and external addresses, and across the declared zones, with the rules that allow it.',
      decision: 'fail when external or cross-zone traffic is allowed that no intent allows (or, without intents, through a non-isolated side).',
      checks: ['internet-boundary', 'zone-segregation'],
      scope: 'cluster',
    },
    {
      id: 'SC-7(5)',
      reference: 'NIST SP 800-53 Rev. 5 SC-7(5)',
      title: 'Deny by default — allow by exception',
      requirement: 'Deny network communications traffic by default and allow network communications traffic by exception.',
      evidenceNeeded: 'For each namespace with workloads, the default-deny policies for ingress and egress.',
      decision: 'fail when a namespace with workloads lacks default-deny in a direction.',
      checks: ['default-deny'],
      scope: 'cluster',
    },
  ],
};
