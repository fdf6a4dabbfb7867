// network-policy-api conformance as verdict data (../shared/conformance/dialects: npapi-anp-v1alpha1 for
// AdminNetworkPolicy / BaselineAdminNetworkPolicy, npapi-cnp-v1alpha2 for ClusterNetworkPolicy): every assertion
// of every case through the BUILT `netpol eval --batch`, one process and one test per case. Node peers and
// host-network pods included. Unseen cases of the same suites (another checkout through NETPOL_DIALECTS_DIR) run
// the same way.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { askCase, assertionsOf, casesOf, DIALECTS } from './dialect-conformance.js';

const SUITES = [
  { set: 'npapi-anp-v1alpha1', cases: 46, assertions: 137 },
  { set: 'npapi-cnp-v1alpha2', cases: 48, assertions: 143 },
] as const;

for (const suite of SUITES) {
  describe(`network-policy-api conformance: ${suite.set}`, () => {
    const cases = casesOf(suite.set);

    it('has at least the cases and assertions of the known suite', () => {
      expect(cases.length).toBeGreaterThanOrEqual(suite.cases);
      const count = cases.reduce((n, c) => n + assertionsOf(suite.set, c).length, 0);
      expect(count).toBeGreaterThanOrEqual(suite.assertions);
    });

    it.each(cases)('%s', async (name) => {
      expect(existsSync(path.join(DIALECTS, suite.set, name, 'input'))).toBe(true);
      const { got, want, stderr, code } = await askCase(suite.set, name);
      expect(code, stderr).toBe(0);
      expect(got).toEqual(want);
    }, 60_000);
  });
}
