// The hostile-input table (tools/testing/hostile-inputs.ts) through the engine: bytes → decodeManifestBytes →
// parseManifests, as the CLI reads a file. Each case must be refused with its located issue, quickly.
import { describe, expect, it } from 'vitest';
import { expectedStatus, HOSTILE_CASES, hostileBytes } from '../../../tools/testing/hostile-inputs.js';
import { decodeManifestBytes } from '../src/manifest/encoding.js';
import { parseManifests } from '../src/manifest/parse-manifests.js';
import { SYNTAX_ISSUE_CODES, type Issue } from '../src/manifest/types.js';
import { cpuMs } from './cpu-clock.js';

function run(bytes: Uint8Array, file: string): readonly Issue[] {
  const decoded = decodeManifestBytes(file, bytes);
  if ('issue' in decoded) return [decoded.issue];
  return parseManifests([{ path: file, text: decoded.text }]).issues;
}

describe('hostile inputs: the engine parser', () => {
  it('has at least 100 cases, in every category, with distinct names', () => {
    expect(HOSTILE_CASES.length).toBeGreaterThanOrEqual(100);
    expect(new Set(HOSTILE_CASES.map((c) => c.category))).toEqual(new Set(['parse', 'structure', 'kubernetes', 'size', 'encoding', 'counts']));
    expect(new Set(HOSTILE_CASES.map((c) => c.name)).size).toBe(HOSTILE_CASES.length);
  });

  it('classifies INVALID_ENCODING as unparseable, like the other syntax codes', () => {
    expect(SYNTAX_ISSUE_CODES.has('INVALID_ENCODING')).toBe(true);
  });

  it.each(HOSTILE_CASES.map((c) => [c.name, c] as const))('%s', { timeout: 60_000 }, (_name, testCase) => {
    const started = cpuMs();
    const issues = run(hostileBytes(testCase), `case.${testCase.extension}`);
    const errors = issues.filter((issue) => issue.severity === 'error');
    const pinsLine = testCase.line !== undefined;
    expect(errors.map((e) => ({ code: e.code, path: e.path, document: e.document, ...(pinsLine ? { line: e.line } : {}) }))).toContainEqual({
      code: testCase.code,
      path: testCase.path,
      document: testCase.document ?? 0,
      ...(pinsLine ? { line: testCase.line } : {}),
    });
    expect(expectedStatus(errors.map((e) => e.code))).toBe(testCase.status);
    expect(cpuMs() - started).toBeLessThan(testCase.budgetMs ?? 5000);
  });
});
