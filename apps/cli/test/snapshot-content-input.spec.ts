// `netpol report` and `netpol probe-plan` read a server snapshot's content download (GET /api/v1/snapshots/{id}/content:
// one JSON array of projected objects) as the server reads it, locating findings by array index; the array is
// still validated, so a hand-made one with an invalid object is unusable input (exit 2, located issue).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { canonicalSnapshotText, parseManifests } from '@netpol-atlas/engine';
import { afterAll, describe, expect, it } from 'vitest';
import { runNetpol, type NetpolRun } from './run-netpol.js';

const REPO = path.resolve(import.meta.dirname, '../../..');
const DEMO = path.join(REPO, 'apps/api/data/demo');
const scratch = mkdtempSync(path.join(tmpdir(), 'netpol-content-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const netpol = (args: string[]): Promise<NetpolRun> => runNetpol(args);

/** What the server stores for the demo: the canonical text of its projected objects. */
function demoContent(): unknown[] {
  const documents = readdirSync(DEMO)
    .sort()
    .map((f) => ({ path: f, text: readFileSync(path.join(DEMO, f), 'utf8') }));
  return JSON.parse(canonicalSnapshotText(parseManifests(documents).objects.map((o) => o.object))) as unknown[];
}

describe('a snapshot content download as input', () => {
  it('reports on it with findings located by array index, as the server does', async () => {
    const file = path.join(scratch, 'content.json');
    writeFileSync(file, JSON.stringify(demoContent()));
    const report = await netpol(['report', file, '--framework', 'pci-dss-4.0', '--at', '2026-12-01T00:00:00Z', '-o', 'json']);
    expect(report.stderr).toBe('');
    expect(report.code).toBe(0);
    // The dead allow rule of production/backend-egress, by the object's place in the content (the server's '[9]').
    expect(report.stdout).toMatch(/\[\d+\]\.spec\.egress\[2\]/);
    expect(report.stdout).not.toContain('content.json');
    const plan = await netpol(['probe-plan', file, '--zone', 'cde', '-o', 'json']);
    expect(plan.stderr).toBe('');
    expect(plan.code).toBe(0);
  });

  it('refuses an array with an invalid object (exit 2, located error)', async () => {
    const items = demoContent() as { kind: string; spec?: Record<string, unknown> }[];
    const policy = items.find((o) => o.kind === 'NetworkPolicy')!;
    policy.spec = { ...policy.spec, podSelectr: {} };
    const file = path.join(scratch, 'bad-content.json');
    writeFileSync(file, JSON.stringify(items));
    const report = await netpol(['report', file, '--framework', 'soc2']);
    expect(report.code).toBe(2);
    expect(report.stdout).toBe('');
    expect(report.stderr).toMatch(/podSelectr.*\[UNKNOWN_FIELD\]/);
  });
});
