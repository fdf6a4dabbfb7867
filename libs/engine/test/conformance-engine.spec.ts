// The engine alone on every np-guard case (the CLI conformance test runs the built bin on the same cases).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analysis/analyze.js';
import { connectivity } from '../src/analysis/connectivity.js';
import { loadSnapshot } from '../src/model/load.js';
import { formatConnlist } from '../src/output/connlist.js';
import { caseNames, CONFORMANCE_DIR, readExpected, readInputDir } from '../../../tools/testing/np-guard-corpus.js';

const cases = caseNames('cases');

describe('np-guard cases through the engine', () => {
  it('finds the corpus', () => {
    expect(cases.length).toBeGreaterThanOrEqual(34);
  });

  it.each(cases)('%s', (name) => {
    const { snapshot, issues } = loadSnapshot(readInputDir(path.join(CONFORMANCE_DIR, 'cases', name, 'input')));
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    const rows = connectivity(analyze(snapshot));
    expect(formatConnlist(rows, 'txt')).toBe(readExpected('cases', name, 'expected.txt'));
    const json = readExpected('cases', name, 'expected.json');
    if (json !== undefined) expect(formatConnlist(rows, 'json')).toBe(json);
  });
});

// The connlist part of every core `--exposure` expected output is byte-identical to plain `list` (README).
const exposureCases = caseNames('exposure').filter((name) => {
  const meta = readExpected('exposure', name, 'case.json');
  return meta !== undefined && (JSON.parse(meta) as { category?: string }).category === 'core';
});

describe('np-guard exposure cases: their plain connlist part', () => {
  it('finds the core exposure cases', () => {
    expect(exposureCases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(exposureCases)('%s', (name) => {
    const expected = readExpected('exposure', name, 'expected.txt')!;
    const cut = expected.startsWith('Exposure Analysis Result:') ? 0 : expected.indexOf('\nExposure Analysis Result:');
    const plain = expected.slice(0, cut);
    const { snapshot, issues } = loadSnapshot(readInputDir(path.join(CONFORMANCE_DIR, 'exposure', name, 'input')));
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(formatConnlist(connectivity(analyze(snapshot)), 'txt')).toBe(plain);
  });
});
