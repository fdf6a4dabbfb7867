// Regression (found by the ingest fuzz): the YAML library's duplicate-key check compares each key of a map with every
// earlier one, so one map of 8,000 keys (70 KB) took 10 s to parse and 25,000 keys over a minute: a small upload
// that holds a server worker. The reader now leaves that check off; its converter finds duplicates with one lookup
// per key and reports them at the key's path.
import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../src/manifest/parse-manifests.js';
import { cpuMs } from '../cpu-clock.js';

const KEYS = 25_000;
/** One ConfigMap whose `data` has KEYS keys (`k0: v` …): about 230 KB, under the fast reader's threshold anyway. */
const manyKeys = (last: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: wide\n  namespace: a\ndata:\n${Array.from({ length: KEYS - 1 }, (_, i) => `  k${i}: v\n`).join('')}  ${last}: v\n`;

describe('YAML maps with many keys', () => {
  it('parses a map of 25,000 distinct keys in linear time (the locating reader)', () => {
    const started = cpuMs();
    const parsed = parseManifests([{ path: 'wide.yaml', text: manyKeys(`k${KEYS - 1}`) }], { fastYamlMinLength: Infinity });
    const elapsed = cpuMs() - started;
    expect(parsed.issues.filter((issue) => issue.severity === 'error')).toEqual([]);
    // Quadratic, this took over a minute; linear, well under a second on the development machine.
    expect(elapsed).toBeLessThan(10_000);
  });

  it('reports a duplicate key at its path and line, once', () => {
    const parsed = parseManifests([{ path: 'wide.yaml', text: manyKeys('k0') }], { fastYamlMinLength: Infinity });
    expect(parsed.issues).toEqual([
      {
        code: 'DUPLICATE_KEY',
        severity: 'error',
        message: 'duplicate map key "k0"',
        file: 'wide.yaml',
        document: 0,
        path: 'data.k0',
        line: 6 + KEYS,
      },
    ]);
  });

  it('reports a duplicate in a flow map and in a nested map the same way', () => {
    const flow = parseManifests([{ path: 'flow.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: a, namespace: b, name: c}\n' }]);
    expect(flow.issues).toMatchObject([{ code: 'DUPLICATE_KEY', path: 'metadata.name', line: 3 }]);
    const nested = parseManifests([{ path: 'nested.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels:\n    x: "1"\n    x: "2"\n' }]);
    expect(nested.issues).toMatchObject([{ code: 'DUPLICATE_KEY', path: 'metadata.labels.x', line: 7 }]);
  });
});
