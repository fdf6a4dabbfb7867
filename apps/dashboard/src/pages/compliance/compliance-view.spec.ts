import { describe, expect, it } from 'vitest';
import { permissions, reportFileName, sortIssues } from './compliance-view.js';

describe('compliance view', () => {
  it('grants report generation to auditors and admins, intents and profiles to admins, everything with auth off', () => {
    expect(permissions({ auth: 'on', role: 'viewer' })).toEqual({ report: false, admin: false });
    expect(permissions({ auth: 'on', role: 'ingester' })).toEqual({ report: false, admin: false });
    expect(permissions({ auth: 'on', role: 'auditor' })).toEqual({ report: true, admin: false });
    expect(permissions({ auth: 'on', role: 'admin' })).toEqual({ report: true, admin: true });
    expect(permissions({ auth: 'off', role: null })).toEqual({ report: true, admin: true });
  });

  it('names report files as the server does, and sorts intents issues by line', () => {
    expect(reportFileName({ cluster: 'demo', framework: 'pci-dss-4.0', generatedAt: '2026-11-01T00:00:00.123Z' }, '-evidence.zip')).toBe('netpol-demo-pci-dss-4.0-20261101T000000Z-evidence.zip');
    expect(sortIssues([{ message: 'b' }, { message: 'a', line: 7 }, { message: 'c', line: 2 }]).map((i) => i.message)).toEqual(['c', 'a', 'b']);
  });
});
