// SOC 2 Trust Services Criteria (2017, points of focus revised 2022): logical access and boundary protection.
import type { FrameworkDefinition } from '../types.js';

export const SOC2: FrameworkDefinition = {
  id: 'soc2',
  version: 'TSC 2017 (rev. 2022)',
  title: 'SOC 2 Trust Services Criteria',
  controls: [
    {
      id: 'CC6.1',
      reference: 'AICPA TSC 2017 CC6.1',
      title: 'Logical access security over protected information assets',
      requirement: 'The entity implements logical access security software, infrastructure and architectures over protected information assets.',
      evidenceNeeded: 'Each namespace isolated by default in both directions (default-deny ingress and egress); lint without errors.',
      decision: 'fail when a namespace with workloads has no default-deny policy for a direction, or a lint error fires.',
      checks: ['default-deny', 'lint-errors'],
      scope: 'cluster',
    },
    {
      id: 'CC6.6',
      reference: 'AICPA TSC 2017 CC6.6',
      title: 'Protection against threats from outside the system boundaries',
      requirement: 'The entity implements logical access security measures to protect against threats from sources outside its system boundaries.',
      evidenceNeeded: 'Every connection between workloads and addresses outside the cluster, with the rules that allow it.',
      decision: 'fail when a workload exchanges traffic with external addresses that no intent allows (or, without intents, while not isolated).',
      checks: ['internet-boundary'],
      scope: 'cluster',
    },
  ],
};
