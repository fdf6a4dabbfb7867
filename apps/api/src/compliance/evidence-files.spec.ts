// The evidence pack's scoped connectivity: the rows touching the report's zones, as the whole listing filtered gives
// them, gathered row by row up to the listing bound; past it a note instead of a partial file.
import { analyze, buildSnapshot, cdeIntents, connectivity, formatConnlist, parseManifests, showsIcmp, ZoneMap, type SegmentationIntents } from '@netpol-atlas/engine';
import { describe, expect, it } from 'vitest';
import { demoYaml } from '../../test/support/demo.js';
import { analysisEvidenceFiles } from './evidence-files.js';

const text = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');

describe('evidence files: scoped connectivity', () => {
  const parsed = parseManifests([{ path: 'demo.yaml', text: demoYaml() }]);
  const analysis = analyze(buildSnapshot(parsed.objects).snapshot);
  const intents = cdeIntents() as SegmentationIntents;
  const input = { analysis, objects: parsed.objects, intents, generatedAt: '2026-12-01T00:00:00Z' };
  // The rows the pack held before: the whole listing, filtered.
  const zones = new ZoneMap(analysis.snapshot, intents);
  const scoped = new Set(zones.workloadZoneNames.flatMap((z) => zones.workloadsIn(z)).map((w) => w.id));
  const expected = connectivity(analysis).filter((r) => [r.src, r.dst].some((p) => p.type !== 'ip' && scoped.has(p.workload.id)));

  it('lists the rows touching the scope, as the filtered listing does, when they fit the bound', () => {
    expect(expected.length).toBeGreaterThan(3);
    for (const maxRows of [expected.length, 10_000_000]) {
      const files = analysisEvidenceFiles(input, maxRows);
      expect(text(files.get('connectivity.csv'))).toBe(formatConnlist(expected, 'csv', undefined, showsIcmp(analysis.snapshot)));
      expect(files.has('connectivity-omitted.txt')).toBe(false);
    }
  });

  it('leaves the file out with a note past the bound; the other files are the same', () => {
    const files = analysisEvidenceFiles(input, expected.length - 1);
    expect(files.has('connectivity.csv')).toBe(false);
    expect(text(files.get('connectivity-omitted.txt'))).toContain(`more than ${expected.length - 1} workload pairs`);
    const whole = analysisEvidenceFiles(input);
    expect([...files.keys()].sort()).toEqual([...whole.keys()].filter((k) => k !== 'connectivity.csv').concat('connectivity-omitted.txt').sort());
    for (const name of ['policies.json', 'lint.json', 'probe-plan.json']) expect(text(files.get(name)), name).toBe(text(whole.get(name)));
  });
});
