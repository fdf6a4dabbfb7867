// Issue 13: the fast YAML reader (js-yaml, after screening) must give exactly what the locating reader gives:
// the same objects and the same located issues (code, path, document, line). Checked on a synthetic cluster
// written as YAML, and on every YAML case of the hostile-input table read with the fast reader forced on (each
// must still be refused with the same located issue).
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { HOSTILE_CASES, hostileBytes } from '../../../../tools/testing/hostile-inputs.js';
import { generateSyntheticCluster, SIZE_PRESETS } from '../../bench/synthetic-cluster.js';
import { resolveLimits } from './limits.js';
import { parseManifests } from './parse-manifests.js';
import { FAST_YAML_MIN_LENGTH, readYamlFast } from './yaml-fast-reader.js';

const both = (text: string) => {
  const source = [{ path: 'big.yaml', text }];
  return { fast: parseManifests(source, { fastYamlMinLength: 0 }), slow: parseManifests(source, { fastYamlMinLength: Infinity }) };
};
const located = (issues: readonly { code: string; path: string; document: number; line?: number; severity: string }[]) =>
  issues.map((i) => ({ code: i.code, path: i.path, document: i.document, line: i.line, severity: i.severity }));

/** Valid documents before the case, so that its document index and lines are shifted. */
const PADDING = Array.from({ length: 3 }, (_, i) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: pad-${i}\n`).join('---\n');

describe('fast YAML reader', () => {
  it('reads a synthetic cluster exactly as the locating reader, with booleans, comments and an invalid object', () => {
    const items = (generateSyntheticCluster(SIZE_PRESETS.S, 7).list as { items: unknown[] }).items;
    const documents = items.map((item) => stringify(item));
    // A comment-only prefix, a boolean (hostNetwork), and a Service with an invalid port to locate deep inside.
    documents.splice(3, 0, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: host\n  namespace: default\nspec:\n  hostNetwork: true\n  containers:\n  - name: c\n    image: i\n');
    documents.splice(9, 0, 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: bad\n  namespace: default\nspec:\n  podSelector: {}\n  ingress:\n  - ports:\n    - port: 70000\n');
    const text = `# exported\n---\n${documents.join('---\n')}`;
    expect(text.length).toBeGreaterThan(FAST_YAML_MIN_LENGTH);
    expect(readYamlFast('big.yaml', text, resolveLimits(undefined))).toBeDefined();
    const { fast, slow } = both(text);
    expect(fast.objects.length).toBeGreaterThan(1000);
    expect(fast.objects).toEqual(slow.objects);
    expect(located(fast.issues)).toEqual(located(slow.issues));
    expect(fast.issues.some((i) => i.severity === 'error' && i.path.includes('ports[0].port') && i.line !== undefined)).toBe(true);
  });

  const yamlCases = HOSTILE_CASES.filter((c) => c.extension === 'yaml' && c.category !== 'encoding' && c.category !== 'counts');
  it.each(yamlCases.map((c) => [c.name, c] as const))('hostile case %s after 3 documents: the same located issue', (_name, testCase) => {
    const input = hostileBytes(testCase);
    const text = `${PADDING}---\n${new TextDecoder().decode(input)}`;
    const { fast, slow } = both(text);
    expect(located(fast.issues)).toEqual(located(slow.issues));
    expect(fast.issues.some((i) => i.severity === 'error' && i.code === testCase.code && i.path === testCase.path)).toBe(true);
    expect(fast.objects).toEqual(slow.objects);
  });

  // The block reader marks its documents charactersScreened (validate/characters.ts skipped): every way a NUL or an
  // unpaired surrogate can reach a string must still be refused, located as the locating reader locates it.
  it.each([
    ['an escaped NUL', 'note: "a\\u0000b"'],
    ['a \\0 escape', 'note: "a\\0b"'],
    ['a raw NUL', 'note: a\u0000b'],
    ['an escaped unpaired surrogate', 'note: "\\ud800"'],
    ['a raw unpaired surrogate', 'note: a\ud800b'],
    ['a raw unpaired low surrogate in a key', '"k\udc00": v'],
  ])('refuses %s in a large file exactly as the locating reader', (_name, line) => {
    const pod = (name: string, annotation = '') => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: default\n  annotations:\n    ${annotation || 'note: fine'}\nspec:\n  containers:\n  - name: c\n    image: i\n`;
    const documents = Array.from({ length: 2000 }, (_, i) => pod(`p${i}`, i === 1500 ? line : ''));
    documents.push(pod('pair', 'note: "a\u{1F600}b"'));
    const text = documents.join('---\n');
    expect(text.length).toBeGreaterThan(FAST_YAML_MIN_LENGTH);
    const { fast, slow } = both(text);
    expect(located(fast.issues)).toEqual(located(slow.issues));
    expect(fast.issues.some((i) => i.code === 'INVALID_CHARACTER' && i.document === 1500)).toBe(true);
    expect(fast.objects).toEqual(slow.objects);
    expect(fast.objects).toHaveLength(2000);
  });
});
