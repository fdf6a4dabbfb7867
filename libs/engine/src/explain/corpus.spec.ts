// The engine's explain report against np-guard's expected outputs (core cases of explain/), in-process;
// the CLI conformance test runs the same cases through the built bin. The pair explainer's bounded caches (dropped
// when full, at 50k pods) must not change an explanation.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseNames, CONFORMANCE_DIR, readExpected, readInputDir } from '../../../../tools/testing/np-guard-corpus.js';
import { analyze } from '../analysis/analyze.js';
import { loadSnapshot } from '../model/load.js';
import { explainedPeers, isExplainedPair, PairExplainer } from './pairs.js';
import { DEFAULT_SECTION_TITLE, formatExplain } from './report.js';

const coreCases = caseNames('explain').filter((name) => {
  const meta = JSON.parse(readFileSync(path.join(CONFORMANCE_DIR, 'explain', name, 'case.json'), 'utf8')) as { category?: string };
  return meta.category === 'core';
});

describe('explain report: np-guard core cases (engine)', () => {
  it('finds the core cases', () => {
    expect(coreCases.length).toBeGreaterThanOrEqual(7);
  });

  it.each(coreCases)('%s', (name) => {
    const { snapshot, issues } = loadSnapshot(readInputDir(path.join(CONFORMANCE_DIR, 'explain', name, 'input')));
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(formatExplain(snapshot)).toBe(readExpected('explain', name, 'expected.txt'));
  });
});

describe('pair explainer with caches dropped every few entries', () => {
  it('has core cases with default-only pairs (the second pass of the report)', () => {
    expect(coreCases.some((name) => readExpected('explain', name, 'expected.txt')?.includes(`# ${DEFAULT_SECTION_TITLE} #`))).toBe(true);
  });

  it.each(coreCases)('%s: explains every pair as with its full caches', (name) => {
    const analysis = analyze(loadSnapshot(readInputDir(path.join(CONFORMANCE_DIR, 'explain', name, 'input'))).snapshot);
    const { sources, destinations } = explainedPeers(analysis);
    const full = new PairExplainer(analysis);
    const bounded = new PairExplainer(analysis, { partitions: 2, classes: 2 });
    let compared = 0;
    for (const src of sources) {
      for (const dst of destinations) {
        if (!isExplainedPair(src, dst)) continue;
        const expected = full.explain(src, dst);
        expect(bounded.explain(src, dst)).toEqual(expected);
        expect(bounded.isDefaultOnly(src, dst)).toBe(expected.defaultOnly);
        compared++;
      }
    }
    // More pairs than the cache holds: the caches were dropped many times.
    expect(compared).toBeGreaterThan(4);
  });
});
