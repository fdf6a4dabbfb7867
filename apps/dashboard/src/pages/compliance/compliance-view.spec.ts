import { describe, expect, it } from 'vitest';
import { permissions, sortIssues } from './compliance-view.js';

describe('compliance view', () => {
  it('grants report generation to auditors and admins, intents and profiles to admins, everything with auth off', () => {
    expect(permissions({ auth: 'on', role: 'viewer' })).toEqual({ report: false, admin: false });
    expect(permissions({ auth: 'on', role: 'ingester' })).toEqual({ report: false, admin: false });
    expect(permissions({ auth: 'on', role: 'auditor' })).toEqual({ report: true, admin: false });
    expect(permissions({ auth: 'on', role: 'admin' })).toEqual({ report: true, admin: true });
    expect(permissions({ auth: 'off', role: null })).toEqual({ report: true, admin: true });
  });

  it('sorts intents issues by line', () => {
    expect(sortIssues([{ message: 'b' }, { message: 'a', line: 7 }, { message: 'c', line: 2 }]).map((i) => i.message)).toEqual(['c', 'a', 'b']);
  });
});
