// Calico and Kubernetes verdicts from telepathy's e2e data (shared/conformance/dialects/telepathy, see its README):
// one test per case, every assertion of the case answered by ONE `netpol eval --batch` process of the BUILT bin
// (the verdict is source egress AND destination ingress; ICMP assertions are pings; `zz-*` cases cross host
// endpoints: traffic from outside forwarded to pods through applyOnForward / preDNAT policies).
import { describe, expect, it } from 'vitest';
import { askCase, casesOf } from './dialect-conformance.js';

const CASES = casesOf('telepathy');

describe('telepathy conformance (Calico and Kubernetes) through netpol eval --batch', () => {
  it('has at least the cases the README counts (40; an unseen checkout through NETPOL_DIALECTS_DIR may hold more)', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(CASES)('%s', async (name) => {
    const { got, want, stderr, code } = await askCase('telepathy', name);
    expect(code, stderr).toBe(0);
    expect(got).toEqual(want);
  });
});
