// Regression (found by the ingest fuzz): every issue is located (`line`), and the readers found a key's line by
// scanning its map (YAML: the map's pairs; JSON: the object's text) once per issue. An upload with an issue per key
// was quadratic: 10,000 invalid labels in JSON (300 KB) took 132 s, 40,000 in YAML (1.2 MB) 25 s. The readers now
// index a map's keys (an array's elements) on its first lookup.
import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../src/manifest/parse-manifests.js';
import { cpuMs } from '../cpu-clock.js';

const COUNT = 40_000;
const BUDGET_MS = 15_000;

const badLabels = (): Record<string, string> => Object.fromEntries(Array.from({ length: COUNT }, (_, i) => [`k${i}`, `bad value ${i}`]));

function parseTimed(path: string, text: string) {
  const started = cpuMs();
  const parsed = parseManifests([{ path, text }], { fastYamlMinLength: Infinity });
  return { parsed, elapsed: cpuMs() - started };
}

describe('an issue per key or element is located in linear time', () => {
  it(`YAML: ${COUNT} invalid label values, each at its own line`, () => {
    const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: a\n  labels:\n${Object.entries(badLabels())
      .map(([key, value]) => `    ${key}: "${value}"\n`)
      .join('')}`;
    const { parsed, elapsed } = parseTimed('labels.yaml', text);
    expect(parsed.issues).toHaveLength(COUNT);
    expect(parsed.issues[0]).toMatchObject({ code: 'INVALID_VALUE', path: 'metadata.labels.k0', line: 7 });
    expect(parsed.issues[COUNT - 1]).toMatchObject({ code: 'INVALID_VALUE', path: `metadata.labels.k${COUNT - 1}`, line: 6 + COUNT });
    expect(elapsed).toBeLessThan(BUDGET_MS);
  });

  it(`JSON: ${COUNT} invalid label values, each at its own line`, () => {
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a', labels: badLabels() } }, null, 1);
    const { parsed, elapsed } = parseTimed('labels.json', text);
    expect(parsed.issues).toHaveLength(COUNT);
    // One member per line: `{`, apiVersion, kind, `"metadata": {`, name, namespace, `"labels": {`, then the labels.
    expect(parsed.issues[0]).toMatchObject({ code: 'INVALID_VALUE', path: 'metadata.labels.k0', line: 8 });
    expect(parsed.issues[COUNT - 1]).toMatchObject({ path: `metadata.labels.k${COUNT - 1}`, line: 7 + COUNT });
    expect(elapsed).toBeLessThan(BUDGET_MS);
  });

  it(`JSON: ${COUNT / 2} containers with an invalid port name each, each at its own line`, () => {
    const containers = Array.from({ length: COUNT / 2 }, (_, i) => ({ name: `c${i}`, ports: [{ containerPort: 80, name: 'NOT_A_NAME' }] }));
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'a' }, spec: { containers } });
    const { parsed, elapsed } = parseTimed('containers.json', text);
    expect(parsed.issues).toHaveLength(COUNT / 2);
    expect(parsed.issues[COUNT / 2 - 1]).toMatchObject({ code: 'INVALID_VALUE', path: `spec.containers[${COUNT / 2 - 1}].ports[0].name`, line: 1 });
    expect(elapsed).toBeLessThan(BUDGET_MS);
  });
});
