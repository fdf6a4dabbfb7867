// ISO/IEC 27001:2022 Annex A (controls of ISO/IEC 27002:2022): segregation of networks.
import type { FrameworkDefinition } from '../types.js';

export const ISO_27001: FrameworkDefinition = {
  id: 'iso27001',
  version: '2022',
  title: 'ISO/IEC 27001:2022',
  controls: [
    {
      id: 'A.8.22',
      reference: 'ISO/IEC 27001:2022 Annex A 8.22',
      title: 'Segregation of networks',
      requirement: 'Groups of information services, users and information systems shall be segregated in the organization\'s networks.',
      evidenceNeeded: 'The zones (from the intents) with their workloads, and every allowed connection crossing a zone boundary with the rules that allow it.',
      decision: 'fail when a connection crosses a zone boundary that no allowed flow or live exception covers, or a zone workload is not isolated.',
      checks: ['zone-segregation'],
      scope: 'cde',
    },
  ],
};
