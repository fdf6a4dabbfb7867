import { describe, expect, it } from 'vitest';
import { diffFileName, reportFileName, snapshotFileName } from './download-names.js';

// The same names as apps/api/src/snapshots/download-name.spec.ts expects of the API's Content-Disposition.
const SNAPSHOT = '1A2B3C4D-0000-4000-8000-000000000001';
const LATER = '5e6f7a8b-0000-4000-8000-000000000002';
const REPORT = '9F8E7D6C-0000-4000-8000-000000000003';
const OTHER_REPORT = '0a1b2c3d-0000-4000-8000-000000000004';

describe('download file names (as the API names them)', () => {
  it('<cluster>-<snapshot short id>-<what>.<ext>, lower-case ASCII', () => {
    expect(snapshotFileName('demo', SNAPSHOT, 'connectivity', 'csv')).toBe('demo-1a2b3c4d-connectivity.csv');
    expect(snapshotFileName('demo', SNAPSHOT, 'lint', 'sarif')).toBe('demo-1a2b3c4d-lint.sarif');
    expect(diffFileName({ cluster: 'demo', id: SNAPSHOT }, { cluster: 'shop-eu', id: LATER }, 'md')).toBe('demo-1a2b3c4d-to-shop-eu-5e6f7a8b-diff.md');
    const report = { id: REPORT, cluster: 'demo', snapshotId: SNAPSHOT, framework: 'pci-dss-4.0' };
    expect(reportFileName(report, 'report', 'pdf')).toBe('demo-1a2b3c4d-pci-dss-4.0-report-9f8e7d6c.pdf');
    expect(reportFileName(report, 'evidence', 'zip')).toBe('demo-1a2b3c4d-pci-dss-4.0-evidence-9f8e7d6c.zip');
    expect(reportFileName({ ...report, id: OTHER_REPORT }, 'report', 'pdf')).toBe('demo-1a2b3c4d-pci-dss-4.0-report-0a1b2c3d.pdf');
  });

  it('writes anything else as `-`, never a quote, a slash or a non-ASCII letter', () => {
    expect(snapshotFileName('Prod "EU"/Zürich', SNAPSHOT, 'connectivity', 'csv')).toBe('prod-eu-z-rich-1a2b3c4d-connectivity.csv');
    expect(diffFileName({ id: SNAPSHOT }, { cluster: 'demo', id: LATER }, 'txt')).toBe('snapshot-1a2b3c4d-to-demo-5e6f7a8b-diff.txt');
  });
});
