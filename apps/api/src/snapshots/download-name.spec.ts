import { describe, expect, it } from 'vitest';
import { attachment, diffDownloadName, reportDownloadName, snapshotDownloadName } from './download-name.js';

// The same names as apps/dashboard/src/download-names.spec.ts expects of the dashboard's download links.
const SNAPSHOT = '1A2B3C4D-0000-4000-8000-000000000001';
const LATER = '5e6f7a8b-0000-4000-8000-000000000002';
const REPORT = '9F8E7D6C-0000-4000-8000-000000000003';
const OTHER_REPORT = '0a1b2c3d-0000-4000-8000-000000000004';

describe('Content-Disposition file names (as the dashboard names its links)', () => {
  it('<cluster>-<snapshot short id>-<what>.<ext>, lower-case ASCII', () => {
    expect(snapshotDownloadName({ id: SNAPSHOT, cluster: { name: 'demo' } }, 'connectivity', 'csv')).toBe('demo-1a2b3c4d-connectivity.csv');
    expect(snapshotDownloadName({ id: SNAPSHOT, cluster: { name: 'demo' } }, 'lint', 'sarif')).toBe('demo-1a2b3c4d-lint.sarif');
    expect(diffDownloadName({ id: SNAPSHOT, cluster: { name: 'demo' } }, { id: LATER, cluster: { name: 'shop-eu' } }, 'md')).toBe('demo-1a2b3c4d-to-shop-eu-5e6f7a8b-diff.md');
    const report = { id: REPORT, clusterName: 'demo', snapshotId: SNAPSHOT, frameworkId: 'pci-dss-4.0' };
    expect(reportDownloadName(report, 'report', 'pdf')).toBe('demo-1a2b3c4d-pci-dss-4.0-report-9f8e7d6c.pdf');
    expect(reportDownloadName(report, 'evidence', 'zip')).toBe('demo-1a2b3c4d-pci-dss-4.0-evidence-9f8e7d6c.zip');
    // Two reports of one snapshot and framework (another zone, another engine): two names.
    expect(reportDownloadName({ ...report, id: OTHER_REPORT }, 'report', 'pdf')).toBe('demo-1a2b3c4d-pci-dss-4.0-report-0a1b2c3d.pdf');
  });

  it('writes anything else as `-`, never a quote, a slash or a non-ASCII letter', () => {
    expect(snapshotDownloadName({ id: SNAPSHOT, cluster: { name: 'Prod "EU"/Zürich' } }, 'connectivity', 'csv')).toBe('prod-eu-z-rich-1a2b3c4d-connectivity.csv');
    expect(diffDownloadName({ id: SNAPSHOT, cluster: null }, { id: LATER, cluster: { name: 'demo' } }, 'txt')).toBe('snapshot-1a2b3c4d-to-demo-5e6f7a8b-diff.txt');
  });
});

describe('attachment', () => {
  it('quotes the name in a Content-Disposition header', () => {
    expect(attachment('demo-1a2b3c4d-connectivity.csv')).toBe('attachment; filename="demo-1a2b3c4d-connectivity.csv"');
  });
});
